"""Writes of the organization app. Every service checks the actor's right to act in the township,
validates, saves, and records the change in the audit chain; all are atomic."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from fazhi.audit.services import audit_create, audit_record, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.files import deleted_on_error
from fazhi.core.scope import can_act_in
from fazhi.core.workflow import Workflow, transition
from fazhi.organization.models import (
    OPEN_TASK_STATUSES,
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
    PlanTransition,
    Priority,
    TaskProgress,
    TaskProof,
    TaskSource,
    TaskStatus,
    TaskTransition,
    TopicMeeting,
)
from fazhi.organization.selectors import ORG_WRITE, PROGRESS_WRITE

PLAN_WORKFLOW = Workflow(
    "年度计划",
    allowed={PlanStatus.DRAFT: {PlanStatus.ISSUED, PlanStatus.CLOSED}, PlanStatus.ISSUED: {PlanStatus.CLOSED}},
    labels=dict(PlanStatus.choices),
)
TASK_WORKFLOW = Workflow(
    "计划任务",
    allowed={
        TaskStatus.NOT_STARTED: {TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.CARRIED, TaskStatus.CANCELLED},
        TaskStatus.IN_PROGRESS: {TaskStatus.DONE, TaskStatus.CARRIED, TaskStatus.CANCELLED},
        TaskStatus.DONE: {TaskStatus.IN_PROGRESS},  # reopened when progress falls below 100%
    },
    labels=dict(TaskStatus.choices),
)
PROOF_EXTENSIONS = {"pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "wps"}
PROOF_MAX_BYTES = 20 * 1024 * 1024


def _require(actor, township, roles=ORG_WRITE) -> None:
    if not can_act_in(actor, township, roles):
        raise DomainError("您无权在该乡镇进行此操作。")


def _clean_save(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as e:
        msgs = []
        for field, errors in e.message_dict.items():
            label = obj._meta.get_field(field).verbose_name if field != "__all__" else ""
            msgs.extend(f"{label}：{m}" if label else m for m in errors)
        raise DomainError("；".join(msgs)) from None
    obj.save()


def _create(actor, obj, reason: str = ""):
    _clean_save(obj)
    audit_create(actor=actor, obj=obj, reason=reason)
    return obj


def _update(actor, obj, fields: dict, reason: str = ""):
    # Compare with the stored row: a bound ModelForm has already written the new values onto `obj`.
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    before = snapshot(obj, list(fields))
    for k, v in fields.items():
        setattr(obj, k, v)
    _clean_save(obj)
    audit_update(actor=actor, obj=obj, before=before, reason=reason)
    return obj


def _same_day_next_year(d: dt.date) -> dt.date:
    last = _cal.monthrange(d.year + 1, d.month)[1]
    return d.replace(year=d.year + 1, day=min(d.day, last))


# --- leading group -----------------------------------------------------------------------------

@transaction.atomic
def group_create(*, actor, township, year: int, copy_previous: bool = True, **fields) -> LeadingGroup:
    """A year's leading group; by default the previous year's serving members carry over."""
    _require(actor, township)
    if LeadingGroup.objects.filter(township=township, year=year).exists():
        raise DomainError(f"{year}年的领导小组已存在。")
    group = _create(actor, LeadingGroup(township=township, year=year, **fields))
    if copy_previous:
        prev = LeadingGroup.objects.filter(township=township, year__lt=year).order_by("-year").first()
        if prev:
            for m in prev.members.filter(left_on__isnull=True):
                _create(actor, GroupMember(township=township, group=group, group_role=m.group_role, name=m.name,
                                           post=m.post, order=m.order, joined_on=m.joined_on),
                        reason=f"沿用{prev.year}年领导小组成员")
    return group


@transaction.atomic
def group_update(*, actor, group: LeadingGroup, **fields) -> LeadingGroup:
    _require(actor, group.township)
    return _update(actor, group, fields)


@transaction.atomic
def member_add(*, actor, group: LeadingGroup, group_role: str, post: str, name: str = "", order: int = 100,
               joined_on: dt.date | None = None, change_reason: str = "") -> GroupMember:
    _require(actor, group.township)
    if not (post or "").strip():
        raise DomainError("请填写成员职务或岗位。")
    return _create(actor, GroupMember(township=group.township, group=group, group_role=group_role, name=name.strip(),
                                      post=post.strip(), order=order, joined_on=joined_on,
                                      change_reason=change_reason), reason=change_reason)


@transaction.atomic
def member_leave(*, actor, member: GroupMember, left_on: dt.date, reason: str) -> GroupMember:
    """A member leaves (job change): the row stays with its end date, so the group's history is kept."""
    _require(actor, member.township)
    member = GroupMember.objects.select_for_update().get(pk=member.pk)
    if member.left_on:
        raise DomainError("该成员已退出领导小组。")
    if not (reason or "").strip():
        raise DomainError("请填写变动原因。")
    if member.joined_on and left_on < member.joined_on:
        raise DomainError("退出日期不能早于加入日期。")
    return _update(actor, member, {"left_on": left_on, "change_reason": reason.strip()}, reason=reason)


