"""The annual plan and its tasks, declared once and driven by core (fazhi.core.steps).

Plan: 起草中 → 已印发 → 已年终结转. `issue` needs tasks and the issue date; `carry_over` is the year-end action:
open tasks and the report's next-step items go into next year's plan (created if missing), the old tasks are
marked 已结转下年 and the plan closed — all in the step's transaction, all or nothing.

Task: 未开始 → 推进中 → 已完成 (↔ 推进中), → 已结转下年 / 已取消. The status follows the dated progress reports
(`progress`: 100 % = done); `cancel` needs a reason. `start`, `complete` and `carry` are taken by those two
actions only (the progress report, the carry-over), never from a page of their own (AUTO_STEPS).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt

from django.urls import reverse

from fazhi.core.errors import DomainError
from fazhi.core.files import deleted_on_error
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.core.writes import save_audited
from fazhi.organization import forms, permissions, selectors
from fazhi.organization.models import (
    OPEN_TASK_STATUSES,
    AnnualPlan,
    PlanStatus,
    PlanTask,
    PlanTransition,
    Priority,
    TaskProgress,
    TaskProof,
    TaskSource,
    TaskStatus,
    TaskTransition,
)

PROOF_EXTENSIONS = {"pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "wps"}
PROOF_MAX_BYTES = 20 * 1024 * 1024


class _PlanWorkflow(Workflow):
    """A closed plan refuses every change with the reason (the year-end carry-over), not a status pair."""

    def check(self, current: str, target: str) -> None:
        if current == PlanStatus.CLOSED:
            raise DomainError("该计划已年终结转，不能重复结转。" if target == PlanStatus.CLOSED
                              else "该计划已年终结转，不能再变动。")
        super().check(current, target)


PLAN_WORKFLOW = _PlanWorkflow(
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


def check_plan_open(plan: AnnualPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise DomainError("该计划已年终结转，任务不能再变动。")


def _same_day_next_year(d: dt.date) -> dt.date:
    last = _cal.monthrange(d.year + 1, d.month)[1]
    return d.replace(year=d.year + 1, day=min(d.day, last))


# --- plan steps ---------------------------------------------------------------------------------

def _issue_guard(plan, data, today):
    if not plan.tasks.exists():
        raise DomainError("计划尚无任务，不能印发。请先分解年度任务。")
    if not plan.issued_on:
        raise DomainError("请先填写印发日期。")


def _carry_over_summary(plan: AnnualPlan) -> str:
    open_n = plan.tasks.filter(status__in=OPEN_TASK_STATUSES).count()
    return f"年终结转：{open_n}项未完成任务、{plan.next_steps.count()}项下一步工作安排转入{plan.year + 1}年计划"


def _carry_over_explain(form, plan, user) -> None:
    open_n = plan.tasks.filter(status__in=OPEN_TASK_STATUSES).count()
    form.fields["reason"].help_text = (
        f"将把本计划 {open_n} 项未完成任务和 {plan.next_steps.count()} 项“下一步工作安排”一次性转入"
        f"{plan.year + 1}年计划，原任务标记为“已结转下年”，本计划关闭。此操作不可撤销。")


def _carry_over(*, actor, obj, step, data, today):
    """Next year's plan receives the open tasks (same day next year, progress kept) and the next-step items."""
    plan = obj
    township, year = plan.township, plan.year + 1
    nxt = AnnualPlan.objects.select_for_update().filter(township=township, year=year).first()
    if nxt is None:
        nxt = save_audited(AnnualPlan(township=township, year=year, carried_from=plan,
                                      title=f"{year}年{township.name}法治政府建设工作计划"),
                           actor=actor, reason=f"由{plan.year}年计划结转生成")
    elif nxt.status == PlanStatus.CLOSED:
        raise DomainError(f"{year}年计划已结转关闭，不能接收结转任务。")
    seq = (nxt.tasks.order_by("-seq").values_list("seq", flat=True).first() or 0)
    for t in plan.tasks.filter(status__in=OPEN_TASK_STATUSES).order_by("seq", "id"):
        seq += 1
        save_audited(PlanTask(
            township=township, plan=nxt, seq=seq, area=t.area, title=t.title, description=t.description,
            owner_unit=t.owner_unit, owner_person=t.owner_person, due_date=_same_day_next_year(t.due_date),
            priority=t.priority, progress=t.progress, source=TaskSource.CARRIED, carried_from=t,
            status=TaskStatus.IN_PROGRESS if t.progress else TaskStatus.NOT_STARTED),
            actor=actor, reason=f"{plan.year}年未完成任务结转（原进度{t.progress}%）")
        task_transition(actor=actor, task=t, step="carry", data={"reason": f"年终结转至{year}年计划"}, today=today)
    for s in plan.next_steps.all():
        seq += 1
        save_audited(PlanTask(
            township=township, plan=nxt, seq=seq, area=s.area, title=s.title, description=s.content,
            owner_unit=s.owner_unit or "法治政府建设工作领导小组办公室", due_date=dt.date(year, 12, 31),
            priority=Priority.HIGH, source=TaskSource.NEXT_STEP),
            actor=actor, reason=f"{plan.year}年报告“下一步工作安排”")


