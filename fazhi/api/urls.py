from django.urls import path

from fazhi.api import views

app_name = "api"
urlpatterns = [
    path("v1/openapi.json", views.schema, name="schema"),
    path("v1/me", views.me, name="me"),
    path("v1/townships", views.townships, name="townships"),
    path("v1/townships/<str:code>/stats/<int:year>", views.township_stats, name="township_stats"),
    path("v1/todo", views.todo, name="todo"),
    path("tokens/", views.tokens, name="tokens"),
]
