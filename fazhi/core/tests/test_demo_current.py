"""The living demo: load_demo creates current work relative to the day it runs, idempotent the same
month and additive a month later; the seed's 2024 records are untouched (each app's own demo tests
and the annual report's tests assert the 2024 figures)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Count

from fazhi.core.demo import load_all
from fazhi.core.todo import todo_for

ROLES = ["litou_leader", "litou_legal_staff", "litou_officer", "litou_mediator", "litou_village_cadre",
         "litou_counsel", "litou_admin", "county_supervisor"]
# Nothing of the seed's 2024 record stays overdue: the duty-list obligation 2024 did not fully meet is history
# once its year has ended (education/todo.py), and 邓卫国's certificate, lapsed in 2023, is renewed in 2025 by
# enforcement/demo_current.py.
SEED_LEGACY = ()
# The second township has little current work, but nothing of its own may be a year-old overdue item either.
QUIET_ROLES = ["demo2_leader", "demo2_legal_staff", "demo2_officer", "demo2_mediator", "demo2_village_cadre",
               "demo2_admin", "county_legal"]


def _at(day: str):
    return time_machine.travel(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9, 30),
                                                   tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


def _counts():
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case
    from fazhi.mediation.models import Dispute
    from fazhi.organization.models import PlanTask

    return [m.objects.count() for m in (Case, InfoRequest, Dispute, PlanTask)]


def first_screen_problems(ctx, today: dt.date) -> list[str]:
    """What would make a role's first screen stale: no item due around today, or year-old overdue items."""
    problems = []
    for name in ROLES + QUIET_ROLES:
        items = todo_for(ctx.user(name), today)
        if name in ROLES and not any(-31 <= i.days_left(today) <= 14 for i in items):
            problems.append(f"{name}: 没有近期待办")
        stale = [i.title for i in items if i.overdue(today) and (i.days_left(today) < -365 or i.due.year <= 2025)
                 and not i.title.endswith(SEED_LEGACY)]
        if stale:
            problems.append(f"{name}: 往年的逾期事项 {stale}")
    return problems


@pytest.mark.parametrize("day", ["2026-12-01", "2026-12-02", "2027-01-04", "2027-03-01", "2027-08-01"])
def test_every_role_has_current_work_on_any_day(db, day):
    from fazhi.enforcement.models import Case

    with _at(day):
        today = dt.date.fromisoformat(day)
        ctx = load_all()
        assert first_screen_problems(ctx, today) == []
        # certificates are renewed relative to today: this month's cases exist, one certificate is in the window
        assert Case.objects.filter(township=ctx.litou, created_at__gte=ctx.month_start).count() >= 6
        renewals = [i for i in todo_for(ctx.user("litou_legal_staff"), today) if i.title.endswith("执法证件到期换证")]
        assert len(renewals) == 1 and 0 <= renewals[0].days_left(today) <= 60
        if day == "2027-03-01":  # a year whose official schedule is unknown: deadlines are provisional
            items = todo_for(ctx.user("litou_legal_staff"), today)
            assert any(i.provisional for i in items if i.due.year == 2027)
            assert any(i.module == "节假日安排" for i in todo_for(ctx.user("litou_admin"), today))


def test_rerun_is_idempotent_the_same_month_and_adds_a_batch_a_month_later(db):
    from fazhi.enforcement.models import Case
    from fazhi.organization.models import AnnualPlan

    with _at("2026-12-01"):
        load_all()
        first = _counts()
    with _at("2026-12-20"):
        load_all()
        assert _counts() == first
    with _at("2027-01-12"):
        ctx = load_all()
        later = _counts()
        assert all(b >= a for a, b in zip(first, later, strict=True)) and later != first
        assert later[0] == first[0] + 6 + 2  # January's batch, and 2026 now has its thinner history (2 on-the-spot cases)
        assert not Case.objects.values("number").annotate(n=Count("id")).filter(n__gt=1, number__gt="").exists()
        assert AnnualPlan.objects.get(township=ctx.litou, year=2026).status == "closed"
        assert first_screen_problems(ctx, dt.date(2027, 1, 12)) == []
        load_all()
        assert _counts() == later


def test_current_work_goes_through_the_services(db):
    from fazhi.audit.models import AuditEntry
    from fazhi.enforcement.models import Case

    with _at("2026-12-01"):
        load_all()
    case = Case.objects.filter(title__endswith="多次随意倾倒生活垃圾案").get()
    assert case.status == "decided" and case.number
    assert case.transitions.count() >= 3
    assert AuditEntry.objects.filter(object_type="enforcement.case", object_id=str(case.pk)).exists()
