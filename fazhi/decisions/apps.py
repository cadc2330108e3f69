from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "fazhi.decisions"
    label = "decisions"
    verbose_name = "依法决策"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.decisions import permissions as p
        from fazhi.decisions.todo import counsel_todo, staff_todo

        group = "依法决策"
        register(
            NavItem("重大决策", "decisions:list", roles=p.READ_ROLES, group=group, order=300),
            NavItem("决策目录", "decisions:catalogues", roles=p.READ_ROLES, group=group, order=301),
            NavItem("法律意见", "decisions:opinions", roles=p.OPINION_READ_ROLES, group=group, order=302),
            NavItem("法律顾问", "decisions:counsel_list", roles=p.READ_ROLES, group=group, order=303),
            NavItem("复议应诉", "decisions:litigation_list", roles=p.READ_ROLES, group=group, order=304),
            NavItem("决策统计", "decisions:stats", roles=p.READ_ROLES, group=group, order=305),
            NavItem("决策设置", "decisions:settings", roles=p.SETTINGS_ROLES, group=group, order=306),
        )
        register_provider(counsel_todo)
        register_provider(staff_todo)
        _register_search(p)


def _register_search(p):
    from django.urls import reverse

    from fazhi.core import search_index
    from fazhi.decisions.models import Decision, Litigation

    search_index.register(Decision, ["title", "number", "lead_unit", "description"], label="重大行政决策",
                          read_roles=p.READ_ROLES, url=lambda d: reverse("decisions:detail", args=[d.pk]),
                          ledger="decisions:list", order=30)
    search_index.register(Litigation, ["case_no", "claimant", "subject", "organ"], label="行政复议与应诉",
                          read_roles=p.READ_ROLES, url=lambda x: reverse("decisions:litigation_detail", args=[x.pk]),
                          ledger="decisions:litigation_list", order=31)
