from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from fazhi.core.access import role_view
from fazhi.decisions import selectors
from fazhi.decisions.permissions import READ_ROLES
from fazhi.decisions.views.common import one_township


@role_view(read=READ_ROLES)
def annual(request):
    township, towns = one_township(request, READ_ROLES)
    if township is None and towns:
        township = towns[0]
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year + 1)
    ctx = {"towns": towns, "township": township, "year": year, "years": range(this_year, this_year - 6, -1)}
    if township is not None:
        ctx["stats"] = selectors.annual_stats(township, year)
        ctx["steps"] = selectors.decision_step_counts(township, year)
    return render(request, "decisions/stats.html", ctx)
