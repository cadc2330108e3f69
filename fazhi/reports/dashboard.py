"""What the dashboards show, computed from the same module statistics as the report."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from fazhi.core import charts
from fazhi.core.models import Region, RegionLevel
from fazhi.reports import stats_cache
from fazhi.reports.rollup import percent
from fazhi.reports.sources import MODULE_LABELS, Stats

# Where a figure's ledger lives: candidate URL names, first that resolves wins; otherwise the
# module's first menu entry the user can reach.
LEDGERS: dict[str, tuple[str, ...]] = {
    "organization.plan": ("organization:tasks", "organization:plans"),
    "organization.meetings": ("organization:meetings",),
    "organization.budget": ("organization:budget",),
    "organization.duties": ("organization:duties",),
    "education.study": ("education:sessions", "education:hours"),
    "education.publicity": ("education:events",),
    "education.coverage": ("education:coverage", "education:events"),
    "decisions.decisions": ("decisions:list",),
    "decisions.counsel": ("decisions:opinions", "decisions:counsel_list"),
    "decisions.litigation": ("decisions:litigation_list",),
    "disclosure.items": ("disclosure:items",),
    "disclosure.requests": ("disclosure:requests",),
    "disclosure.overdue": ("disclosure:overdue", "disclosure:requests"),
    "enforcement.cases": ("enforcement:cases",),
    "enforcement.overdue": ("enforcement:overdue", "enforcement:cases"),
    "enforcement.officers": ("enforcement:officers",),
    "enforcement.inspections": ("enforcement:inspections",),
    "mediation.disputes": ("mediation:ledger",),
    "mediation.overdue": ("mediation:overdue", "mediation:ledger"),
    "mediation.screening": ("mediation:screening", "mediation:ledger"),
}


_REVERSED: dict[tuple, str | None] = {}  # (ledger, URLconf, prefix) -> its path: fixed per process


def _ledger_path(name: str) -> str | None:
    """The first of the ledger's URL names that resolves (≈ 40 reverse() a dashboard otherwise)."""
    key = (name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _REVERSED:
        path = None
        for url_name in LEDGERS.get(name, ()):
            try:
                path = reverse(url_name)
                break
            except NoReverseMatch:
                continue
        if len(_REVERSED) > 1024:
            _REVERSED.clear()
        _REVERSED[key] = path
    return _REVERSED[key]


def ledger_url(name: str, nav: list[dict], query: str = "") -> str | None:
    path = _ledger_path(name)
    if path is not None:
        return path + (f"?{query}" if query else "")
    module = name.split(".", 1)[0]
    return next((i["url"] for i in nav if i.get("url_name", "").startswith(f"{module}:")), None)


@dataclass
class Figure:
    label: str
    value: object
    unit: str = ""
    url: str | None = None
    alert: bool = False


@dataclass
class Area:
    key: str
    title: str
    connected: bool
    figures: list[Figure] = field(default_factory=list)


def _pct_text(p) -> str:
    return "—" if p is None else f"{p}%"


def areas(stats: Stats, nav: list[dict], year: int) -> list[Area]:
    q = f"year={year}"
    org, edu, dec = stats.get("organization"), stats.get("education"), stats.get("decisions")
    dis, enf, med = stats.get("disclosure"), stats.get("enforcement"), stats.get("mediation")
    L = lambda name: ledger_url(name, nav, q)  # noqa: E731
    out = [
        Area("organization", "组织领导与计划", stats.connected("organization"), [
            Figure("计划完成率", _pct_text(percent(org.get("plan_tasks_done") or 0, org.get("plan_tasks") or 0)),
                   url=L("organization.plan")),
            Figure("计划任务（已完成/总数）", f"{org.get('plan_tasks_done') or 0}/{org.get('plan_tasks') or 0}",
                   url=L("organization.plan")),
            Figure("逾期任务", org.get("plan_tasks_overdue") or 0, "项", L("organization.plan"),
                   bool(org.get("plan_tasks_overdue"))),
            Figure("专题会议", org.get("topic_meetings") or 0, "次", L("organization.meetings")),
            Figure("经费支出/预算", f"{org.get('budget_spent') or 0}/{org.get('budget_total') or 0}", "元",
                   L("organization.budget")),
        ]),
        Area("education", "学法与普法", stats.connected("education"), [
            Figure("学法次数", edu.get("study_sessions") or 0, "次", L("education.study")),
            Figure("学法学时", edu.get("study_hours_total") or 0, "学时", L("education.study")),
            Figure("普法活动", edu.get("publicity_events") or 0, "场", L("education.publicity")),
            Figure("集中主题宣传", edu.get("themed_campaigns") or 0, "次", L("education.publicity")),
            Figure("受众", edu.get("audience") or 0, "人次", L("education.publicity")),
            Figure("海报/资料", f"{edu.get('posters') or 0}/{edu.get('leaflets') or 0}", "份", L("education.publicity")),
            Figure("未开展宣传的村", len(edu.get("villages_without_events") or []), "个", L("education.coverage"),
                   bool(edu.get("villages_without_events"))),
        ]),
        Area("decisions", "依法决策", stats.connected("decisions"), [
            Figure("重大行政决策", dec.get("decisions") or 0, "项", L("decisions.decisions")),
            Figure("经合法性审查", dec.get("with_legality_review") or 0, "项", L("decisions.decisions"),
                   (dec.get("with_legality_review") or 0) < (dec.get("decisions") or 0)),
            Figure("集体讨论", dec.get("with_collective_discussion") or 0, "项", L("decisions.decisions")),
            Figure("公众参与", dec.get("with_public_participation") or 0, "项", L("decisions.decisions")),
            Figure("法律顾问意见", dec.get("counsel_opinions") or 0, "件", L("decisions.counsel")),
            Figure("复议/应诉", f"{dec.get('reconsideration_cases') or 0}/{dec.get('litigation_cases') or 0}", "件",
                   L("decisions.litigation")),
        ]),
        Area("disclosure", "政务公开", stats.connected("disclosure"), [
            Figure("主动公开", dis.get("proactive_items") or 0, "条", L("disclosure.items")),
            Figure("按时公开率", _pct_text(percent((dis.get("proactive_items") or 0) - (dis.get("late_items") or 0),
                                                dis.get("proactive_items") or 0)), url=L("disclosure.items")),
            Figure("超期公开", dis.get("late_items") or 0, "条", L("disclosure.items"), bool(dis.get("late_items"))),
            Figure("依申请公开", dis.get("requests") or 0, "件", L("disclosure.requests")),
            Figure("逾期答复", dis.get("requests_overdue") or 0, "件", L("disclosure.overdue"),
                   bool(dis.get("requests_overdue"))),
        ]),
        Area("enforcement", "行政执法", stats.connected("enforcement"), [
            Figure("持证执法人员", enf.get("certified_officers") or 0, "人", L("enforcement.officers"),
                   (enf.get("certified_officers") or 0) < 2),
            Figure("行政检查", enf.get("inspections") or 0, "次", L("enforcement.inspections")),
            Figure("处罚案件", enf.get("cases") or 0, "件", L("enforcement.cases")),
            Figure("法制审核", enf.get("legal_reviews") or 0, "件", L("enforcement.cases")),
            Figure("音像记录", enf.get("records_with_video") or 0, "份", L("enforcement.cases")),
            Figure("超期案件", enf.get("overdue_cases") or 0, "件", L("enforcement.overdue"),
                   bool(enf.get("overdue_cases"))),
        ]),
        Area("mediation", "矛盾纠纷", stats.connected("mediation"), [
            Figure("受理纠纷", med.get("received") or 0, "起", L("mediation.disputes")),
            Figure("化解", med.get("resolved") or 0, "起", L("mediation.disputes")),
            Figure("成功率", _pct_text(med.get("success_rate")), url=L("mediation.disputes")),
            Figure("调解中", med.get("in_progress") or 0, "起", L("mediation.disputes")),
            Figure("超期未化解", med.get("overdue") or 0, "起", L("mediation.overdue"), bool(med.get("overdue"))),
            Figure("排查轮次", med.get("screening_rounds") or 0, "轮", L("mediation.screening")),
        ]),
    ]
    return out


def overdue_items(stats: Stats, nav: list[dict], year: int) -> list[Figure]:
    q = f"year={year}"
    rows = [
        ("逾期未完成的计划任务", stats.get("organization").get("plan_tasks_overdue"), "项", "organization.plan"),
        ("超过法定期限的执法案件", stats.get("enforcement").get("overdue_cases"), "件", "enforcement.overdue"),
        ("超期公开的政府信息", stats.get("disclosure").get("late_items"), "条", "disclosure.items"),
        ("逾期答复的公开申请", stats.get("disclosure").get("requests_overdue"), "件", "disclosure.overdue"),
        ("超过一个月未化解的纠纷", stats.get("mediation").get("overdue"), "起", "mediation.overdue"),
    ]
    return [Figure(label, n, unit, ledger_url(name, nav, q), True) for label, n, unit, name in rows if n]


def trends(stats: Stats) -> list[dict]:
    """Monthly series of every module that reports `by_month` (the mediation ledger always does)."""
    out = []
    for module, data in stats.sections.items():
        if data.get("by_month"):
            series = charts.month_series(data["by_month"])
            out.append({"title": f"{MODULE_LABELS[module]}：按月分布", "svg": charts.columns(
                series, title=f"{MODULE_LABELS[module]}按月分布")})
    return out


def village_names(township: Region) -> list[str]:
    return list(Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).order_by("code")
                .values_list("name", flat=True))


