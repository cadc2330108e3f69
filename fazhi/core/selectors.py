from fazhi.core.models import CalendarYear, DayKind


def calendar_years():
    return CalendarYear.objects.prefetch_related("days").order_by("-year")


def calendar_year_texts(cal: CalendarYear) -> tuple[str, str]:
    """The entered days back as the editing form's lines."""
    holidays = [f"{d.date:%Y-%m-%d} {d.name}".strip() for d in cal.days.all() if d.kind == DayKind.HOLIDAY]
    workdays = [f"{d.date:%Y-%m-%d} {d.name}".strip() for d in cal.days.all() if d.kind == DayKind.WORKDAY]
    return "\n".join(holidays), "\n".join(workdays)
