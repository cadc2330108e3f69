"""The overdue ledger, publication (internal ledger, withdrawal, the public list) and the statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, public_view, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Ledger
from fazhi.core.models import Region, RegionLevel
from fazhi.core.params import year_param
from fazhi.core.scope import townships_for
from fazhi.enforcement import forms, permissions, publication, selectors
from fazhi.enforcement.models import (
    Publication,
)
from fazhi.enforcement.views.base import _form_page

# --- overdue ledger, publications, public list, statistics --------------------------------------

@role_view(read=permissions.READ)
def overdue(request):
    rows = selectors.overdue_items(request.user)
    return render(request, "enforcement/overdue.html", {"rows": rows, "today": dt.date.today(),
                                                        "open_count": sum(1 for r in rows if not r["done"])})


publication_ledger = Ledger(
    title="行政处罚决定公示",
    columns=[
        Column("公示日期", "published_on", sort="published_on"),
        Column("标题", "title"),
        Column("案号", "case.number", link=True),
        Column("状态", "status"),
        Column("撤回日期", "withdrawn_on"),
        Column("撤回说明", "withdrawal_reason"),
    ],
    search_fields=["title", "body"],
    default_sort="-published_on",
    row_url=lambda p: reverse("enforcement:case_detail", args=[p.case_id]),
)


@role_view(read=permissions.READ)
def publications(request):
    return publication_ledger.respond(request, selectors.publication_list_for(request.user))


@role_view(read=permissions.READ, write=permissions.CASE_WRITE, model=Publication)
@require_http_methods(["GET", "POST"])
def publication_withdraw(request, pk):
    pub = get_visible_or_404(selectors.publication_list_for(request.user), request.user, roles=permissions.READ, pk=pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication.publication_withdraw(actor=request.user, publication=pub, reason=form.cleaned_data["reason"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已撤回公示。")
            return redirect("enforcement:case_detail", pk=pub.case_id)
    return _form_page(request, form, title=f"撤回公示 · {pub.title}",
                      back=reverse("enforcement:case_detail", args=[pub.case_id]),
                      extra={"confirm": "确定撤回该公示？撤回说明将公开显示。"})


@public_view
def public_list(request):
    town = None
    code = request.GET.get("township", "")
    if code.isdigit():
        town = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
    items = selectors.published_decisions(town)[:200]
    withdrawn = selectors.withdrawn_publications(town)[:50]
    return render(request, "enforcement/public_list.html", {"items": items, "withdrawn": withdrawn,
                                                            "township": town})


@role_view(read=permissions.READ)
def stats(request):
    this = dt.date.today().year
    year = year_param(request.GET.get("year"), this)
    towns = list(townships_for(request.user, permissions.READ)[:50])
    rows = [(t, selectors.annual_stats(t, year), selectors.monthly_cases(t, year)) for t in towns]
    return render(request, "enforcement/stats.html", {"rows": rows, "year": year,
                                                      "years": list(range(this, this - 6, -1)),
                                                      "months": list(range(1, 13))})
