from django.urls import path

from fazhi.enforcement import views
from fazhi.enforcement import views_registry as reg
from fazhi.enforcement import views_steps as steps

app_name = "enforcement"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/simple/", views.case_simple, name="case_simple"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/records/new/", steps.record_new, name="record_new"),
    *[path(f"cases/<int:pk>/{name}/", view, name=f"case_{name}") for name, view in steps.STEP_VIEWS.items()],
    *[path(f"cases/<int:pk>/documents/{kind}.docx", view, name=f"document_{kind}")
      for kind, view in steps.DOCUMENT_VIEWS.items()],
    path("reviews/<int:pk>/", steps.review_conclude, name="review_conclude"),
    path("hearings/<int:pk>/record/", steps.hearing_record, name="hearing_record"),
    path("measures/<int:pk>/close/", steps.measure_close, name="measure_close"),
    path("measures/<int:pk>/extend/", steps.measure_extend, name="measure_extend"),
    path("inspections/", reg.inspections, name="inspections"),
    path("inspections/new/", reg.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", reg.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/records/new/", reg.inspection_record_new, name="inspection_record_new"),
    path("officers/", reg.officers, name="officers"),
    path("officers/new/", reg.officer_new, name="officer_new"),
    path("officers/<int:pk>/edit/", reg.officer_edit, name="officer_edit"),
    path("powers/", reg.powers, name="powers"),
    path("powers/new/", reg.power_new, name="power_new"),
    path("powers/<int:pk>/edit/", reg.power_edit, name="power_edit"),
    path("powers/<int:pk>/bands/new/", reg.band_new, name="band_new"),
    path("bodies/new/", reg.body_new, name="body_new"),
    path("settings/", reg.settings_edit, name="settings"),
    path("overdue/", reg.overdue, name="overdue"),
    path("publications/", reg.publications, name="publications"),
    path("publications/<int:pk>/withdraw/", reg.publication_withdraw, name="publication_withdraw"),
    path("public/", reg.public_list, name="public"),
    path("stats/", reg.stats, name="stats"),
]
