"""Township and county dashboards (server-rendered, charts as inline SVG)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from fazhi.audit.observe import county_roots_observe
from fazhi.core import charts
from fazhi.core.access import role_view
from fazhi.core.documents import docx_response
from fazhi.core.nav import items_for
from fazhi.core.scope import townships_for
from fazhi.core.todo import overdue_for
from fazhi.reports import dashboard, documents, selectors
from fazhi.reports.permissions import COUNTY_VIEW_ROLES, READ_ROLES
from fazhi.reports.rollup import merge
from fazhi.reports.views.annual import parse_year


@role_view(read=READ_ROLES)
def township_dashboard(request):
    towns = list(townships_for(request.user, READ_ROLES))
    if not towns:
        raise PermissionDenied("您尚未被分配乡镇，无法查看工作看板。")
    code = request.GET.get("township")
    township = selectors.township_visible(request.user, code) if code else towns[0]
    year = parse_year(request.GET.get("year") or dt.date.today().year)
    stats = selectors.township_stats(township, year)
    nav = items_for(request.user)
    overdue_todo = []
    if len(towns) == 1 and year == dt.date.today().year:
        overdue_todo = overdue_for(request.user, dt.date.today(), 20)
    return render(request, "reports/dashboard.html", {
        "township": township, "year": year, "years": selectors.report_years(), "towns": towns,
        "overdue": dashboard.overdue_items(stats, nav, year), "overdue_todo": overdue_todo,
        "figures": dashboard.figures_html(township, stats, nav, year),
        "notes": stats.notes(), "counties": selectors.counties_for(request.user),
    })


@role_view(read=COUNTY_VIEW_ROLES)
def county_dashboard(request):
    counties = selectors.counties_for(request.user)
    if not counties:
        raise PermissionDenied("全县看板仅供县级账号查看。")
    code = request.GET.get("county")
    county = selectors.county_visible(request.user, code) if code else counties[0]
    year = parse_year(request.GET.get("year") or dt.date.today().year)
    towns, version = selectors.county_version(county, year)
    nav = items_for(request.user)
    return render(request, "reports/county.html", {
        "county": county, "counties": counties, "year": year, "years": selectors.report_years(),
        "audit_warnings": county_roots_observe(towns),  # checked on every view: the chain, not the figures
        "body": dashboard.county_body_html(county, year, nav, version, lambda: _county_body(county, year, nav)),
    })


def _county_body(county, year, nav) -> dict:
    per_township = selectors.county_stats(county, year)
    rows = [dashboard.township_row(t, s) for t, s in per_township]
    assessment = oversight_assessment(county, year, per_township)
    dashboard.apply_assessment(rows, assessment)
    ranked, behind, avg = dashboard.ranking(rows)
    merged_stats = merge([(t.name, s) for t, s in per_township], year)
    return {
        "county": county, "year": year, "rows": ranked, "behind": behind, "avg": avg,
        "areas": dashboard.areas(merged_stats, nav, year), "trends": dashboard.trends(merged_stats),
        "score_chart": charts.bars([(r["township"].name, r["score"] or 0) for r in ranked],
                                   title="考评得分" if assessment else "综合得分", unit="分",
                                   peak=float(assessment["max"] or 100) if assessment else 100,
                                   highlight={r["township"].name for r in behind}),
        "notes": merged_stats.notes() + _updating_note(per_township),
        "oversight": county_oversight_summary(county, year, dt.date.today()),
        "assessment": assessment,
    }


def oversight_assessment(county, year, per_township):
    from fazhi.oversight.selectors import assessment

    return assessment(county, year, per_township)


def county_oversight_summary(county, year, today):
    from fazhi.oversight.selectors import county_oversight_summary as summary

    return summary(county, year, today)


def _updating_note(per_township) -> list[str]:
    names = [t.name for t, s in per_township if s.updating]
    if not names:
        return []
    shown = "、".join(names[:5]) + (f"等{len(names)}个乡镇" if len(names) > 5 else "")
    return [f"{shown}的数据有新变动，正在后台更新；当前显示的是此前计算的数据，请稍后刷新。"]


@role_view(read=COUNTY_VIEW_ROLES)
def county_export(request):
    counties = selectors.counties_for(request.user)
    if not counties:
        raise PermissionDenied("全县汇总报告仅供县级账号导出。")
    code = request.GET.get("county")
    county = selectors.county_visible(request.user, code) if code else counties[0]
    year = parse_year(request.GET.get("year") or selectors.default_year())
    report = selectors.county_report(county, year)
    return docx_response(documents.render_docx(report), f"{report.title}.docx")
