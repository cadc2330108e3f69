"""Registers and catalogues: inspections, officer roster, powers, statutory settings, overdue ledger,
publication (internal and public), statistics."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.accounts.roles import Role
from fazhi.core.access import get_visible_or_404, public_view, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.models import Region, RegionLevel
from fazhi.core.params import year_param
from fazhi.core.scope import can_act_in, memberships, townships_for
from fazhi.enforcement import forms, rules, selectors, services
from fazhi.enforcement.models import (
    Inspection,
    InspectionKind,
    InspectionResult,
    Officer,
    Power,
    Publication,
    StatutorySettings,
)
from fazhi.enforcement.views import _form_page, _town_choices, _township, _years

READ = selectors.READ_ROLES
WRITE = selectors.CASE_WRITE_ROLES
CAT = selectors.CATALOGUE_WRITE_ROLES

# --- inspections ----------------------------------------------------------------------------------

inspection_ledger = Ledger(
    title="日常巡查",
    columns=[
        Column("日期", "date", sort="date", link=True),
        Column("类型", "kind"),
        Column("村", "village.name"),
        Column("地点", "place"),
        Column("检查内容", "subject"),
        Column("处理结果", "result"),
        Column("执法人员数", "officer_count"),
        Column("乡镇", "township.name"),
    ],
    filters=[Filter("kind", "类型", "kind", InspectionKind.choices),
             Filter("result", "处理结果", "result", InspectionResult.choices),
             Filter("year", "年度", "date__year", _years)],
    search_fields=["place", "subject", "findings"],
    default_sort="-date",
    row_url=lambda i: reverse("enforcement:inspection_detail", args=[i.pk]),
    actions=[("登记巡查", "/enforcement/inspections/new/")],
)


@role_view(read=READ)
def inspections(request):
    return inspection_ledger.respond(request, selectors.inspection_list_for(request.user))


@role_view(read=WRITE, write=WRITE)
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    town = _township(request, WRITE)
    form = forms.InspectionForm(request.POST or None)
    form.fields["village"].queryset = Region.objects.filter(level=RegionLevel.VILLAGE, parent=town) \
        if town else Region.objects.none()
    if town:
        form.set_officers(selectors.officers_for_case_choice(town))
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            d = dict(form.cleaned_data)
            officers = d.pop("officers")
            try:
                ins = services.inspection_create(actor=request.user, township=town, officers=officers, **d)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已登记巡查。")
                return redirect("enforcement:inspection_detail", pk=ins.pk)
    return _form_page(request, form, title="登记日常巡查", back=reverse("enforcement:inspections"),
                      towns=_town_choices(request, WRITE), intro="巡查须由2名以上持有效执法证件的执法人员进行，并使用执法记录仪全程记录。")


@role_view(read=READ, write=WRITE, model=Inspection)
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk):
    ins = get_visible_or_404(selectors.inspection_list_for(request.user), request.user, roles=READ, pk=pk)
    form = forms.OpenCaseForm(request.POST or None, initial={"title": ins.subject})
    form.fields["power"].queryset = Power.objects.filter(township=ins.township, active=True)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        power = d.pop("power")
        try:
            case = services.inspection_open_case(actor=request.user, inspection=ins, power=power, **d)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已据巡查发现登记案件{case.number}，请报负责人审批立案。")
            return redirect("enforcement:case_detail", pk=case.pk)
    return render(request, "enforcement/inspection_detail.html", {
        "ins": ins, "form": form, "officers": ins.officers.all(), "cases": ins.cases.all(),
        "records": ins.records.all(), "can_write": can_act_in(request.user, ins.township, WRITE),
        "history_url": reverse("audit:history", args=["enforcement.inspection", ins.pk]),
    })


@role_view(read=WRITE, write=WRITE, model=Inspection)
@require_http_methods(["GET", "POST"])
def inspection_record_new(request, pk):
    from django.utils import timezone

    ins = get_visible_or_404(selectors.inspection_list_for(request.user), request.user, roles=WRITE, pk=pk)
    form = forms.RecordForm(request.POST or None, request.FILES or None, initial={
        "stage": "patrol", "place": ins.place, "officers": list(ins.officers.all()),
        "recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")})
    form.set_officers(selectors.officer_list_for(request.user).filter(township=ins.township, active=True))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        files = [(f, f.name) for f in d.pop("files")]
        try:
            services.record_create(actor=request.user, township=ins.township, inspection=ins, files=files, **d)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存巡查记录。")
            return redirect("enforcement:inspection_detail", pk=ins.pk)
    return _form_page(request, form, title=f"巡查全过程记录 · {ins}", multipart=True,
                      intro="使用执法记录仪对日常巡查进行全程记录，上传照片、录音、录像。",
                      back=reverse("enforcement:inspection_detail", args=[ins.pk]))


# --- officers -------------------------------------------------------------------------------------

@role_view(read=READ)
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
        "can_edit": bool(townships_for(request.user, CAT).exists()),
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
    town = officer.township if officer else _township(request, CAT)
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
                      back=reverse("enforcement:officers"), towns=[] if officer else _town_choices(request, CAT),
                      intro="执法证件过期、暂扣或注销的人员不能被指派执法任务；法制审核人员须具有法律职业资格。")


@role_view(read=CAT, write=CAT)
@require_http_methods(["GET", "POST"])
def officer_new(request):
    return _officer_form(request)


@role_view(read=CAT, write=CAT, model=Officer)
@require_http_methods(["GET", "POST"])
def officer_edit(request, pk):
    officer = get_visible_or_404(selectors.officer_list_for(request.user), request.user, roles=CAT, pk=pk)
    return _officer_form(request, officer)


# --- powers, bands, bodies ---------------------------------------------------------------------------

@role_view(read=READ)
def powers(request):
    qs = selectors.power_list_for(request.user).prefetch_related("bands").order_by("township__code", "code")
    return render(request, "enforcement/powers.html", {
        "powers": qs, "bodies": selectors.body_list_for(request.user),
        "can_edit": bool(townships_for(request.user, CAT).exists()),
    })


@role_view(read=CAT, write=CAT)
@require_http_methods(["GET", "POST"])
def power_new(request):
    return _power_form(request)


@role_view(read=CAT, write=CAT, model=Power)
@require_http_methods(["GET", "POST"])
def power_edit(request, pk):
    power = get_visible_or_404(selectors.power_list_for(request.user), request.user, roles=CAT, pk=pk)
    return _power_form(request, power)


def _power_form(request, power=None):
    town = power.township if power else _township(request, CAT)
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
                      back=reverse("enforcement:powers"), towns=[] if power else _town_choices(request, CAT))


@role_view(read=CAT, write=CAT, model=Power)
@require_http_methods(["GET", "POST"])
def band_new(request, pk):
    power = get_visible_or_404(selectors.power_list_for(request.user), request.user, roles=CAT, pk=pk)
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


@role_view(read=CAT, write=CAT)
@require_http_methods(["GET", "POST"])
def body_new(request):
    town = _township(request, CAT)
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
                      towns=_town_choices(request, CAT))


# --- statutory settings ---------------------------------------------------------------------------

def _applies_to(region) -> str:
    if region is None:
        return "只有系统管理员可以修改。"
    if region.level == RegionLevel.TOWNSHIP:
        return f"仅适用于{region.name}（省、市、县管理员设置的参数适用于其下各乡镇）。"
    return f"适用于{region.name}下各乡镇（乡镇可另行设置本乡镇的数值）。"


@role_view(read=CAT, write={Role.ADMIN})
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    towns = list(townships_for(request.user, CAT)[:1])
    town = towns[0] if towns else None
    province = None  # the region whose row this admin edits: the widest admin membership above the town
    if town is not None:
        admin_regions = [m.region for m in memberships(request.user)
                         if m.role == Role.ADMIN and town.path.startswith(m.region.path)]
        province = min(admin_regions, key=lambda r: len(r.path)) if admin_regions else None
    current = rules.settings_for(town) if town else StatutorySettings()
    form = forms.SettingsForm(request.POST or None, instance=StatutorySettings(
        **{f.name: getattr(current, f.name) for f in StatutorySettings._meta.concrete_fields
           if f.name not in {"id", "region", "updated_at"}}))
    can_edit = province is not None and can_act_in(request.user, town, {Role.ADMIN})
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


# --- overdue ledger, publications, public list, statistics --------------------------------------

@role_view(read=READ)
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


@role_view(read=READ)
def publications(request):
    return publication_ledger.respond(request, selectors.publication_list_for(request.user))


@role_view(read=READ, write=WRITE, model=Publication)
@require_http_methods(["GET", "POST"])
def publication_withdraw(request, pk):
    pub = get_visible_or_404(selectors.publication_list_for(request.user), request.user, roles=READ, pk=pk)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_withdraw(actor=request.user, publication=pub, reason=form.cleaned_data["reason"])
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


@role_view(read=READ)
def stats(request):
    this = dt.date.today().year
    year = year_param(request.GET.get("year"), this)
    towns = list(townships_for(request.user, READ)[:50])
    rows = [(t, selectors.annual_stats(t, year), selectors.monthly_cases(t, year)) for t in towns]
    return render(request, "enforcement/stats.html", {"rows": rows, "year": year,
                                                      "years": list(range(this, this - 6, -1)),
                                                      "months": list(range(1, 13))})
