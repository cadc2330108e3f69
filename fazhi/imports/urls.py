from django.urls import path

from fazhi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/template/", views.template, name="template"),
    path("<slug:key>/", views.upload, name="upload"),
    path("reports/<str:name>", views.report, name="report"),
]