def villages(township: Region, stats: Stats, names: list[str] | None = None) -> list[dict]:
    names = list(village_names(township) if names is None else names)
    by_village = stats.get("mediation").get("by_village") or {}
    no_events = set(stats.get("education").get("villages_without_events") or [])
    no_screening = set(stats.get("mediation").get("villages_without_screening") or [])
    for extra in by_village:
        if extra not in names:
            names.append(extra)
    return [{"name": n, "disputes": by_village.get(n, 0),
             "events": None if not stats.connected("education") else n not in no_events,
             "screening": None if not stats.connected("mediation") else n not in no_screening}
            for n in names]


_FIGURES_HTML: dict[str, str] = {}  # digest of a township dashboard's inputs -> its rendered figures


def _kept_html(store: dict[str, str], cap: int, inputs: list | None, nav: list[dict], template: str,
               context: Callable[[], dict]) -> str:
    """`template` rendered with `context()`, kept in `store` (per process) under a digest of `inputs`, the menu's
    links and the language: everything the HTML depends on. `inputs` None: rendered and not kept."""
    digest = None
    if inputs is not None:
        digest = hashlib.sha256(json.dumps(
            [get_language(), [(i.get("url_name"), i["url"]) for i in nav], *inputs], default=str).encode()).hexdigest()
    html = store.get(digest) if digest is not None else None
    if html is None:
        html = render_to_string(template, context())
        if digest is not None:
            if len(store) > cap:
                store.clear()
            store[digest] = html
    return mark_safe(html)  # noqa: S308 - rendered from an autoescaping template


