"""Reads of the oversight module: the county sees its counties' rounds and notices, a township only
its own files and notices."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from fazhi.core.calendar import Deadline
from fazhi.core.models import Region, RegionLevel
from fazhi.core.periods import count
from fazhi.core.scope import scope_q
from fazhi.core.todo import TodoItem
from fazhi.oversight import permissions
from fazhi.oversight.models import (
    FileStatus,
    Grade,
    IndicatorSource,
    ManualScore,
    Notice,
    NoticeStatus,
    ReviewFile,
    ReviewRound,
    RoundStatus,
    Scheme,
    Section,
    SheetScore,
    Standard,
)

OPEN_NOTICE = (NoticeStatus.ISSUED, NoticeStatus.RETURNED)


def rounds_for(user):
    return ReviewRound.objects.filter(county__in=permissions.counties_for(user)).select_related("county", "standard")


def round_visible_or_404(user, pk) -> ReviewRound:
    rnd = rounds_for(user).filter(pk=pk).first()
    if rnd is None:
        raise Http404("未找到该评查，或您无权查看。")
    return rnd


def standards_for(user):
    counties = list(permissions.counties_for(user))
    q = Q(pk__in=[])
    for c in counties:  # a county's own standards and those of the city / province above it
        q |= Q(region=c) | Q(region__in=_ancestors(c))
    return Standard.objects.filter(q).select_related("region")


def _ancestors(region: Region) -> list[Region]:
    out, r = [], region.parent
    while r is not None:
        out.append(r)
        r = r.parent
    return out


def standard_visible_or_404(user, pk) -> Standard:
    std = standards_for(user).filter(pk=pk).first()
    if std is None:
        raise Http404("未找到该评查标准。")
    return std


def files_for(user):
    """County readers: files of their counties' rounds; township staff: their own township's files."""
    county_q = Q(round__county__in=permissions.counties_for(user))
    town_q = scope_q(user, ReviewFile, roles=permissions.TOWNSHIP_READ)
    return ReviewFile.objects.filter(county_q | town_q).select_related("round", "case", "township", "round__standard")


def file_visible_or_404(user, pk) -> ReviewFile:
    f = files_for(user).filter(pk=pk).first()
    if f is None:
        raise Http404("未找到该评查案卷，或您无权查看。")
    return f


def is_county_reader(user, county: Region) -> bool:
    return permissions.may_oversee(user, county, permissions.COUNTY_READ)


def notices_for(user):
    county_q = Q(county__in=permissions.counties_for(user))
    town_q = scope_q(user, Notice, roles=permissions.TOWNSHIP_READ)
    return Notice.objects.filter(county_q | town_q).select_related("township", "county", "review_file", "case")


def notice_visible_or_404(user, pk) -> Notice:
    n = notices_for(user).filter(pk=pk).first()
    if n is None:
        raise Http404("未找到该通知，或您无权查看。")
    return n


def notice_deadline(notice: Notice) -> Deadline:
    return count("ovs.notice_answer", notice.issued_on, notice.period_working_days,
                 note="（答复期限由县司法局在通知中确定，属本地工作要求，非法定期限）")


def notice_overdue(notice: Notice, today: dt.date) -> bool:
    due = notice_deadline(notice).due
    if notice.status in OPEN_NOTICE:
        return today > due
    return bool(notice.answered_on and notice.answered_on > due and notice.status != NoticeStatus.RETURNED)


# ---- results -----------------------------------------------------------------------------------------


@dataclass
class TownshipResult:
    township: Region
    files: int = 0
    excellent: int = 0
    passed: int = 0
    failed: int = 0
    pending: int = 0
    score_sum: Decimal = Decimal("0")
    problems: Counter = field(default_factory=Counter)

    @property
    def scored(self) -> int:
        return self.excellent + self.passed + self.failed

    @property
    def average(self) -> Decimal | None:
        return (self.score_sum / self.scored).quantize(Decimal("0.1")) if self.scored else None

    @property
    def pass_rate(self) -> int | None:
        return round((self.excellent + self.passed) * 100 / self.scored) if self.scored else None

    def problems_labelled(self) -> list[tuple[str, int]]:
        labels = dict(Section.choices)
        return [(labels.get(k, k), n) for k, n in self.problems.most_common()]


def round_results(rnd: ReviewRound) -> list[TownshipResult]:
    """Per township: files, grades, mean score and problems by section (every deducted item counts once)."""
    out: dict[int, TownshipResult] = {}
    files = list(rnd.files.select_related("township"))
    for f in files:
        r = out.setdefault(f.township_id, TownshipResult(f.township))
        r.files += 1
        if f.status != FileStatus.FINAL:
            r.pending += 1
            continue
        r.score_sum += f.final_score or 0
        if f.grade == Grade.EXCELLENT:
            r.excellent += 1
        elif f.grade == Grade.PASS:
            r.passed += 1
        else:
            r.failed += 1
    for _file_id, town_id, section in _problem_rows(files):
        out[town_id].problems[section] += 1
    return sorted(out.values(), key=lambda r: r.township.code)


def _problem_rows(files) -> set:
    ids = [f.pk for f in files]
    rows = (SheetScore.objects.filter(sheet__file_id__in=ids).filter(Q(deducted__gt=0) | Q(failed=True))
            .values_list("sheet__file_id", "sheet__file__township_id", "item__section", "item_id"))
    return {(f, t, s) for f, t, s, _i in rows}


def file_problems(f: ReviewFile) -> list[dict]:
    """Items deducted or vetoed on any sheet of the file, with each reviewer's comment."""
    rows = (SheetScore.objects.filter(sheet__file=f).filter(Q(deducted__gt=0) | Q(failed=True))
            .select_related("item", "sheet__reviewer").order_by("item__order", "sheet_id"))
    labels = dict(Section.choices)
    return [{"section": labels.get(r.item.section), "item": r.item.text, "deducted": r.deducted, "failed": r.failed,
             "comment": r.comment, "reviewer": r.sheet.reviewer.full_name or r.sheet.reviewer.username} for r in rows]


