"""Reads of the reports app. Township and county access goes through fazhi.core.scope; every
module's figures through fazhi.reports.sources (never another app's models)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404

from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import memberships, townships_for
from fazhi.reports import content, sources, stats_cache
from fazhi.reports import figures as F
from fazhi.reports.models import ReportDraft, ReportRevision, TownshipYearStats
from fazhi.reports.permissions import COUNTY_ROLES, READ_ROLES
from fazhi.reports.rollup import merge


def default_year(today: dt.date | None = None) -> int:
    """The report is written in the first quarter about the year before (published by 1 April)."""
    today = today or dt.date.today()
    return today.year - 1 if today.month <= 6 else today.year


def report_years(today: dt.date | None = None) -> range:
    """The years a report or dashboard may be picked for: next year down to ten years back."""
    top = default_year(today) + 1
    return range(top, top - 11, -1)


def township_visible(user, code: str) -> Region:
    township = townships_for(user, READ_ROLES).filter(code=code).first()
    if township is None:
        raise Http404("未找到该乡镇，或您无权查看。")
    return township


def counties_for(user) -> list[Region]:
    """Counties the user oversees: county-level (or higher) memberships; township staff have none."""
    out: dict[int, Region] = {}
    for m in memberships(user):
        if m.role not in COUNTY_ROLES:
            continue
        r = m.region
        if r.level == RegionLevel.COUNTY:
            out[r.pk] = r
        elif r.level in (RegionLevel.PROVINCE, RegionLevel.CITY):
            for c in Region.objects.filter(path__startswith=r.path, level=RegionLevel.COUNTY):
                out[c.pk] = c
    return sorted(out.values(), key=lambda r: r.code)


def county_visible(user, code: str) -> Region:
    county = next((c for c in counties_for(user) if c.code == code), None)
    if county is None:
        raise Http404("未找到该县，或您无权查看。")
    return county


def region_facts(township: Region) -> dict:
    return {"area_km2": township.area_km2, "population": township.population,
            "villages": Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).count()}


def draft_get(township: Region, year: int) -> ReportDraft | None:
    return ReportDraft.objects.filter(township=township, year=year).first()


def draft_edits(draft: ReportDraft | None) -> dict[str, str]:
    if draft is None:
        return {}
    return {k: v["text"] for k, v in draft.paragraphs.items() if isinstance(v, dict) and "text" in v}


def township_report(township: Region, year: int, *, draft: ReportDraft | None | bool = True,
                    date: dt.date | None = None) -> content.Report:
    """The township's report; `draft=True` applies its saved draft (if any), `False` the defaults."""
    if draft is True:
        draft = draft_get(township, year)
    stats = sources.collect(township, year)
    date = date or (draft.signed_on if draft else None)
    from fazhi.oversight.selectors import township_review_summary

    facts = region_facts(township) | {"review": township_review_summary(township, year)}
    return content.build(stats, name=township.name, region_facts=facts, edits=draft_edits(draft or None), date=date)


@dataclass
class FigureChange:
    key: str
    label: str
    before: str
    after: str
    paragraph: str


def figure_changes(draft: ReportDraft | None, report: content.Report) -> list[FigureChange]:
    """Figures whose value differs from what they were when their paragraph was last edited."""
    if draft is None:
        return []
    out = []
    for key, entry in draft.paragraphs.items():
        if not isinstance(entry, dict):
            continue
        for fig, before in (entry.get("figures") or {}).items():
            now = report.figures[fig].text if fig in report.figures else F.NO_DATA
            if now != before:
                label = report.figures[fig].label if fig in report.figures else fig
                out.append(FigureChange(fig, label, before, now, key))
    return out


def paragraph_versions(draft: ReportDraft | None) -> dict[str, int]:
    """The draft version at which each paragraph was last saved (0: never), for conflict detection."""
    if draft is None:
        return {}
    return dict(draft.revisions.values("paragraph").annotate(v=Max("version")).values_list("paragraph", "v"))


def revisions(draft: ReportDraft | None, limit: int = 100):
    if draft is None:
        return ReportRevision.objects.none()
    return draft.revisions.select_related("actor").order_by("-version")[:limit]


def county_townships(county: Region):
    return Region.objects.filter(path__startswith=county.path, level=RegionLevel.TOWNSHIP).order_by("code")


def county_stats(county: Region, year: int, *, fresh: bool = False,
                 today: dt.date | None = None) -> list[tuple[Region, sources.Stats]]:
    """Every township's statistics for the year, read from `TownshipYearStats` in three queries
    whatever the number of townships (a province has ~1,900). A township never computed is computed now
    (the first view of a new year). One that changed since (its audit log moved on, or the day changed)
    is recomputed now when `fresh` (the county report and its export), otherwise shown as computed
    and refreshed by a background task (`Stats.updating`, the dashboard says so)."""
    return townships_stats(list(county_townships(county)), year, fresh=fresh, today=today)


