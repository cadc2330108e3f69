from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "fazhi.imports"
    label = "imports"
    verbose_name = "台账导入"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.imports.permissions import IMPORT_ROLES

        register(NavItem("台账导入", "imports:index", roles=IMPORT_ROLES, group="设置", order=990))
