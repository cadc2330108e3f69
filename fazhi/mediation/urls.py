app_name = "mediation"
urlpatterns: list = []
