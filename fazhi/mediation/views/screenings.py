"""Screening rounds (矛盾纠纷排查): register a round, the village × period grid with the gaps."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import role_view
from fazhi.core.errors import DomainError
from fazhi.core.scope import has_role, villages_for
from fazhi.mediation import forms, selectors
from fazhi.mediation.models import ScreeningRound
from fazhi.mediation.permissions import HANDLE_ROLES, READ_ROLES
from fazhi.mediation.services.bulk import screenings_create_many
from fazhi.mediation.services.screenings import screening_create
from fazhi.mediation.views.stats import chosen_township, year_of


@role_view(read=READ_ROLES, write=HANDLE_ROLES)
@require_http_methods(["GET", "POST"])
def screening(request):
    can_write = has_role(request.user, HANDLE_ROLES)
    form = forms.ScreeningForm(request.POST or None, user=request.user) if can_write else None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            rnd = screening_create(actor=request.user, township=c["village"].parent, village=c["village"],
                                   period_start=c["period"], held_on=c["held_on"], screeners=c["screeners"],
                                   findings=c["findings"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记{rnd}。")
            return redirect(reverse("mediation:screening") + "?saved=screening")
    year = year_of(request)
    town, towns = chosen_township(request, READ_ROLES)
    visible_villages = {v.pk for v in villages_for(request.user, READ_ROLES)}
    matrix = selectors.screening_matrix(town, year) if town else None
    if matrix:
        matrix["rows"] = [r for r in matrix["rows"] if r["village"].pk in visible_villages]
        matrix["gaps"] = [g for g in matrix["gaps"] if g[0].pk in visible_villages]
    rounds = selectors.screening_list_for(request.user).filter(period_start__year=year)
    if town:
        rounds = rounds.filter(township=town)
    rounds = rounds.annotate(n_disputes=Count("disputes"))[:100]
    return render(request, "mediation/screening.html", {
        "form": form, "matrix": matrix, "rounds": rounds, "year": year, "town": town, "towns": towns,
        "saved": request.GET.get("saved")})


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES)
@require_http_methods(["GET", "POST"])
def screening_bulk(request):
    """批量登记排查: one period done in several villages. The first POST shows what will be written (the
    confirmation); the second, with `confirmed`, writes every round in one transaction, all or nothing."""
    form = forms.BulkScreeningForm(request.POST or None, user=request.user)
    if request.method == "GET":  # preselect the villages still without a round this month
        month = dt.date.today().replace(day=1)
        done = set(ScreeningRound.objects.filter(period_start=month).values_list("village_id", flat=True))
        form.initial["villages"] = [v.pk for v in form.fields["villages"].queryset if v.pk not in done]
    preview = False
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        if request.POST.get("confirmed") != "1":
            preview = True
        else:
            try:
                done = screenings_create_many(actor=request.user, villages=c["villages"], period_start=c["period"],
                                              held_on=c["held_on"], screeners=c["screeners"],
                                              findings=c["findings"])
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                p = c["period"]
                messages.success(request, f"已登记{p.year}年{p.month}月排查{len(done)}个村："
                                          + "、".join(r.village.name for r in done) + "。")
                return redirect("mediation:screening")
    return render(request, "mediation/screening_bulk.html", {"form": form, "preview": preview})
