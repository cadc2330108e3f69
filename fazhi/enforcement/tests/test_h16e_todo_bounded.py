"""Issue 16: the enforcement to-do selects the cases with a deadline due in SQL (on the stored, derived
`todo_due`), so it costs the same queries at 10 and at 200 open cases and lists exactly what the walk over
every open case listed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.accounts.roles import Role
from fazhi.core.todo import TodoItem
from fazhi.enforcement import deadlines, records, rules, selectors, services
from fazhi.enforcement.models import Case, CaseStatus, Officer, Publication
from fazhi.enforcement.publication import publication_publish, publication_withdraw
from fazhi.enforcement.tests.conftest import advance, make_case
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import measures as measure_flow

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.date.today()  # the suite's pinned day (fazhi/conftest.py)
HORIZON = 14


def walk_everything(user, today: dt.date, horizon: int) -> Counter:
    """The provider as it was before issue 16: every open case's deadlines counted in Python."""
    qs = selectors._active_cases(selectors.case_list_for(user).filter(
        township__in=selectors._township_ids(user))).exclude(status=CaseStatus.CLOSED)
    limit = today + dt.timedelta(days=horizon)
    items = []
    for case, d in selectors.open_deadlines(qs, today):
        if d.due <= limit:
            step, roles = selectors.TODO_STEPS.get(d.key, (None, frozenset()))
            url = reverse(f"enforcement:case_{step}" if step else "enforcement:case_detail", args=[case.pk])
            items.append(TodoItem.from_deadline("行政执法", f"{case.number} {d.label}", d.deadline, url,
                                                township_id=case.township_id, roles=roles,
                                                action=d.label if step else ""))
    items += selectors._random_inspection_todo(user, today, limit)
    items += selectors._proxy_todo(user, today, limit)
    officers = Officer.objects.visible_to(user, roles={Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER}).exclude(
        cert_valid_until=None)
    for o in officers.select_related("township"):
        s = rules.settings_for(o.township)
        if o.active and o.cert_no and o.cert_valid_until <= today + dt.timedelta(days=s.certificate_warning_days):
            items.append(TodoItem("行政执法", f"{o.name}执法证件到期换证", o.cert_valid_until,
                                  reverse("enforcement:officers"),
                                  f"执法证件有效期至{o.cert_valid_until:%Y年%m月%d日}，到期前{s.certificate_warning_days}日提醒。",
                                  township_id=o.township_id, roles=frozenset({Role.ADMIN, Role.LEGAL_STAFF})))
    return Counter(items)


def provided(user, today: dt.date, horizon: int = HORIZON) -> Counter:
    return Counter(selectors.todo_provider(user, today, horizon))


def next_month_days(day: dt.date) -> list[dt.date]:
    first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return [first, first + dt.timedelta(days=1), first + dt.timedelta(days=2)]


def pinned_days() -> list[dt.date]:
    """The suite's day and around it, the 1st–3rd of a month, 2027-03-01 and days of the 2024 demo cases."""
    return sorted({TODAY, TODAY + dt.timedelta(days=20), TODAY - dt.timedelta(days=30), *next_month_days(TODAY),
                   D(2027, 3, 1), D(2027, 3, 2), D(2027, 3, 3), D(2024, 4, 16), D(2024, 6, 4),
                   *next_month_days(D(2024, 3, 15)), D(2024, 10, 1)})


def test_it_lists_exactly_what_the_walk_listed_for_the_whole_demo(full_demo):
    users = list(get_user_model().objects.filter(memberships__active=True).distinct().order_by("pk"))
    assert Case.objects.exclude(todo_due=None).exists()
    seen = 0
    for day in pinned_days():
        for user in users:
            old = walk_everything(user, day, HORIZON)
            assert provided(user, day) == old, (user.username, day)
            seen += sum(old.values())
    assert seen  # the demo has case deadlines on the pinned days
    # a local rule changes: every stored date of the township is counted again, and still the same list
    services.settings_save(actor=full_demo.user("litou_admin"), region=full_demo.litou, decide_days=30,
                           service_working_days=3, publication_working_days=3)
    for day in pinned_days():
        for user in users:
            assert provided(user, day) == walk_everything(user, day, HORIZON), (user.username, day)


def clone_cases(template: Case, n: int, start_seq: int) -> None:
    """n more cases of every age (bulk: the services would make the test slow, not different), half still
    to be decided, half served and paid (nothing owed); their todo_due derived as the services derive it."""
    s = rules.settings_for(template.township)
    rows = []
    fields = {f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if not f.primary_key}
    for i in range(n):
        c = Case(**{**fields, "seq": start_seq + i, "number": f"批量〔2024〕第{start_seq + i}号"})
        c.filed_on = TODAY - dt.timedelta(days=(i * 7) % 900)
        if i % 2:
            c.status, c.decided_on, c.served_on, c.paid_on = CaseStatus.INVESTIGATING, None, None, None
        else:
            c.status = CaseStatus.SERVED
            c.decided_on = c.filed_on + dt.timedelta(days=30)
            c.served_on = c.decided_on + dt.timedelta(days=1)
            c.paid_on = c.served_on + dt.timedelta(days=3)
            c.publication_exempt_ground = "no_impact"
        c.todo_due = deadlines.case_todo_due(c, s, publication=None, measures=[])
        rows.append(c)
    Case.objects.bulk_create(rows)


