"""Deadline engine: statutory periods counted the way officials are audited on (DESIGN.md §3).

- The start day is not counted.
- "N working days" ends on the N-th working day after the start, per the official schedule
  including weekend make-up working days (调休).
- "N days" are calendar days. Whom the period binds decides the rest-day rule: a *party's* period that
  ends on a rest day ends on the next working day (民事诉讼法第八十五条); a limit on the *agency* (decide
  within 90 days, seizure ≤ 30 days, limitation) is never lengthened (`party=False`).
- The schedule comes from `chinese-calendar` for the years it ships (up to 2026 in 1.11), else from
  the admin-entered `CalendarYear`; a year neither knows is counted on weekends only and the result
  is marked provisional.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from dataclasses import dataclass, field

import chinese_calendar

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    workday: bool
    name: str = ""  # holiday name, for holidays and their make-up working days
    known: bool = True  # False: the year's official schedule is not known (weekends only)

    @property
    def makeup_workday(self) -> bool:
        return self.workday and self.date.weekday() >= 5

    @property
    def holiday(self) -> bool:
        return not self.workday and bool(self.name)


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    n: int
    unit: str  # "working_days" | "days"
    due: dt.date
    provisional: bool
    explanation: str
    skipped_holidays: tuple[dt.date, ...] = field(default=(), repr=False)
    makeup_workdays: tuple[dt.date, ...] = field(default=(), repr=False)
    period: str = ""  # key in fazhi.core.periods.PERIODS (the row of 期限依据一览 this deadline applies)
    moved_from: dt.date | None = None  # the nominal end when a party's period was moved off a rest day

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due - (today or dt.date.today())).days

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.days_left(today) < 0

    def __str__(self) -> str:
        return fmt_date(self.due) + ("（暂定）" if self.provisional else "")


# --- official schedule sources -------------------------------------------------------------------

_CACHE_TTL = 60.0
_cache_lock = threading.Lock()
_cache: dict = {"loaded_at": 0.0, "years": {}}


def clear_schedule_cache() -> None:
    with _cache_lock:
        _cache["loaded_at"] = 0.0


def _entered_years() -> dict[int, dict[dt.date, tuple[str, str]]]:
    """Admin-entered schedules {year: {date: (kind, name)}}, cached briefly per process."""
    with _cache_lock:
        if time.monotonic() - _cache["loaded_at"] < _CACHE_TTL:
            return _cache["years"]
    from fazhi.core.models import CalendarDay, CalendarYear

    try:
        years: dict[int, dict[dt.date, tuple[str, str]]] = {
            y: {} for y in CalendarYear.objects.values_list("year", flat=True)}
        for d, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
            years.setdefault(d.year, {})[d] = (kind, name)
    except Exception:  # no database here (a pure computation, or before migrate): no entered schedules
        return {}
    with _cache_lock:
        _cache.update(loaded_at=time.monotonic(), years=years)
    return years


@functools.lru_cache(maxsize=256)
def _library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@functools.lru_cache(maxsize=16384)
def _library_day(day: dt.date) -> DayInfo:
    """The shipped schedule never changes within a process: each day is looked up once (a to-do or an overdue
    ledger counts thousands of working days per request; the library validates every call)."""
    on_holiday, name = chinese_calendar.get_holiday_detail(day)
    name_zh = HOLIDAY_NAMES_ZH.get(name, name or "")
    return DayInfo(day, not on_holiday, name_zh if name else "")


def day_info(day: dt.date) -> DayInfo:
    if _library_knows(day.year):
        return _library_day(day)
    entered = _entered_years().get(day.year)
    if entered is not None:
        kind, name = entered.get(day, ("", ""))
        if kind == "holiday":
            return DayInfo(day, False, name)
        if kind == "workday":
            return DayInfo(day, True, name)
        return DayInfo(day, day.weekday() < 5)
    return DayInfo(day, day.weekday() < 5, known=False)


def is_working_day(day: dt.date) -> bool:
    return day_info(day).workday


def library_last_year() -> int:
    """Last year whose official schedule ships with `chinese-calendar`."""
    year = dt.date.today().year + 1
    while year > 2004 and not _library_knows(year):
        year -= 1
    return year


def schedule_known(year: int) -> bool:
    return year in _entered_years() or _library_knows(year)


# --- formatting ------------------------------------------------------------------------------------

def fmt_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _fmt_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日（星期{WEEKDAYS_ZH[d.weekday()]}）"


def _ranges(days: list[DayInfo]) -> str:
    """'国庆节10月1日至10月7日、中秋节9月15日' from consecutive holiday days."""
    groups: list[list[DayInfo]] = []
    for info in days:
        if groups and groups[-1][-1].name == info.name and (info.date - groups[-1][-1].date).days == 1:
            groups[-1].append(info)
        else:
            groups.append([info])
    parts = []
    for g in groups:
        a, b = g[0].date, g[-1].date
        span = f"{a.month}月{a.day}日" if a == b else f"{a.month}月{a.day}日至{b.month}月{b.day}日"
        parts.append(f"{g[0].name}{span}")
    return "、".join(parts)


def _provisional_note(years: set[int]) -> str:
    ys = "、".join(f"{y}年" for y in sorted(years))
    return f"注意：{ys}的国务院节假日安排尚未录入，本期限仅按周末推算，为暂定期限，请在节假日安排公布后复核。"


# --- the two counting rules ------------------------------------------------------------------------

def add_working_days(start: dt.date, n: int) -> Deadline:
    """The N-th working day after `start` (start day not counted)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    day, counted = start, 0
    skipped: list[DayInfo] = []
    makeups: list[DayInfo] = []
    unknown: set[int] = set()
    while counted < n:
        day += dt.timedelta(days=1)
        info = day_info(day)
        if not info.known:
            unknown.add(day.year)
        if info.workday:
            counted += 1
            if info.makeup_workday:
                makeups.append(info)
        elif info.holiday:
            skipped.append(info)
    parts = [f"自{fmt_date(start)}起算（起算日不计入），向后计算{n}个工作日"]
    parts.append("，不计周六、周日")
    if skipped:
        parts.append(f"，跳过法定节假日{_ranges(skipped)}")
    if makeups:
        parts.append("，计入调休上班日" + "、".join(_fmt_day(m.date) for m in makeups))
    parts.append(f"；期限届满日为{fmt_date(day)}（星期{WEEKDAYS_ZH[day.weekday()]}）。")
    if unknown:
        parts.append(_provisional_note(unknown))
    return Deadline(start, n, "working_days", day, bool(unknown), "".join(parts),
                    tuple(s.date for s in skipped), tuple(m.date for m in makeups))


