from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "fazhi.mediation"
    label = "mediation"
    verbose_name = "矛盾纠纷调处"

    def ready(self):
        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.mediation import permissions as roles
        from fazhi.mediation import selectors

        group = "矛盾纠纷"
        register(
            NavItem("纠纷台账", "mediation:ledger", roles=roles.READ_ROLES, group=group, order=600),
            NavItem("登记纠纷", "mediation:create", roles=roles.HANDLE_ROLES, group=group, order=601),
            NavItem("排查登记", "mediation:screening", roles=roles.READ_ROLES, group=group, order=602),
            NavItem("逾期台账", "mediation:overdue", roles=roles.READ_ROLES, group=group, order=603),
            NavItem("信访事项", "mediation:petitions", roles=roles.READ_ROLES - {"village_cadre"}, group=group,
                    order=604),
            NavItem("调解统计", "mediation:stats", roles=roles.TOWNSHIP_READ_ROLES, group=group, order=605),
            NavItem("网上调解申请", "mediation:applications", roles=roles.HANDLE_ROLES, group=group, order=602),
            NavItem("调解组织", "mediation:committees", roles=roles.READ_ROLES, group=group, order=606),
            NavItem("纠纷类型与参数", "mediation:catalogue", roles=roles.CATALOGUE_ROLES, group=group, order=607),
        )
        register_provider(selectors.todo_provider)
        register_provider(selectors.application_todo)
        _register_search(roles)


def _register_search(roles):
    from django.urls import reverse

    from fazhi.core import search_index
    from fazhi.mediation.models import Dispute, Petition

    search_index.register(Dispute, ["number", "summary"], label="矛盾纠纷", read_roles=roles.READ_ROLES,
                          url=lambda d: reverse("mediation:detail", args=[d.pk]), ledger="mediation:ledger", order=10)
    search_index.register(Petition, ["number", "petitioner", "content"], label="信访事项", read_roles=roles.READ_ROLES,
                          url=lambda p: reverse("mediation:petition_detail", args=[p.pk]), ledger="mediation:petitions",
                          order=11)
