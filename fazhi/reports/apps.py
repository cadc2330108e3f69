from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fazhi.reports"
    label = "reports"
    verbose_name = "报告与统计"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.reports.permissions import COUNTY_NAV_ROLES, READ_ROLES

        group = "报告与统计"
        register(
            NavItem("工作看板", "reports:dashboard", roles=READ_ROLES, group=group, order=700),
            NavItem("全县看板", "reports:county", roles=COUNTY_NAV_ROLES, group=group, order=701),
            NavItem("法治政府建设年度报告", "reports:annual_index", roles=READ_ROLES, group=group, order=702),
        )
