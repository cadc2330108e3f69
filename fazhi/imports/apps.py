from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "fazhi.imports"
    label = "imports"
    verbose_name = "台账导入"

    def ready(self):
        from fazhi.accounts.roles import COUNTY_ROLES
        from fazhi.core.nav import NavItem, register
        from fazhi.imports.permissions import IMPORT_ROLES

        register(NavItem("台账导入", "imports:index", roles=IMPORT_ROLES, group="设置", order=990))
        register(NavItem("数据交换（县级）", "imports:county", roles=COUNTY_ROLES, group="设置", order=991))
