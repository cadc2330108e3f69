import datetime as dt

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import ConflictError, DomainError
from fazhi.mediation import selectors
from fazhi.mediation import workflow as wf
from fazhi.mediation.models import (
    Agreement,
    Dispute,
    DisputeTransition,
    Escalation,
    Level,
    Mediator,
    Petition,
)
from fazhi.mediation.services import committees as cs
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import petitions as ps
from fazhi.mediation.services import screenings as ss
from fazhi.mediation.tests.conftest import mediate_to_signed, start, village_mediator

S = Dispute.Status
TODAY = dt.date.today()


def snapshot(d):
    d = Dispute.objects.get(pk=d.pk)
    return (d.status, d.closed_on, d.agreement_form, d.level, d.refused_by, d.routes_told, d.reopened_count,
            DisputeTransition.objects.filter(dispute=d).count(), Escalation.objects.filter(dispute=d).count(),
            list(d.mediators.values_list("pk", flat=True)), AuditEntry.objects.count())


def refused(d, fn, match=None):
    before = snapshot(d)
    with pytest.raises(DomainError, match=match):
        fn()
    assert snapshot(d) == before


def test_intake_records_a_transition_and_audit(make_dispute, med):
    d = make_dispute()
    assert d.status == S.RECEIVED and d.number.startswith(f"{d.received_on.year}-")
    assert d.parties.count() == 2 and d.level == Level.TOWNSHIP  # a township mediator recorded it
    assert d.transitions.get().to_status == S.RECEIVED
    assert AuditEntry.objects.filter(object_type="mediation.dispute", object_id=str(d.pk)).exists()


def test_village_cadre_records_only_in_their_village(make_dispute, med):
    d = make_dispute(user="litou_village_cadre")
    assert d.level == Level.VILLAGE
    with pytest.raises(DomainError, match="山背村"):
        make_dispute(village=med.villages["litou"][1], user="litou_village_cadre")
    with pytest.raises(DomainError):
        make_dispute(village=med.villages["demo2"][0], user="litou_mediator")
    with pytest.raises(DomainError):
        make_dispute(user="litou_officer")
    with pytest.raises(DomainError):
        make_dispute(user="county_supervisor")


def test_intake_refuses_bad_input(make_dispute):
    with pytest.raises(DomainError, match="不能晚于今天"):
        make_dispute(received_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="校验位"):
        make_dispute(parties=None) if False else sv.dispute_create(
            actor=make_dispute().recorded_by, township=make_dispute().township, village=make_dispute().village,
            dispute_type=make_dispute().dispute_type, summary="x", received_on=TODAY,
            parties=[{"name": "甲", "id_number": "431127198001010011"}])
    assert not Dispute.objects.filter(summary="x").exists()


def test_full_written_flow(make_dispute, med):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written",
                              "reason": "达成协议"})
    assert d.status == S.RESOLVED and d.closed_on == TODAY and d.agreement_form == "written"
    assert [t.to_status for t in d.transitions.all()] == [S.RECEIVED, S.MEDIATING, S.RESOLVED]
    a = selectors.current_agreement(d)
    assert selectors.agreement_state(a)["effective_on"] == TODAY and a.copies == 3


def test_oral_agreement_needs_no_signatures(make_dispute, med):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user, form="oral")
    with pytest.raises(DomainError, match="口头协议"):
        sv.agreement_sign(actor=user, agreement=selectors.current_agreement(d), kind="seal", signed_on=TODAY)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "oral"})
    assert d.status == S.RESOLVED and d.agreement_form == "oral"


def test_resolved_refused_until_every_signature(make_dispute, med):
    user = med.user("litou_mediator")
    d = start(make_dispute(), user)
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"}),
            "调解笔录")
    sv.session_add(actor=user, dispute=d, held_on=TODAY, place="村委会", participants="双方", record="协商")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"}),
            "协议")
    a = sv.agreement_save(actor=user, dispute=d, form="written", facts="f", terms="t", performance_method="m",
                          performance_due=TODAY, agreed_on=TODAY)
    p1, p2 = d.parties.all()
    sv.agreement_sign(actor=user, agreement=a, kind="party", party=p1, signed_on=TODAY)
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"}),
            "赵德明")
    sv.agreement_sign(actor=user, agreement=a, kind="party", party=p2, signed_on=TODAY)
    sv.agreement_sign(actor=user, agreement=a, kind="mediator", mediator=village_mediator(d), signed_on=TODAY)
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"}),
            "盖章")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "oral"}),
            "不一致")
    with pytest.raises(DomainError, match="已签署"):
        sv.agreement_sign(actor=user, agreement=a, kind="party", party=p1, signed_on=TODAY)
    with pytest.raises(DomainError, match="不能修改"):
        sv.agreement_save(actor=user, dispute=d, form="written", facts="f2", terms="t", performance_method="m",
                          performance_due=TODAY, agreed_on=TODAY)


