"""Issue 16: the mediation to-do selects overdue and due-soon records in SQL (on the stored, derived
`todo_due`), so it costs the same queries at 10 and at 200 open disputes and lists exactly what the
walk over every open record listed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.mediation import deadlines, selectors
from fazhi.mediation import workflow as wf
from fazhi.mediation.models import Dispute, FollowUp, Petition
from fazhi.mediation.services import committees as cs
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import petitions as ps
from fazhi.mediation.tests.conftest import mediate_to_signed, start

TODAY = dt.date.today()  # the suite's pinned day (fazhi/conftest.py)
HORIZON = 14


def walk_everything(user, today, horizon):
    """The to-do as it was computed before issue 16: every open record of every year, in Python."""
    limit = today + dt.timedelta(days=horizon)
    out = set()
    for d in selectors.dispute_list_for(user).filter(status__in=Dispute.OPEN):
        due = deadlines.mediation_target(d, deadlines.rules_for(d.township)).due
        if due <= limit:
            out.add((f"调解期限：纠纷{d.number}（{d.village.name}·{d.dispute_type.name}）", due))
    for d in selectors.dispute_list_for(user).filter(status=Dispute.Status.RESOLVED, followups__isnull=True,
                                                     closed_on__isnull=False):
        due = deadlines.followup_due(d, deadlines.rules_for(d.township)).due
        if due <= limit:
            out.add((f"回访：纠纷{d.number}调解成功后回访", due))
    return out


def provided(user, today=TODAY):
    return {(i.title, i.due) for i in selectors.todo_provider(user, today, HORIZON)
            if i.title.startswith(("调解期限", "回访"))}


def clone_open(template: Dispute, n: int, start_no: int):
    """n more open disputes of every age (bulk: the services would make the test slow, not different);
    their todo_due derived exactly as the services derive it."""
    rows = []
    rules = deadlines.rules_for(template.township)
    for i in range(n):
        d = Dispute(township=template.township, village=template.village, dispute_type=template.dispute_type,
                    summary="批量", received_on=TODAY - dt.timedelta(days=(i * 7) % 900),
                    status=Dispute.Status.RECEIVED if i % 2 else Dispute.Status.MEDIATING,
                    number=f"{TODAY.year}-{start_no + i:04d}")
        d.todo_due = deadlines.dispute_todo_deadline(d, rules, has_followup=False)[1].due
        rows.append(d)
    Dispute.objects.bulk_create(rows)


def count_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        list(selectors.todo_provider(user, TODAY, HORIZON))
    return len(ctx.captured_queries)


def test_it_costs_the_same_queries_at_10_and_200_open_disputes(med, make_dispute):
    user = med.user("litou_mediator")
    first = make_dispute(received_on=TODAY - dt.timedelta(days=40))
    clone_open(first, 9, 500)
    assert Dispute.objects.filter(status__in=Dispute.OPEN).count() == 10
    at_10 = count_queries(user)
    assert provided(user) == walk_everything(user, TODAY, HORIZON) != set()
    clone_open(first, 190, 600)
    assert Dispute.objects.filter(status__in=Dispute.OPEN).count() == 200
    at_200 = count_queries(user)
    assert at_200 == at_10
    assert provided(user) == walk_everything(user, TODAY, HORIZON)
    # the same at another day: due dates are stored, the window moves
    later = TODAY + dt.timedelta(days=20)
    assert provided(user, later) == walk_everything(user, later, HORIZON)


def test_it_selects_in_sql_not_in_python(med, make_dispute):
    make_dispute(received_on=TODAY - dt.timedelta(days=3))  # due in about a month: outside the window
    user = med.user("litou_mediator")
    with CaptureQueriesContext(connection) as ctx:
        items = list(selectors.todo_provider(user, TODAY, HORIZON))
    assert not [i for i in items if i.title.startswith("调解期限")]
    dispute_queries = [q["sql"] for q in ctx.captured_queries if 'FROM "mediation_dispute"' in q["sql"]]
    assert dispute_queries and all("todo_due" in q for q in dispute_queries[:2])


def test_todo_due_follows_every_write(med, make_dispute):
    user = med.user("litou_mediator")
    d = make_dispute(received_on=TODAY - dt.timedelta(days=10))
    rules = deadlines.rules_for(d.township)
    assert d.todo_due == deadlines.mediation_target(d, rules).due
    d = mediate_to_signed(d, user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"})
    d.refresh_from_db()
    assert d.todo_due == deadlines.followup_due(d, rules).due  # resolved: the follow-up visit is owed
    sv.followup_add(actor=user, dispute=d, visited_on=TODAY, visitor="周调解", performance="performed")
    d.refresh_from_db()
    assert FollowUp.objects.filter(dispute=d).exists() and d.todo_due is None

    other = start(make_dispute(received_on=TODAY - dt.timedelta(days=10)), user)
    before = Dispute.objects.get(pk=other.pk).todo_due
    cs.settings_save(actor=med.user("litou_admin"), region=med.litou, target_months=2)  # a local rule changes
    other.refresh_from_db()
    assert other.todo_due > before
    assert other.todo_due == deadlines.mediation_target(other, deadlines.rules_for(other.township)).due


def test_petition_todo_due_follows_its_steps(med):
    staff = med.user("litou_legal_staff")
    p = ps.petition_create(actor=staff, township=med.litou, petitioner="盘满妹", content="反映占地补偿",
                           received_on=TODAY - dt.timedelta(days=10))
    rules = deadlines.rules_for(med.litou)
    assert p.todo_due == deadlines.petition_receipt_due(p, rules).due
    p = wf.petition_transition(actor=staff, petition=p, step="accept", data={"on": TODAY - dt.timedelta(days=5)})
    assert Petition.objects.get(pk=p.pk).todo_due == deadlines.petition_conclude_due(p, rules).due
    p = wf.petition_transition(actor=staff, petition=p, step="conclude", data={"conclusion": "已答复", "on": TODAY})
    assert Petition.objects.get(pk=p.pk).todo_due is None
