"""core.steps drives a declared workflow end to end; checked on a real flow (the county's 督办 notice)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.steps import Step, run_step
from fazhi.oversight import services
from fazhi.oversight.models import Notice, NoticeStatus, NoticeTransition
from fazhi.oversight.workflow import NOTICE_FLOW

D = dt.date


@pytest.fixture
def notice(demo):
    return services.notice_issue(actor=demo.user("county_legal"), township=demo.litou, kind="supervise",
                                 title="督办", content="请整改", period_working_days=10, issued_on=D(2026, 6, 1),
                                 today=D(2026, 6, 1))


def _state(n):
    n.refresh_from_db()
    return n.status, NoticeTransition.objects.filter(notice=n).count(), AuditEntry.objects.count()


def test_a_step_moves_the_record_and_writes_one_transition_row_and_one_audit_entry(demo, notice):
    status, rows, audits = _state(notice)
    n = run_step(NOTICE_FLOW, actor=demo.user("litou_legal_staff"), obj=notice, step="answer",
                 data={"answer": "已整改", "answered_on": D(2026, 6, 3)}, expected_status=NoticeStatus.ISSUED,
                 today=D(2026, 6, 3))
    assert n.status == NoticeStatus.ANSWERED and n.answer == "已整改"
    t = NoticeTransition.objects.filter(notice=n).latest("pk")
    assert (t.from_status, t.to_status, t.reason) == (NoticeStatus.ISSUED, NoticeStatus.ANSWERED, "已整改")
    assert (NoticeTransition.objects.filter(notice=n).count(), AuditEntry.objects.count()) == (rows + 1, audits + 1)


@pytest.mark.parametrize("who, step, data, expected, error", [
    ("demo2_legal_staff", "answer", {"answer": "x"}, None, DomainError),           # another township
    ("litou_legal_staff", "accept", {}, None, DomainError),                         # the wrong side
    ("litou_legal_staff", "answer", {"answer": ""}, None, DomainError),             # a guard
    ("litou_legal_staff", "answer", {"answer": "x"}, NoticeStatus.ANSWERED, ConflictError),  # a stale page
    ("county_legal", "nonsense", {}, None, DomainError),                            # no such step
])
def test_every_refusal_changes_nothing(demo, notice, who, step, data, expected, error):
    before = _state(notice)
    with pytest.raises(error):
        run_step(NOTICE_FLOW, actor=demo.user(who), obj=notice, step=step, data=data, expected_status=expected,
                 today=D(2026, 6, 3))
    assert _state(notice) == before


def test_a_step_the_status_does_not_allow_is_refused(demo, notice):
    with pytest.raises(DomainError, match="不能从"):
        run_step(NOTICE_FLOW, actor=demo.user("county_legal"), obj=notice, step="accept", today=D(2026, 6, 3))


def test_open_steps_follow_status_and_role(demo, notice):
    assert [s.name for s in NOTICE_FLOW.open_steps(notice, demo.user("litou_legal_staff"))] == ["answer"]
    assert NOTICE_FLOW.open_steps(notice, demo.user("county_legal")) == []
    assert NOTICE_FLOW.open_steps(notice, demo.user("demo2_legal_staff")) == []


def test_each_step_is_its_own_url_declared_with_the_steps_roles():
    from fazhi.core.tests.test_url_scope import walk

    patterns = dict(walk())
    for step in NOTICE_FLOW.steps:
        access = patterns[f"oversight:notice_{step.name}"].callback.fazhi_access
        assert access.model is Notice and access.write == step.roles - {"supervisor"}


def test_the_step_page_shows_refusals_on_the_form_and_htmx_gets_the_fragment(demo, notice, login, client):
    login(demo.user("litou_legal_staff"))
    url = reverse("oversight:notice_answer", args=[notice.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and "答复整改情况" in page and 'name="expected_status"' in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "<form" in fragment
    r = client.post(url, {"answer": "x", "answered_on": "2000-01-01", "expected_status": "issued"})
    assert r.status_code == 200 and "答复日期应在通知发出之日至今天之间" in r.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


def test_a_step_without_a_target_records_without_moving(demo, notice):
    from fazhi.oversight import forms

    note = Step("note", "补充说明", forms.ReviewOpinionForm, frozenset({"county_legal"}), fields=("review_opinion",),
                reason="review_opinion")
    flow = type(NOTICE_FLOW)(**{**{f: getattr(NOTICE_FLOW, f) for f in (
        "name", "model", "workflow", "record_model", "record_fk", "read_roles", "queryset", "detail")},
        "steps": [note]})
    status, rows, audits = _state(notice)
    n = run_step(flow, actor=demo.user("county_legal"), obj=notice, step="note", data={"review_opinion": "已电话督促"})
    assert n.status == NoticeStatus.ISSUED and Notice.objects.get(pk=n.pk).review_opinion == "已电话督促"
    assert _state(notice) == (status, rows, audits + 1)  # no transition row, one audit entry
    with pytest.raises(DomainError, match="不能填写"):
        run_step(flow, actor=demo.user("county_legal"), obj=notice, step="note", data={"answer": "改答复"})
