"""Reads of the education app (学法普法), scoped to the user, or by township for statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, DecimalField, Max, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from fazhi.core.models import Region, RegionLevel
from fazhi.core.params import int_param
from fazhi.core.scope import townships_for, villages_for
from fazhi.education.models import (
    AGE_BANDS,
    EventFormat,
    Law,
    Official,
    PublicityEvent,
    PublicityPlan,
    StudyKind,
    StudySession,
    Topic,
    Venue,
    VenueState,
)
from fazhi.education.permissions import EDU_READ, EVENT_READ

ELDERLY_FIELD = "aud_60_plus"


def years_choices(request=None) -> list[tuple[int, str]]:
    this = dt.date.today().year
    return [(y, f"{y}年") for y in range(this + 1, this - 6, -1)]


def stats_township(user, roles, raw: str = ""):
    """The township a statistics page shows: ?township=<id> among those the user may see, else the first."""
    towns = townships_for(user, roles)
    pk = int_param(raw)
    town = towns.filter(pk=pk).first() if pk is not None else None
    return town or towns.first(), towns


def law_catalogue(active_only: bool = True):
    qs = Law.objects.all()
    return qs.filter(active=True) if active_only else qs


def topic_catalogue(active_only: bool = True):
    qs = Topic.objects.all()
    return qs.filter(active=True) if active_only else qs


def topic_choices(request=None):
    return [(t.pk, t.name) for t in Topic.objects.all()]


def format_choices(request=None):
    return EventFormat.choices


def session_list_for(user):
    return StudySession.objects.visible_to(user, roles=EDU_READ).select_related("township").annotate(
        attendee_count=Count("attendance"))


def official_list_for(user):
    return Official.objects.visible_to(user, roles=EDU_READ).select_related("township")


def officials_with_hours(qs, year: int):
    in_year = Q(attendance__session__date__year=year)
    return qs.annotate(sessions=Count("attendance", filter=in_year),
                       hours=Coalesce(Sum("attendance__hours", filter=in_year), Value(Decimal("0")),
                                      output_field=DecimalField(max_digits=8, decimal_places=1))
                       ).order_by("-is_leader", "order", "id")


def event_list_for(user):
    return PublicityEvent.objects.visible_to(user, roles=EVENT_READ).select_related("township", "village")


def venue_list_for(user):
    return Venue.objects.visible_to(user, roles=EVENT_READ).select_related("township", "village").annotate(
        last_used=Max("events__date"), event_count=Count("events"))


def pubplan_list_for(user):
    return PublicityPlan.objects.visible_to(user, roles=EDU_READ).select_related("township")


def village_choices(request):
    return [(v.pk, v.name) for v in villages_for(request.user, EVENT_READ)]


def _event_totals(township, year: int) -> dict:
    sums = {f: Coalesce(Sum(f), 0) for f, _ in AGE_BANDS}
    return PublicityEvent.objects.filter(township=township, date__year=year).aggregate(
        events=Count("id"), themed=Count("id", filter=Q(format=EventFormat.CAMPAIGN)),
        audience=Coalesce(Sum("audience"), 0), posters=Coalesce(Sum("posters"), 0),
        leaflets=Coalesce(Sum("leaflets"), 0), villages_covered=Count("village", distinct=True), **sums)


def _age_distribution(totals: dict) -> tuple[dict, int | None]:
    by_age = {label: int(totals[f]) for f, label in AGE_BANDS}
    banded = sum(by_age.values())
    share = round(int(totals[ELDERLY_FIELD]) * 100 / banded) if banded else None
    return by_age, share


def coverage(township, year: int) -> dict:
    """Coverage of a township-year: per village against population, uncovered villages, ages, plan vs actual."""
    villages = list(Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).order_by("code"))
    per_village = {row["village"]: row for row in PublicityEvent.objects.filter(township=township, date__year=year)
                   .values("village").annotate(events=Count("id"), audience=Coalesce(Sum("audience"), 0))}
    rows = []
    for v in villages:
        r = per_village.get(v.pk, {"events": 0, "audience": 0})
        pop = v.population or 0
        rows.append({"village": v, "name": v.name, "population": v.population, "events": r["events"],
                     "audience": r["audience"],
                     "reach_pct": round(r["audience"] * 100 / pop, 1) if pop else None,
                     "per_1000": round(r["audience"] * 1000 / pop, 1) if pop else None})
    totals = _event_totals(township, year)
    by_age, elderly = _age_distribution(totals)
    months = dict(PublicityEvent.objects.filter(township=township, date__year=year)
                  .annotate(m=ExtractMonth("date")).values("m").annotate(n=Count("id")).values_list("m", "n"))
    plan = PublicityPlan.objects.filter(township=township, year=year).first()
    plan_vs_actual = []
    if plan:
        plan_vs_actual = [
            ("集中宣传（次）", plan.planned_events, totals["themed"]),
            ("受众（人次）", plan.target_audience, totals["audience"]),
            ("海报（份）", plan.target_posters, totals["posters"]),
            ("宣传资料（份）", plan.target_leaflets, totals["leaflets"]),
            ("覆盖村数（个）", plan.target_villages, totals["villages_covered"]),
        ]
    population = sum(v.population or 0 for v in villages)
    return {
        "township": township, "year": year, "rows": rows, "totals": totals, "plan": plan,
        "uncovered": [r["name"] for r in rows if r["events"] == 0],
        "by_age": by_age, "elderly_share": elderly, "plan_vs_actual": plan_vs_actual,
        # “时紧时松”: months without any event show as gaps.
        "by_month": [(m, months.get(m, 0)) for m in range(1, 13)],
        "idle_months": [m for m in range(1, 13) if not months.get(m)],
        "population": population,
        "reach_pct": round(totals["audience"] * 100 / population, 1) if population else None,
    }


class LeaderHours(TypedDict):
    name: str
    post: str
    sessions: int
    hours: float


class EducationStats(TypedDict):
    """The annual-report contract of education (reports reads these keys)."""

    study_sessions: int
    center_group_sessions: int
    study_hours_total: float
    laws_studied: list[str]
    leader_hours: list[LeaderHours]
    publicity_events: int
    themed_campaigns: int
    audience: int
    posters: int
    leaflets: int
    topics: list[str]
    villages_without_events: list[str]
    audience_by_age: dict[str, int]
    elderly_share: int | None
    venues: int
    planned_events: int


def annual_stats(township, year: int) -> EducationStats:
    """Statistics for the annual report, seed 一(二) and 二: a fixed number of SQL queries."""
    study = StudySession.objects.filter(township=township, date__year=year).aggregate(
        total=Count("id"), center=Count("id", filter=Q(kind=StudyKind.CENTER_GROUP)),
        hours=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField(max_digits=8, decimal_places=1)))
    laws = list(Law.objects.filter(sessions__township=township, sessions__date__year=year).distinct()
                .order_by("order", "id").values_list("name", flat=True))
    leaders = officials_with_hours(Official.objects.filter(township=township, is_leader=True), year)
    leader_hours = [{"name": o.name, "post": o.post, "sessions": o.sessions, "hours": float(o.hours or 0)}
                    for o in leaders]
    totals = _event_totals(township, year)
    by_age, elderly = _age_distribution(totals)
    topics = list(Topic.objects.filter(events__township=township, events__date__year=year).distinct()
                  .order_by("order", "id").values_list("name", flat=True))
    covered = PublicityEvent.objects.filter(township=township, date__year=year).values("village_id")
    uncovered = list(Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).exclude(pk__in=covered)
                     .order_by("code").values_list("name", flat=True))
    venues = (Venue.objects.filter(township=township).exclude(state=VenueState.CLOSED)
              .filter(Q(built_on__isnull=True) | Q(built_on__year__lte=year)).count())
    planned = PublicityPlan.objects.filter(township=township, year=year).values_list("planned_events", flat=True)
    return {
        "study_sessions": study["total"],
        "center_group_sessions": study["center"],
        "study_hours_total": float(study["hours"] or 0),
        "laws_studied": laws,
        "leader_hours": leader_hours,
        "publicity_events": totals["events"],
        "themed_campaigns": totals["themed"],
        "audience": int(totals["audience"]),
        "posters": int(totals["posters"]),
        "leaflets": int(totals["leaflets"]),
        "topics": topics,
        "villages_without_events": uncovered,
        "audience_by_age": by_age,
        "elderly_share": elderly,
        "venues": venues,
        "planned_events": int(planned.first() or 0),
    }
