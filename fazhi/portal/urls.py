from django.urls import path

from fazhi.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("font/", views.font, name="font"),
    path("status/", views.status, name="status"),
    path("mediation/status/", views.mediation_status, name="mediation_status"),
    path("t/<str:code>/mediation/", views.mediation_apply, name="mediation_apply"),
    path("t/<str:code>/mediation/done/", views.mediation_done, name="mediation_done"),
    path("t/<str:code>/", views.township_home, name="township"),
    path("t/<str:code>/catalogue/", views.catalogue, name="catalogue"),
    path("t/<str:code>/c/<int:category>/", views.category, name="category"),
    path("t/<str:code>/i/<int:pk>/", views.item, name="item"),
    path("t/<str:code>/a/<int:pk>/", views.attachment, name="attachment"),
    path("t/<str:code>/search/", views.search, name="search"),
    path("t/<str:code>/request/", views.request_form, name="request"),
    path("t/<str:code>/request/done/", views.request_done, name="request_done"),
    path("t/<str:code>/enforcement/", views.enforcement, name="enforcement"),
    path("t/<str:code>/enforcement/prior/", views.enforcement_prior, name="enforcement_prior"),
    path("t/<str:code>/enforcement/inspections/", views.enforcement_inspections, name="enforcement_inspections"),
    path("t/<str:code>/enforcement/<int:pk>/", views.enforcement_detail, name="enforcement_detail"),
    path("t/<str:code>/consultations/", views.consultations, name="consultations"),
]
