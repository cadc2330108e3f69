"""Committees and mediators (人民调解法第八、九条), the dispute-type catalogue and the settings (admin)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.params import int_param
from fazhi.core.scope import default_township, has_role
from fazhi.mediation import deadlines, forms, selectors
from fazhi.mediation.models import Committee, DisputeType, MediationSettings
from fazhi.mediation.permissions import CATALOGUE_ROLES, COMMITTEE_ROLES, READ_ROLES
from fazhi.mediation.services import committees as services


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
            services.committee_create(actor=request.user, township=township, **c)
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
            services.mediator_add(actor=request.user, committee=com, **form.cleaned_data)
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
                services.dispute_type_save(actor=request.user, township=town, instance=edit,
                                                    **type_form.cleaned_data)
                messages.success(request, "已保存纠纷类型。")
                return redirect("mediation:catalogue")
            if request.POST.get("form") == "settings" and settings_form.is_valid():
                services.settings_save(actor=request.user, region=town, **settings_form.cleaned_data)
                messages.success(request, "已保存调处参数。")
                return redirect("mediation:catalogue")
        except DomainError as e:
            (type_form if request.POST.get("form") == "type" else settings_form).add_error(None, e.message)
    return render(request, "mediation/catalogue.html", {
        "types": DisputeType.objects.all(), "type_form": type_form, "settings_form": settings_form,
        "edit": edit, "town": town})
