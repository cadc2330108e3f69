"""Annual plan (年度法治政府建设工作计划), its tasks and their proof files. The steps (印发, 年终结转, 报送进展,
取消任务) are pages of core's step view, declared in workflow.py."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from fazhi.audit.services import audit_record
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.organization import forms, permissions, selectors, services
from fazhi.organization.models import (
    OPEN_TASK_STATUSES,
    AnnualPlan,
    Area,
    PlanStatus,
    PlanTask,
    Priority,
    TaskProof,
    TaskStatus,
)
from fazhi.organization.permissions import ORG_READ, ORG_WRITE, PROGRESS_WRITE
from fazhi.organization.workflow import (
    PLAN_FLOW,
    PLAN_WORKFLOW,
    TASK_FLOW,
    TASK_WORKFLOW,
    next_plan,
    page_steps,
)

R, W = ORG_READ, ORG_WRITE

plan_ledger = Ledger(
    title="年度法治政府建设工作计划",
    columns=[Column("年度", "year", sort="year"), Column("计划名称", "title", link=True),
             Column("乡镇", "township.name"), Column("文号", "document_no"),
             Column("印发日期", "issued_on", sort="issued_on"), Column("状态", "status"),
             Column("任务数", "task_count"), Column("已完成", "done_count")],
    filters=[Filter("year", "年度", "year", selectors.years_choices),
             Filter("status", "状态", "status", PlanStatus.choices)],
    search_fields=["title", "document_no", "summary"],
    default_sort="-year",
    row_url=lambda o: reverse("organization:plan_detail", args=[o.pk]),
    actions=[("新建年度计划", "/organization/plans/new/"), ("全部任务", "/organization/tasks/")],
)


def _overdue_text(t: PlanTask) -> str:
    return "逾期" if t.is_overdue(dt.date.today()) else ""


task_ledger = Ledger(
    title="年度计划任务",
    columns=[Column("年度", "plan.year", sort="plan__year"), Column("乡镇", "township.name"), Column("序号", "seq", sort="seq"),
             Column("任务", "title", link=True), Column("领域", "area", sort="area"),
             Column("责任单位", "owner_unit", sort="owner_unit"), Column("责任人", "owner_person"),
             Column("完成时限", "due_date", sort="due_date"), Column("优先级", "priority", sort="priority"),
             Column("进度(%)", "progress", sort="progress"), Column("状态", "status", sort="status"),
             Column("逾期", _overdue_text), Column("来源", "source")],
    filters=[Filter("year", "年度", "plan__year", selectors.years_choices),
             Filter("area", "领域", "area", Area.choices), Filter("status", "状态", "status", TaskStatus.choices),
             Filter("priority", "优先级", "priority", Priority.choices)],
    search_fields=["title", "description", "owner_unit", "owner_person"],
    default_sort="due_date",
    page_size=50,
    row_url=lambda o: reverse("organization:task_detail", args=[o.pk]),
)


def _labelled(rows, workflow):
    """Transition rows with Chinese status labels for display."""
    return [{"at": r.created_at, "actor": r.actor, "from": workflow.label(r.from_status) if r.from_status else "",
             "to": workflow.label(r.to_status), "reason": r.reason} for r in rows]


@role_view(read=R, write=W)
def plans(request):
    return plan_ledger.respond(request, selectors.plan_list_for(request.user))


@role_view(read=R, write=W)
def plan_new(request):
    year = dt.date.today().year
    form = forms.PlanForm(request.POST or None, initial={"year": year})
    return form_page(request, form=form, title="新建年度法治政府建设工作计划",
                     on_valid=lambda cd: services.plan_create(actor=request.user,
                                                              township=write_township(request, W), **cd),
                     success=lambda p: reverse("organization:plan_detail", args=[p.pk]),
                     back_url=reverse("organization:plans"))


@role_view(read=R, write=W, model=AnnualPlan)
def plan_detail(request, pk):
    plan = get_visible_or_404(AnnualPlan, request.user, roles=R, pk=pk)
    tasks = list(plan.tasks.select_related("carried_from__plan").all())
    today = dt.date.today()
    return render(request, "organization/plan_detail.html", {
        "can_write": permissions.may_write(request.user, plan.township),
        "plan": plan, "tasks": tasks, "today": today, "next_steps": plan.next_steps.all(),
        "transitions": _labelled(plan.transitions.select_related("actor"), PLAN_WORKFLOW),
        "carried_count": sum(1 for t in tasks if t.status == TaskStatus.CARRIED),
        "open_count": sum(1 for t in tasks if t.is_open),
        "done_count": sum(1 for t in tasks if t.status == TaskStatus.DONE),
        "overdue_count": sum(1 for t in tasks if t.is_overdue(today)),
        "next_plan": next_plan(plan),
        "steps": page_steps(PLAN_FLOW, plan, request.user),
    })


@role_view(read=R, write=W, model=AnnualPlan)
def plan_edit(request, pk):
    plan = get_visible_or_404(AnnualPlan, request.user, roles=R, pk=pk)
    form = forms.PlanForm(request.POST or None, instance=plan)
    form.fields["year"].disabled = True
    url = reverse("organization:plan_detail", args=[pk])

    def save(cd):
        cd.pop("year", None)
        return services.plan_update(actor=request.user, plan=plan, **cd)

    return form_page(request, form=form, title=f"修改：{plan.title}", success=url, back_url=url, on_valid=save)


@role_view(read=R, write=W, model=AnnualPlan)
def task_new(request, pk):
    plan = get_visible_or_404(AnnualPlan, request.user, roles=R, pk=pk)
    form = forms.TaskForm(request.POST or None, initial={"seq": plan.tasks.count() + 1,
                                                         "due_date": dt.date(plan.year, 12, 31)})
    url = reverse("organization:plan_detail", args=[pk])
    return form_page(request, form=form, title=f"{plan.title}：新增任务", success=url, back_url=url,
                     on_valid=lambda cd: services.task_create(actor=request.user, plan=plan, **cd))


@role_view(read=R, write=W, model=AnnualPlan)
def next_step_add(request, pk):
    plan = get_visible_or_404(AnnualPlan, request.user, roles=R, pk=pk)
    form = forms.NextStepForm(request.POST or None, initial={"seq": plan.next_steps.count() + 1})
    url = reverse("organization:plan_detail", args=[pk])
    return form_page(request, form=form, title=f"{plan.year}年报告“下一步工作安排”：新增事项", success=url,
                     back_url=url, intro="年终结转时，这些事项将成为下一年度计划的任务。",
                     on_valid=lambda cd: services.next_step_add(actor=request.user, plan=plan, **cd))


@role_view(read=R, write=W)
def tasks(request):
    return task_ledger.respond(request, selectors.task_list_for(request.user))


@role_view(read=R, write=PROGRESS_WRITE, model=PlanTask)
def task_detail(request, pk):
    task = get_visible_or_404(PlanTask.objects.select_related("plan", "carried_from__plan"), request.user,
                              roles=R, pk=pk)
    steps = dict((s.name, url) for s, url in page_steps(TASK_FLOW, task, request.user))
    if task.status not in (*OPEN_TASK_STATUSES, TaskStatus.DONE):
        steps.pop("progress", None)  # carried or cancelled: no more reports
    return render(request, "organization/task_detail.html", {
        "can_write": permissions.may_write(request.user, task.township), "steps": steps,
        "task": task, "updates": task.updates.select_related("actor").prefetch_related("proofs"),
        "today": dt.date.today(),
        "transitions": _labelled(task.transitions.select_related("actor"), TASK_WORKFLOW),
        "carried_to": task.carried_to.select_related("plan").first(),
    })


@role_view(read=R, write=W, model=PlanTask)
def task_edit(request, pk):
    task = get_visible_or_404(PlanTask, request.user, roles=R, pk=pk)
    form = forms.TaskForm(request.POST or None, instance=task)
    url = reverse("organization:task_detail", args=[pk])
    return form_page(request, form=form, title=f"修改任务：{task.title}", success=url, back_url=url,
                     on_valid=lambda cd: services.task_update(actor=request.user, task=task, **cd))


@role_view(read=R, model=TaskProof)
def proof_download(request, pk):
    """Serve a proof attachment after the scope check; the access is logged."""
    proof = get_visible_or_404(TaskProof, request.user, roles=R, pk=pk)
    try:
        fh = proof.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在，请联系管理员。") from None
    audit_record(actor=request.user, action="download", obj=proof, reason="下载佐证材料")
    return FileResponse(fh, as_attachment=True, filename=proof.name or proof.file.name.rsplit("/", 1)[-1])