def township_stats(township: Region, year: int, *, today: dt.date | None = None) -> sources.Stats:
    """One township's statistics for its dashboard: the stored row while nothing was written in the township
    since it was computed today (every write leaves an audit entry), else computed now and stored — the
    same figures as `sources.collect`, without ~50 queries on every view."""
    return townships_stats([township], year, fresh=True, today=today)[0][1]


def townships_stats(towns: list[Region], year: int, *, fresh: bool = False,
                    today: dt.date | None = None) -> list[tuple[Region, sources.Stats]]:
    today = today or dt.date.today()
    rows = {r.township_id: r for r in TownshipYearStats.objects.filter(year=year, township_id__in=[t.pk for t in towns])}
    stale, changes = _stale(towns, rows, today)
    now = [t for t in towns if t.pk not in rows] + (stale if fresh else [])
    computed = {}
    if now:
        from fazhi.reports.services import township_stats_refresh

        computed = township_stats_refresh(townships=now, year=year, today=today)
    if stale and not fresh:
        _queue_refresh([t.pk for t in stale], year, max(changes.values(), default=0))
    out = []
    for t in towns:
        if t.pk in computed:
            stats = computed[t.pk]
        else:
            stats = stats_cache.decode(year, rows[t.pk].data)
            stats.as_of = rows[t.pk].computed_at
            stats.updating = t in stale
        out.append((t, stats))
    return out


def _stale(towns: list[Region], rows: dict, today: dt.date) -> tuple[list[Region], dict]:
    """The townships whose stored row is out of date (computed another day, or a change in the township or
    outside any township since), and the last change seen per township (key 0: outside any township)."""
    from fazhi.audit.selectors import last_change_by_township

    current = [r for r in rows.values() if r.computed_on == today]
    changes, shared = (last_change_by_township(list(rows), min(r.audit_seq for r in current)) if current else ({}, 0))

    def is_stale(row) -> bool:
        return (row.computed_on != today or changes.get(row.township_id, 0) > row.audit_seq
                or shared > row.audit_seq)

    return [t for t in towns if t.pk in rows and is_stale(rows[t.pk])], {**changes, 0: shared}


def county_version(county: Region, year: int, *, today: dt.date | None = None) -> tuple[list[Region], list | None]:
    """The county's townships and what its dashboard's figures depend on, read without the figures: every
    stored row's computation, every change since (oversight records and schemes are audited in their
    township or outside any, so they move this too) and today. None when a township has no stored row yet
    (its figures are computed by `county_stats`). Stale rows are queued for refresh as `county_stats` does."""
    today = today or dt.date.today()
    towns = list(county_townships(county))
    rows = {r.township_id: r for r in TownshipYearStats.objects.filter(year=year, township_id__in=[t.pk for t in towns])
            .only("township_id", "audit_seq", "computed_on", "computed_at")}
    if len(rows) < len(towns):
        return towns, None
    stale, changes = _stale(towns, rows, today)
    if stale:
        _queue_refresh([t.pk for t in stale], year, max(changes.values(), default=0))
    return towns, [today.isoformat(), sorted(changes.items()), [t.pk for t in stale],
                   sorted((r.township_id, r.audit_seq, r.computed_at.isoformat()) for r in rows.values())]


def _queue_refresh(township_ids: list[int], year: int, seq: int) -> None:
    """One queued refresh per state of the log (many readers of the same stale rows, one job)."""
    from django.core.cache import cache

    from fazhi.reports.tasks import township_stats_refresh_task

    key = f"reports:refresh:{year}:{min(township_ids)}:{len(township_ids)}:{seq}"
    if cache.add(key, 1, timeout=600):
        transaction.on_commit(lambda: township_stats_refresh_task.enqueue(township_ids, year))


def county_facts(townships: list[Region]) -> dict:
    area = sum((t.area_km2 or Decimal(0) for t in townships), Decimal(0))
    pop = sum(t.population or 0 for t in townships)
    villages = Region.objects.filter(parent__in=townships, level=RegionLevel.VILLAGE).aggregate(n=Count("id"))["n"]
    return {"area_km2": area or None, "population": pop or None, "villages": villages}


def county_report(county: Region, year: int, *, per_township=None, date: dt.date | None = None) -> content.Report:
    """One report across the townships of a county: their statistics summed, rates recomputed."""
    from fazhi.oversight.selectors import county_report_summary

    per_township = per_township if per_township is not None else county_stats(county, year, fresh=True)
    merged = merge([(t.name, s) for t, s in per_township], year)
    oversight = county_report_summary(county, year, dt.date.today(), per_township)
    facts = county_facts([t for t, _ in per_township]) | {"county": True, "oversight": oversight,
                                                         "review": oversight}
    return content.build(merged, name=county.name, county=True, region_facts=facts,
                         signer=f"{county.name}全面依法治县委员会办公室", date=date)