# --- topic meetings ---------------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, actor, township, **fields) -> TopicMeeting:
    _require(actor, township)
    if not any(line.strip() for line in (fields.get("attendees") or "").splitlines()):
        raise DomainError("请填写参会人员。")
    return _create(actor, TopicMeeting(township=township, **fields))


@transaction.atomic
def meeting_update(*, actor, meeting: TopicMeeting, **fields) -> TopicMeeting:
    _require(actor, meeting.township)
    return _update(actor, meeting, fields)


@transaction.atomic
def followup_add(*, actor, meeting: TopicMeeting, content: str, owner: str, due_date: dt.date) -> FollowUp:
    _require(actor, meeting.township)
    if due_date < meeting.date:
        raise DomainError("完成时限不能早于会议日期。")
    return _create(actor, FollowUp(township=meeting.township, meeting=meeting, content=content, owner=owner,
                                   due_date=due_date))


@transaction.atomic
def followup_complete(*, actor, followup: FollowUp, done_on: dt.date, result: str) -> FollowUp:
    _require(actor, followup.township, PROGRESS_WRITE)
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if followup.done_on:
        raise DomainError("该事项已办结。")
    if done_on > dt.date.today():
        raise DomainError("完成日期不能晚于今天。")
    if not (result or "").strip():
        raise DomainError("请填写落实情况。")
    return _update(actor, followup, {"done_on": done_on, "result": result.strip()})


# --- annual plan and tasks --------------------------------------------------------------------

@transaction.atomic
def plan_create(*, actor, township, year: int, title: str, **fields) -> AnnualPlan:
    _require(actor, township)
    if AnnualPlan.objects.filter(township=township, year=year).exists():
        raise DomainError(f"{year}年度工作计划已存在。")
    return _create(actor, AnnualPlan(township=township, year=year, title=title, **fields))


@transaction.atomic
def plan_update(*, actor, plan: AnnualPlan, **fields) -> AnnualPlan:
    plan = AnnualPlan.objects.get(pk=plan.pk)
    _require(actor, plan.township)
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("该计划已年终结转，不能再修改。")
    if "year" in fields and fields["year"] != plan.year:
        raise DomainError("计划年度不能修改。")
    return _update(actor, plan, fields)


def plan_transition(*, actor, plan: AnnualPlan, to: str, reason: str = "", expected_status: str | None = None):
    _require(actor, plan.township)

    def needs_tasks(p):
        if to == PlanStatus.ISSUED and not p.tasks.exists():
            raise DomainError("计划尚无任务，不能印发。请先分解年度任务。")
        if to == PlanStatus.ISSUED and not p.issued_on:
            raise DomainError("请先填写印发日期。")

    return transition(plan, workflow=PLAN_WORKFLOW, to=to, actor=actor, record_model=PlanTransition,
                      record_fk="plan", reason=reason, guards=[needs_tasks], expected_status=expected_status)


