from django.urls import path

from fazhi.field import views

app_name = "field"

urlpatterns = [
    path("sw.js", views.service_worker, name="service_worker"),  # at the root: its scope is the whole site
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("field/disputes/", views.dispute, name="dispute"),
    path("field/disputes/submit/", views.dispute_submit, name="dispute_submit"),
    path("field/events/", views.event, name="event"),
    path("field/events/submit/", views.event_submit, name="event_submit"),
    path("field/screenings/", views.screening, name="screening"),
    path("field/screenings/submit/", views.screening_submit, name="screening_submit"),
    path("field/inspections/", views.inspection, name="inspection"),
    path("field/inspections/submit/", views.inspection_submit, name="inspection_submit"),
    path("field/token/", views.token, name="token"),
]
