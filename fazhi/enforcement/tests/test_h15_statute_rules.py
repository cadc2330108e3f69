"""Issue 15: every count and guard as the statute has it (行政处罚法, 行政强制法), the article beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, publication, records, services
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoerciveMeasure,
    Outcome,
    PartyKind,
    Procedure,
    StatutorySettings,
)
from fazhi.enforcement.publication import mask_personal, publication_text
from fazhi.enforcement.tests.conftest import advance, make_case
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import measures as measure_flow
from fazhi.enforcement.workflow import registration

D = dt.date
S = StatutorySettings()


def _case(**kw):
    base = {"procedure": Procedure.ORDINARY, "party_kind": PartyKind.PERSON, "extension_days": 0}
    base.update(kw)
    return Case(**base)


def test_it_never_lengthens_the_seizure_limit_by_rest_days():
    d = deadlines.seizure_deadline(CoerciveMeasure(started_on=D(2024, 9, 1)), S)
    assert d.due == D(2024, 10, 1)  # 不得超过三十日: 30 days, not 37
    assert "不因休息日顺延" in d.explanation and "行政强制法第二十五条" in d.explanation
    assert d.period == "enf.seizure"


def test_it_never_lengthens_the_90_day_decision_limit():
    d = deadlines.decide_deadline(_case(filed_on=D(2024, 3, 4)), S)
    assert d.due == D(2024, 6, 2)  # a Sunday; the agency's limit does not move
    assert "第六十条" in d.explanation


def test_it_moves_a_partys_payment_period_off_a_holiday_and_says_so():
    d = deadlines.payment_deadline(_case(served_on=D(2024, 9, 20), outcome=Outcome.PENALTY,
                                         fine_amount=Decimal("500")), S)
    assert d.due == D(2024, 10, 8) and d.moved_from == D(2024, 10, 5)
    assert "顺延" in d.explanation and "第六十七条" in d.explanation


def test_it_counts_limitation_from_the_end_of_a_continuing_violation():
    c = _case(violation_date=D(2020, 1, 1), violation_continuing=True, violation_ended_on=D(2023, 5, 1))
    assert deadlines.limitation_deadline(c, S).due == D(2025, 5, 1)
    still = _case(violation_date=D(2020, 1, 1), violation_continuing=True)
    assert deadlines.limitation_deadline(still, S) is None  # not yet ended: the period has not begun


def test_it_extends_limitation_to_five_years_only_with_harm(enf):
    enf.power.life_health_or_finance = True
    c = _case(power=enf.power, violation_date=D(2020, 3, 10))
    assert deadlines.limitation_deadline(c, S).due == D(2022, 3, 10)
    c.harm_occurred = True
    assert deadlines.limitation_deadline(c, S).due == D(2025, 3, 10)


@pytest.mark.django_db
def test_it_judges_limitation_by_discovery_not_by_filing(enf):
    case = make_case(enf, violation_date=D(2022, 3, 10), discovered_on=D(2024, 3, 1))
    case = case_flow.case_transition(actor=enf.leader, case=case, step="approve", today=D(2024, 3, 15),
                                    data={"filed_on": D(2024, 3, 15)})
    assert case.status == CaseStatus.INVESTIGATING
    late = make_case(enf, violation_date=D(2022, 2, 20), discovered_on=D(2024, 3, 1))
    with pytest.raises(DomainError, match="第三十六条"):
        case_flow.case_transition(actor=enf.leader, case=late, step="approve", today=D(2024, 3, 4),
                                 data={"filed_on": D(2024, 3, 4)})


@pytest.mark.django_db
def test_it_caps_the_decision_extension_and_allows_it_once_before_expiry(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)  # filed 4 March 2024 → 2 June
    with pytest.raises(DomainError, match="不得超过30日"):
        services.case_update(actor=enf.leader, case=case, extension_days=45, extension_reason="复杂",
                             today=D(2024, 5, 20))
    with pytest.raises(DomainError, match="届满"):
        services.case_update(actor=enf.leader, case=case, extension_days=30, extension_reason="复杂",
                             today=D(2024, 6, 3))
    case = services.case_update(actor=enf.leader, case=case, extension_days=30, extension_reason="复杂",
                                today=D(2024, 6, 2))
    assert case.extension_approved_on == D(2024, 6, 2)
    with pytest.raises(DomainError, match="只能延长一次"):
        services.case_update(actor=enf.leader, case=case, extension_days=20, extension_reason="再延",
                             today=D(2024, 6, 10))


@pytest.mark.django_db
def test_it_needs_a_leader_to_extend_a_seizure(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    m = records.measure_create(actor=enf.officer_user, case=case, kind="seize", items="木材",
                                started_on=D(2024, 3, 5), approved_by="雷斌", today=D(2024, 3, 5))
    with pytest.raises(DomainError, match="无权"):
        measure_flow.measure_transition(actor=enf.officer_user, measure=m, step="extend", data={"reason": "复杂"},
                                    today=D(2024, 3, 20))
    measure_flow.measure_transition(actor=enf.leader, measure=m, step="extend", data={"reason": "复杂"}, today=D(2024, 4, 4))


def test_it_labels_the_statement_period_as_a_local_rule():
    d = deadlines.statement_deadline(_case(notice_served_on=D(2024, 4, 1)), S)
    assert "本地规则" in d.explanation and "未规定" in d.explanation
    h = deadlines.hearing_request_deadline(_case(notice_served_on=D(2024, 4, 1)), S)
    assert "第六十四条" in h.explanation and "本地规则" not in h.explanation


def _simple(enf, fine, **kw):
    return registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                       officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                       penalty_kind="fine", fine_amount=Decimal(fine), facts="x", title="x",
                                       decided_on=D(2024, 5, 6), onspot_paid=True, today=D(2024, 5, 6), **kw)


@pytest.mark.django_db
def test_it_allows_onspot_collection_under_article_68_2_and_69_with_the_receipt(enf):
    with pytest.raises(DomainError, match="第六十八条"):
        _simple(enf, "150", onspot_receipt_no="R1")
    with pytest.raises(DomainError, match="具体情形"):
        _simple(enf, "150", onspot_ground="remote", onspot_receipt_no="R1")
    with pytest.raises(DomainError, match="专用票据"):
        _simple(enf, "150", onspot_ground="remote", onspot_reason="当事人在水上作业，提出当场缴纳")
    c = _simple(enf, "150", onspot_ground="remote", onspot_reason="当事人在水上作业，提出当场缴纳",
                onspot_receipt_no="湘财罚0001")
    assert c.paid_amount == Decimal("150") and c.onspot_ground == "remote" and c.onspot_receipt_no == "湘财罚0001"
    c2 = _simple(enf, "180", onspot_ground="hard", onspot_reason="外地流动摊贩，事后难以执行", onspot_receipt_no="R2")
    assert c2.onspot_ground == "hard"


@pytest.mark.django_db
def test_it_lets_a_reviewer_who_reviewed_before_2021_without_qualification_review(enf):
    from fazhi.enforcement import rules

    r = enf.unqualified_reviewer
    assert "第五十八条第二款" in rules.reviewer_refusal(r, D(2024, 5, 1))
    r.first_review_on = D(2022, 1, 1)
    assert rules.reviewer_refusal(r, D(2024, 5, 1))  # first reviewed after the law: needed the qualification
    r.first_review_on = D(2019, 6, 1)
    assert rules.reviewer_refusal(r, D(2024, 5, 1)) is None
    sifasuo = services.officer_save(actor=enf.leader, township=enf.town, name="司法所王某", affiliation="sifasuo",
                                    legal_qualified=True, legal_qualification_no="A2020")
    assert rules.reviewer_refusal(sifasuo, D(2024, 5, 1)) is None


@pytest.mark.django_db
def test_it_ends_the_publication_duty_with_a_recorded_non_publication(enf):
    case = advance(enf, make_case(enf), CaseStatus.SERVED)
    keys = {d.key for d in deadlines.case_deadlines(case, S)}
    assert "publication" in keys
    with pytest.raises(DomainError, match="理由"):
        publication.publication_exempt(actor=enf.leader, case=case, ground="privacy", reason=" ", today=D(2024, 4, 20))
    with pytest.raises(DomainError, match="无权"):
        publication.publication_exempt(actor=enf.officer_user, case=case, ground="privacy", reason="x",
                                    today=D(2024, 4, 20))
    case = publication.publication_exempt(actor=enf.leader, case=case, ground="privacy", reason="涉及当事人疾病信息",
                                       today=D(2024, 4, 20))
    assert "publication" not in {d.key for d in deadlines.case_deadlines(case, S)}
    with pytest.raises(DomainError, match="不予公开"):
        publication.publication_publish(actor=enf.officer_user, case=case, today=D(2024, 4, 21))


def test_it_masks_addresses_accounts_ids_phones_and_other_persons_in_the_published_text(enf):
    c = _case(power=enf.power, party_name="张三", party_id_no="431127198001011234", party_address="犁头瑶族乡犁头村4组",
              decision_number="犁罚〔2024〕1号", title="擅自建房案", decided_on=D(2024, 4, 15), outcome=Outcome.PENALTY,
              penalty_kind="fine", fine_amount=Decimal("3000"),
              facts="当事人住犁头瑶族乡犁头村4组，电话13812345678，经证人李四、未成年人王小明指认；"
                    "违法所得转入账户6222 0212 3456 7890 123。",
              publication_mask_names="李四\n王小明")
    _title, body = publication_text(c)
    for secret in ("犁头村4组", "13812345678", "19800101", "李四", "王小明", "6222 0212 3456 7890 123"):
        assert secret not in body, secret
    assert "张三" in body and "李某" in body and "王某某" in body
    assert "6222" in body and "0123" not in body or "*" in body
    assert mask_personal("账号62220212345678901") != "账号62220212345678901"


def test_it_names_an_approved_decision_extension_as_an_extension_not_a_local_number():
    """Art. 60 fixes 90 days; the 30 added by the leader's approval are the extension, not a changed statute."""
    c = _case(filed_on=D(2024, 3, 4), extension_days=30, extension_reason="案情复杂",
              extension_approved_on=D(2024, 5, 20))
    d = deadlines.decide_deadline(c, S)
    assert d.due == D(2024, 7, 2)  # 90 + 30 days; an agency limit never moves off a rest day
    assert "本地参数" not in d.explanation and "法定90" not in d.explanation
    assert "经批准延长30日" in d.explanation and "合计120日" in d.explanation and "第六十条" in d.explanation


