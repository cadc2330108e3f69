from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "fazhi.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self):
        from django.db.models.signals import post_migrate

        from fazhi.core.nav import NavItem, register
        from fazhi.core.todo import register_provider
        from fazhi.enforcement.deadlines import todo_due_count_marked
        from fazhi.enforcement.permissions import CATALOGUE_WRITE, READ
        from fazhi.enforcement.selectors import todo_provider

        group = "行政执法"
        register(
            NavItem("执法案件", "enforcement:cases", roles=READ, group=group, order=400),
            NavItem("日常巡查", "enforcement:inspections", roles=READ, group=group, order=401),
            NavItem("执法人员", "enforcement:officers", roles=READ, group=group, order=402),
            NavItem("职权事项", "enforcement:powers", roles=READ, group=group, order=403),
            NavItem("逾期台账", "enforcement:overdue", roles=READ, group=group, order=404),
            NavItem("处罚公示", "enforcement:publications", roles=READ, group=group, order=405),
            NavItem("执法统计", "enforcement:stats", roles=READ, group=group, order=406),
            NavItem("法定参数", "enforcement:settings", roles=CATALOGUE_WRITE, group=group, order=407),
            NavItem("抽查计划", "enforcement:plan", roles=READ, group=group, order=408),
            NavItem("检查对象名录", "enforcement:objects", roles=READ, group=group, order=409),
            NavItem("双随机抽取", "enforcement:draws", roles=READ, group=group, order=410),
        )
        register_provider(todo_provider)
        post_migrate.connect(todo_due_count_marked, sender=self, dispatch_uid="enforcement-todo-due")
        _register_search(READ)


def _register_search(read):
    from django.urls import reverse

    from fazhi.core import search_index
    from fazhi.enforcement.models import Case, Inspection

    search_index.register(Case, ["number", "title", "party_name", "facts"], label="行政执法案件", read_roles=read,
                          url=lambda c: reverse("enforcement:case_detail", args=[c.pk]), ledger="enforcement:cases",
                          order=20)
    search_index.register(Inspection, ["place", "subject", "findings"], label="日常巡查", read_roles=read,
                          url=lambda i: reverse("enforcement:inspection_detail", args=[i.pk]),
                          ledger="enforcement:inspections", order=21)
