from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "fazhi.organization"
    label = "organization"
    verbose_name = "组织领导"
