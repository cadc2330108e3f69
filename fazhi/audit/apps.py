from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fazhi.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from fazhi.accounts.roles import Role
        from fazhi.core.nav import NavItem, register

        register(NavItem("审计日志", "audit:entries", roles={Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER, Role.SUPERVISOR},
                         group="系统", order=910))