INLINE_KINDS = {"image", "video", "audio"}
REVIEW_PURPOSE = "案卷评查"  # the custody entry's purpose when a reviewer views evidence on the file page


def file_evidence(f: ReviewFile, records) -> list[dict]:
    """The drawn file's electronic evidence (its process records', the case's and, for a 强制执行 file, the
    coercion's), each with the evidence app's viewing URL: opening it writes the custody entry with the
    purpose “案卷评查：<案卷>” (evidence.views.evidence_file), and it is shown inline, never downloaded."""
    from urllib.parse import quote

    from fazhi.evidence.selectors import evidence_by_subject, evidence_for

    by_record = evidence_by_subject(records)
    found = [e for r in records for e in by_record.get(r.pk, [])]
    found += list(evidence_for(f.case))
    if f.coercion_id:
        found += list(evidence_for(f.coercion))
    seen, out = set(), []
    purpose = quote(f"{REVIEW_PURPOSE}：{f.label}")
    for ev in found:
        if ev.pk in seen or not ev.blob_id:
            continue
        seen.add(ev.pk)
        major = (ev.content_type or "").split("/")[0]
        kind = major if major in INLINE_KINDS else ("pdf" if ev.content_type == "application/pdf" else "")
        out.append({"ev": ev, "kind": kind, "stage": ev.get_stage_display(),
                    "url": reverse("evidence:file", args=[ev.pk]) + f"?purpose={purpose}" if kind else ""})
    return out