def next_plan(plan: AnnualPlan) -> AnnualPlan | None:
    return AnnualPlan.objects.filter(township=plan.township, year=plan.year + 1).first()


class _PlanFlow(Flow):
    def detail_url(self, obj) -> str:
        """After the year-end carry-over the user continues in next year's plan."""
        nxt = next_plan(obj) if obj.status == PlanStatus.CLOSED else None
        return reverse(self.detail, args=[(nxt or obj).pk])


PLAN_STEPS = [
    Step("issue", "印发", forms.ReasonForm, permissions.ORG_WRITE, target=PlanStatus.ISSUED, guards=(_issue_guard,),
         intro="印发后计划进入执行，任务进度按月报送。", done="计划已印发。"),
    Step("carry_over", "年终结转", forms.ReasonForm, permissions.ORG_WRITE, target=PlanStatus.CLOSED,
         service=_carry_over, prepare=_carry_over_explain, initial=lambda p: {"reason": _carry_over_summary(p)},
         confirm="确认年终结转？此操作不可撤销。", done=lambda p: f"已结转至{p.year + 1}年计划。"),
]

PLAN_FLOW = _PlanFlow(
    name="plan", model=AnnualPlan, workflow=PLAN_WORKFLOW, steps=PLAN_STEPS, record_model=PlanTransition,
    record_fk="plan", read_roles=permissions.ORG_READ, queryset=selectors.plan_list_for,
    detail="organization:plan_detail", heading=lambda p: p.title,
)


def plan_transition(*, actor, plan: AnnualPlan, step: str, data: dict | None = None,
                    expected_status: str | None = None, today: dt.date | None = None) -> AnnualPlan:
    """issue (the plan has tasks and an issue date) or carry_over (year end, all or nothing)."""
    return run_step(PLAN_FLOW, actor=actor, obj=plan, step=step, data=data, expected_status=expected_status,
                    today=today)


def plan_carry_over(*, actor, plan: AnnualPlan, reason: str = "", today: dt.date | None = None) -> AnnualPlan:
    """The carry_over step, for callers that continue with next year's plan (returned)."""
    plan = plan_transition(actor=actor, plan=plan, step="carry_over", today=today,
                           data={"reason": reason or _carry_over_summary(plan)})
    return next_plan(plan)


# --- task steps ---------------------------------------------------------------------------------

def _check_proof(proof) -> None:
    if proof is None:
        return
    ext = proof.name.rsplit(".", 1)[-1].lower() if "." in proof.name else ""
    if ext not in PROOF_EXTENSIONS:
        raise DomainError("佐证材料仅支持 PDF、OFD、图片（JPG/PNG）、Word、Excel、WPS 文件。")
    if proof.size > PROOF_MAX_BYTES:
        raise DomainError("佐证材料不能超过 20MB。")