def _check_plan_open(plan: AnnualPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("该计划已年终结转，任务不能再变动。")


@transaction.atomic
def task_create(*, actor, plan: AnnualPlan, **fields) -> PlanTask:
    _require(actor, plan.township)
    _check_plan_open(plan)
    due = fields.get("due_date")
    if due and due.year != plan.year:
        raise DomainError(f"完成时限应在{plan.year}年内。")
    if "seq" not in fields or not fields["seq"]:
        fields["seq"] = (plan.tasks.count() or 0) + 1
    return _create(actor, PlanTask(township=plan.township, plan=plan, **fields))


@transaction.atomic
def task_update(*, actor, task: PlanTask, **fields) -> PlanTask:
    task = PlanTask.objects.select_related("plan").get(pk=task.pk)
    _require(actor, task.township)
    _check_plan_open(task.plan)
    if not task.is_open and task.status != TaskStatus.DONE:
        raise DomainError("该任务已结转或取消，不能修改。")
    for f in ("progress", "status", "plan", "township"):
        fields.pop(f, None)
    due = fields.get("due_date")
    if due and due.year != task.plan.year:
        raise DomainError(f"完成时限应在{task.plan.year}年内。")
    return _update(actor, task, fields)


def _task_transition(*, actor, task: PlanTask, to: str, reason: str = "", on_apply=None) -> PlanTask:
    return transition(task, workflow=TASK_WORKFLOW, to=to, actor=actor, record_model=TaskTransition,
                      record_fk="task", reason=reason, on_apply=on_apply)


def _check_proof(proof) -> None:
    if proof is None:
        return
    ext = proof.name.rsplit(".", 1)[-1].lower() if "." in proof.name else ""
    if ext not in PROOF_EXTENSIONS:
        raise DomainError("佐证材料仅支持 PDF、OFD、图片（JPG/PNG）、Word、Excel、WPS 文件。")
    if proof.size > PROOF_MAX_BYTES:
        raise DomainError("佐证材料不能超过 20MB。")


@transaction.atomic
def task_progress_record(*, actor, task: PlanTask, date: dt.date, progress: int, note: str, proof=None,
                         proof_name: str = "") -> TaskProgress:
    """A dated progress report; the task's status follows its progress (100% = done)."""
    _require(actor, task.township, PROGRESS_WRITE)
    task = PlanTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    _check_plan_open(task.plan)
    if task.status in (TaskStatus.CARRIED, TaskStatus.CANCELLED):
        raise DomainError(f"该任务{task.get_status_display()}，不能再报送进展。")
    if progress is None or not 0 <= progress <= 100:
        raise DomainError("进度应为 0 至 100 之间的整数。")
    if date > dt.date.today():
        raise DomainError("进展日期不能晚于今天。")
    last = task.updates.order_by("-date", "-id").first()
    if last and date < last.date:
        raise DomainError(f"进展日期不能早于上一次报送（{last.date:%Y-%m-%d}）。")
    if not (note or "").strip():
        raise DomainError("请填写进展情况。")
    _check_proof(proof)
    update = _create(actor, TaskProgress(township=task.township, task=task, date=date, progress=progress,
                                         note=note.strip(), actor=actor))
    if proof is not None:
        tp = TaskProof(township=task.township, update=update, file=proof, date=date, name=(proof_name or proof.name)[:200])
        with deleted_on_error() as written:
            try:
                _create(actor, tp)
            finally:
                written(tp.file)
    before = snapshot(task, ["progress"])
    task.progress = progress
    task.save(update_fields=["progress", "updated_at"])
    audit_update(actor=actor, obj=task, before=before, reason=f"报送进展 {date:%Y-%m-%d}")
    target = None
    if progress == 100 and task.status != TaskStatus.DONE:
        target = TaskStatus.DONE
    elif progress < 100 and task.status == TaskStatus.DONE:
        target = TaskStatus.IN_PROGRESS
    elif 0 < progress < 100 and task.status == TaskStatus.NOT_STARTED:
        target = TaskStatus.IN_PROGRESS
    if target:
        def stamp(t):
            t.completed_on = date if target == TaskStatus.DONE else None

        _task_transition(actor=actor, task=task, to=target, reason=f"进度 {progress}%", on_apply=stamp)
    return update


@transaction.atomic
def task_cancel(*, actor, task: PlanTask, reason: str) -> PlanTask:
    _require(actor, task.township)
    _check_plan_open(task.plan)
    if not (reason or "").strip():
        raise DomainError("取消任务须写明理由。")
    return _task_transition(actor=actor, task=task, to=TaskStatus.CANCELLED, reason=reason.strip())


@transaction.atomic
def next_step_add(*, actor, plan: AnnualPlan, title: str, content: str = "", area: str = "other",
                  owner_unit: str = "", seq: int | None = None) -> NextStepItem:
    _require(actor, plan.township)
    _check_plan_open(plan)
    seq = seq or plan.next_steps.count() + 1
    return _create(actor, NextStepItem(township=plan.township, plan=plan, seq=seq, area=area, title=title,
                                       content=content, owner_unit=owner_unit))


@transaction.atomic
def plan_carry_over(*, actor, plan: AnnualPlan, reason: str = "") -> AnnualPlan:
    """Year-end, one action: unfinished tasks and the report's next-step items go into next year's plan
    (created if missing), the old tasks are marked 已结转 and the old plan closed. All or nothing."""
    _require(actor, plan.township)
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("该计划已年终结转，不能重复结转。")
    township, year = plan.township, plan.year + 1
    nxt = AnnualPlan.objects.select_for_update().filter(township=township, year=year).first()
    if nxt is None:
        nxt = _create(actor, AnnualPlan(township=township, year=year, carried_from=plan,
                                        title=f"{year}年{township.name}法治政府建设工作计划"),
                      reason=f"由{plan.year}年计划结转生成")
    elif nxt.status == PlanStatus.CLOSED:
        raise DomainError(f"{year}年计划已结转关闭，不能接收结转任务。")
    seq = (nxt.tasks.order_by("-seq").values_list("seq", flat=True).first() or 0)
    open_tasks = list(plan.tasks.filter(status__in=OPEN_TASK_STATUSES).order_by("seq", "id"))
    for t in open_tasks:
        seq += 1
        _create(actor, PlanTask(
            township=township, plan=nxt, seq=seq, area=t.area, title=t.title, description=t.description,
            owner_unit=t.owner_unit, owner_person=t.owner_person, due_date=_same_day_next_year(t.due_date),
            priority=t.priority, progress=t.progress, source=TaskSource.CARRIED, carried_from=t,
            status=TaskStatus.IN_PROGRESS if t.progress else TaskStatus.NOT_STARTED),
            reason=f"{plan.year}年未完成任务结转（原进度{t.progress}%）")
        _task_transition(actor=actor, task=t, to=TaskStatus.CARRIED, reason=f"年终结转至{year}年计划")
    steps = list(plan.next_steps.all())
    for s in steps:
        seq += 1
        _create(actor, PlanTask(
            township=township, plan=nxt, seq=seq, area=s.area, title=s.title, description=s.content,
            owner_unit=s.owner_unit or "法治政府建设工作领导小组办公室", due_date=dt.date(year, 12, 31),
            priority=Priority.HIGH, source=TaskSource.NEXT_STEP), reason=f"{plan.year}年报告“下一步工作安排”")
    why = reason or f"年终结转：{len(open_tasks)}项未完成任务、{len(steps)}项下一步工作安排转入{year}年计划"
    transition(plan, workflow=PLAN_WORKFLOW, to=PlanStatus.CLOSED, actor=actor, record_model=PlanTransition,
               record_fk="plan", reason=why)
    return nxt


# --- budget -----------------------------------------------------------------------------------

@transaction.atomic
def budget_line_create(*, actor, township, year: int, subject: str, amount: Decimal, **fields) -> BudgetLine:
    _require(actor, township)
    if amount is None or amount <= 0:
        raise DomainError("预算金额应大于零。")
    return _create(actor, BudgetLine(township=township, year=year, subject=subject, amount=amount, **fields))


@transaction.atomic
def budget_line_update(*, actor, line: BudgetLine, **fields) -> BudgetLine:
    _require(actor, line.township)
    line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    spent = line.spends.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    if "amount" in fields and fields["amount"] < spent:
        raise DomainError(f"预算金额不能低于已支出金额（{spent}元）。")
    if "year" in fields and fields["year"] != line.year and line.spends.exists():
        raise DomainError("已有支出的预算不能修改年度。")
    return _update(actor, line, fields)


@transaction.atomic
def spend_record(*, actor, line: BudgetLine, date: dt.date, amount: Decimal, purpose: str,
                 voucher_no: str = "") -> BudgetSpend:
    _require(actor, line.township)
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
    return _create(actor, BudgetSpend(township=line.township, line=line, date=date, amount=amount,
                                      purpose=purpose, voucher_no=voucher_no))


# --- duty lists (谁执法谁普法) ------------------------------------------------------------------

@transaction.atomic
def duty_list_create(*, actor, township, year: int, unit: str, **fields) -> DutyList:
    _require(actor, township)
    if DutyList.objects.filter(township=township, year=year, unit=unit.strip()).exists():
        raise DomainError(f"{unit}{year}年的普法责任清单已存在。")
    village = fields.get("village")
    if village is not None and village.parent_id != township.pk:
        raise DomainError("所选村不属于本乡镇。")
    return _create(actor, DutyList(township=township, year=year, unit=unit.strip(), **fields))


@transaction.atomic
def duty_list_update(*, actor, duty_list: DutyList, **fields) -> DutyList:
    duty_list = DutyList.objects.get(pk=duty_list.pk)
    _require(actor, duty_list.township)
    village = fields.get("village")
    if village is not None and village.parent_id != duty_list.township_id:
        raise DomainError("所选村不属于本乡镇。")
    return _update(actor, duty_list, fields)


@transaction.atomic
def obligation_add(*, actor, duty_list: DutyList, content: str, target_events: int = 1,
                   due_date: dt.date | None = None) -> DutyObligation:
    _require(actor, duty_list.township)
    if due_date and due_date.year != duty_list.year:
        raise DomainError(f"完成时限应在{duty_list.year}年内。")
    return _create(actor, DutyObligation(township=duty_list.township, duty_list=duty_list, content=content,
                                         target_events=target_events, due_date=due_date))


def obligation_link_events(*, actor, obligation: DutyObligation, events) -> None:
    """Link publicity events (education app) that fulfil an obligation; same township and year only."""
    with transaction.atomic():
        _require(actor, obligation.township)
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
