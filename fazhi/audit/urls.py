from django.urls import path

from fazhi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entries, name="entries"),
    path("checkpoints.json", views.checkpoints_export, name="checkpoints_export"),
    path("history/<str:object_type>/<str:pk>/", views.history, name="history"),
]
