"""Demo, the living part of the annual plan (犁头瑶族乡).

History: each year after 2024 that has ended gets its plan issued in February, most tasks reported
done by their due date, one left unfinished, and the year-end carry-over into the next year's plan.
This year: the plan is issued, tasks past due are reported done on their due date (the last week's
stay overdue), and each month adds tasks due in the coming days. Dated relative to today."""

from __future__ import annotations

import datetime as dt

from fazhi.organization import services
from fazhi.organization.models import OPEN_TASK_STATUSES, AnnualPlan, PlanStatus
from fazhi.organization.workflow import plan_carry_over, plan_transition, task_transition

D = dt.date
FIRST_YEAR = 2025  # the seed's year is 2024; its plan is carried into 2025 by the seed's own loader

MONTHLY = [
    # days from today, area, title (the month is added), owner, progress so far
    (4, "education", "{m}月集中普法宣传（赶集日进村入户）", "司法所", 30),
    (10, "enforcement", "{m}月行政执法案卷自查", "综合行政执法队", 0),
    (-3, "organization", "{m}月法治政府建设工作推进情况报送县依法治县办", "党政综合办公室", 60),
]


def load(ctx) -> None:
    town, actor, today = ctx.litou, ctx.user("litou_legal_staff"), ctx.today
    for year in range(FIRST_YEAR, today.year):
        plan = AnnualPlan.objects.filter(township=town, year=year).first()
        if plan is None or plan.status == PlanStatus.CLOSED:
            continue
        _issue(actor, plan, D(year, 2, 20))
        open_tasks = list(plan.tasks.filter(status__in=OPEN_TASK_STATUSES).order_by("seq", "id"))
        for i, t in enumerate(open_tasks):
            if i == 0:  # one task stays unfinished and is carried into the next year
                task_transition(actor=actor, task=t, step="progress",
                                data={"date": D(year, 12, 20), "progress": max(t.progress, 60),
                                      "note": f"年底完成{max(t.progress, 60)}%，转入下年度继续推进。"})
            else:
                task_transition(actor=actor, task=t, step="progress",
                                data={"date": min(t.due_date, D(year, 12, 20)), "progress": 100, "note": "已完成。"})
        plan_carry_over(actor=actor, plan=plan, reason=f"{year}年度工作总结后年终结转")
    plan = AnnualPlan.objects.filter(township=town, year=today.year).first()
    if plan is None or plan.status == PlanStatus.CLOSED:
        return
    _issue(actor, plan, min(D(today.year, 2, 20), today))
    for t in plan.tasks.filter(status__in=OPEN_TASK_STATUSES, due_date__lt=today - dt.timedelta(days=7)):
        last = t.updates.order_by("-date").values_list("date", flat=True).first()
        done = max(t.due_date, last or t.due_date)  # a report never goes before the previous one
        task_transition(actor=actor, task=t, step="progress",
                        data={"date": done, "progress": 100, "note": "已按期完成。" if done == t.due_date else "已完成（逾期）。"})
    batch = _monthly(today)
    if plan.tasks.filter(title__in=[row[1] for row in batch]).exists():
        return
    for due, title, area, owner, progress in batch:
        t = services.task_create(actor=actor, plan=plan, area=area, title=title, owner_unit=owner, due_date=due,
                                 priority="normal")
        if progress:
            task_transition(actor=actor, task=t, step="progress",
                            data={"date": today, "progress": progress, "note": "正在推进。"})


def _monthly(today: dt.date) -> list[tuple]:
    """This month's tasks: (due, title, area, owner, progress), titled by the month they fall in."""
    rows = []
    for days, area, title, owner, progress in MONTHLY:
        due = today + dt.timedelta(days=days)
        if due.year == today.year:
            rows.append((due, f"{today.year}年" + title.format(m=due.month), area, owner, progress))
    return rows


def _issue(actor, plan, on: dt.date) -> None:
    if plan.status != PlanStatus.DRAFT:
        return
    if not plan.issued_on:
        services.plan_update(actor=actor, plan=plan, issued_on=on,
                             document_no=f"犁政发〔{plan.year}〕6号")
    plan_transition(actor=actor, plan=AnnualPlan.objects.get(pk=plan.pk), step="issue", data={"reason": "乡党委会审议通过后印发"})