def test_refusals_leave_the_record_unchanged(make_dispute, med):
    user = med.user("litou_mediator")
    d = make_dispute()
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"}),
            "不能从")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="start", data={"mediators": []}), "调解员")
    expired = Mediator.objects.filter(committee__village=d.village, term_end__lt=TODAY).first()
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="start", data={"mediators": [expired]}),
            "任期")
    other = Mediator.objects.filter(township=med.demo2).first()
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="start", data={"mediators": [other]}),
            "本乡镇")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="refuse", data={"reason": "不同意"}),
            "第十七条")
    refused(d, lambda: wf.dispute_transition(actor=med.user("demo2_mediator"), dispute=d, step="refuse",
                                             data={"refused_by": "赵德明", "reason": "拒绝"}), "无权")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, expected_status=S.MEDIATING, step="start",
                                             data={"mediators": [village_mediator(d)]}), "他人")
    with pytest.raises(ConflictError):
        wf.dispute_transition(actor=user, dispute=d, expected_status=S.MEDIATING, step="start",
                              data={"mediators": [village_mediator(d)]})
    refused(d, lambda: sv.session_add(actor=user, dispute=d, held_on=TODAY, place="x", participants="x",
                                      record="x"), "调解中")


def test_not_accepted_art_17(make_dispute, med):
    user = med.user("litou_mediator")
    d = wf.dispute_transition(actor=user, dispute=make_dispute(), step="refuse", data={"refused_by": "赵德明",
                              "reason": "被申请人明确拒绝调解"})
    assert d.status == S.NOT_ACCEPTED and d.refused_by == "赵德明" and d.closed_on == TODAY
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="start",
                                             data={"mediators": [village_mediator(d)]}), "不能从")


def test_not_resolved_requires_routes_told(make_dispute, med):
    user = med.user("litou_mediator")
    d = start(make_dispute(), user)
    sv.session_add(actor=user, dispute=d, held_on=TODAY, place="村委会", participants="双方", record="分歧大")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="terminate", data={"reason": "分歧大"}),
            "第二十六条")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="terminate", data={"routes_told": True}), "原因")
    d = wf.dispute_transition(actor=user, dispute=d, step="terminate", data={"reason": "分歧大", "routes_told": True,
                              "referral": "引导向县人民法院起诉"})
    assert d.status == S.NOT_RESOLVED and d.routes_told and d.referral


def test_escalation_keeps_history_and_goes_up_only(make_dispute, med):
    cadre, mediator = med.user("litou_village_cadre"), med.user("litou_mediator")
    d = make_dispute(user="litou_village_cadre")
    refused(d, lambda: wf.dispute_transition(actor=cadre, dispute=d, step="escalate", data={"to_level": Level.COUNTY,
                                             "reason": "重大"}), "乡镇")
    refused(d, lambda: wf.dispute_transition(actor=cadre, dispute=d, step="escalate",
                                             data={"to_level": Level.TOWNSHIP, "reason": ""}), "理由")
    d = wf.dispute_transition(actor=cadre, dispute=d, step="escalate", data={"to_level": Level.TOWNSHIP,
                              "reason": "可能激化", "risk_level": "high"})
    refused(d, lambda: wf.dispute_transition(actor=mediator, dispute=d, step="escalate",
                                             data={"to_level": Level.TOWNSHIP, "reason": "x"}), "上级")
    d = wf.dispute_transition(actor=mediator, dispute=d, step="escalate", data={"to_level": Level.COUNTY,
                              "reason": "涉及多村"})
    assert d.level == Level.COUNTY and d.risk_level == "high"
    assert [(e.from_level, e.to_level) for e in d.escalations.all()] == [("village", "township"),
                                                                          ("township", "county")]


def test_reopen_only_when_agreement_not_performed(make_dispute, med):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written"})
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="reopen", data={"reason": "x"}), "未履行")
    sv.followup_add(actor=user, dispute=d, visited_on=TODAY, visitor="周调解", performance="performed")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="reopen", data={"reason": "x"}), "未履行")
    sv.followup_add(actor=user, dispute=d, visited_on=TODAY, visitor="周调解", performance="not_performed")
    refused(d, lambda: wf.dispute_transition(actor=user, dispute=d, step="reopen", data={"reason": ""}), "理由")
    d = wf.dispute_transition(actor=user, dispute=d, step="reopen", data={"reason": "被申请人未按期清理排水沟"})
    assert d.status == S.MEDIATING and d.closed_on is None and d.reopened_count == 1
    assert selectors.current_agreement(d) is None and Agreement.objects.filter(dispute=d, superseded=True).count() == 1


