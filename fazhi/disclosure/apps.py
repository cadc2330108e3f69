from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "fazhi.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"

    def ready(self):
        from fazhi.accounts.roles import Role
        from fazhi.core import nav, todo
        from fazhi.disclosure.todo import disclosure_todo

        staff = {Role.LEADER, Role.LEGAL_STAFF, Role.ADMIN, Role.SUPERVISOR}
        nav.register(
            nav.NavItem("主动公开", "disclosure:items", roles=staff, group="政务公开", order=400),
            nav.NavItem("依申请公开", "disclosure:requests", roles=staff, group="政务公开", order=401),
            nav.NavItem("超期台账", "disclosure:overdue", roles=staff, group="政务公开", order=402),
            nav.NavItem("年度报告", "disclosure:annual", roles=staff, group="政务公开", order=403),
            nav.NavItem("公开设置", "disclosure:settings", roles={Role.ADMIN, Role.LEGAL_STAFF}, group="政务公开",
                        order=404),
            nav.NavItem("公开类目", "disclosure:categories", roles={Role.ADMIN}, group="政务公开", order=405),
            nav.NavItem("公众门户", "portal:index", roles=staff, group="政务公开", order=406),
        )
        todo.register_provider(disclosure_todo)