def test_it_never_extends_a_seizure_beyond_the_statutes_thirty_plus_thirty_days():
    """行政强制法第二十五条: 不得超过三十日 … 延长期限不得超过三十日 — a local setting cannot give more."""
    m = CoerciveMeasure(started_on=D(2024, 9, 1), extended=True, extension_reason="需检验鉴定")
    d = deadlines.seizure_deadline(m, S)
    assert d.due == D(2024, 10, 31) and "本地参数" not in d.explanation
    assert "经批准延长30日" in d.explanation and "合计60日" in d.explanation and "情况复杂的" in d.explanation
    loose = StatutorySettings(seizure_days=40, seizure_extension_days=45)
    assert deadlines.seizure_deadline(m, loose).due == D(2024, 10, 31)
    assert deadlines.seizure_deadline(CoerciveMeasure(started_on=D(2024, 9, 1)), loose).due == D(2024, 10, 1)


def test_it_masks_the_person_who_signed_for_the_party_in_the_published_text(enf):
    """Art. 48 with 个人信息保护法: a natural person the case knows other than the party (the family member who
    signed the 送达回证) is masked without being typed into the mask list."""
    c = _case(power=enf.power, party_name="张三", decision_number="犁罚〔2024〕2号", title="擅自建房案",
              decided_on=D(2024, 4, 15), outcome=Outcome.PENALTY, penalty_kind="fine", fine_amount=Decimal("3000"),
              service_recipient="刘翠花", facts="经当事人之妻刘翠花在场确认，当事人擅自建房。")
    _title, body = publication_text(c)
    assert "刘翠花" not in body and "刘某某" in body and "张三" in body
    c.service_recipient = "本人"
    assert "当事人之妻刘翠花" in publication_text(c)[1] and "本某" not in publication_text(c)[1]
