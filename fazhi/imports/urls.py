from django.urls import path

from fazhi.imports import county, views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    # the ledger is a query parameter (?ledger=disputes): these are not object URLs, every user has the same
    path("template/", views.template, name="template"),
    path("upload/", views.upload, name="upload"),
    path("export/", views.export_ledger, name="export"),
    path("report/", views.report, name="report"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("county/", county.county, name="county"),
]