def township_review_summary(township: Region, year: int) -> dict:
    """For the township's own annual report: its files in finished rounds of `year`, and rectification."""
    files = list(ReviewFile.objects.filter(township=township, round__year=year, round__status=RoundStatus.FINISHED,
                                           status=FileStatus.FINAL))
    failed = [f for f in files if f.grade == Grade.FAIL]
    notices = Notice.objects.filter(township=township, review_file__in=files)
    problems = Counter(s for _f, _t, s in _problem_rows(files))
    labels = dict(Section.choices)
    return {
        "files": len(files),
        "passed": len(files) - len(failed),
        "failed": len(failed),
        "problems": [(labels.get(k, k), n) for k, n in problems.most_common()],
        "notices": notices.count(),
        "rectified": notices.filter(status=NoticeStatus.ACCEPTED).count(),
    }


def county_oversight_summary(county: Region, year: int, today: dt.date) -> dict:
    """For the county dashboard and report: rounds, open and overdue notices, repeat problems per township."""
    rounds = list(ReviewRound.objects.filter(county=county, year=year))
    notices = list(Notice.objects.filter(county=county).select_related("township"))
    per_town: dict[int, dict] = defaultdict(lambda: {"open": 0, "overdue": 0, "township": None})
    for n in notices:
        row = per_town[n.township_id]
        row["township"] = n.township
        if n.status in OPEN_NOTICE or n.status == NoticeStatus.ANSWERED:
            row["open"] += 1
        if n.status in OPEN_NOTICE and notice_overdue(n, today):
            row["overdue"] += 1
    # a problem is "repeat" when the same section was deducted in two or more files of one township
    all_files = list(ReviewFile.objects.filter(round__county=county))
    counts = Counter((t, s) for _f, t, s in _problem_rows(all_files))
    labels = dict(Section.choices)
    repeats: dict[int, list[str]] = defaultdict(list)
    for (t, s), n in counts.items():
        if n >= 2:
            repeats[t].append(f"{labels.get(s, s)}（{n}卷）")
    towns = {t.pk: t for t in Region.objects.filter(Q(pk__in=set(per_town) | set(repeats)) | Q(
        path__startswith=county.path, level=RegionLevel.TOWNSHIP))}  # every township, with or without notices
    rows = [{"township": towns[t], "open": per_town[t]["open"] if t in per_town else 0,
             "overdue": per_town[t]["overdue"] if t in per_town else 0, "repeats": sorted(repeats.get(t, []))}
            for t in sorted(towns, key=lambda k: towns[k].code)]
    results = [r for rnd in rounds for r in round_results(rnd)]
    return {"rounds": rounds, "rows": rows, "results": results,
            "open": sum(r["open"] for r in rows), "overdue": sum(r["overdue"] for r in rows)}


def county_report_summary(county: Region, year: int, today: dt.date, per_township: list | None = None) -> dict:
    """For the county's annual report: the year's finished 评查 across townships, the notices of the year
    and the 考评 ranking — a fixed number of queries whatever the number of townships."""
    summary = county_oversight_summary(county, year, today)
    finished = [r for r in summary["results"] if r.scored]
    files = sum(r.scored for r in finished)
    failed = sum(r.failed for r in finished)
    problems: Counter = Counter()
    for r in finished:
        problems.update(r.problems)
    labels = dict(Section.choices)
    notices = list(Notice.objects.filter(county=county, issued_on__year=year))
    scores = assessment(county, year, per_township)
    return {
        "files": files, "passed": files - failed, "failed": failed,
        "excellent": sum(r.excellent for r in finished),
        "average": (sum((r.score_sum for r in finished), Decimal("0")) / files).quantize(Decimal("0.1"))
        if files else None,
        "townships": len(finished),
        "problems": [(labels.get(k, k), n) for k, n in problems.most_common()],
        "notices": len(notices),
        "rectified": sum(1 for n in notices if n.status == NoticeStatus.ACCEPTED),
        "overdue": sum(1 for n in notices if n.status in OPEN_NOTICE and notice_overdue(n, today)),
        "repeats": [(r["township"].name, r["repeats"]) for r in summary["rows"] if r["repeats"]],
        "assessment": scores,
    }