def figures_html(township: Region, stats: Stats, nav: list[dict], year: int) -> str:
    """The township dashboard's figures, trends and villages, rendered. They depend only on the statistics,
    the village names and the menu's links, so the HTML is kept per process under a digest of exactly
    those: ≈ 40 figures, two charts and the village table are not rebuilt on every view of unchanged data."""
    names = village_names(township)
    figures = stats_cache.digest(stats.stored if stats.stored is not None else stats_cache.encode(stats))

    def context() -> dict:
        rows = villages(township, stats, names)
        return {"areas": areas(stats, nav, year), "trends": trends(stats), "villages": rows,
                "village_chart": charts.bars([(v["name"], v["disputes"]) for v in rows], title="各村矛盾纠纷数",
                                             unit="起") if stats.connected("mediation") else ""}

    return _kept_html(_FIGURES_HTML, 256, [township.pk, year, names, figures], nav,
                      "reports/_dashboard_figures.html", context)


# --- county ------------------------------------------------------------------------------------------

_COUNTY_HTML: dict[str, str] = {}  # digest of a county dashboard's inputs -> its rendered body


def county_body_html(county: Region, year: int, nav: list[dict], version: list | None, build) -> str:
    """The county dashboard below its toolbar, rendered from `build()`'s context. Kept per process under a
    digest of `selectors.county_version` (every township's stored row and every change since, today) and the
    menu's links: decoding 30–1,900 townships' figures, merging them and rendering their table is done once
    per change, not on every view. `version` None (a township never computed): built and not kept."""
    inputs = None if version is None else [county.pk, year, version]
    return _kept_html(_COUNTY_HTML, 64, inputs, nav, "reports/_county_body.html", build)


