from django.urls import path

from fazhi.enforcement.views import cases, coercion, inspection_plans, inspections, publication, registry
from fazhi.enforcement.workflow.cases import CASE_FLOW
from fazhi.enforcement.workflow.coercion import COERCION_FLOW
from fazhi.enforcement.workflow.inspections import INSPECTION_FLOW
from fazhi.enforcement.workflow.measures import MEASURE_FLOW

app_name = "enforcement"
urlpatterns = [
    path("", cases.cases, name="cases"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/simple/", cases.case_simple, name="case_simple"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/records/new/", cases.record_new, name="record_new"),
    *CASE_FLOW.urls("cases/"),  # cases/<pk>/<step>/ → enforcement:case_<step>, core's step view
    *[path(f"cases/<int:pk>/documents/{kind}.docx", view, name=f"document_{kind}")
      for kind, view in cases.DOCUMENT_VIEWS.items()],
    path("reviews/<int:pk>/", cases.review_conclude, name="review_conclude"),
    path("hearings/<int:pk>/record/", cases.hearing_record, name="hearing_record"),
    *MEASURE_FLOW.urls("measures/"),  # measures/<pk>/close|extend/ → enforcement:measure_close|extend
    path("cases/<int:pk>/coercion/new/", coercion.coercion_new, name="coercion_new"),
    path("coercions/<int:pk>/", coercion.coercion_detail, name="coercion_detail"),
    path("coercions/<int:pk>/records/new/", coercion.coercion_record_new, name="coercion_record_new"),
    *COERCION_FLOW.urls("coercions/"),  # coercions/<pk>/<step>/ → enforcement:coercion_<step> (行政强制执行)
    *[path(f"coercions/<int:pk>/documents/{kind}.docx", view, name=f"coercion_document_{kind}")
      for kind, view in coercion.DOCUMENT_VIEWS.items()],
    path("inspections/", inspections.inspections, name="inspections"),
    path("inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("inspections/objects/", inspection_plans.objects, name="objects"),
    path("inspections/objects/new/", inspection_plans.object_new, name="object_new"),
    path("inspections/objects/<int:pk>/edit/", inspection_plans.object_edit, name="object_edit"),
    path("inspections/conflicts/new/", inspection_plans.conflict_new, name="conflict_new"),
    path("inspections/plan/", inspection_plans.plan, name="plan"),
    path("inspections/plan/new/", inspection_plans.plan_new, name="plan_new"),
    path("inspections/plan/<int:pk>/edit/", inspection_plans.plan_edit, name="plan_edit"),
    path("inspections/draws/", inspection_plans.draw_list, name="draws"),
    path("inspections/draws/new/", inspection_plans.draw_new, name="draw_new"),
    path("inspections/draws/<int:pk>/", inspection_plans.draw_detail, name="draw_detail"),
    path("inspections/draws/<int:pk>/verify/", inspection_plans.draw_verify, name="draw_verify"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection_detail"),
    *INSPECTION_FLOW.urls("inspections/"),  # inspections/<pk>/open_case/ → enforcement:inspection_open_case
    path("inspections/<int:pk>/records/new/", inspections.inspection_record_new, name="inspection_record_new"),
    path("officers/", registry.officers, name="officers"),
    path("officers/new/", registry.officer_new, name="officer_new"),
    path("officers/<int:pk>/edit/", registry.officer_edit, name="officer_edit"),
    path("powers/", registry.powers, name="powers"),
    path("powers/new/", registry.power_new, name="power_new"),
    path("powers/<int:pk>/edit/", registry.power_edit, name="power_edit"),
    path("powers/<int:pk>/bands/new/", registry.band_new, name="band_new"),
    path("bodies/new/", registry.body_new, name="body_new"),
    path("settings/", registry.settings_edit, name="settings"),
    path("overdue/", publication.overdue, name="overdue"),
    path("publications/", publication.publications, name="publications"),
    path("publications/<int:pk>/withdraw/", publication.publication_withdraw, name="publication_withdraw"),
    path("public/", publication.public_list, name="public"),
    path("stats/", publication.stats, name="stats"),
]
