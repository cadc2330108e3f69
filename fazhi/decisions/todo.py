"""To-do providers: due opinions for counsel; reviews, consultations and replies for township staff."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fazhi.core.calendar import Deadline, fmt_date
from fazhi.core.scope import has_role
from fazhi.core.todo import TodoItem
from fazhi.decisions.deadlines import reply_deadline, review_period
from fazhi.decisions.models import DecisionSettings, DecisionStatus, LitigationStatus, OpinionStatus
from fazhi.decisions.permissions import COUNSEL_ROLES, WRITE_ROLES
from fazhi.decisions.selectors import decision_list_for, litigation_list_for, opinion_list_for

MODULE = "依法决策"


def counsel_todo(user, today: dt.date, horizon_days: int):
    """Opinions a counsel owes: only the requests sent to this counsel."""
    if not has_role(user, COUNSEL_ROLES):
        return []
    limit = today + dt.timedelta(days=horizon_days)
    qs = opinion_list_for(user).filter(counsel__user=user, status=OpinionStatus.SENT, due_on__lte=limit)
    return [TodoItem(MODULE, f"出具法律意见：{o.subject_label}", o.due_on,
                     reverse("decisions:opinion_detail", args=[o.pk]),
                     f"{fmt_date(o.asked_on)}提出，要求于{fmt_date(o.due_on)}前回复。")
            for o in qs.order_by("due_on")[:50]]


def staff_todo(user, today: dt.date, horizon_days: int):
    if not has_role(user, WRITE_ROLES):
        return []
    limit = today + dt.timedelta(days=horizon_days)
    items: list[TodoItem] = []
    settings_cache: dict[int, DecisionSettings] = {}

    def settings_for(township):
        if township.pk not in settings_cache:
            settings_cache[township.pk] = DecisionSettings.for_township(township)
        return settings_cache[township.pk]

    decisions = decision_list_for(user).filter(status__in=[DecisionStatus.RISK_ASSESSMENT, DecisionStatus.STARTED])
    for d in decisions.filter(status=DecisionStatus.RISK_ASSESSMENT, review_submitted_on__isnull=False,
                              review_result="")[:50]:
        period = review_period(d, settings_for(d.township))
        if period.due <= limit:
            items.append(TodoItem.from_deadline(MODULE, f"合法性审查意见：{d.title}", period,
                                                reverse("decisions:detail", args=[d.pk])))
    for d in decisions.filter(status=DecisionStatus.STARTED, comment_end__isnull=False,
                              comment_end__lte=limit)[:50]:
        items.append(TodoItem(MODULE, f"征求意见期满，审核意见并公布采纳情况：{d.title}", d.comment_end,
                              reverse("decisions:detail", args=[d.pk]),
                              f"征求意见截止于{fmt_date(d.comment_end)}。"))
    for c in litigation_list_for(user).filter(status=LitigationStatus.RECEIVED)[:50]:
        deadline: Deadline = reply_deadline(c, settings_for(c.township))
        if deadline.due <= limit:
            what = "行政复议答复" if c.kind == "reconsideration" else "行政应诉答辩状"
            items.append(TodoItem.from_deadline(MODULE, f"提交{what}：{c.case_no}", deadline,
                                                reverse("decisions:litigation_detail", args=[c.pk])))
    return items
