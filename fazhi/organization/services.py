"""Writes of the organization app. Every service checks the actor's right to act in the township
(permissions.py), validates, saves, and records the change in the audit chain (fazhi.core.writes); all
are atomic. The plan's and tasks' status changes, progress reports and the year-end carry-over are
steps of workflow.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from fazhi.audit.services import audit_record, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited, set_fields
from fazhi.organization.models import (
    AnnualPlan,
    BudgetLine,
    BudgetSpend,
    DutyList,
    DutyObligation,
    FollowUp,
    GroupMember,
    LeadingGroup,
    NextStepItem,
    PlanStatus,
    PlanTask,
    TaskStatus,
    TopicMeeting,
)
from fazhi.organization.permissions import ORG_WRITE, PROGRESS_WRITE
from fazhi.organization.workflow import check_plan_open

# What an edit may change (each from its form); anything else is refused by set_fields.
GROUP_FIELDS = ("year", "name", "document_no", "established_on", "office", "duties")
MEETING_FIELDS = ("date", "title", "place", "chair", "attendees", "agenda", "minutes", "decisions")
PLAN_FIELDS = ("year", "title", "document_no", "issued_on", "summary")
TASK_FIELDS = ("seq", "area", "title", "description", "owner_unit", "owner_person", "due_date", "priority")
BUDGET_FIELDS = ("year", "subject", "amount", "source", "note")
DUTY_FIELDS = ("year", "unit", "person", "village", "laws")


def _edit(actor, obj, fields: dict, allowed, reason: str = ""):
    """Change the stored row (a bound ModelForm has already written the new values onto `obj`), audited."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = snapshot(obj, list(fields))
    set_fields(obj, fields, allowed)
    return save_audited(obj, actor=actor, before=before, reason=reason)


# --- leading group -----------------------------------------------------------------------------

@transaction.atomic
def group_create(*, actor, township, year: int, copy_previous: bool = True, **fields) -> LeadingGroup:
    """A year's leading group; by default the previous year's serving members carry over."""
    require_role(actor, township, ORG_WRITE)
    if LeadingGroup.objects.filter(township=township, year=year).exists():
        raise DomainError(f"{year}年的领导小组已存在。")
    group = save_audited(LeadingGroup(township=township, year=year, **fields), actor=actor)
    if copy_previous:
        prev = LeadingGroup.objects.filter(township=township, year__lt=year).order_by("-year").first()
        if prev:
            for m in prev.members.filter(left_on__isnull=True):
                save_audited(GroupMember(township=township, group=group, group_role=m.group_role, name=m.name,
                                         post=m.post, order=m.order, joined_on=m.joined_on),
                             actor=actor, reason=f"沿用{prev.year}年领导小组成员")
    return group


@transaction.atomic
def group_update(*, actor, group: LeadingGroup, **fields) -> LeadingGroup:
    require_role(actor, group.township, ORG_WRITE)
    return _edit(actor, group, fields, GROUP_FIELDS)


@transaction.atomic
def member_add(*, actor, group: LeadingGroup, group_role: str, post: str, name: str = "", order: int = 100,
               joined_on: dt.date | None = None, change_reason: str = "") -> GroupMember:
    require_role(actor, group.township, ORG_WRITE)
    if not (post or "").strip():
        raise DomainError("请填写成员职务或岗位。")
    return save_audited(GroupMember(township=group.township, group=group, group_role=group_role, name=name.strip(),
                                    post=post.strip(), order=order, joined_on=joined_on, change_reason=change_reason),
                        actor=actor, reason=change_reason)


@transaction.atomic
def member_leave(*, actor, member: GroupMember, left_on: dt.date, reason: str) -> GroupMember:
    """A member leaves (job change): the row stays with its end date, so the group's history is kept."""
    require_role(actor, member.township, ORG_WRITE)
    member = GroupMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on:
        raise DomainError("该成员已退出领导小组。")
    if not (reason or "").strip():
        raise DomainError("请填写变动原因。")
    if member.joined_on and left_on < member.joined_on:
        raise DomainError("退出日期不能早于加入日期。")
    return _edit(actor, member, {"left_on": left_on, "change_reason": reason.strip()}, ("left_on", "change_reason"),
                 reason=reason)


