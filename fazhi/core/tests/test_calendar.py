import datetime as dt

import pytest

from fazhi.core.calendar import add_days, add_months, add_working_days, working_days_between
from fazhi.core.errors import DomainError
from fazhi.core.services import calendar_year_save

D = dt.date


def test_it_skips_national_day_and_counts_the_makeup_saturday():
    r = add_working_days(D(2024, 9, 30), 7)
    assert r.due == D(2024, 10, 15)
    assert not r.provisional
    assert "国庆节10月1日至10月7日" in r.explanation
    assert "10月12日（星期六）" in r.explanation
    assert "起算日不计入" in r.explanation


def test_it_counts_a_makeup_sunday_as_a_working_day():
    assert add_working_days(D(2024, 9, 27), 1).due == D(2024, 9, 29)


def test_it_skips_spring_festival_week():
    r = add_working_days(D(2025, 1, 27), 5)
    assert r.due == D(2025, 2, 10)
    assert "春节" in r.explanation


def test_start_day_is_not_counted():
    assert add_working_days(D(2024, 3, 4), 1).due == D(2024, 3, 5)  # Monday → Tuesday
    assert add_days(D(2024, 3, 4), 1).due == D(2024, 3, 5)


def test_it_crosses_the_year_boundary():
    assert add_working_days(D(2024, 12, 27), 5).due == D(2025, 1, 6)


def test_calendar_day_period_ending_on_a_holiday_moves_to_next_working_day():
    r = add_days(D(2024, 9, 16), 15)
    assert r.due == D(2024, 10, 8)
    assert "顺延" in r.explanation and "国庆节" in r.explanation


def test_calendar_day_period_ending_on_a_weekend_moves_to_monday():
    r = add_days(D(2024, 9, 6), 15)
    assert r.due == D(2024, 9, 23)
    assert "星期六" in r.explanation


def test_calendar_day_period_ending_on_a_makeup_workday_stays():
    assert add_days(D(2024, 9, 14), 15).due == D(2024, 9, 29)  # Sunday, but an official working day


def test_months_period_uses_same_day_and_rest_day_rule():
    assert add_months(D(2024, 4, 1), 6).due == D(2024, 10, 8)  # 10-01 falls in National Day
    assert add_months(D(2024, 8, 31), 6).due == D(2025, 2, 28)


@pytest.mark.django_db
def test_unknown_year_is_weekends_only_and_provisional():
    r = add_working_days(D(2026, 12, 30), 3)
    assert r.due == D(2027, 1, 4)
    assert r.provisional
    assert "2027年" in r.explanation and "暂定" in r.explanation
    assert add_days(D(2027, 3, 1), 10).provisional


@pytest.mark.django_db
def test_admin_entered_year_is_used_and_not_provisional(demo):
    calendar_year_save(actor=demo.user("litou_admin"), year=2027, source="国办发明电〔2026〕X号",
                       holidays_text="2027-01-01 元旦\n2027-02-06 至 2027-02-12 春节",
                       workdays_text="2027-02-13 春节")
    r = add_working_days(D(2026, 12, 30), 3)
    assert r.due == D(2027, 1, 5)
    assert not r.provisional
    assert "元旦1月1日" in r.explanation
    r2 = add_working_days(D(2027, 2, 5), 2)
    assert r2.due == D(2027, 2, 15)  # 2-13 Saturday make-up counts, then Monday 2-15
    assert "调休上班日2月13日" in r2.explanation


@pytest.mark.django_db
def test_bad_schedule_input_is_refused_and_changes_nothing(demo):
    from fazhi.core.models import CalendarYear

    with pytest.raises(DomainError, match="第2行"):
        calendar_year_save(actor=demo.user("litou_admin"), year=2027, source="",
                           holidays_text="2027-01-01 元旦\n2027-02-30 春节", workdays_text="")
    with pytest.raises(DomainError, match="不在2027年"):
        calendar_year_save(actor=demo.user("litou_admin"), year=2027, source="",
                           holidays_text="2028-01-01 元旦", workdays_text="")
    with pytest.raises(DomainError, match="已内置"):
        calendar_year_save(actor=demo.user("litou_admin"), year=2025, source="",
                           holidays_text="2025-01-01 元旦", workdays_text="")
    assert not CalendarYear.objects.exists()


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2024, 9, 30), D(2024, 10, 15)) == 7
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 1)) == 0
