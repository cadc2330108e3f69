from django.urls import path

from fazhi.education import publicity_views as pv
from fazhi.education import views

app_name = "education"
urlpatterns = [
    path("study/", views.sessions, name="sessions"),
    path("study/new/", views.session_new, name="session_new"),
    path("study/hours/", views.hours, name="hours"),
    path("study/<int:pk>/", views.session_detail, name="session_detail"),
    path("study/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("officials/", views.officials, name="officials"),
    path("officials/new/", views.official_new, name="official_new"),
    path("officials/<int:pk>/", views.official_detail, name="official_detail"),
    path("officials/<int:pk>/edit/", views.official_edit, name="official_edit"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("events/", pv.events, name="events"),
    path("events/new/", pv.event_new, name="event_new"),
    path("events/<int:pk>/", pv.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", pv.event_edit, name="event_edit"),
    path("events/<int:pk>/photos/add/", pv.photo_add, name="photo_add"),
    path("photos/<int:pk>/", pv.photo, name="photo"),
    path("venues/", pv.venues, name="venues"),
    path("venues/new/", pv.venue_new, name="venue_new"),
    path("venues/<int:pk>/", pv.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", pv.venue_edit, name="venue_edit"),
    path("plans/", pv.pubplans, name="pubplans"),
    path("plans/new/", pv.pubplan_new, name="pubplan_new"),
    path("plans/<int:pk>/", pv.pubplan_detail, name="pubplan_detail"),
    path("plans/<int:pk>/edit/", pv.pubplan_edit, name="pubplan_edit"),
    path("coverage/", pv.coverage, name="coverage"),
]
