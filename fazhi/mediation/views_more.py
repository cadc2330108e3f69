"""Screening rounds, petitions, committees, catalogue/settings, statistics, overdue ledger, documents."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.params import int_param, year_param
from fazhi.core.scope import default_township, has_role, townships_for, villages_for
from fazhi.mediation import charts, deadlines, docs, forms, petition_services, selectors, services
from fazhi.mediation.models import Committee, Dispute, DisputeType, MediationSettings, Petition
from fazhi.mediation.roles import (
    APPROVE_ROLES,
    CATALOGUE_ROLES,
    COMMITTEE_ROLES,
    HANDLE_ROLES,
    PETITION_ROLES,
    PII_ROLES,
    READ_ROLES,
    TOWNSHIP_READ_ROLES,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _year(request) -> int:
    y = request.GET.get("year", "")
    return year_param(y, dt.date.today().year)


def _township(request, roles):
    towns = list(townships_for(request.user, roles))
    wanted = request.GET.get("township", "")
    chosen = next((t for t in towns if str(t.pk) == wanted), None) or default_township(request.user, roles) \
        or (towns[0] if towns else None)
    return chosen, towns


# --- screening ---------------------------------------------------------------------------------------

@role_view(read=READ_ROLES, write=HANDLE_ROLES)
@require_http_methods(["GET", "POST"])
def screening(request):
    can_write = has_role(request.user, HANDLE_ROLES)
    form = forms.ScreeningForm(request.POST or None, user=request.user) if can_write else None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            rnd = services.screening_create(actor=request.user, township=c["village"].parent,
                                                     village=c["village"], period_start=c["period"],
                                                     held_on=c["held_on"], screeners=c["screeners"],
                                                     findings=c["findings"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记{rnd}。")
            return redirect(reverse("mediation:screening") + "?saved=screening")
    year = _year(request)
    town, towns = _township(request, READ_ROLES)
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


# --- petitions ---------------------------------------------------------------------------------------

def _petition_ledger(request):
    rules: dict = {}

    def due(p):
        if p.township_id not in rules:
            rules[p.township_id] = deadlines.rules_for(p.township)
        if p.status == Petition.Status.RECEIVED:
            dl = deadlines.petition_receipt_due(p, rules[p.township_id])
            return f"告知 {dl.due:%Y-%m-%d}" + ("（已逾期）" if dl.is_overdue() else "")
        if p.status == Petition.Status.ACCEPTED:
            dl = deadlines.petition_conclude_due(p, rules[p.township_id])
            return f"办结 {dl.due:%Y-%m-%d}" + ("（已逾期）" if dl.is_overdue() else "")
        return ""

    actions = [("登记信访", reverse("mediation:petition_create"))] if has_role(request.user, PETITION_ROLES) else []
    return Ledger(
        title="信访事项台账",
        columns=[Column("编号", "number", sort="number", link=True), Column("收到日期", "received_on", sort="received_on"),
                 Column("乡镇", "township.name"), Column("信访人", "petitioner"),
                 Column("电话", lambda p: p.phone and (p.phone[:3] + "****" + p.phone[-4:])),
                 Column("形式", "form"), Column("所涉村", "village.name"), Column("状态", "status", sort="status"),
                 Column("期限", due)],
        filters=[Filter("status", "状态", "status", Petition.Status.choices),
                 Filter("form", "形式", "form", Petition.Form.choices)],
        search_fields=["number", "petitioner", "content"], default_sort="-received_on",
        row_url=lambda p: reverse("mediation:petition_detail", args=[p.pk]), actions=actions,
    )


@role_view(read=TOWNSHIP_READ_ROLES)
def petitions(request):
    return _petition_ledger(request).respond(request, selectors.petition_list_for(request.user, TOWNSHIP_READ_ROLES))


@role_view(read=PETITION_ROLES, write=PETITION_ROLES)
@require_http_methods(["GET", "POST"])
def petition_create(request):
    form = forms.PetitionForm(request.POST or None, user=request.user)
    town = default_township(request.user, PETITION_ROLES)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        township = c["village"].parent if c["village"] else town
        try:
            if township is None:
                raise DomainError("请选择所涉村以确定乡镇。")
            p = petition_services.petition_create(actor=request.user, township=township, **c)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记{p}。")
            return redirect("mediation:petition_detail", pk=p.pk)
    return render(request, "mediation/form_page.html", {"form": form, "title": "登记信访事项", "keep_draft": True})


@role_view(read=TOWNSHIP_READ_ROLES, write=PETITION_ROLES, model=Petition)
@require_http_methods(["GET", "POST"])
def petition_detail(request, pk):
    p = get_visible_or_404(selectors.petition_list_for(request.user, TOWNSHIP_READ_ROLES), request.user,
                           roles=TOWNSHIP_READ_ROLES, pk=pk)
    rules = deadlines.rules_for(p.township)
    act_form = forms.PetitionActForm(request.POST if request.POST.get("form") == "act" else None)
    ext_form = forms.PetitionExtendForm(request.POST if request.POST.get("form") == "extend" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "act" and act_form.is_valid():
                petition_services.petition_transition(actor=request.user, petition=p, expected_status=p.status,
                                                      **act_form.cleaned_data)
                messages.success(request, "已保存。")
                return redirect("mediation:petition_detail", pk=p.pk)
            if request.POST.get("form") == "extend" and ext_form.is_valid():
                petition_services.petition_extend(actor=request.user, petition=p, **ext_form.cleaned_data)
                messages.success(request, "已批准延期。")
                return redirect("mediation:petition_detail", pk=p.pk)
        except DomainError as e:
            (act_form if request.POST.get("form") == "act" else ext_form).add_error(None, e.message)
    return render(request, "mediation/petition_detail.html", {
        "p": p, "receipt": deadlines.petition_receipt_due(p, rules),
        "conclude": deadlines.petition_conclude_due(p, rules), "act_form": act_form, "ext_form": ext_form,
        "can_act": has_role(request.user, PETITION_ROLES), "can_approve": has_role(request.user, APPROVE_ROLES),
        "show_pii": has_role(request.user, PII_ROLES), "transitions": p.transitions.select_related("actor"),
        "disputes": p.disputes.all(), "max_ext": rules.petition_extension_max_days})


# --- committees --------------------------------------------------------------------------------------

@role_view(read=READ_ROLES, write=COMMITTEE_ROLES)
@require_http_methods(["GET", "POST"])
def committees(request):
    can_write = has_role(request.user, COMMITTEE_ROLES)
    form = forms.CommitteeForm(request.POST or None, user=request.user) if can_write else None
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        township = c["village"].parent if c["village"] else default_township(request.user, COMMITTEE_ROLES)
        try:
            if township is None:
                raise DomainError("请选择村以确定乡镇。")
            petition_services.committee_create(actor=request.user, township=township, **c)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已新建调委会。")
            return redirect("mediation:committees")
    today = dt.date.today()
    items = []
    rules_by_town: dict = {}
    for com in selectors.committee_list_for(request.user).prefetch_related("members"):
        if com.township_id not in rules_by_town:
            rules_by_town[com.township_id] = deadlines.rules_for(com.township)
        rules = rules_by_town[com.township_id]
        current = [m for m in com.members.all() if m.in_term(today)]
        items.append({"c": com, "members": current, "n": len(current),
                      "ok": rules.committee_min_members <= len(current) <= rules.committee_max_members,
                      "rules": rules})
    return render(request, "mediation/committees.html", {"items": items, "form": form, "can_write": can_write})


@role_view(read=COMMITTEE_ROLES, write=COMMITTEE_ROLES, model=Committee)
@require_http_methods(["GET", "POST"])
def mediator_add(request, pk):
    com = get_visible_or_404(selectors.committee_list_for(request.user, COMMITTEE_ROLES), request.user,
                             roles=COMMITTEE_ROLES, pk=pk)
    form = forms.MediatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition_services.mediator_add(actor=request.user, committee=com, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已增加调解员。")
            return redirect("mediation:committees")
    return render(request, "mediation/form_page.html", {"form": form, "title": f"{com.name}：增加调解员"})


# --- catalogue and settings (admin) ------------------------------------------------------------------

@role_view(read=CATALOGUE_ROLES, write=CATALOGUE_ROLES)
@require_http_methods(["GET", "POST"])
def catalogue(request):
    town = default_township(request.user, CATALOGUE_ROLES)
    edit = DisputeType.objects.filter(pk=int_param(request.GET.get("type")) or 0).first()
    type_form = forms.DisputeTypeForm(request.POST if request.POST.get("form") == "type" else None, instance=edit)
    current = MediationSettings.objects.filter(region=town).first() if town else None
    settings_form = forms.SettingsForm(request.POST if request.POST.get("form") == "settings" else None,
                                       instance=current or deadlines.rules_for(town))
    if request.method == "POST":
        try:
            if town is None:
                raise DomainError("您的账号不属于唯一的乡镇，无法在此修改。")
            if request.POST.get("form") == "type" and type_form.is_valid():
                petition_services.dispute_type_save(actor=request.user, township=town, instance=edit,
                                                    **type_form.cleaned_data)
                messages.success(request, "已保存纠纷类型。")
                return redirect("mediation:catalogue")
            if request.POST.get("form") == "settings" and settings_form.is_valid():
                petition_services.settings_save(actor=request.user, region=town, **settings_form.cleaned_data)
                messages.success(request, "已保存调处参数。")
                return redirect("mediation:catalogue")
        except DomainError as e:
            (type_form if request.POST.get("form") == "type" else settings_form).add_error(None, e.message)
    return render(request, "mediation/catalogue.html", {
        "types": DisputeType.objects.all(), "type_form": type_form, "settings_form": settings_form,
        "edit": edit, "town": town})


# --- statistics and the overdue ledger ---------------------------------------------------------------

@role_view(read=TOWNSHIP_READ_ROLES)
def stats(request):
    year = _year(request)
    town, towns = _township(request, TOWNSHIP_READ_ROLES)
    data = selectors.annual_stats(town, year) if town else None
    chart = {}
    if data:
        chart = {"month": charts.column_chart(data["by_month"], f"{year}年各月受理纠纷数"),
                 "village": charts.bar_chart(data["by_village"], "按村"),
                 "type": charts.bar_chart(data["by_type"], "按类型"),
                 "source": charts.bar_chart(data["by_source"], "按来源")}
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


# --- documents ---------------------------------------------------------------------------------------

@role_view(read=HANDLE_ROLES, model=Dispute, url_kwargs=lambda d: {"pk": d.pk, "kind": "application"})
def document(request, pk, kind):
    d = get_visible_or_404(selectors.dispute_detail_qs(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    if kind not in docs.BUILDERS:
        raise Http404("没有这种文书。")
    title, build = docs.BUILDERS[kind]
    try:
        data = build(d)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("mediation:detail", pk=d.pk)
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{title}-{d.number}.docx")
    return response


__all__ = ["screening", "petitions", "petition_create", "petition_detail", "committees", "mediator_add", "catalogue",
           "stats", "overdue", "document", "Dispute"]
