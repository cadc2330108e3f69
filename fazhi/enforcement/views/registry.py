"""The catalogues: the officer roster, powers and discretion bands, enforcement bodies, statutory settings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.scope import can_act_in, memberships, townships_for
from fazhi.enforcement import forms, permissions, rules, selectors, services
from fazhi.enforcement.models import (
    Officer,
    Power,
    StatutorySettings,
)
from fazhi.enforcement.views.base import _form_page, _town_choices, _township

# --- officers -------------------------------------------------------------------------------------

@role_view(read=permissions.READ)
def officers(request):
    today = dt.date.today()
    rows = list(selectors.officer_list_for(request.user).order_by("township__code", "-active", "name"))
    warn_days = {}
    for t in {o.township_id: o.township for o in rows}.values():
        warn_days[t.pk] = rules.settings_for(t).certificate_warning_days
    certified = [o for o in rows if o.certified_on(today)]
    warnings = []
    for o in rows:
        warnings += selectors.certificate_warnings([o], today, warn_days.get(o.township_id, 60))
    return render(request, "enforcement/officers.html", {
        "rows": [(o, o.certified_on(today)) for o in rows], "certified_count": len(certified),
        "total": sum(1 for o in rows if o.active), "warnings": warnings, "today": today,
        "can_edit": bool(townships_for(request.user, permissions.CATALOGUE_WRITE).exists()),
        "by_town": _by_town(rows, today),
    })


def _by_town(rows, today):
    out: dict = {}
    for o in rows:
        out.setdefault(o.township.name, 0)
        if o.certified_on(today):
            out[o.township.name] += 1
    return out


def _officer_form(request, officer=None):
    town = officer.township if officer else _township(request, permissions.CATALOGUE_WRITE)
    form = forms.OfficerForm(request.POST or None, instance=officer)
    form.fields["body"].queryset = selectors.body_list_for(request.user).filter(township=town) if town else \
        form.fields["body"].queryset.none()
    form.fields["user"].queryset = selectors.township_users(town)
    form.fields["user"].help_text = "关联后，该人员以本人账号办理（如法制审核意见须由审核人员本人提交）"
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                if officer is not None:
                    officer = Officer.objects.get(pk=officer.pk)  # the form mutated the instance
                services.officer_save(actor=request.user, township=town, officer=officer, **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存执法人员信息。")
                return redirect("enforcement:officers")
    return _form_page(request, form, title="执法人员" + (f" · {officer.name}" if officer else "（新增）"),
                      back=reverse("enforcement:officers"), towns=[] if officer else _town_choices(request, permissions.CATALOGUE_WRITE),
                      intro="执法证件过期、暂扣或注销的人员不能被指派执法任务；法制审核人员须具有法律职业资格。")


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE)
@require_http_methods(["GET", "POST"])
def officer_new(request):
    return _officer_form(request)


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE, model=Officer)
@require_http_methods(["GET", "POST"])
def officer_edit(request, pk):
    officer = get_visible_or_404(selectors.officer_list_for(request.user), request.user, roles=permissions.CATALOGUE_WRITE, pk=pk)
    return _officer_form(request, officer)


# --- powers, bands, bodies ---------------------------------------------------------------------------

@role_view(read=permissions.READ)
def powers(request):
    qs = selectors.power_list_for(request.user).prefetch_related("bands").order_by("township__code", "code")
    return render(request, "enforcement/powers.html", {
        "powers": qs, "bodies": selectors.body_list_for(request.user),
        "can_edit": bool(townships_for(request.user, permissions.CATALOGUE_WRITE).exists()),
    })


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE)
@require_http_methods(["GET", "POST"])
def power_new(request):
    return _power_form(request)


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE, model=Power)
@require_http_methods(["GET", "POST"])
def power_edit(request, pk):
    power = get_visible_or_404(selectors.power_list_for(request.user), request.user, roles=permissions.CATALOGUE_WRITE, pk=pk)
    return _power_form(request, power)


def _power_form(request, power=None):
    town = power.township if power else _township(request, permissions.CATALOGUE_WRITE)
    form = forms.PowerForm(request.POST or None, instance=power)
    form.fields["body"].queryset = selectors.body_list_for(request.user).filter(township=town) if town else \
        form.fields["body"].queryset.none()
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                fresh = Power.objects.get(pk=power.pk) if power else None
                services.power_save(actor=request.user, township=town, power=fresh, **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存职权事项。")
                return redirect("enforcement:powers")
    return _form_page(request, form, title="职权事项" + (f" · {power.name}" if power else "（新增）"),
                      back=reverse("enforcement:powers"), towns=[] if power else _town_choices(request, permissions.CATALOGUE_WRITE))


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE, model=Power)
@require_http_methods(["GET", "POST"])
def band_new(request, pk):
    power = get_visible_or_404(selectors.power_list_for(request.user), request.user, roles=permissions.CATALOGUE_WRITE, pk=pk)
    form = forms.BandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.band_save(actor=request.user, power=power, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存裁量基准。")
            return redirect("enforcement:powers")
    return _form_page(request, form, title=f"裁量基准 · {power.name}", back=reverse("enforcement:powers"),
                      intro=f"法定处罚幅度：{power.penalty_range}")


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.CATALOGUE_WRITE)
@require_http_methods(["GET", "POST"])
def body_new(request):
    town = _township(request, permissions.CATALOGUE_WRITE)
    form = forms.BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            try:
                services.body_save(actor=request.user, township=town, **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存执法主体。")
                return redirect("enforcement:powers")
    return _form_page(request, form, title="执法主体（新增）", back=reverse("enforcement:powers"),
                      towns=_town_choices(request, permissions.CATALOGUE_WRITE))


# --- statutory settings ---------------------------------------------------------------------------

def _applies_to(region) -> str:
    if region is None:
        return "只有系统管理员可以修改。"
    if region.level == RegionLevel.TOWNSHIP:
        return f"仅适用于{region.name}（省、市、县管理员设置的参数适用于其下各乡镇）。"
    return f"适用于{region.name}下各乡镇（乡镇可另行设置本乡镇的数值）。"


@role_view(read=permissions.CATALOGUE_WRITE, write=permissions.SETTINGS_WRITE)
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    towns = list(townships_for(request.user, permissions.CATALOGUE_WRITE)[:1])
    town = towns[0] if towns else None
    province = None  # the region whose row this admin edits: the widest admin membership above the town
    if town is not None:
        admin_regions = [m.region for m in memberships(request.user)
                         if m.role in permissions.SETTINGS_WRITE and town.path.startswith(m.region.path)]
        province = min(admin_regions, key=lambda r: len(r.path)) if admin_regions else None
    current = rules.settings_for(town) if town else StatutorySettings()
    form = forms.SettingsForm(request.POST or None, instance=StatutorySettings(
        **{f.name: getattr(current, f.name) for f in StatutorySettings._meta.concrete_fields
           if f.name not in {"id", "region", "updated_at"}}))
    can_edit = province is not None and can_act_in(request.user, town, permissions.SETTINGS_WRITE)
    if request.method == "POST" and form.is_valid():
        if not can_edit:
            form.add_error(None, "只有系统管理员可以修改法定参数。")
        else:
            values = {k: v for k, v in form.cleaned_data.items()}
            try:
                services.settings_save(actor=request.user, region=province, **values)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已保存{province.name}执法法定参数。")
                return redirect("enforcement:settings")
    return _form_page(request, form, title="行政执法法定参数",
                      intro=f"{_applies_to(province)}默认值为行政处罚法、行政强制法和"
                            "国办发〔2018〕118号规定的数值；法律授权省级确定的数额（如较大数额罚款）按本省规定填写。",
                      back=reverse("enforcement:cases"), extra={"readonly": not can_edit})