def test_committee_has_at_most_nine_members(med):
    legal = med.user("litou_legal_staff")
    com = cs.committee_create(actor=legal, township=med.litou, name="测试调委会", level=Level.VILLAGE,
                              village=med.villages["litou"][0])
    for i in range(9):
        m = cs.mediator_add(actor=legal, committee=com, name=f"委员{i}", term_start=dt.date(2024, 1, 1))
    assert m.term_end == dt.date(2026, 12, 31)  # three-year term
    with pytest.raises(DomainError, match="三至九|3至9"):
        cs.mediator_add(actor=legal, committee=com, name="第十人", term_start=dt.date(2024, 1, 1))
    with pytest.raises(DomainError):
        cs.mediator_add(actor=med.user("litou_village_cadre"), committee=com, name="x", term_start=TODAY)


def test_petition_workflow_and_single_extension(med):
    staff, leader = med.user("litou_legal_staff"), med.user("litou_leader")
    p = ps.petition_create(actor=staff, township=med.litou, petitioner="盘满妹", content="反映占地补偿",
                           received_on=TODAY - dt.timedelta(days=10))
    with pytest.raises(DomainError, match="不能从"):
        wf.petition_transition(actor=staff, petition=p, step="conclude", data={"conclusion": "x"})
    with pytest.raises(DomainError, match="理由"):
        wf.petition_transition(actor=staff, petition=p, step="reject")
    p = wf.petition_transition(actor=staff, petition=p, step="accept", data={"on": TODAY - dt.timedelta(days=5)})
    with pytest.raises(DomainError, match="无权"):
        wf.petition_transition(actor=staff, petition=p, step="extend", data={"days": 30, "reason": "情况复杂"})
    with pytest.raises(DomainError, match="1至30"):
        wf.petition_transition(actor=leader, petition=p, step="extend", data={"days": 31, "reason": "情况复杂"})
    p = wf.petition_transition(actor=leader, petition=p, step="extend", data={"days": 30, "reason": "情况复杂"})
    with pytest.raises(DomainError, match="一次"):
        wf.petition_transition(actor=leader, petition=p, step="extend", data={"days": 10, "reason": "再延"})
    assert Petition.objects.get(pk=p.pk).extension_days == 30
    p = wf.petition_transition(actor=staff, petition=p, step="conclude", data={"conclusion": "已调解办结"})
    assert p.status == Petition.Status.CONCLUDED and p.transitions.count() == 3


def test_screening_dispute_links_its_round_and_petition_becomes_source(make_dispute, med):
    village = med.villages["litou"][0]
    rnd = ss.screening_create(actor=med.user("litou_village_cadre"), township=med.litou, village=village,
                              period_start=TODAY.replace(day=1), held_on=TODAY.replace(day=1), screeners="村两委")
    d = make_dispute(received_on=TODAY, source=Dispute.Source.SCREENING)
    assert d.screening_round == rnd and rnd.disputes.count() == 1
    with pytest.raises(DomainError, match="已登记排查"):
        ss.screening_create(actor=med.user("litou_mediator"), township=med.litou, village=village,
                            period_start=TODAY, held_on=TODAY, screeners="x")
    p = ps.petition_create(actor=med.user("litou_legal_staff"), township=med.litou, petitioner="盘满妹",
                           content="占地补偿", received_on=TODAY)
    d = make_dispute(received_on=TODAY, petition=p, source=Dispute.Source.APPLICATION)
    assert d.source == Dispute.Source.PETITION and list(p.disputes.all()) == [d]


def test_todo_reminds_of_this_periods_screening(med):
    from fazhi.mediation.selectors import screening_todo

    cadre = med.user("litou_village_cadre")
    items = screening_todo(cadre, TODAY)
    assert [i.title for i in items] == [f"排查：犁头村本期（{TODAY.month}月起）尚未登记矛盾纠纷排查"]
    ss.screening_create(actor=cadre, township=med.litou, village=med.villages["litou"][0],
                        period_start=TODAY, held_on=TODAY, screeners="村两委")
    assert screening_todo(cadre, TODAY) == []
    assert len(screening_todo(med.user("litou_mediator"), TODAY)) == 3
