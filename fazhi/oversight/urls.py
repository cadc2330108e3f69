from django.urls import path

from fazhi.oversight import views
from fazhi.oversight.workflow import NOTICE_FLOW, ROUND_FLOW

app_name = "oversight"
urlpatterns = [
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    *ROUND_FLOW.urls("rounds/"),
    path("files/<int:pk>/", views.file_detail, name="file_detail"),
    path("files/<int:pk>/resolve/", views.file_resolve, name="file_resolve"),
    path("files/<int:pk>/casefile/", views.file_casefile, name="file_casefile"),
    path("files/<int:pk>/sheet.docx", views.file_sheet, name="file_sheet"),
    path("cases/<int:pk>/casefile/", views.case_casefile, name="case_casefile"),
    path("standards/", views.standards, name="standards"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/proof/", views.notice_proof, name="notice_proof"),
    *NOTICE_FLOW.urls("notices/"),
    path("assessment/", views.assessment, name="assessment"),
    path("mine/", views.my_results, name="my_results"),
]
