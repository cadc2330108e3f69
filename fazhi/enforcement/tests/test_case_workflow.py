"""The case workflow: each guard refuses in Chinese and leaves the case unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.errors import ConflictError, DomainError
from fazhi.enforcement import publication, services
from fazhi.enforcement.models import (
    CHECKLIST,
    Case,
    CaseStatus,
    CaseTransition,
    Outcome,
    PenaltyKind,
    ReviewOutcome,
    ServiceMethod,
)
from fazhi.enforcement.tests.conftest import advance, make_case
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import proceedings, registration

D = dt.date
pytestmark = pytest.mark.django_db


def _unchanged(case, status):
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == status
    return fresh


def all_pass():
    return {k: (True, "") for k, _ in CHECKLIST}


def test_it_numbers_cases_per_township_per_year(enf):
    a = make_case(enf)
    b = make_case(enf)
    assert a.number == "犁头瑶族乡〔2024〕第1号"
    assert b.number.endswith("〔2024〕第2号")


def test_it_refuses_case_with_fewer_than_two_certified_officers(enf):
    with pytest.raises(DomainError, match="至少2名"):
        make_case(enf, officers=[enf.o1])
    assert not Case.objects.exists()


def test_it_refuses_assigning_expired_certificate(enf):
    with pytest.raises(DomainError, match="到期"):
        make_case(enf, officers=[enf.o1, enf.o2, enf.expired])
    with pytest.raises(DomainError, match="未取得执法证件"):
        make_case(enf, officers=[enf.o1, enf.uncertified])
    assert not Case.objects.exists()


def test_filing_approval_needs_a_leader(enf):
    case = make_case(enf)
    with pytest.raises(DomainError, match="无权"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="refuse", data={"reason": "x"})
    _unchanged(case, CaseStatus.FILING)


def test_it_refuses_filing_after_limitation_period(enf):
    case = make_case(enf, violation_date=D(2021, 1, 5), discovered_on=D(2024, 3, 1))
    with pytest.raises(DomainError, match="追责时效"):
        case_flow.case_transition(actor=enf.leader, case=case, step="approve", today=D(2024, 3, 4),
                                 data={"filed_on": D(2024, 3, 4)})
    fresh = _unchanged(case, CaseStatus.FILING)
    assert fresh.filed_on is None
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_it_refuses_decision_before_notice(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    with pytest.raises(DomainError, match="事先告知书尚未送达"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 15), data={
            "outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 15), "penalty_kind": PenaltyKind.FINE,
            "fine_amount": Decimal("3000"), "reasons": "r"})
    fresh = _unchanged(case, CaseStatus.INVESTIGATING)
    assert fresh.decided_on is None and fresh.decision_number == ""


def test_it_refuses_decision_inside_statement_window(enf):
    case = advance(enf, make_case(enf), CaseStatus.NOTIFIED)  # notice served Mon 2024-04-01
    # 5 working days after 1 April 2024: 清明 4–6 April off, 7 April (Sun) is a make-up working day
    with pytest.raises(DomainError, match="尚未届满"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 9), data={
            "outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 9)})
    _unchanged(case, CaseStatus.NOTIFIED)
    ok = case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 10), data={
        "outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 10)})
    assert ok.status == CaseStatus.DECIDED
    assert ok.decision_number == "犁头瑶族乡罚决字〔2024〕第1号"


def test_waived_notice_allows_immediate_decision(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    case = case_flow.case_transition(actor=enf.officer_user, case=case, step="notice", today=D(2024, 4, 1),
                                    data={"notice_served_on": D(2024, 4, 1), "reasons": "r",
                                          "penalty_kind": PenaltyKind.FINE, "fine_amount": Decimal("1500"),
                                          "notice_waived": True, "notice_waiver_note": "当事人书面放弃"})
    case = case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 2),
                                    data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 2)})
    assert case.status == CaseStatus.DECIDED


def test_it_refuses_fine_above_power_range(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    with pytest.raises(DomainError, match="法定上限"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="notice", today=D(2024, 4, 1),
                                 data={"notice_served_on": D(2024, 4, 1), "reasons": "r",
                                       "penalty_kind": PenaltyKind.FINE, "fine_amount": Decimal("60000")})
    fresh = _unchanged(case, CaseStatus.INVESTIGATING)
    assert fresh.notice_served_on is None and fresh.fine_amount is None


def test_it_refuses_fine_outside_band(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    with pytest.raises(DomainError, match="裁量基准"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="notice", today=D(2024, 4, 1),
                                 data={"notice_served_on": D(2024, 4, 1), "reasons": "r", "band": enf.band,
                                       "penalty_kind": PenaltyKind.FINE, "fine_amount": Decimal("20000")})
    _unchanged(case, CaseStatus.INVESTIGATING)


def _major_case(enf):
    case = make_case(enf, fine=Decimal("8000"), serious_violation=True)
    return advance(enf, case, CaseStatus.NOTIFIED)


def test_it_refuses_decision_without_legal_review_when_triggered(enf):
    case = _major_case(enf)
    with pytest.raises(DomainError, match="法制审核"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 20),
                                 data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 20)})
    _unchanged(case, CaseStatus.NOTIFIED)


def test_reviewer_must_be_qualified_and_not_investigator(enf):
    case = _major_case(enf)
    with pytest.raises(DomainError, match="法律职业资格"):
        services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.unqualified_reviewer,
                                     today=D(2024, 4, 10))
    enf.o1.legal_qualified, enf.o1.legal_qualification_no = True, "X1"
    enf.o1.save()
    with pytest.raises(DomainError, match="调查人员"):
        services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.o1, today=D(2024, 4, 10))
    _unchanged(case, CaseStatus.NOTIFIED)
    assert not case.reviews.exists()


def test_review_needs_every_item_and_keeps_rounds(enf):
    case = _major_case(enf)
    r1 = services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.reviewer,
                                      today=D(2024, 4, 10))
    items = all_pass()
    items["evidence"] = (False, "缺少现场勘验笔录")
    with pytest.raises(DomainError, match="证据合法充分"):
        services.legal_review_conclude(actor=enf.legal_user, review=r1, items=items, outcome=ReviewOutcome.PASSED,
                                       opinion="同意", today=D(2024, 4, 11))
    del items["crime"]
    with pytest.raises(DomainError, match="未逐项填写"):
        services.legal_review_conclude(actor=enf.legal_user, review=r1, items=items,
                                       outcome=ReviewOutcome.RETURNED, opinion="补正", today=D(2024, 4, 11))
    items["crime"] = (True, "")
    services.legal_review_conclude(actor=enf.legal_user, review=r1, items=items, outcome=ReviewOutcome.RETURNED,
                                   opinion="补充勘验笔录", today=D(2024, 4, 11))
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    r2 = services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.reviewer,
                                      today=D(2024, 4, 15))
    services.legal_review_conclude(actor=enf.legal_user, review=r2, items=all_pass(), outcome=ReviewOutcome.PASSED,
                                   opinion="同意", today=D(2024, 4, 16))
    assert [r.round for r in case.reviews.all()] == [1, 2]
    assert r2.items.count() == len(CHECKLIST)


def test_it_refuses_decision_without_collective_discussion(enf):
    case = _major_case(enf)
    r = services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.reviewer, today=D(2024, 4, 10))
    services.legal_review_conclude(actor=enf.legal_user, review=r, items=all_pass(), outcome=ReviewOutcome.PASSED,
                                   opinion="同意", today=D(2024, 4, 11))
    with pytest.raises(DomainError, match="集体讨论"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 20),
                                 data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 20)})
    _unchanged(case, CaseStatus.LEGAL_REVIEW)
    case = case_flow.case_transition(actor=enf.leader, case=case, step="collective", today=D(2024, 4, 12))
    with pytest.raises(DomainError, match="不少于3人"):
        proceedings.discussion_record(actor=enf.leader, case=case, held_on=D(2024, 4, 12), chair="雷斌",
                                   attendees="雷斌、李文杰", conclusion="同意", opinions=[("雷斌", "agree", "同意")],
                                   today=D(2024, 4, 12))
    proceedings.discussion_record(actor=enf.leader, case=case, held_on=D(2024, 4, 12), chair="雷斌",
                               attendees="雷斌、李文杰、赵巾英", conclusion="同意处罚",
                               opinions=[("李文杰", "agree", "同意"), ("雷斌", "agree", "同意")], today=D(2024, 4, 12))
    case = case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 20),
                                    data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 20)})
    assert case.status == CaseStatus.DECIDED


def test_hearing_presiding_officer_not_investigator(enf):
    case = advance(enf, make_case(enf), CaseStatus.NOTIFIED)
    case = case_flow.case_transition(actor=enf.officer_user, case=case, step="hearing_request", today=D(2024, 4, 3),
                                    data={"hearing_requested_on": D(2024, 4, 3)})
    with pytest.raises(DomainError, match="主持人"):
        proceedings.hearing_schedule(actor=enf.officer_user, case=case, notice_served_on=D(2024, 4, 8),
                                  scheduled_on=D(2024, 4, 20), place="乡政府", presiding=enf.o1, today=D(2024, 4, 8))
    # 7 working days after Mon 8 April 2024 is Wed 17 April
    with pytest.raises(DomainError, match="最早"):
        proceedings.hearing_schedule(actor=enf.officer_user, case=case, notice_served_on=D(2024, 4, 8),
                                  scheduled_on=D(2024, 4, 16), place="乡政府", presiding=enf.o3, today=D(2024, 4, 8))
    assert not case.hearings.exists()
    h = proceedings.hearing_schedule(actor=enf.officer_user, case=case, notice_served_on=D(2024, 4, 8),
                                  scheduled_on=D(2024, 4, 17), place="乡政府", presiding=enf.o3, today=D(2024, 4, 8))
    with pytest.raises(DomainError, match="听证结束前"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 18),
                                 data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 18)})
    services.hearing_record(actor=enf.officer_user, hearing=h, held_on=D(2024, 4, 17), transcript="当事人陈述",
                            today=D(2024, 4, 17))
    # after a hearing, legal review is required (Art. 58(2))
    with pytest.raises(DomainError, match="经过听证程序"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 18),
                                 data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 18)})


def test_hearing_request_after_window_is_refused(enf):
    case = advance(enf, make_case(enf), CaseStatus.NOTIFIED)  # served 1 April 2024 → window ends 9 April
    with pytest.raises(DomainError, match="视为放弃"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="hearing_request", today=D(2024, 4, 10),
                                 data={"hearing_requested_on": D(2024, 4, 10)})
    _unchanged(case, CaseStatus.NOTIFIED)


def test_hearing_not_triggered_for_small_fine(enf):
    case = advance(enf, make_case(enf, fine=Decimal("500")), CaseStatus.NOTIFIED)
    with pytest.raises(DomainError, match="不属于听证范围"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="hearing_request", today=D(2024, 4, 3),
                                 data={"hearing_requested_on": D(2024, 4, 3)})


def test_concurrent_actors_one_succeeds_other_told(enf):
    case = make_case(enf)
    stale = Case.objects.get(pk=case.pk)
    case_flow.case_transition(actor=enf.leader, case=case, step="approve", today=D(2024, 3, 4),
                             expected_status=CaseStatus.FILING, data={"filed_on": D(2024, 3, 4)})
    with pytest.raises(ConflictError, match="已被他人处理"):
        case_flow.case_transition(actor=enf.leader, case=stale, step="refuse", expected_status=CaseStatus.FILING,
                                 data={"reason": "不予立案"})
    _unchanged(case, CaseStatus.INVESTIGATING)


def test_disallowed_transition_refused(enf):
    case = make_case(enf)
    with pytest.raises(DomainError, match="不能从"):
        case_flow.case_transition(actor=enf.leader, case=case, step="serve")


def test_transition_rows_and_audit(enf):
    from fazhi.audit.models import AuditEntry

    case = advance(enf, make_case(enf), CaseStatus.SERVED)
    rows = list(CaseTransition.objects.filter(case=case).values_list("from_status", "to_status"))
    assert rows == [("", "filing"), ("filing", "investigating"), ("investigating", "notified"),
                    ("notified", "decided"), ("decided", "served")]
    assert AuditEntry.objects.filter(object_type="enforcement.case", object_id=str(case.pk),
                                     action="transition").count() == 4


def test_close_requires_payment_with_late_fee(enf):
    case = advance(enf, make_case(enf, fine=Decimal("1000")), CaseStatus.SERVED)  # served 16 April 2024
    case = case_flow.case_transition(actor=enf.officer_user, case=case, step="execute", today=D(2024, 4, 17))
    with pytest.raises(DomainError, match="尚未缴清"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="close", today=D(2024, 5, 6))
    # payment due 1 May 2024 (holiday) → moves to Mon 6 May; paid 8 May: 2 days late → 60 yuan
    case = services.case_record_payment(actor=enf.officer_user, case=case, paid_on=D(2024, 5, 8),
                                        paid_amount=Decimal("1000"), today=D(2024, 5, 8))
    assert case.late_fee_paid == Decimal("60.00")
    case = case_flow.case_transition(actor=enf.officer_user, case=case, step="close", today=D(2024, 5, 8))
    assert case.status == CaseStatus.CLOSED


def test_simplified_procedure_thresholds(enf):
    with pytest.raises(DomainError, match="超过简易程序上限200元"):
        registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                    officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                    penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("201"), facts="x",
                                    title="乱堆乱放", decided_on=D(2024, 5, 6), today=D(2024, 5, 6))
    assert not Case.objects.exists()
    org = registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                      officers=[enf.o1, enf.o2], party_kind="org", party_name="某商店",
                                      penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("3000"), facts="x",
                                      title="占道经营", decided_on=D(2024, 5, 6), today=D(2024, 5, 6))
    assert org.status == CaseStatus.SERVED and org.service_method == ServiceMethod.ONSITE
    assert "当罚字〔2024〕第1号" in org.decision_number
    with pytest.raises(DomainError, match="普通程序"):
        registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                    officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                    penalty_kind=PenaltyKind.RESTRICT, fine_amount=None, facts="x",
                                    title="x", decided_on=D(2024, 5, 6), today=D(2024, 5, 6))
    with pytest.raises(DomainError, match="当场收缴"):
        registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                    officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                    penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("150"), facts="x",
                                    title="x", decided_on=D(2024, 5, 6), onspot_paid=True, today=D(2024, 5, 6))
    w = registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                    officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                    penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("50"), facts="x",
                                    title="x", decided_on=D(2024, 5, 6), onspot_paid=True, today=D(2024, 5, 6),
                                    onspot_receipt_no="湘财罚000123")
    assert w.paid_amount == Decimal("50")
    assert Case.objects.count() == 2


def test_settings_row_changes_thresholds(enf):
    admin = enf.demo.user("litou_admin")
    services.settings_save(actor=admin, region=enf.town, simple_fine_person_max=Decimal("500"))
    case = registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                       officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                       penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("400"), facts="x",
                                       title="x", decided_on=D(2024, 5, 6), today=D(2024, 5, 6))
    assert case.fine_amount == Decimal("400")


def test_revocation_withdraws_publication(enf):
    case = advance(enf, make_case(enf, facts="当事人（电话13812345678）未经批准建房"), CaseStatus.SERVED)
    pub = publication.publication_publish(actor=enf.officer_user, case=case, published_on=D(2024, 4, 18),
                                       today=D(2024, 4, 18))
    assert "431127********1234" in pub.body and "138****5678" in pub.body
    assert "198001011234" not in pub.body and "13812345678" not in pub.body
    with pytest.raises(DomainError, match="理由"):
        case_flow.case_transition(actor=enf.leader, case=case, step="revoke", today=D(2024, 6, 3))
    case = case_flow.case_transition(actor=enf.leader, case=case, step="revoke", today=D(2024, 6, 3),
                                    data={"reason": "行政复议决定撤销"})
    pub.refresh_from_db()
    assert pub.status == "withdrawn" and pub.withdrawn_on == D(2024, 6, 3)
    assert "复议" in pub.withdrawal_reason


def test_extension_needs_a_leader_and_a_reason(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    with pytest.raises(DomainError, match="无权"):
        services.case_update(actor=enf.officer_user, case=case, extension_days=30, extension_reason="复杂",
                             today=D(2024, 5, 20))
    with pytest.raises(DomainError, match="理由"):
        services.case_update(actor=enf.leader, case=case, extension_days=30, extension_reason=" ", today=D(2024, 5, 20))
    assert Case.objects.get(pk=case.pk).extension_days == 0
    services.case_update(actor=enf.leader, case=case, extension_days=30, extension_reason="案情复杂，经负责人批准",
                         today=D(2024, 5, 20))
    from fazhi.enforcement.selectors import case_deadlines_for

    decide = next(d for d in case_deadlines_for(Case.objects.get(pk=case.pk)) if d.key == "decide")
    assert decide.due == D(2024, 7, 2) and "延长" in decide.deadline.explanation  # 4 Mar + 120 days


def test_crime_suspected_allows_only_transfer(enf):
    case = _major_case(enf)
    r = services.legal_review_submit(actor=enf.officer_user, case=case, reviewer=enf.reviewer, today=D(2024, 4, 10))
    items = all_pass()
    items["crime"] = (True, "过火面积较大，涉嫌失火罪，建议移送")
    services.legal_review_conclude(actor=enf.legal_user, review=r, items=items, outcome=ReviewOutcome.PASSED,
                                   opinion="建议移送公安机关", crime_suspected=True, today=D(2024, 4, 11))
    case = case_flow.case_transition(actor=enf.leader, case=case, step="collective", today=D(2024, 4, 12))
    proceedings.discussion_record(actor=enf.leader, case=case, held_on=D(2024, 4, 12), chair="雷斌",
                               attendees="雷斌、李文杰、赵巾英", conclusion="移送",
                               opinions=[("雷斌", "agree", "同意移送")], today=D(2024, 4, 12))
    with pytest.raises(DomainError, match="移送司法机关"):
        case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 20),
                                 data={"outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 20)})
    case = case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 20),
                                    data={"outcome": Outcome.TRANSFER, "decided_on": D(2024, 4, 20)})
    assert case.outcome == Outcome.TRANSFER and case.fine_amount is None


def test_a_township_admin_cannot_change_the_province_row(enf):
    from fazhi.core.models import Region
    from fazhi.enforcement.models import StatutorySettings

    province = Region.objects.get(code="430000000000")
    with pytest.raises(DomainError, match="无权"):
        services.settings_save(actor=enf.demo.user("litou_admin"), region=province,
                               simple_fine_person_max=Decimal("500"))
    assert not StatutorySettings.objects.filter(region=province).exists()