# ---- to-do -------------------------------------------------------------------------------------------


def todo_provider(user, today: dt.date, horizon_days: int):
    horizon = today + dt.timedelta(days=horizon_days)
    town_q = scope_q(user, Notice, roles=permissions.TOWNSHIP_ANSWER)
    for n in Notice.objects.filter(town_q, status__in=OPEN_NOTICE).select_related("county"):
        d = notice_deadline(n)
        if d.due <= horizon:
            yield TodoItem.from_deadline("县级督办", f"答复{n.get_kind_display()}：{n.title}（{n.number}）", d,
                                         reverse("oversight:notice_detail", args=[n.pk]))
    counties = permissions.counties_for(user, permissions.WRITE)
    for n in Notice.objects.filter(county__in=counties, status=NoticeStatus.ANSWERED).select_related("township"):
        yield TodoItem("县级督办", f"审核{n.township.name}的整改答复：{n.title}", n.answered_on or today,
                       reverse("oversight:notice_detail", args=[n.pk]), "乡镇已答复，请审核")
    for f in ReviewFile.objects.filter(round__county__in=counties, round__status=RoundStatus.DRAWN,
                                       status__in=[FileStatus.PENDING, FileStatus.DISPUTED]).exclude(
            sheets__reviewer=user).select_related("round", "case")[:50]:
        yield TodoItem("案卷评查", f"评查案卷：{f.case.number}（{f.round.title}）", dt.date(f.round.year + 1, 3, 31)
                       if today <= dt.date(f.round.year + 1, 3, 31) else today,
                       reverse("oversight:file_detail", args=[f.pk]), "评查工作要求，非法定期限")


# ---- 考评 ---------------------------------------------------------------------------------------------


@dataclass
class IndicatorValue:
    indicator: object
    rate: Decimal | None  # 0..100; None: no data (the weight is not awarded, and that is shown)
    basis: str
    url: str

    @property
    def points(self) -> Decimal:
        if self.rate is None:
            return Decimal("0")
        return (self.indicator.weight * self.rate / 100).quantize(Decimal("0.1"))


