from django.urls import path

from fazhi.reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("", dashboard_views.township_dashboard, name="dashboard"),
    path("county/", dashboard_views.county_dashboard, name="county"),
    path("county/export.docx", dashboard_views.county_export, name="county_export"),
    path("annual/", views.annual_index, name="annual_index"),
    path("annual/<str:code>/<int:year>/", views.annual, name="annual"),
    path("annual/<str:code>/<int:year>/sign-date/", views.sign_date, name="sign_date"),
    path("annual/<str:code>/<int:year>/history/", views.history, name="history"),
    path("annual/<str:code>/<int:year>/export.docx", views.export_docx, name="export_docx"),
    path("annual/<str:code>/<int:year>/export.pdf", views.export_pdf, name="export_pdf"),
    path("annual/<str:code>/<int:year>/p/<slug:key>/", views.paragraph, name="paragraph"),
]
