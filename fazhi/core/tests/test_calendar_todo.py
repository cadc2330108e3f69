import datetime as dt

from fazhi.core.calendar import clear_schedule_cache, library_last_year
from fazhi.core.calendar_todo import years_to_enter
from fazhi.core.services import calendar_year_save
from fazhi.core.todo import todo_for

D = dt.date
UNKNOWN = library_last_year() + 1  # first year chinese-calendar does not know (2027 with 1.11)


def _reminders(user, today):
    return [i for i in todo_for(user, today) if i.module == "节假日安排"]


def test_it_reminds_the_admin_from_november_to_enter_next_years_schedule(demo):
    admin = demo.user("litou_admin")
    assert _reminders(admin, D(UNKNOWN - 1, 10, 31)) == []
    items = _reminders(admin, D(UNKNOWN - 1, 11, 1))
    assert [i.title for i in items] == [f"录入{UNKNOWN}年国务院节假日安排（放假及调休上班日期）"]
    assert items[0].due == D(UNKNOWN - 1, 12, 31) and "暂定" in items[0].explanation


def test_it_keeps_reminding_once_the_unknown_year_has_begun(demo):
    admin = demo.user("litou_admin")
    items = _reminders(admin, D(UNKNOWN, 3, 1))
    assert len(items) == 1 and items[0].overdue(D(UNKNOWN, 3, 1))
    assert years_to_enter(D(UNKNOWN, 11, 2)) == [UNKNOWN, UNKNOWN + 1]


def test_it_does_not_remind_other_roles(demo):
    for name in ("litou_leader", "litou_legal_staff", "county_supervisor", "litou_officer"):
        assert _reminders(demo.user(name), D(UNKNOWN - 1, 11, 15)) == []


def test_the_reminder_goes_once_the_schedule_is_entered(demo):
    admin = demo.user("litou_admin")
    calendar_year_save(actor=admin, year=UNKNOWN, source="国办发明电〔示例〕",
                       holidays_text=f"{UNKNOWN}-01-01 元旦", workdays_text="")
    clear_schedule_cache()
    try:
        assert _reminders(admin, D(UNKNOWN - 1, 11, 15)) == []
        assert _reminders(admin, D(UNKNOWN, 3, 1)) == []
    finally:
        clear_schedule_cache()
