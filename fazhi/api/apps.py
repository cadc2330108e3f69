from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fazhi.api"
    label = "api"
    verbose_name = "数据接口"

    def ready(self):
        from fazhi.accounts.roles import Role
        from fazhi.core.nav import NavItem, register

        # Who uses the API: county systems (督查, admin) and the field app (执法队员, 调解员).
        api_roles = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.OFFICER, Role.MEDIATOR})
        register(NavItem("接口令牌", "api:tokens", roles=api_roles, group="工具", order=820))