def _record_progress(*, actor, obj, step, data, today):
    """A dated progress report (with proof); the task's status follows its progress (100% = done)."""
    task = obj
    check_plan_open(task.plan)
    if task.status in (TaskStatus.CARRIED, TaskStatus.CANCELLED):
        raise DomainError(f"该任务{task.get_status_display()}，不能再报送进展。")
    progress, date, note, proof = data.get("progress"), data.get("date") or today, data.get("note"), data.get("proof")
    if progress is None or not 0 <= progress <= 100:
        raise DomainError("进度应为 0 至 100 之间的整数。")
    if date > today:
        raise DomainError("进展日期不能晚于今天。")
    last = task.updates.order_by("-date", "-id").first()
    if last and date < last.date:
        raise DomainError(f"进展日期不能早于上一次报送（{last.date:%Y-%m-%d}）。")
    if not (note or "").strip():
        raise DomainError("请填写进展情况。")
    _check_proof(proof)
    update = save_audited(TaskProgress(township=task.township, task=task, date=date, progress=progress,
                                       note=note.strip(), actor=actor), actor=actor)
    if proof is not None:
        tp = TaskProof(township=task.township, update=update, file=proof, date=date,
                       name=(data.get("proof_name") or proof.name)[:200])
        with deleted_on_error() as written:
            try:
                save_audited(tp, actor=actor)
            finally:
                written(tp.file)
    task.progress = progress
    auto = None
    if progress == 100 and task.status != TaskStatus.DONE:
        auto, completed_on = "complete", date
    elif (progress < 100 and task.status == TaskStatus.DONE
          or 0 < progress < 100 and task.status == TaskStatus.NOT_STARTED):
        auto, completed_on = "start", None
    if auto:
        moved = task_transition(actor=actor, task=task, step=auto, today=today,
                                data={"reason": f"进度 {progress}%", "completed_on": completed_on})
        task.status, task.completed_on = moved.status, moved.completed_on


def _cancel_guard(task, data, today):
    check_plan_open(task.plan)
    if not (data.get("reason") or "").strip():
        raise DomainError("取消任务须写明理由。")


TASK_STEPS = [
    Step("progress", "报送进展", forms.ProgressForm, permissions.PROGRESS_WRITE, service=_record_progress,
         multipart=True, reason="note", done="已报送进展。",
         initial=lambda t: {"date": dt.date.today(), "progress": t.progress}),
    Step("cancel", "取消任务", forms.CancelForm, permissions.ORG_WRITE, target=TaskStatus.CANCELLED,
         guards=(_cancel_guard,), confirm="确认取消该任务？", done="任务已取消。"),
    # Taken by the progress report and the carry-over only (AUTO_STEPS): no page.
    Step("start", "推进中", forms.ReasonForm, permissions.PROGRESS_WRITE, target=TaskStatus.IN_PROGRESS,
         fields=("completed_on",)),
    Step("complete", "已完成", forms.ReasonForm, permissions.PROGRESS_WRITE, target=TaskStatus.DONE,
         fields=("completed_on",)),
    Step("carry", "结转下年", forms.ReasonForm, permissions.ORG_WRITE, target=TaskStatus.CARRIED),
]
AUTO_STEPS = frozenset({"start", "complete", "carry"})

TASK_FLOW = Flow(
    name="task", model=PlanTask, workflow=TASK_WORKFLOW, steps=TASK_STEPS, record_model=TaskTransition,
    record_fk="task", read_roles=permissions.ORG_READ, queryset=selectors.task_list_for,
    detail="organization:task_detail", heading=lambda t: t.title,
)


def task_transition(*, actor, task: PlanTask, step: str, data: dict | None = None,
                    expected_status: str | None = None, today: dt.date | None = None) -> PlanTask:
    """progress (date, progress, note, proof) or cancel (reason); start/complete/carry follow from those."""
    return run_step(TASK_FLOW, actor=actor, obj=task, step=step, data=data, expected_status=expected_status,
                    today=today)


def task_urls(prefix: str) -> list:
    """The task steps' pages (progress, cancel); the automatic steps have none."""
    return [p for p in TASK_FLOW.urls(prefix) if p.name.removeprefix(f"{TASK_FLOW.name}_") not in AUTO_STEPS]


def page_steps(flow: Flow, obj, user) -> list[tuple[Step, str]]:
    """(step, URL) of the steps `user` may take now from the record's page."""
    return [(s, flow.step_url(obj, s)) for s in flow.open_steps(obj, user) if s.name not in AUTO_STEPS]
