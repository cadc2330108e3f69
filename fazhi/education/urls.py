from django.urls import path

from fazhi.education.views import plans, publicity, study
from fazhi.education.workflow import VENUE_FLOW

app_name = "education"
urlpatterns = [
    path("study/", study.sessions, name="sessions"),
    path("study/new/", study.session_new, name="session_new"),
    path("study/hours/", study.hours, name="hours"),
    path("study/<int:pk>/", study.session_detail, name="session_detail"),
    path("study/<int:pk>/edit/", study.session_edit, name="session_edit"),
    path("officials/", study.officials, name="officials"),
    path("officials/new/", study.official_new, name="official_new"),
    path("officials/<int:pk>/", study.official_detail, name="official_detail"),
    path("officials/<int:pk>/edit/", study.official_edit, name="official_edit"),
    path("catalogue/", study.catalogue, name="catalogue"),
    path("events/", publicity.events, name="events"),
    path("events/new/", publicity.event_new, name="event_new"),
    path("events/<int:pk>/", publicity.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", publicity.event_edit, name="event_edit"),
    path("events/<int:pk>/photos/add/", publicity.photo_add, name="photo_add"),
    path("photos/<int:pk>/", publicity.photo, name="photo"),
    path("venues/", publicity.venues, name="venues"),
    path("venues/new/", publicity.venue_new, name="venue_new"),
    path("venues/<int:pk>/", publicity.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", publicity.venue_edit, name="venue_edit"),
    *VENUE_FLOW.urls("venues/"),  # venues/<pk>/use|repair|close|rebuild/ → education:venue_<step>
    path("plans/", plans.pubplans, name="pubplans"),
    path("plans/new/", plans.pubplan_new, name="pubplan_new"),
    path("plans/<int:pk>/", plans.pubplan_detail, name="pubplan_detail"),
    path("plans/<int:pk>/edit/", plans.pubplan_edit, name="pubplan_edit"),
    path("coverage/", plans.coverage, name="coverage"),
]