def add_days(start: dt.date, n: int, *, party: bool = True) -> Deadline:
    """N calendar days after `start`. A party's period (`party=True`) that ends on a rest day ends on the
    next working day (民事诉讼法第八十五条); a limit on the agency (`party=False`) is never lengthened."""
    if n < 0:
        raise ValueError("n must be >= 0")
    nominal = start + dt.timedelta(days=n)
    info = day_info(nominal)
    unknown = set() if info.known else {nominal.year}
    parts = [f"自{fmt_date(start)}起算（起算日不计入），向后计算{n}日，至{fmt_date(nominal)}"]
    due = nominal
    skipped: list[DayInfo] = []
    moved = None
    if not info.workday and party:
        while not day_info(due).workday:
            rest = day_info(due)
            if not rest.known:
                unknown.add(due.year)
            if rest.holiday:
                skipped.append(rest)
            due += dt.timedelta(days=1)
        moved = nominal
        why = f"法定节假日（{info.name}）" if info.holiday else f"休息日（星期{WEEKDAYS_ZH[nominal.weekday()]}）"
        parts.append(f"；该日为{why}，期间届满日顺延至下一个工作日{fmt_date(due)}")
        if skipped:
            parts.append(f"（跳过{_ranges(skipped)}）")
        parts.append("（民事诉讼法第八十五条：期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期）。")
    elif not info.workday:
        why = f"法定节假日（{info.name}）" if info.holiday else f"休息日（星期{WEEKDAYS_ZH[nominal.weekday()]}）"
        parts.append(f"，即期限届满日；该日虽为{why}，但本期限约束行政机关，不因休息日顺延。")
    else:
        parts.append("，即期限届满日。")
    if unknown:
        parts.append(_provisional_note(unknown))
    return Deadline(start, n, "days", due, bool(unknown), "".join(parts), tuple(s.date for s in skipped),
                    moved_from=moved)


def add_months(start: dt.date, months: int, *, party: bool = True) -> Deadline:
    """Periods in months (e.g. a lawsuit within 6 months): the corresponding day of the last month (or its
    last day), then the rest-day rule of `add_days` (a party's period moves, an agency's limit does not)."""
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    import calendar as _cal

    day = min(start.day, _cal.monthrange(year, month)[1])
    nominal = dt.date(year, month, day)
    result = add_days(start, (nominal - start).days, party=party)
    text = result.explanation.replace(f"向后计算{(nominal - start).days}日", f"向后计算{months}个月")
    return Deadline(start, months, "months", result.due, result.provisional, text, result.skipped_holidays,
                    moved_from=result.moved_from)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (for clocks that stop and restart)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day_info(day).workday:
            count += 1
    return count
