from django.urls import path

from fazhi.evidence import tus_views, views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("upload/", views.upload_page, name="upload"),
    path("export/", views.evidence_export_view, name="export"),
    path("retention/", views.retention_view, name="retention"),
    path("tus/", tus_views.tus_create, name="tus"),
    path("tus/<uuid:upload_id>/", tus_views.tus_upload, name="tus_upload"),
    path("<int:pk>/", views.evidence_detail, name="detail"),
    path("<int:pk>/open/", views.evidence_open, name="open"),
    path("<int:pk>/file/", views.evidence_file, name="file"),
    path("<int:pk>/edit/", views.evidence_edit, name="edit"),
    path("<int:pk>/dispose/", views.evidence_dispose_view, name="dispose"),
]
