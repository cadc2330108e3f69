"""disputes_create_bulk: the same disputes, parties, transitions, numbers and audit entries as creating the
rows one by one through dispute_create — written at once, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.audit.verify import verify_chain
from fazhi.core.models import SearchEntry
from fazhi.core.search_index import search_everywhere, search_filter
from fazhi.mediation.models import Dispute, DisputeType, Party
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services.bulk import RowsRefused, disputes_create_bulk
from fazhi.mediation.services.screenings import screening_create

pytestmark = pytest.mark.django_db


def _rows(med, town_key):
    """Seven rows over two years, several villages, types, sources and risk levels, 1–3 parties each."""
    today = dt.date.today()
    villages = med.villages[town_key]
    kinds = [DisputeType.objects.get(name="邻里"), DisputeType.objects.get(name="婚姻家庭")]
    sources = [Dispute.Source.SCREENING, Dispute.Source.APPLICATION, Dispute.Source.SCREENING, Dispute.Source.POLICE]
    out = []
    for i in range(7):
        parties = [{"name": f" 甲{i} ", "phone": "13812345678", "id_number": "43112719800101001x",
                    "side": Party.Side.APPLICANT}]
        if i % 2 == 0:
            parties.append({"name": f"乙{i}", "phone": "", "side": Party.Side.RESPONDENT})
        if i % 3 == 0:
            parties.append({"name": f"丙{i}", "id_number": "", "phone": "13900000000", "side": Party.Side.OTHER})
        out.append({"village": villages[i % 2], "dispute_type": kinds[i % 2], "summary": f" 第{i}号：排水沟争执。 ",
                    "received_on": today - dt.timedelta(days=3 + 200 * (i % 3)), "source": sources[i % 4],
                    "risk_level": [Dispute.Risk.LOW, Dispute.Risk.HIGH][i % 2], "parties": parties})
    return out


def _screen(med, town_key, user):
    """A screening round in the first village for the month of the newest rows (received 3 days ago, so a
    排查发现 row there links to it — on the 1st to 3rd of a month that is last month's round)."""
    start = (dt.date.today() - dt.timedelta(days=3)).replace(day=1)
    v = med.villages[town_key][0]
    screening_create(actor=med.user(user), township=v.parent, village=v, period_start=start,
                     held_on=start, screeners="张三", findings="")


def _picture(town):
    """Everything about a township's disputes that should not depend on how they were created."""
    villages = {v.pk: i for i, v in enumerate(sorted({d.village for d in Dispute.objects.filter(township=town)},
                                                     key=lambda v: v.code))}
    out = []
    for d in Dispute.objects.filter(township=town).order_by("pk"):
        out.append({
            "fields": (d.number, villages[d.village_id], d.dispute_type_id, d.summary, d.received_on, d.source,
                       d.risk_level, d.level, d.status, d.committee.level if d.committee else None,
                       bool(d.committee and d.committee.village_id == d.village_id), d.screening_round is not None,
                       d.todo_due, d.closed_on, d.reopened_count),
            "parties": [(p.side, p.name, p.id_number, p.phone, p.address, p.township_id == town.pk)
                        for p in d.parties.order_by("pk")],
            "transitions": [(t.from_status, t.to_status, t.reason, t.township_id == town.pk)
                            for t in d.transitions.all()],
        })
    entries = AuditEntry.objects.filter(township=town, object_type__in=["mediation.dispute", "mediation.party"])
    audit = [(e.action, e.object_type, sorted(e.changes), e.object_repr, e.actor_id is not None)
             for e in entries.order_by("seq")]
    return out, audit


def test_it_creates_exactly_what_one_by_one_creates(med):
    litou, demo2 = med.litou, med.demo2
    _screen(med, "litou", "litou_mediator")
    _screen(med, "demo2", "demo2_mediator")
    one_by_one = [sv.dispute_create(actor=med.user("litou_mediator"), township=litou, **row)
                  for row in _rows(med, "litou")]
    made = disputes_create_bulk(actor=med.user("demo2_mediator"), township=demo2, rows=_rows(med, "demo2"))
    assert [d.number for d in made] == [d.number for d in one_by_one]
    single, bulk = _picture(litou), _picture(demo2)
    assert single[0] == bulk[0]
    assert single[1] == bulk[1]
    assert any(d["fields"][11] for d in bulk[0])  # a 排查发现 row found its round, as one by one
    assert len(bulk[1]) == 7 + sum(len(r["parties"]) for r in _rows(med, "demo2"))
    # the counter goes on from the batch: the next single intake is numbered after it, on both sides
    assert sv.next_number(Dispute, demo2, made[0].received_on.year) == \
        sv.next_number(Dispute, litou, one_by_one[0].received_on.year)
    assert verify_chain().ok
    # found by the search box like a dispute typed on the page
    q = search_filter(Dispute, "排水沟争执")
    assert Dispute.objects.filter(q, township=demo2).count() == 7
    box = search_everywhere(med.user("demo2_mediator"), "排水沟争执")  # the one search box walks by township
    assert {obj.pk for obj, _ in box[0]["rows"]} >= {d.pk for d in made if "排水沟争执" in d.summary}
    entries = SearchEntry.objects.filter(object_id__in=[d.pk for d in made], content_type__model="dispute")
    assert set(entries.values_list("township_id", flat=True)) == {demo2.pk}
    assert SearchEntry.objects.filter(object_id__in=[e.pk for e in AuditEntry.objects.filter(township=demo2)]).exists()


def test_numbers_continue_between_single_and_bulk_writes(med):
    town = med.litou
    rows = _rows(med, "litou")
    first = sv.dispute_create(actor=med.user("litou_mediator"), township=town, **rows[0])
    made = disputes_create_bulk(actor=med.user("litou_mediator"), township=town, rows=[rows[0]] * 3)
    last = sv.dispute_create(actor=med.user("litou_mediator"), township=town, **rows[0])
    year = first.received_on.year
    assert [first.number, *(d.number for d in made), last.number] == [f"{year}-{n:03d}" for n in range(1, 6)]


def test_numbers_go_past_rows_stored_above_the_counter(med):
    town = med.litou
    row = _rows(med, "litou")[0]
    first = sv.dispute_create(actor=med.user("litou_mediator"), township=town, **row)
    year = first.received_on.year
    Dispute.objects.filter(pk=first.pk).update(number=f"{year}-1017")  # loaded by hand, four digits
    made = disputes_create_bulk(actor=med.user("litou_mediator"), township=town, rows=[row, row])
    assert [d.number for d in made] == [f"{year}-1018", f"{year}-1019"]


def test_one_refused_row_writes_nothing_and_every_refusal_is_named(med):
    town = med.litou
    rows = _rows(med, "litou")
    rows[2] = {**rows[2], "village": med.villages["demo2"][0]}
    rows[5] = {**rows[5], "received_on": dt.date.today() + dt.timedelta(days=1)}
    rows[6] = {**rows[6], "parties": [{"name": "  "}]}
    before = (Dispute.objects.count(), Party.objects.count(), AuditEntry.objects.count())
    with pytest.raises(RowsRefused) as e:
        disputes_create_bulk(actor=med.user("litou_mediator"), township=town, rows=rows)
    assert [i for i, _r in e.value.rows] == [2, 5, 6]
    reasons = dict(e.value.rows)
    assert "无权" in reasons[2] or "本乡镇" in reasons[2]
    assert reasons[5] == "受理日期不能晚于今天。"
    assert reasons[6] == "请至少登记一名当事人。"
    assert "第3条" in e.value.message
    assert (Dispute.objects.count(), Party.objects.count(), AuditEntry.objects.count()) == before


def test_a_model_check_names_the_row(med):
    rows = _rows(med, "litou")
    rows[1] = {**rows[1], "parties": [{"name": "盘桂英", "id_number": "123"}]}
    with pytest.raises(RowsRefused) as e:
        disputes_create_bulk(actor=med.user("litou_mediator"), township=med.litou, rows=rows)
    assert [i for i, _r in e.value.rows] == [1]
    assert "身份证" in e.value.rows[0][1]
    assert not Dispute.objects.exists()


def test_a_village_cadre_records_only_in_their_village_at_village_level(med):
    rows = _rows(med, "litou")  # alternate between the first village (the cadre's) and the second
    cadre = med.user("litou_village_cadre")
    with pytest.raises(RowsRefused) as e:
        disputes_create_bulk(actor=cadre, township=med.litou, rows=rows)
    assert [i for i, _r in e.value.rows] == [1, 3, 5]
    assert e.value.rows[0][1] == f"您无权办理{med.villages['litou'][1].name}的矛盾纠纷。"
    made = disputes_create_bulk(actor=cadre, township=med.litou, rows=rows[::2])
    assert {d.level for d in made} == {"village"}
    assert all(d.committee.village_id == d.village_id for d in made)
