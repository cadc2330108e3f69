"""Writes owned by core: admin-entered holiday schedules."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from fazhi.audit.services import audit_record
from fazhi.core.calendar import _library_knows, clear_schedule_cache, library_last_year
from fazhi.core.errors import DomainError
from fazhi.core.models import LEVEL_ORDER, CalendarDay, CalendarYear, DayKind, Region

_LINE = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:至|~|-{2}|到)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$")


def _parse_days(text: str, year: int, label: str) -> list[tuple[dt.date, str]]:
    days: list[tuple[dt.date, str]] = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = _LINE.match(line)
        if not m:
            raise DomainError(f"{label}第{n}行格式不对：“{line}”。请写成“2027-10-01 至 2027-10-07 国庆节”或“2027-09-26 国庆节”。")
        try:
            first = dt.date.fromisoformat(_pad(m.group(1)))
            last = dt.date.fromisoformat(_pad(m.group(2))) if m.group(2) else first
        except ValueError:
            raise DomainError(f"{label}第{n}行的日期不存在：“{line}”。") from None
        if last < first:
            raise DomainError(f"{label}第{n}行的结束日期早于开始日期。")
        if first.year != year or last.year != year:
            raise DomainError(f"{label}第{n}行的日期不在{year}年内。")
        name = m.group(3).strip()[:32]
        d = first
        while d <= last:
            days.append((d, name))
            d += dt.timedelta(days=1)
    return days


def _pad(s: str) -> str:
    y, m, d = s.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def calendar_year_save(*, actor, year: int, source: str, holidays_text: str, workdays_text: str) -> CalendarYear:
    """Enter (or replace) one year's official schedule. All lines are checked before anything is written."""
    if not 2000 <= year <= 2100:
        raise DomainError("年份应在2000年至2100年之间。")
    if _library_knows(year):
        raise DomainError(f"系统已内置{year}年的国务院节假日安排，无需录入；请录入{library_last_year() + 1}年及以后的年度。")
    holidays = _parse_days(holidays_text, year, "放假日期")
    workdays = _parse_days(workdays_text, year, "调休上班日期")
    if not holidays:
        raise DomainError("请至少填写一个法定节假日。")
    clash = {d for d, _ in holidays} & {d for d, _ in workdays}
    if clash:
        raise DomainError(f"{min(clash):%Y-%m-%d}同时被填为放假和调休上班，请核对。")
    with transaction.atomic():
        cal, created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        old_count = cal.days.count()
        cal.source, cal.entered_by = source.strip()[:200], actor
        cal.save()
        cal.days.all().delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(calendar=cal, date=d, kind=DayKind.HOLIDAY, name=n) for d, n in holidays]
            + [CalendarDay(calendar=cal, date=d, kind=DayKind.WORKDAY, name=n) for d, n in workdays]
        )
        audit_record(actor=actor, action="create" if created else "update", obj=cal,
                     changes={"放假天数": [None if created else str(old_count), str(len(holidays))],
                              "调休上班天数": [None, str(len(workdays))]},
                     reason=source)
        transaction.on_commit(clear_schedule_cache)
    clear_schedule_cache()
    return cal


def region_save(*, actor, code: str, name: str, level: str, parent_code: str | None,
                population: int | None = None) -> Region:
    """Create or rename a region; its level must sit directly under the parent's level."""
    if not re.fullmatch(r"\d{12}", code or ""):
        raise DomainError("区划代码应为12位数字。")
    parent = None
    if parent_code:
        parent = Region.objects.filter(code=parent_code).first()
        if parent is None:
            raise DomainError(f"上级区划 {parent_code} 不存在。")
        if LEVEL_ORDER.index(level) != LEVEL_ORDER.index(parent.level) + 1:
            raise DomainError("区划层级应为上级的下一级（省→市→县→乡镇→村）。")
        if not code.startswith(_code_prefix(parent)):
            raise DomainError(f"区划代码{code}与上级{parent.name}（{parent.code}）不一致。")
    elif level != "province":
        raise DomainError("除省级外，必须指定上级区划。")
    with transaction.atomic():
        region, created = Region.objects.update_or_create(
            code=code, defaults={"name": name.strip(), "level": level, "parent": parent, "population": population,
                                 "path": (parent.path if parent else "/") + code + "/"})
        audit_record(actor=actor, action="create" if created else "update", obj=region,
                     changes={"name": [None, region.name], "level": [None, region.get_level_display()]})
    return region


def _code_prefix(parent: Region) -> str:
    """Digits a child's code shares with its parent: 2 (province), 4 (city), 6 (county), 9 (township)."""
    return parent.code[: {"province": 2, "city": 4, "county": 6, "township": 9}.get(parent.level, 12)]
