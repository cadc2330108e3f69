from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "fazhi.evidence"
    label = "evidence"
    verbose_name = "执法记录证据"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.evidence.selectors import CONFIG_ROLES, READ_ROLES, WRITE_ROLES

        register(
            NavItem("执法记录证据", "evidence:list", roles=set(READ_ROLES), group="行政执法", order=330),
            NavItem("上传执法记录", "evidence:upload", roles=set(WRITE_ROLES), group="行政执法", order=331),
            NavItem("证据保存期限", "evidence:retention", roles=set(CONFIG_ROLES), group="行政执法", order=339),
        )
