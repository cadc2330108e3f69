from django.urls import path

from fazhi.mediation.views import applications, committees, disputes, petitions, screenings, stats
from fazhi.mediation.workflow import (
    APPLICATION_FLOW,
    DISPUTE_FLOW,
    PETITION_FLOW,
    accepted_dispute_url,
    next_signature_url,
    step_urls,
)

app_name = "mediation"
urlpatterns = [
    path("", disputes.ledger, name="ledger"),
    path("new/", disputes.create, name="create"),
    path("bulk/start/", disputes.bulk_start, name="bulk_start"),
    path("<int:pk>/", disputes.detail, name="detail"),
    *step_urls(DISPUTE_FLOW, "", {"sign": next_signature_url}),  # <pk>/<step>/ → mediation:dispute_<step>
    path("<int:pk>/doc/<str:kind>/", disputes.document, name="document"),
    path("screening/", screenings.screening, name="screening"),
    path("screening/bulk/", screenings.screening_bulk, name="screening_bulk"),
    path("overdue/", stats.overdue, name="overdue"),
    path("stats/", stats.stats, name="stats"),
    path("petitions/", petitions.petitions, name="petitions"),
    path("petitions/new/", petitions.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", petitions.petition_detail, name="petition_detail"),
    *PETITION_FLOW.urls("petitions/"),
    path("committees/", committees.committees, name="committees"),
    path("committees/<int:pk>/mediator/", committees.mediator_add, name="mediator_add"),
    path("catalogue/", committees.catalogue, name="catalogue"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application_detail"),
    *step_urls(APPLICATION_FLOW, "applications/", {"accept": accepted_dispute_url}),
    path("applications/<int:pk>/photo/<int:photo>/", applications.application_photo, name="application_photo"),
]
