app_name = "organization"
urlpatterns: list = []
