"""To-do reminder for the admin: enter next year's official holiday schedule (DESIGN.md §3).

The State Council publishes each next year's schedule around November; from 1 November until it is
entered, every admin sees a reminder. A year that has begun without its schedule keeps the reminder
(overdue): its deadlines are provisional until the schedule is entered.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fazhi.accounts.roles import Role
from fazhi.core.calendar import schedule_known
from fazhi.core.scope import has_role
from fazhi.core.todo import TodoItem

REMIND_FROM_MONTH = 11  # the official schedule is usually published in November


def years_to_enter(today: dt.date) -> list[int]:
    """Years whose schedule an admin should enter now: this year if unknown, next year from November."""
    years = [today.year] if not schedule_known(today.year) else []
    if today.month >= REMIND_FROM_MONTH and not schedule_known(today.year + 1):
        years.append(today.year + 1)
    return years


def calendar_todo(user, today: dt.date, horizon_days: int):
    if not has_role(user, {Role.ADMIN}):
        return
    for year in years_to_enter(today):
        due = dt.date(year - 1, 12, 31)
        why = (f"国务院通常于每年11月公布次年节假日安排；{year}年安排未录入前，落在{year}年的期限"
               "只按周末计算并标为“暂定”。")
        yield TodoItem("节假日安排", f"录入{year}年国务院节假日安排（放假及调休上班日期）", due,
                       reverse("core:calendar_years"), why, provisional=False)
