from django.urls import path

from fazhi.mediation import application_views, views, views_more

app_name = "mediation"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    *[path(f"<int:pk>/{a}/", views.action, {"action": a}, name=a) for a in views.ACTIONS],
    path("<int:pk>/doc/<str:kind>/", views_more.document, name="document"),
    path("screening/", views_more.screening, name="screening"),
    path("overdue/", views_more.overdue, name="overdue"),
    path("stats/", views_more.stats, name="stats"),
    path("petitions/", views_more.petitions, name="petitions"),
    path("petitions/new/", views_more.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views_more.petition_detail, name="petition_detail"),
    path("committees/", views_more.committees, name="committees"),
    path("committees/<int:pk>/mediator/", views_more.mediator_add, name="mediator_add"),
    path("catalogue/", views_more.catalogue, name="catalogue"),
    path("applications/", application_views.application_list, name="applications"),
    path("applications/<int:pk>/", application_views.application_detail, name="application_detail"),
    path("applications/<int:pk>/accept/", application_views.application_accept, name="application_accept"),
    path("applications/<int:pk>/decline/", application_views.application_decline, name="application_decline"),
    path("applications/<int:pk>/photo/<int:photo>/", application_views.application_photo, name="application_photo"),
]