# --- topic meetings ---------------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, actor, township, **fields) -> TopicMeeting:
    require_role(actor, township, ORG_WRITE)
    if not any(line.strip() for line in (fields.get("attendees") or "").splitlines()):
        raise DomainError("请填写参会人员。")
    return save_audited(TopicMeeting(township=township, **fields), actor=actor)


@transaction.atomic
def meeting_update(*, actor, meeting: TopicMeeting, **fields) -> TopicMeeting:
    require_role(actor, meeting.township, ORG_WRITE)
    return _edit(actor, meeting, fields, MEETING_FIELDS)


@transaction.atomic
def followup_add(*, actor, meeting: TopicMeeting, content: str, owner: str, due_date: dt.date) -> FollowUp:
    require_role(actor, meeting.township, ORG_WRITE)
    if due_date < meeting.date:
        raise DomainError("完成时限不能早于会议日期。")
    return save_audited(FollowUp(township=meeting.township, meeting=meeting, content=content, owner=owner,
                                 due_date=due_date), actor=actor)


@transaction.atomic
def followup_complete(*, actor, followup: FollowUp, done_on: dt.date, result: str) -> FollowUp:
    require_role(actor, followup.township, PROGRESS_WRITE)
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done_on:
        raise DomainError("该事项已办结。")
    if done_on > dt.date.today():
        raise DomainError("完成日期不能晚于今天。")
    if not (result or "").strip():
        raise DomainError("请填写落实情况。")
    return _edit(actor, followup, {"done_on": done_on, "result": result.strip()}, ("done_on", "result"))


# --- annual plan and tasks --------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor, township, year: int, title: str, **fields) -> AnnualPlan:
    require_role(actor, township, ORG_WRITE)
    if AnnualPlan.objects.filter(township=township, year=year).exists():
        raise DomainError(f"{year}年度工作计划已存在。")
    return save_audited(AnnualPlan(township=township, year=year, title=title, **fields), actor=actor)


@transaction.atomic
def plan_update(*, actor, plan: AnnualPlan, **fields) -> AnnualPlan:
    plan = AnnualPlan.objects.get(pk=plan.pk)
    require_role(actor, plan.township, ORG_WRITE)
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("该计划已年终结转，不能再修改。")
    if "year" in fields and fields["year"] != plan.year:
        raise DomainError("计划年度不能修改。")
    return _edit(actor, plan, fields, PLAN_FIELDS)


@transaction.atomic
def task_create(*, actor, plan: AnnualPlan, **fields) -> PlanTask:
    require_role(actor, plan.township, ORG_WRITE)
    check_plan_open(plan)
    due = fields.get("due_date")
    if due and due.year != plan.year:
        raise DomainError(f"完成时限应在{plan.year}年内。")
    if "seq" not in fields or not fields["seq"]:
        fields["seq"] = (plan.tasks.count() or 0) + 1
    return save_audited(PlanTask(township=plan.township, plan=plan, **fields), actor=actor)


@transaction.atomic
def task_update(*, actor, task: PlanTask, **fields) -> PlanTask:
    task = PlanTask.objects.select_related("plan").get(pk=task.pk)
    require_role(actor, task.township, ORG_WRITE)
    check_plan_open(task.plan)
    if not task.is_open and task.status != TaskStatus.DONE:
        raise DomainError("该任务已结转或取消，不能修改。")
    for f in ("progress", "status", "plan", "township"):
        fields.pop(f, None)
    due = fields.get("due_date")
    if due and due.year != task.plan.year:
        raise DomainError(f"完成时限应在{task.plan.year}年内。")
    return _edit(actor, task, fields, TASK_FIELDS)


@transaction.atomic
def next_step_add(*, actor, plan: AnnualPlan, title: str, content: str = "", area: str = "other",
                  owner_unit: str = "", seq: int | None = None) -> NextStepItem:
    require_role(actor, plan.township, ORG_WRITE)
    check_plan_open(plan)
    seq = seq or plan.next_steps.count() + 1
    return save_audited(NextStepItem(township=plan.township, plan=plan, seq=seq, area=area, title=title,
                                     content=content, owner_unit=owner_unit), actor=actor)


# --- budget -----------------------------------------------------------------------------------

