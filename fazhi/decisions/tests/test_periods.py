"""Periods over Spring Festival, make-up working days and years whose schedule is not yet known."""

import datetime as dt

import pytest

from fazhi.decisions.deadlines import comment_period, reply_deadline, review_period
from fazhi.decisions.models import Decision, DecisionSettings, Litigation

D = dt.date


def decision(submitted):
    return Decision(review_submitted_on=submitted, township_id=1)


def test_review_period_over_spring_festival_counts_make_up_sunday():
    period = review_period(decision(D(2024, 2, 8)), DecisionSettings())
    # 2-9 (1); 2-10..2-17 春节; 2-18 Sunday make-up working day (2); 2-19..2-23 (3..7)
    assert period.due == D(2024, 2, 23)
    assert "春节" in period.explanation and "2月18日" in period.explanation
    assert not period.provisional


@pytest.mark.django_db
def test_review_period_in_a_year_without_official_schedule_is_provisional():
    period = review_period(decision(D(2027, 12, 28)), DecisionSettings())
    assert period.provisional and "暂定" in period.explanation


def test_review_period_follows_the_setting():
    assert review_period(decision(D(2024, 4, 8)), DecisionSettings(legality_review_working_days=10)).due == D(2024, 4, 22)


def test_comment_period_is_counted_in_calendar_days_from_the_day_after_start():
    assert comment_period(D(2024, 1, 31), D(2024, 3, 1), 30).days == 30  # leap year February
    short = comment_period(D(2024, 2, 1), D(2024, 3, 1), 30)
    assert short.short and "须说明理由" in short.explanation
    assert not comment_period(D(2024, 2, 1), D(2024, 3, 2), 30).short


@pytest.mark.parametrize("received, kind, due", [
    (D(2024, 2, 1), "litigation", D(2024, 2, 18)),  # 2-11 falls in 春节: next working day is the make-up Sunday 2-18
    (D(2024, 3, 1), "litigation", D(2024, 3, 18)),  # 15 days → 3-16 Saturday → Monday 3-18
    (D(2024, 3, 4), "reconsideration", D(2024, 3, 18)),  # 10 working days (行政复议法第八十八条)
])
def test_reply_deadline_moves_off_rest_days(received, kind, due):
    case = Litigation(kind=kind, received_on=received, township_id=1)
    assert reply_deadline(case, DecisionSettings()).due == due
