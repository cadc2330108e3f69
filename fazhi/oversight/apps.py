from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "fazhi.oversight"
    label = "oversight"
    verbose_name = "县级执法监督"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.oversight import permissions, selectors

        group = "执法监督"
        register(
            NavItem("案卷评查", "oversight:rounds", roles=permissions.COUNTY_READ, group=group, order=900),
            NavItem("督办整改", "oversight:notices", roles=permissions.ANY_READ, group=group, order=901),
            NavItem("法治考评", "oversight:assessment", roles=permissions.COUNTY_READ, group=group, order=902),
            NavItem("评查标准", "oversight:standards", roles=permissions.COUNTY_READ, group=group, order=903),
            NavItem("本乡镇评查结果", "oversight:my_results", roles=permissions.TOWNSHIP_READ, group=group,
                    order=904),
        )
        register_provider(selectors.todo_provider)
