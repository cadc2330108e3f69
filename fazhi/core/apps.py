from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fazhi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from fazhi.accounts.roles import Role
        from fazhi.core import validators
        from fazhi.core.calendar_todo import calendar_todo
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider

        validators.install()  # plausible dates and amounts in every form of every app

        register(
            NavItem("工作台", "core:home", order=0),
            NavItem("待办事项", "core:todo", order=1),
            NavItem("期限计算", "core:deadline", order=800, group="工具"),
            NavItem("期限依据一览", "core:periods", order=801, group="工具"),
            NavItem("节假日安排", "core:calendar_years", roles={Role.ADMIN}, group="系统", order=905),
            NavItem("行政区划", "core:regions", roles={Role.ADMIN}, group="系统", order=906),
        )
        register_provider(calendar_todo)  # admin: enter next year's holiday schedule from November
