"""To-do items: “谁执法谁普法” obligations due soon that no publicity event has fulfilled yet, and the
publicity plan's quarterly pace (planned campaigns not yet held by the end of each quarter)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F
from django.urls import reverse

from fazhi.core.todo import TodoItem
from fazhi.education.models import EventFormat, PublicityEvent
from fazhi.education.permissions import STUDY_WRITE
from fazhi.education.selectors import pubplan_list_for


def _quarter_end(d: dt.date) -> dt.date:
    q_last_month = ((d.month - 1) // 3 + 1) * 3
    nxt = dt.date(d.year + (q_last_month == 12), q_last_month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def education_todo(user, today: dt.date, horizon_days: int):
    from fazhi.organization.models import DutyObligation

    until = today + dt.timedelta(days=horizon_days)
    obligations = (DutyObligation.objects.visible_to(user, roles=STUDY_WRITE)
                   .filter(due_date__isnull=False, due_date__lte=until,
                           duty_list__year__gte=today.year)  # a year that has ended is history, not a to-do
                   .annotate(n=Count("events")).filter(n__lt=F("target_events"))
                   .select_related("duty_list").order_by("due_date")[:100])
    for o in obligations:
        yield TodoItem("普法责任", f"{o.duty_list.unit}：{o.content}", o.due_date,
                       reverse("organization:duty_detail", args=[o.duty_list_id]),
                       f"应开展{o.target_events}次，已关联{o.n}次普法活动")
    # The plan's campaigns spread evenly over the year: by each quarter's end a quarter of them is due.
    qend = _quarter_end(today)
    if (qend - today).days > horizon_days:
        return
    for plan in pubplan_list_for(user).filter(year=today.year, planned_events__gt=0,
                                              township__in=_write_townships(user)):
        due_by_now = -(-plan.planned_events * qend.month // 12)
        held = PublicityEvent.objects.filter(township=plan.township, date__year=today.year,
                                             format=EventFormat.CAMPAIGN).count()
        if held < due_by_now:
            yield TodoItem("普法计划", f"集中宣传进度滞后：计划至本季度末{due_by_now}次，已开展{held}次",
                           qend, reverse("education:pubplan_detail", args=[plan.pk]),
                           f"《{plan.title}》全年计划{plan.planned_events}次，按季度均衡推进")


def _write_townships(user):
    from fazhi.core.scope import townships_for

    return townships_for(user, STUDY_WRITE)
