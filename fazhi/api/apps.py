from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fazhi.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self):
        from fazhi.core.nav import NavItem, register

        register(NavItem("接口令牌", "api:tokens", group="工具", order=820))
