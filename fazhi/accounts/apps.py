from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fazhi.accounts"
    label = "accounts"
    verbose_name = "用户与权限"

    def ready(self):
        from fazhi.accounts.roles import Role
        from fazhi.core.nav import NavItem, register

        register(NavItem("用户管理", "accounts:user_list", roles={Role.ADMIN}, group="系统", order=900))
