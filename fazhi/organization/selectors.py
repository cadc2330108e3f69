"""Reads of the organization app, always through the user's scope (or by township for statistics)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from fazhi.organization.models import (
    GROUP_ROLE_ORDER,
    OPEN_TASK_STATUSES,
    AnnualPlan,
    BudgetLine,
    BudgetSpend,
    DutyList,
    DutyObligation,
    FollowUp,
    GroupMember,
    LeadingGroup,
    PlanTask,
    TaskStatus,
    TopicMeeting,
)
from fazhi.organization.permissions import ORG_READ


def group_list_for(user):
    return LeadingGroup.objects.visible_to(user, roles=ORG_READ).select_related("township").annotate(
        member_count=Count("members", filter=Q(members__left_on__isnull=True)))


def members_of(group):
    return sorted(group.members.all(), key=lambda m: (m.left_on is not None, GROUP_ROLE_ORDER.get(m.group_role, 9),
                                                      m.order, m.id))


def meeting_list_for(user):
    return TopicMeeting.objects.visible_to(user, roles=ORG_READ).select_related("township").annotate(
        follow_up_count=Count("follow_ups"))


def plan_list_for(user):
    return AnnualPlan.objects.visible_to(user, roles=ORG_READ).select_related("township").annotate(
        task_count=Count("tasks"), done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)))


def task_list_for(user, roles=ORG_READ):
    return PlanTask.objects.visible_to(user, roles=roles).select_related("plan", "township")


def budget_list_for(user):
    spent = (BudgetSpend.objects.filter(line=OuterRef("pk")).values("line")
             .annotate(s=Sum("amount")).values("s"))
    return BudgetLine.objects.visible_to(user, roles=ORG_READ).select_related("township").annotate(
        spent=Coalesce(Subquery(spent), Value(Decimal("0"))))


def duty_list_for(user):
    return DutyList.objects.visible_to(user, roles=ORG_READ).select_related("township", "village").annotate(
        obligation_count=Count("obligations"))


def obligations_with_progress(qs):
    """Obligations annotated with the number of publicity events linked to them and whether that is enough."""
    return qs.annotate(event_count=Count("events", distinct=True))


def obligation_choices(township, year):
    """Open duty obligations of a township-year, for the publicity event form."""
    return (DutyObligation.objects.filter(township=township, duty_list__year=year)
            .select_related("duty_list").order_by("duty_list__unit", "id"))


def followups_open_for(user, roles=ORG_READ):
    return FollowUp.objects.visible_to(user, roles=roles).filter(done_on__isnull=True).select_related("meeting")


def years_choices(request=None) -> list[tuple[int, str]]:
    this = dt.date.today().year
    return [(y, f"{y}年") for y in range(this + 1, this - 6, -1)]


class LeadingGroupMember(TypedDict):
    name: str
    post: str
    group_role: str  # the label: 顾问 / 组长 / 副组长 / 成员


class OrganizationStats(TypedDict):
    """The annual-report contract of organization (reports reads these keys)."""

    leading_group: list[LeadingGroupMember]
    plan_title: str | None
    plan_tasks: int
    plan_tasks_done: int
    plan_tasks_overdue: int
    topic_meetings: int
    budget_total: Decimal
    budget_spent: Decimal
    next_year_items: list[str]
    duty_units: int
    duty_obligations_done: int
    duty_obligations: int


def annual_stats(township, year: int, today: dt.date | None = None) -> OrganizationStats:
    """Statistics for the annual report (厅字〔2019〕28号 part 一(一) and the next year's plan)."""
    today = today or dt.date.today()
    members = list(GroupMember.objects.filter(township=township, group__year=year, left_on__isnull=True)
                   .values("name", "post", "group_role", "order", "id"))
    members.sort(key=lambda m: (GROUP_ROLE_ORDER.get(m["group_role"], 9), m["order"], m["id"]))
    role_labels = dict(GroupMember._meta.get_field("group_role").choices)
    plan_title = (AnnualPlan.objects.filter(township=township, year=year).values_list("title", flat=True).first())
    tasks = PlanTask.objects.filter(township=township, plan__year=year).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("id", filter=Q(status__in=[*OPEN_TASK_STATUSES, TaskStatus.CARRIED], due_date__lt=today)),
    )
    meetings = TopicMeeting.objects.filter(township=township, date__year=year).count()
    budget_total = BudgetLine.objects.filter(township=township, year=year).aggregate(
        s=Coalesce(Sum("amount"), Value(Decimal("0"))))["s"]
    budget_spent = BudgetSpend.objects.filter(township=township, line__year=year).aggregate(
        s=Coalesce(Sum("amount"), Value(Decimal("0"))))["s"]
    next_items = list(PlanTask.objects.filter(township=township, plan__year=year + 1)
                      .order_by("seq", "id").values_list("title", flat=True))
    duty_units = DutyList.objects.filter(township=township, year=year).count()
    linked = (DutyObligation.events.through.objects.filter(dutyobligation_id=OuterRef("pk"))
              .values("dutyobligation_id").annotate(n=Count("publicityevent_id")).values("n"))
    duty = (DutyObligation.objects.filter(township=township, duty_list__year=year)
            .annotate(n=Coalesce(Subquery(linked), Value(0)))
            .aggregate(total=Count("id"), done=Count("id", filter=Q(n__gte=F("target_events")))))
    return {
        "leading_group": [{"name": m["name"], "post": m["post"], "group_role": role_labels.get(m["group_role"], "")}
                          for m in members],
        "plan_title": plan_title,
        "plan_tasks": tasks["total"],
        "plan_tasks_done": tasks["done"],
        "plan_tasks_overdue": tasks["overdue"],
        "topic_meetings": meetings,
        "budget_total": Decimal(budget_total),
        "budget_spent": Decimal(budget_spent),
        "next_year_items": next_items,
        "duty_units": duty_units,
        "duty_obligations_done": duty["done"],
        "duty_obligations": duty["total"],
    }