def _rate(num, den) -> Decimal | None:
    if not den:
        return None
    return min(Decimal("100"), Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"))


class _Batch:
    """The rows every indicator counts, for all townships of a county at once: one grouped query per
    indicator source (GROUP BY township), so a county of 2 or 200 townships costs the same queries."""

    def __init__(self, towns: list[Region], year: int, sources: set[str], indicators: list):
        ids = [t.pk for t in towns]
        self.review: dict[int, tuple[int, int]] = {}
        self.legal: dict[int, tuple[int, int]] = {}
        self.notices: dict[int, list[Notice]] = defaultdict(list)
        self.villages: dict[int, int] = {}
        self.manual: dict[tuple[int, int], ManualScore] = {}
        if IndicatorSource.REVIEW_PASS in sources:
            rows = (ReviewFile.objects.filter(township_id__in=ids, round__year=year, status=FileStatus.FINAL)
                    .values("township_id").annotate(n=Count("pk"), ok=Count("pk", filter=~Q(grade=Grade.FAIL))))
            self.review = {r["township_id"]: (r["n"], r["ok"]) for r in rows}
        if IndicatorSource.LEGAL_REVIEW in sources:
            self.legal = legal_review_coverage_by_township(towns, year)
        if IndicatorSource.NOTICES_ON_TIME in sources:
            for n in Notice.objects.filter(township_id__in=ids, issued_on__year=year):
                self.notices[n.township_id].append(n)
        if IndicatorSource.VILLAGE_COVERAGE in sources:
            rows = (Region.objects.filter(parent_id__in=ids, level=RegionLevel.VILLAGE).values("parent_id")
                    .annotate(n=Count("pk")))
            self.villages = {r["parent_id"]: r["n"] for r in rows}
        if IndicatorSource.MANUAL in sources:
            manual = [i for i in indicators if i.source == IndicatorSource.MANUAL]
            for ms in ManualScore.objects.filter(indicator__in=manual, township_id__in=ids):
                self.manual[(ms.indicator_id, ms.township_id)] = ms


def legal_review_coverage_by_township(towns: list[Region], year: int) -> dict[int, tuple[int, int]]:
    """enforcement.selectors.legal_review_coverage for many townships in a fixed number of queries:
    {township id: (decisions that needed legal review under Art. 58, how many passed it)}."""
    from fazhi.enforcement import rules
    from fazhi.enforcement.models import Case, CaseStatus, Procedure, ReviewOutcome, StatutorySettings

    ids = [t.pk for t in towns]
    codes = {c for t in towns for c in (t.path or "").strip("/").split("/") if c}
    settings_rows = list(StatutorySettings.objects.filter(region__code__in=codes).select_related("region"))

    def settings_for(town):
        mine = [s for s in settings_rows if (town.path or "").startswith(s.region.path)]
        return max(mine, key=lambda s: len(s.region.path)) if mine else StatutorySettings()

    by_town = {t.pk: settings_for(t) for t in towns}
    out: dict[int, list[int]] = {}
    cases = (Case.objects.filter(township_id__in=ids, procedure=Procedure.ORDINARY, decided_on__year=year)
             .exclude(status=CaseStatus.REVOKED).select_related("power").prefetch_related("reviews", "hearings"))
    for case in cases:
        row = out.setdefault(case.township_id, [0, 0])
        if rules.legal_review_reasons(case, by_town[case.township_id], hearing_held=bool(case.hearings.all())):
            row[0] += 1
            row[1] += any(r.outcome == ReviewOutcome.PASSED for r in case.reviews.all())
    return {k: (v[0], v[1]) for k, v in out.items()}


def indicator_value(indicator, township: Region, year: int, stats: dict, batch: _Batch | None = None
                    ) -> IndicatorValue:
    """One indicator for one township, with the rows it counts (a link) and how it was computed."""
    if batch is None:
        batch = _Batch([township], year, {indicator.source}, [indicator])
    src = indicator.source
    y = f"?year={year}&township={township.code}"
    if src == IndicatorSource.REVIEW_PASS:
        n, ok = batch.review.get(township.pk, (0, 0))
        return IndicatorValue(indicator, _rate(ok, n), f"评查合格{ok}卷／已定分{n}卷",
                              reverse("oversight:rounds") + f"?year={year}")
    if src == IndicatorSource.LEGAL_REVIEW:
        required, reviewed = batch.legal.get(township.pk, (0, 0))
        rate = Decimal("100") if not required else _rate(reviewed, required)
        return IndicatorValue(indicator, rate, f"须法制审核的决定{required}件，经审核通过{reviewed}件",
                              reverse("enforcement:cases") + y)
    if src == IndicatorSource.RECONSIDERATION_UPHELD:
        d = stats.get("decisions") or {}
        total = (d.get("reconsideration_cases") or 0) + (d.get("litigation_cases") or 0)
        corrected = _corrected(d.get("litigation_outcomes") or {})
        rate = Decimal("100") if not total else _rate(total - corrected, total)
        return IndicatorValue(indicator, rate, f"复议诉讼{total}件，被纠错{corrected}件",
                              reverse("decisions:litigation_list") + y)
    if src == IndicatorSource.DISCLOSURE_ON_TIME:
        d = stats.get("disclosure") or {}
        n, late = d.get("requests", 0) or 0, d.get("requests_overdue", 0) or 0
        return IndicatorValue(indicator, _rate(n - late, n), f"依申请{n}件，超期{late}件",
                              reverse("disclosure:requests") + y)
    if src == IndicatorSource.MEDIATION_SUCCESS:
        m = stats.get("mediation") or {}
        return IndicatorValue(indicator, _rate(m.get("resolved", 0) or 0, m.get("received", 0) or 0),
                              f"化解{m.get('resolved', 0) or 0}起／受理{m.get('received', 0) or 0}起",
                              reverse("mediation:ledger") + y)
    if src == IndicatorSource.VILLAGE_COVERAGE:
        villages = batch.villages.get(township.pk, 0)
        missing = len((stats.get("education") or {}).get("villages_without_events") or [])
        return IndicatorValue(indicator, _rate(villages - missing, villages),
                              f"开展活动的村{villages - missing}个／共{villages}个", reverse("education:coverage") + y)
    if src == IndicatorSource.NOTICES_ON_TIME:
        ns = batch.notices.get(township.pk, [])
        late = sum(1 for n in ns if notice_overdue(n, dt.date(year, 12, 31)))
        return IndicatorValue(indicator, Decimal("100") if not ns else _rate(len(ns) - late, len(ns)),
                              f"督办整改{len(ns)}件，逾期答复{late}件",
                              reverse("oversight:notices") + f"?township={township.code}&year={year}")
    ms = batch.manual.get((indicator.pk, township.pk))
    return IndicatorValue(indicator, ms.value if ms else None, ms.proof if ms else "尚未评分",
                          reverse("oversight:assessment") + f"?year={year}")


CORRECTED_OUTCOMES = {"撤销", "变更", "确认违法", "责令履行"}  # the act was found wrong (纠错)


def _corrected(outcomes) -> int:
    if isinstance(outcomes, dict):
        return sum(v for k, v in outcomes.items() if str(k) in CORRECTED_OUTCOMES)
    return 0


def _live_stats(town: Region, year: int) -> dict:
    from fazhi.decisions.selectors import annual_stats as decisions_stats
    from fazhi.disclosure.selectors import annual_stats as disclosure_stats
    from fazhi.education.selectors import annual_stats as education_stats
    from fazhi.mediation.selectors import annual_stats as mediation_stats

    return {"decisions": decisions_stats(town, year), "disclosure": disclosure_stats(town, year),
            "mediation": mediation_stats(town, year), "education": education_stats(town, year)}


def assessment(county: Region, year: int, per_township: list | None = None) -> dict | None:
    """Each township's score under the county's scheme for `year`, highest first. `per_township`:
    [(township, reports Stats)] as the county dashboard already read them (stored township-year rows);
    without it each township's module figures are computed live. The indicators' own rows are read
    in one grouped query per indicator source, whatever the number of townships."""
    scheme = Scheme.objects.filter(county=county, year=year).prefetch_related("indicators").first()
    if scheme is None:
        return None
    indicators = list(scheme.indicators.all())
    needs_stats = {i.source for i in indicators} & {
        IndicatorSource.RECONSIDERATION_UPHELD, IndicatorSource.DISCLOSURE_ON_TIME,
        IndicatorSource.MEDIATION_SUCCESS, IndicatorSource.VILLAGE_COVERAGE}
    if per_township is not None:
        towns = [t for t, _s in per_township]
        stats = {t.pk: {m: s.get(m) for m in ("decisions", "disclosure", "mediation", "education")}
                 for t, s in per_township}
    else:
        towns = list(Region.objects.filter(path__startswith=county.path, level=RegionLevel.TOWNSHIP).order_by("code"))
        stats = {t.pk: _live_stats(t, year) if needs_stats else {} for t in towns}
    batch = _Batch(towns, year, {i.source for i in indicators}, indicators)
    rows = []
    for town in towns:
        values = [indicator_value(i, town, year, stats[town.pk], batch) for i in indicators]
        rows.append({"township": town, "values": values, "total": sum((v.points for v in values), Decimal("0"))})
    rows.sort(key=lambda r: (-r["total"], r["township"].code))
    return {"scheme": scheme, "indicators": indicators, "rows": rows,
            "max": sum((i.weight for i in indicators), Decimal("0"))}
