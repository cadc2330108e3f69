from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "fazhi.field"
    label = "field"
    verbose_name = "离线现场登记"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.field import permissions

        register(NavItem("离线现场登记", "field:dispute", roles=permissions.DISPUTE_ROLES, group="矛盾纠纷", order=608))
