"""Derived deadlines around 国庆, 春节 and make-up working days (Art. 85: the law's 7/5/3 days are
working days; other periods are calendar days that move off rest days)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.enforcement import deadlines, rules
from fazhi.enforcement.models import Case, CoerciveMeasure, Outcome, PartyKind, Procedure, StatutorySettings

D = dt.date
S = StatutorySettings()


def _case(**kw):
    base = {"procedure": Procedure.ORDINARY, "party_kind": PartyKind.PERSON, "extension_days": 0}
    base.update(kw)
    return Case(**base)


def test_service_within_7_working_days_over_national_day_and_makeup_days():
    d = deadlines.service_deadline(_case(decided_on=D(2024, 9, 27)), S)
    assert d.due == D(2024, 10, 12)  # 29 Sep (Sun) and 12 Oct (Sat) are make-up working days
    assert "国庆节" in d.explanation and "调休上班日" in d.explanation and "7个工作日" in d.explanation


def test_hearing_request_5_working_days_over_spring_festival():
    d = deadlines.hearing_request_deadline(_case(notice_served_on=D(2024, 2, 8)), S)
    assert d.due == D(2024, 2, 21)
    assert "春节" in d.explanation


def test_payment_15_calendar_days_moves_off_holiday():
    d = deadlines.payment_deadline(_case(served_on=D(2024, 9, 20), outcome=Outcome.PENALTY,
                                         fine_amount=Decimal("500")), S)
    assert d.due == D(2024, 10, 8)
    assert "顺延" in d.explanation


def test_decide_90_days_with_extension():
    c = _case(filed_on=D(2024, 1, 10))
    assert deadlines.decide_deadline(c, S).due == D(2024, 4, 9)
    c.extension_days, c.extension_reason = 30, "案情复杂，经负责人批准"
    d = deadlines.decide_deadline(c, S)
    assert d.due == D(2024, 5, 9) and "延长" in d.explanation


def test_hearing_notice_latest_day_counts_back_7_working_days():
    d = deadlines.latest_hearing_notice(D(2024, 10, 10), S)
    assert d.due == D(2024, 9, 25)
    assert deadlines.earliest_hearing(D(2024, 9, 25), S).due == D(2024, 10, 10)


def test_publication_and_withdrawal_working_days():
    c = _case(decided_on=D(2024, 9, 27), outcome=Outcome.PENALTY)
    assert deadlines.publication_deadline(c, S).due == D(2024, 10, 12)
    c.revoked_on = D(2024, 4, 30)
    assert deadlines.withdrawal_deadline(c, S).due == D(2024, 5, 8)  # 劳动节 1–5 May, 11 May is later


def test_seizure_30_plus_30_days():
    m = CoerciveMeasure(started_on=D(2024, 9, 1))
    assert deadlines.seizure_deadline(m, S).due == D(2024, 10, 1)  # an agency limit: 国庆节 does not lengthen it
    m.extended = True
    assert deadlines.seizure_deadline(m, S).due == D(2024, 10, 31)


def test_limitation_two_years():
    c = _case(violation_date=D(2022, 3, 1))
    assert deadlines.limitation_deadline(c, S).due == D(2024, 3, 1)


def test_late_fee_3_percent_capped_at_fine():
    assert rules.late_fee(Decimal("1000"), 2, S) == Decimal("60.00")
    assert rules.late_fee(Decimal("1000"), 40, S) == Decimal("1000.00")
    assert rules.late_fee(Decimal("1000"), 0, S) == Decimal("0.00")


@pytest.mark.django_db
def test_unknown_year_is_provisional():
    d = deadlines.service_deadline(_case(decided_on=D(2031, 9, 26)), S)
    assert d.provisional and "暂定" in d.explanation