def count_queries(user, today) -> int:
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.todo_provider(user, today, HORIZON))
    return len(ctx.captured_queries)


def test_it_costs_the_same_queries_at_10_and_200_open_cases(enf):
    user = enf.officer_user
    first = advance(enf, make_case(enf), CaseStatus.SERVED)
    clone_cases(first, 9, 500)
    assert Case.objects.exclude(status=CaseStatus.CLOSED).count() == 10
    at_10 = count_queries(user, TODAY)
    assert provided(user, TODAY) == walk_everything(user, TODAY, HORIZON) != Counter()
    clone_cases(first, 190, 600)
    assert Case.objects.exclude(status=CaseStatus.CLOSED).count() == 200
    at_200 = count_queries(user, TODAY)
    assert at_200 == at_10
    assert provided(user, TODAY) == walk_everything(user, TODAY, HORIZON)
    later = TODAY + dt.timedelta(days=20)  # due dates are stored, the window moves
    assert provided(user, later) == walk_everything(user, later, HORIZON)


def test_it_selects_in_sql_not_in_python(enf):
    advance(enf, make_case(enf), CaseStatus.INVESTIGATING)  # decide by 2 June 2024
    with CaptureQueriesContext(connection) as ctx:
        items = list(selectors.todo_provider(enf.officer_user, D(2024, 3, 10), HORIZON))
    assert not [i for i in items if "作出处理决定" in i.title]
    case_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "enforcement_case"' in q["sql"]]
    assert case_queries and "todo_due" in case_queries[0]


def test_todo_due_follows_every_write(enf):
    s = rules.settings_for(enf.town)
    case = make_case(enf)
    assert case.todo_due is None  # not filed: nothing is owed yet
    case = advance(enf, case, CaseStatus.INVESTIGATING)
    assert Case.objects.get(pk=case.pk).todo_due == deadlines.decide_deadline(case, s).due
    m = records.measure_create(actor=enf.officer_user, case=case, kind="seize", items="木材10方",
                               started_on=D(2024, 3, 5), approved_by="乡长", today=D(2024, 3, 5))
    assert Case.objects.get(pk=case.pk).todo_due == deadlines.seizure_deadline(m, s).due  # 30 days < 90
    leader = enf.leader
    measure_flow.measure_transition(actor=leader, measure=m, step="extend", data={"reason": "案情复杂"},
                                    today=D(2024, 3, 20))
    m.refresh_from_db()
    assert Case.objects.get(pk=case.pk).todo_due == deadlines.seizure_deadline(m, s).due
    case = case_flow.case_transition(actor=leader, case=case, step="extend", today=D(2024, 3, 20),
                                     data={"extension_days": 30, "extension_reason": "案情复杂"})
    assert Case.objects.get(pk=case.pk).todo_due == deadlines.seizure_deadline(m, s).due  # still the nearer one
    case = advance(enf, case, CaseStatus.DECIDED)
    case.refresh_from_db()
    expected = deadlines.case_todo_due(case)
    assert case.todo_due == expected is not None
    pub = publication_publish(actor=leader, case=case, published_on=D(2024, 4, 16), today=D(2024, 4, 16))
    case.refresh_from_db()
    assert case.todo_due == deadlines.case_todo_due(case) == min(
        d.due for d in selectors.case_deadlines_for(case) if d.open and not d.window)
    # a local rule changes: every stored date of the townships under it is counted again
    services.settings_save(actor=enf.demo.user("litou_admin"), region=enf.town, service_working_days=3)
    case.refresh_from_db()
    assert case.todo_due == deadlines.service_deadline(case, rules.settings_for(enf.town)).due
    publication_withdraw(actor=leader, publication=Publication.objects.get(pk=pub.pk), reason="决定有误",
                         on=D(2024, 4, 17), today=D(2024, 4, 17))
    assert Case.objects.get(pk=case.pk).todo_due == deadlines.case_todo_due(Case.objects.get(pk=case.pk))


def test_cases_the_migration_marked_are_in_the_to_do_and_counted_after_migrate(enf):
    """Migration 0011 only marks open cases (its own models cannot run the deadline code); the to-do selects a
    marked case and lists what the walk lists, and the post_migrate hook stores the real date."""
    from django.core.management import call_command

    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    due = Case.objects.get(pk=case.pk).todo_due
    far = D(2024, 1, 1)  # months before the deadline is near: an unmarked case is not even selected
    assert case not in selectors.todo_cases(enf.officer_user, far)
    Case.objects.filter(pk=case.pk).update(todo_due=deadlines.TODO_RECOUNT)
    assert case in selectors.todo_cases(enf.officer_user, far)
    assert provided(enf.officer_user, TODAY) == walk_everything(enf.officer_user, TODAY, HORIZON)
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate still runs
    assert Case.objects.get(pk=case.pk).todo_due == due
    assert deadlines.todo_due_count_marked() == 0