@transaction.atomic
def budget_line_create(*, actor, township, year: int, subject: str, amount: Decimal, **fields) -> BudgetLine:
    require_role(actor, township, ORG_WRITE)
    if amount is None or amount <= 0:
        raise DomainError("预算金额应大于零。")
    return save_audited(BudgetLine(township=township, year=year, subject=subject, amount=amount, **fields), actor=actor)


@transaction.atomic
def budget_line_update(*, actor, line: BudgetLine, **fields) -> BudgetLine:
    require_role(actor, line.township, ORG_WRITE)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    spent = line.spends.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if "amount" in fields and fields["amount"] < spent:
        raise DomainError(f"预算金额不能低于已支出金额（{spent}元）。")
    if "year" in fields and fields["year"] != line.year and line.spends.exists():
        raise DomainError("已有支出的预算不能修改年度。")
    return _edit(actor, line, fields, BUDGET_FIELDS)


@transaction.atomic
def spend_record(*, actor, line: BudgetLine, date: dt.date, amount: Decimal, purpose: str,
                 voucher_no: str = "") -> BudgetSpend:
    require_role(actor, line.township, ORG_WRITE)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    if amount is None or amount <= 0:
        raise DomainError("支出金额应大于零。")
    if date.year != line.year:
        raise DomainError(f"支出日期应在预算年度（{line.year}年）内。")
    if date > dt.date.today():
        raise DomainError("支出日期不能晚于今天。")
    spent = line.spends.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if spent + amount > line.amount:
        raise DomainError(f"超出预算余额：该项目预算{line.amount}元，已支出{spent}元，剩余{line.amount - spent}元。")
    return save_audited(BudgetSpend(township=line.township, line=line, date=date, amount=amount,
                                    purpose=purpose, voucher_no=voucher_no), actor=actor)


# --- duty lists (谁执法谁普法) ------------------------------------------------------------------

@transaction.atomic
def duty_list_create(*, actor, township, year: int, unit: str, **fields) -> DutyList:
    require_role(actor, township, ORG_WRITE)
    if DutyList.objects.filter(township=township, year=year, unit=unit.strip()).exists():
        raise DomainError(f"{unit}{year}年的普法责任清单已存在。")
    village = fields.get("village")
    if village is not None and village.parent_id != township.pk:
        raise DomainError("所选村不属于本乡镇。")
    return save_audited(DutyList(township=township, year=year, unit=unit.strip(), **fields), actor=actor)


@transaction.atomic
def duty_list_update(*, actor, duty_list: DutyList, **fields) -> DutyList:
    duty_list = DutyList.objects.get(pk=duty_list.pk)
    require_role(actor, duty_list.township, ORG_WRITE)
    village = fields.get("village")
    if village is not None and village.parent_id != duty_list.township_id:
        raise DomainError("所选村不属于本乡镇。")
    return _edit(actor, duty_list, fields, DUTY_FIELDS)


@transaction.atomic
def obligation_add(*, actor, duty_list: DutyList, content: str, target_events: int = 1,
                   due_date: dt.date | None = None) -> DutyObligation:
    require_role(actor, duty_list.township, ORG_WRITE)
    if due_date and due_date.year != duty_list.year:
        raise DomainError(f"完成时限应在{duty_list.year}年内。")
    return save_audited(DutyObligation(township=duty_list.township, duty_list=duty_list, content=content,
                                       target_events=target_events, due_date=due_date), actor=actor)


def obligation_link_events(*, actor, obligation: DutyObligation, events) -> None:
    """Link publicity events (education app) that fulfil an obligation; same township and year only."""
    with transaction.atomic():
        require_role(actor, obligation.township, ORG_WRITE)
        events = list(events)
        for e in events:
            if e.township_id != obligation.township_id:
                raise DomainError("只能关联本乡镇的普法活动。")
            if e.date.year != obligation.duty_list.year:
                raise DomainError(f"只能关联{obligation.duty_list.year}年的普法活动。")
        before = sorted(obligation.events.values_list("pk", flat=True))
        obligation.events.set(events)
        after = sorted(e.pk for e in events)
        if before != after:
            audit_record(actor=actor, action="update", obj=obligation,
                         changes={"events": [", ".join(map(str, before)), ", ".join(map(str, after))]})