def township_row(township: Region, stats: Stats) -> dict:
    org, dis, enf, med = (stats.get("organization"), stats.get("disclosure"), stats.get("enforcement"),
                          stats.get("mediation"))
    edu, dec = stats.get("education"), stats.get("decisions")
    plan = percent(org.get("plan_tasks_done") or 0, org.get("plan_tasks") or 0)
    timely = percent((dis.get("proactive_items") or 0) - (dis.get("late_items") or 0), dis.get("proactive_items") or 0)
    on_time = percent((enf.get("cases") or 0) - (enf.get("overdue_cases") or 0), enf.get("cases") or 0)
    success = med.get("success_rate")
    scored = [p for p in (plan, timely, on_time, success) if p is not None]
    overdue = sum((org.get("plan_tasks_overdue") or 0, enf.get("overdue_cases") or 0, dis.get("late_items") or 0,
                   dis.get("requests_overdue") or 0, med.get("overdue") or 0))
    return {"township": township, "plan": plan, "timely": timely, "on_time": on_time, "success": success,
            "study": edu.get("study_sessions"), "events": edu.get("publicity_events"), "decisions": dec.get("decisions"),
            "cases": enf.get("cases"), "certified": enf.get("certified_officers"), "disputes": med.get("received"),
            "overdue": overdue, "score": round(sum(scored) / len(scored)) if scored else None,
            "failed": sorted(stats.failed)}


def apply_assessment(rows: list[dict], data: dict | None) -> None:
    """With a 考评 scheme for the year, a township's score is its scheme total (indicator weights), each
    indicator's points linking to the rows it counts; without one the plain mean of four rates stays,
    labelled as such (`score_kind`)."""
    if data is None:
        for r in rows:
            r["score_kind"] = "mean"
        return
    by_town = {a["township"].pk: a for a in data["rows"]}
    for r in rows:
        a = by_town.get(r["township"].pk)
        r["score_kind"] = "scheme"
        r["score"] = a["total"] if a else None
        r["score_values"] = a["values"] if a else []


BEHIND_MARGIN = 10  # points below the county average that make a township “behind”


def ranking(rows: list[dict]) -> tuple[list[dict], list[dict], int | None]:
    scored = [r for r in rows if r["score"] is not None]
    avg = round(sum(r["score"] for r in scored) / len(scored)) if scored else None
    label = "考评得分" if rows and rows[0].get("score_kind") == "scheme" else "综合得分"
    ranked = sorted(rows, key=lambda r: (r["score"] is None, -(r["score"] or 0), r["township"].code))
    for i, r in enumerate(ranked, start=1):
        r["rank"] = i
        reasons = []
        if avg is not None and r["score"] is not None and r["score"] < avg - BEHIND_MARGIN:
            reasons.append(f"{label}{r['score']}，低于全县平均{avg}")
        if r["overdue"]:
            reasons.append(f"逾期事项{r['overdue']}项")
        if r["certified"] is not None and r["certified"] < 2:
            reasons.append("持证执法人员不足2人")
        r["reasons"] = reasons
    behind = [r for r in ranked if r["reasons"]]
    return ranked, behind, avg
