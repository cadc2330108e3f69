"""Statistics (server-side SVG through core.charts) and the overdue ledger."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from fazhi.core import charts
from fazhi.core.access import role_view
from fazhi.core.params import year_param
from fazhi.core.scope import default_township, townships_for
from fazhi.mediation import selectors
from fazhi.mediation.permissions import READ_ROLES, TOWNSHIP_READ_ROLES


def year_of(request) -> int:
    y = request.GET.get("year", "")
    return year_param(y, dt.date.today().year)


def chosen_township(request, roles):
    towns = list(townships_for(request.user, roles))
    wanted = request.GET.get("township", "")
    chosen = next((t for t in towns if str(t.pk) == wanted), None) or default_township(request.user, roles) \
        or (towns[0] if towns else None)
    return chosen, towns


@role_view(read=TOWNSHIP_READ_ROLES)
def stats(request):
    year = year_of(request)
    town, towns = chosen_township(request, TOWNSHIP_READ_ROLES)
    data = selectors.annual_stats(town, year) if town else None
    chart = {}
    if data:
        chart = {"month": charts.columns(charts.month_series(data["by_month"]), title=f"{year}年各月受理纠纷数",
                                         unit="起"),
                 "village": charts.bars(list(data["by_village"].items()), title="按村", unit="起"),
                 "type": charts.bars(list(data["by_type"].items()), title="按类型", unit="起"),
                 "source": charts.bars(list(data["by_source"].items()), title="按来源", unit="起")}
    villages = selectors.resolution_table(request.user, year, "village__name", township=town) if town else []
    townships = selectors.resolution_table(request.user, year, "township__name") if len(towns) > 1 else []
    return render(request, "mediation/stats.html", {"data": data, "chart": chart, "year": year, "town": town,
                                                    "village_rows": villages, "township_rows": townships,
                                                    "towns": towns, "years": range(dt.date.today().year,
                                                                                   dt.date.today().year - 6, -1)})


@role_view(read=READ_ROLES)
def overdue(request):
    today = dt.date.today()
    items = selectors.overdue_items(request.user, today)
    for i in items:
        i["days"] = (today - i["deadline"].due).days
    return render(request, "mediation/overdue.html", {"items": items, "today": today})
