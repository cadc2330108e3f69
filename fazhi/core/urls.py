from django.urls import path

from fazhi.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/", views.todo, name="todo"),
    path("search/", views.search, name="search"),
    path("deadline/", views.deadline, name="deadline"),
    path("deadline/periods/", views.periods, name="periods"),
    path("admin/calendar/", views.calendar_years, name="calendar_years"),
    path("admin/calendar/edit/", views.calendar_year_edit, name="calendar_year_edit"),
    path("admin/regions/", views.regions, name="regions"),
    path("exports/<uuid:pk>/", views.export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]
