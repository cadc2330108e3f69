from django.urls import path

from fazhi.reports.views import annual, dashboards

app_name = "reports"
urlpatterns = [
    path("", dashboards.township_dashboard, name="dashboard"),
    path("county/", dashboards.county_dashboard, name="county"),
    path("county/export.docx", dashboards.county_export, name="county_export"),
    path("annual/", annual.annual_index, name="annual_index"),
    path("annual/<str:code>/<int:year>/", annual.annual, name="annual"),
    path("annual/<str:code>/<int:year>/sign-date/", annual.sign_date, name="sign_date"),
    path("annual/<str:code>/<int:year>/history/", annual.history, name="history"),
    path("annual/<str:code>/<int:year>/export.docx", annual.export_docx, name="export_docx"),
    path("annual/<str:code>/<int:year>/export.pdf", annual.export_pdf, name="export_pdf"),
    path("annual/<str:code>/<int:year>/p/<slug:key>/", annual.paragraph, name="paragraph"),
]
