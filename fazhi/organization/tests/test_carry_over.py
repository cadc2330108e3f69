"""Year-end carry-over: one action, all or nothing."""

import datetime as dt

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.organization import services, workflow
from fazhi.organization.models import AnnualPlan, PlanStatus, PlanTask, TaskSource, TaskStatus, TaskTransition


def test_it_carries_unfinished_tasks_and_next_steps_into_next_year(demo, plan):
    nxt = workflow.plan_carry_over(actor=demo.user("litou_legal_staff"), plan=plan)
    assert nxt.year == 2025 and nxt.title == "2025年犁头瑶族乡法治政府建设工作计划"
    assert nxt.carried_from == plan
    titles = list(nxt.tasks.order_by("seq").values_list("title", "source", "progress"))
    assert titles == [("集中宣传12次", TaskSource.CARRIED, 50), ("执法资格考试", TaskSource.CARRIED, 0),
                      ("做实做细普法宣传", TaskSource.NEXT_STEP, 0)]
    carried = PlanTask.objects.get(plan=nxt, title="集中宣传12次")
    assert carried.carried_from.plan == plan and carried.status == TaskStatus.IN_PROGRESS
    assert carried.due_date == dt.date(2025, 12, 20)
    assert PlanTask.objects.get(plan=nxt, title="执法资格考试").due_date == dt.date(2025, 2, 28)  # 2024-02-29
    old = {t.title: t.status for t in plan.tasks.all()}
    assert old == {"调整领导小组": TaskStatus.DONE, "集中宣传12次": TaskStatus.CARRIED, "执法资格考试": TaskStatus.CARRIED}
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED
    assert plan.transitions.last().to_status == PlanStatus.CLOSED
    assert TaskTransition.objects.filter(task__plan=plan, to_status=TaskStatus.CARRIED).count() == 2


def test_it_refuses_a_second_carry_over(demo, plan):
    staff = demo.user("litou_legal_staff")
    workflow.plan_carry_over(actor=staff, plan=plan)
    before = PlanTask.objects.count()
    with pytest.raises(DomainError, match="不能重复结转"):
        workflow.plan_carry_over(actor=staff, plan=plan)
    assert PlanTask.objects.count() == before


def test_it_adds_to_an_existing_next_year_plan(demo, plan):
    staff = demo.user("litou_legal_staff")
    nxt = services.plan_create(actor=staff, township=demo.litou, year=2025, title="2025年计划")
    services.task_create(actor=staff, plan=nxt, area="other", title="已有任务", owner_unit="党政办",
                         due_date=dt.date(2025, 6, 30))
    got = workflow.plan_carry_over(actor=staff, plan=plan)
    assert got == nxt
    assert list(nxt.tasks.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_it_is_atomic_when_a_step_fails(demo, plan, monkeypatch):
    staff = demo.user("litou_legal_staff")
    audit_before, tasks_before = AuditEntry.objects.count(), PlanTask.objects.count()

    def boom(**kwargs):
        raise DomainError("模拟失败")

    monkeypatch.setattr(workflow, "task_transition", boom)
    with pytest.raises(DomainError):
        workflow.plan_carry_over(actor=staff, plan=plan)
    assert PlanTask.objects.count() == tasks_before
    assert not AnnualPlan.objects.filter(year=2025).exists()
    assert AuditEntry.objects.count() == audit_before
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_it_refuses_other_township_and_read_only_roles(demo, plan):
    for user in (demo.user("demo2_legal_staff"), demo.user("county_supervisor"), demo.user("litou_officer")):
        with pytest.raises(DomainError, match="无权"):
            workflow.plan_carry_over(actor=user, plan=plan)
    assert not AnnualPlan.objects.filter(year=2025).exists()


def test_closed_plan_refuses_progress_and_new_tasks(demo, plan):
    staff = demo.user("litou_legal_staff")
    workflow.plan_carry_over(actor=staff, plan=plan)
    plan.refresh_from_db()
    done = plan.tasks.get(title="调整领导小组")
    with pytest.raises(DomainError, match="年终结转"):
        workflow.task_transition(actor=staff, task=done, step="progress",
                                 data={"date": dt.date(2024, 12, 30), "progress": 90, "note": "x"})
    with pytest.raises(DomainError, match="年终结转"):
        services.task_create(actor=staff, plan=plan, area="other", title="新", owner_unit="x",
                             due_date=dt.date(2024, 12, 31))
