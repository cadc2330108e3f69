from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "fazhi.organization"
    label = "organization"
    verbose_name = "组织领导"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.organization.permissions import ORG_READ
        from fazhi.organization.todo import organization_todo

        g = "组织领导"
        register(
            NavItem("领导小组", "organization:groups", roles=ORG_READ, group=g, order=100),
            NavItem("专题研究部署", "organization:meetings", roles=ORG_READ, group=g, order=101),
            NavItem("年度工作计划", "organization:plans", roles=ORG_READ, group=g, order=102),
            NavItem("计划任务", "organization:tasks", roles=ORG_READ, group=g, order=103),
            NavItem("经费预算", "organization:budget", roles=ORG_READ, group=g, order=104),
            NavItem("普法责任清单", "organization:duties", roles=ORG_READ, group=g, order=105),
        )
        register_provider(organization_todo)
