from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "fazhi.field"
    label = "field"
    verbose_name = "离线现场登记"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.field import permissions

        register(
            NavItem("现场登记纠纷（离线）", "field:dispute", roles=permissions.DISPUTE_ROLES, group="矛盾纠纷", order=608),
            NavItem("现场登记排查（离线）", "field:screening", roles=permissions.SCREENING_ROLES, group="矛盾纠纷",
                    order=609),
            NavItem("现场登记巡查（离线）", "field:inspection", roles=permissions.INSPECTION_ROLES, group="行政执法",
                    order=404),
            NavItem("现场登记普法活动（离线）", "field:event", roles=permissions.EVENT_ROLES, group="学法普法", order=128),
        )
