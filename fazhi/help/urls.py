from django.urls import path

from fazhi.help import views

app_name = "help"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.topic, name="topic"),
]
