from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "fazhi.disclosure"
    label = "disclosure"
    verbose_name = "政务公开"

    def ready(self):
        from fazhi.core import nav, todo
        from fazhi.disclosure.permissions import CATALOGUE_ROLES, READ_ROLES, SETTINGS_ROLES
        from fazhi.disclosure.todo import disclosure_todo

        staff = READ_ROLES
        nav.register(
            nav.NavItem("主动公开", "disclosure:items", roles=staff, group="政务公开", order=400),
            nav.NavItem("依申请公开", "disclosure:requests", roles=staff, group="政务公开", order=401),
            nav.NavItem("超期台账", "disclosure:overdue", roles=staff, group="政务公开", order=402),
            nav.NavItem("年度报告", "disclosure:annual", roles=staff, group="政务公开", order=403),
            nav.NavItem("公开设置", "disclosure:settings", roles=SETTINGS_ROLES, group="政务公开",
                        order=404),
            nav.NavItem("公开类目", "disclosure:categories", roles=CATALOGUE_ROLES, group="政务公开", order=405),
            nav.NavItem("公众门户", "portal:index", roles=staff, group="政务公开", order=406),
        )
        todo.register_provider(disclosure_todo)
        _register_search()


def _register_search():
    from django.urls import reverse

    from fazhi.core import search_index
    from fazhi.disclosure.models import DisclosureItem, InfoRequest
    from fazhi.disclosure.permissions import READ_ROLES

    search_index.register(InfoRequest, ["tracking_no", "applicant_name", "description"], label="依申请公开",
                          read_roles=READ_ROLES, url=lambda r: reverse("disclosure:request_detail", args=[r.pk]),
                          ledger="disclosure:requests", order=40)
    search_index.register(DisclosureItem, ["title", "summary", "body", "doc_number"], label="主动公开",
                          read_roles=READ_ROLES, url=lambda i: reverse("disclosure:item_detail", args=[i.pk]),
                          ledger="disclosure:items", order=41)
