from django.apps import AppConfig


class HelpConfig(AppConfig):
    name = "fazhi.help"
    label = "help"
    verbose_name = "使用帮助"

    def ready(self):
        from fazhi.core.nav import NavItem, register

        register(NavItem("使用帮助", "help:index", group="工具", order=899))
