"""To-do items: plan tasks and meeting follow-ups that are due soon or overdue.

A task of a plan that was never issued and whose year has ended is not listed: the draft never came into
force, so its tasks are nobody's work (an issued plan's tasks stay listed until its year-end carry-over)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from fazhi.core.todo import TodoItem
from fazhi.organization.models import OPEN_TASK_STATUSES, PlanStatus
from fazhi.organization.permissions import PROGRESS_WRITE
from fazhi.organization.selectors import followups_open_for, task_list_for


def organization_todo(user, today: dt.date, horizon_days: int):
    until = today + dt.timedelta(days=horizon_days)
    for t in (task_list_for(user, roles=PROGRESS_WRITE).filter(status__in=OPEN_TASK_STATUSES, due_date__lte=until)
              .exclude(Q(plan__status=PlanStatus.DRAFT) & Q(plan__year__lt=today.year))
              .order_by("due_date")[:200]):
        why = f"《{t.plan.title}》任务，责任单位：{t.owner_unit}，当前进度{t.progress}%"
        yield TodoItem("年度计划", f"{t.title}", t.due_date, reverse("organization:task_detail", args=[t.pk]), why)
    for f in followups_open_for(user, roles=PROGRESS_WRITE).filter(due_date__lte=until).order_by("due_date")[:100]:
        yield TodoItem("专题会议", f"落实：{f.content}", f.due_date,
                       reverse("organization:meeting_detail", args=[f.meeting_id]),
                       f"{f.meeting.date:%Y-%m-%d}《{f.meeting.title}》议定，责任：{f.owner}")
