"""双随机一公开 pages: the object library, the annual plan, conflict declarations, the draws and their 复核."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import can_act_in
from fazhi.enforcement import draws, forms, permissions, plans, selectors
from fazhi.enforcement.models import InspectionDraw, InspectionObject, ObjectKind, PlanItem
from fazhi.enforcement.views.base import _form_page, _town_choices, _township, _years

# --- the object library ------------------------------------------------------------------------------

object_ledger = Ledger(
    title="检查对象名录",
    columns=[Column("名称", "name", sort="name", link=True), Column("类别", "kind"), Column("村", "village.name"),
             Column("地址", "address"), Column("风险等级", "risk"), Column("纳入抽查", "active"),
             Column("乡镇", "township.name")],
    filters=[Filter("kind", "类别", "kind", ObjectKind.choices)],
    search_fields=["name", "address", "credit_code"],
    default_sort="name",
    row_url=lambda o: reverse("enforcement:object_edit", args=[o.pk]),
    actions=[("新增检查对象", "/enforcement/inspections/objects/new/"),
             ("登记回避声明", "/enforcement/inspections/conflicts/new/")],
)


@role_view(read=permissions.READ)
def objects(request):
    return object_ledger.respond(request, selectors.object_list_for(request.user))


def _save_page(request, *, form, town, instance, save, title, back, intro, fields, towns):
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = {f: form.cleaned_data[f] for f in fields}
            try:
                save(town, instance, data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存。")
                return redirect(back)
    return _form_page(request, form, title=title, back=back, intro=intro, towns=towns)


def _object_form(request, obj=None):
    town = obj.township if obj else _township(request, permissions.PLAN_WRITE)
    form = forms.InspectionObjectForm(request.POST or None, instance=obj)
    form.fields["village"].queryset = Region.objects.filter(level=RegionLevel.VILLAGE, parent=town) \
        if town else Region.objects.none()
    if obj is not None and request.method == "POST":
        obj = InspectionObject.objects.get(pk=obj.pk)  # the form mutated the instance

    def save(t, o, data):
        plans.object_save(actor=request.user, township=t, obj=o, **data)

    return _save_page(request, form=form, town=town, instance=obj, save=save, fields=forms.InspectionObjectForm.Meta.fields,
                      title="检查对象" + (f" · {obj.name}" if obj else "（新增）"),
                      back=reverse("enforcement:objects"), towns=[] if obj else _town_choices(request, permissions.PLAN_WRITE),
                      intro="双随机抽查从名录中“纳入抽查”的对象中随机抽取；农户在门户网站公示时只显示姓氏。")


@role_view(read=permissions.PLAN_WRITE, write=permissions.PLAN_WRITE)
@require_http_methods(["GET", "POST"])
def object_new(request):
    return _object_form(request)


@role_view(read=permissions.PLAN_WRITE, write=permissions.PLAN_WRITE, model=InspectionObject)
@require_http_methods(["GET", "POST"])
def object_edit(request, pk):
    obj = get_visible_or_404(selectors.object_list_for(request.user), request.user, roles=permissions.PLAN_WRITE, pk=pk)
    return _object_form(request, obj)


@role_view(read=permissions.PLAN_WRITE, write=permissions.PLAN_WRITE)
@require_http_methods(["GET", "POST"])
def conflict_new(request):
    town = _township(request, permissions.PLAN_WRITE)
    form = forms.ConflictForm(request.POST or None)
    form.fields["officer"].queryset = selectors.officer_list_for(request.user).filter(township=town, active=True) \
        if town else form.fields["officer"].queryset.none()
    form.fields["target"].queryset = selectors.object_list_for(request.user).filter(township=town) \
        if town else form.fields["target"].queryset.none()
    if request.method == "POST" and form.is_valid():
        try:
            plans.conflict_declare(actor=request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已登记回避声明，该人员不会被抽中检查该对象。")
            return redirect("enforcement:objects")
    return _form_page(request, form, title="登记回避声明", back=reverse("enforcement:objects"),
                      towns=_town_choices(request, permissions.PLAN_WRITE),
                      intro="执法人员与检查对象有直接利害关系或者有其他关系可能影响公正执法的，应当回避（行政处罚法第四十三条）。")


# --- the annual plan -----------------------------------------------------------------------------------

plan_ledger = Ledger(
    title="年度抽查计划（抽查事项清单）",
    columns=[Column("年度", "year", sort="year"), Column("抽查事项", "item", link=True), Column("检查依据", "basis"),
             Column("对象类别", "object_kind"), Column("频次、比例", "frequency"),
             Column("每对象年度上限", "yearly_limit"), Column("已检查", "inspection_count"),
             Column("乡镇", "township.name")],
    filters=[Filter("year", "年度", "year", _years)],
    search_fields=["item", "basis"],
    default_sort="-year",
    row_url=lambda p: reverse("enforcement:plan_edit", args=[p.pk]),
    actions=[("新增抽查事项", "/enforcement/inspections/plan/new/"), ("随机抽取", "/enforcement/inspections/draws/new/")],
)


@role_view(read=permissions.READ)
def plan(request):
    return plan_ledger.respond(request, selectors.plan_item_list_for(request.user))


def _plan_form(request, item=None):
    town = item.township if item else _township(request, permissions.PLAN_WRITE)
    form = forms.PlanItemForm(request.POST or None, instance=item)
    if item is not None and request.method == "POST":
        item = PlanItem.objects.get(pk=item.pk)

    def save(t, p, data):
        plans.plan_item_save(actor=request.user, township=t, plan_item=p, **data)

    return _save_page(request, form=form, town=town, instance=item, save=save, fields=forms.PlanItemForm.Meta.fields,
                      title="抽查事项" + (f" · {item.item}" if item else "（新增）"), back=reverse("enforcement:plan"),
                      towns=[] if item else _town_choices(request, permissions.PLAN_WRITE),
                      intro="年度抽查计划列明抽查事项、依据、对象和频次；同一对象按同一事项每年受检不超过上限（涉企检查“无事不扰”）。")


@role_view(read=permissions.PLAN_WRITE, write=permissions.PLAN_WRITE)
@require_http_methods(["GET", "POST"])
def plan_new(request):
    return _plan_form(request)


@role_view(read=permissions.PLAN_WRITE, write=permissions.PLAN_WRITE, model=PlanItem)
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    item = get_visible_or_404(selectors.plan_item_list_for(request.user), request.user, roles=permissions.PLAN_WRITE,
                              pk=pk)
    return _plan_form(request, item)


# --- draws -----------------------------------------------------------------------------------------------

draw_ledger = Ledger(
    title="双随机抽取记录",
    columns=[Column("抽取日期", "draw_date", sort="draw_date", link=True), Column("抽查事项", "plan_item.item"),
             Column("计划检查日期", "inspection_date"), Column("抽取对象数", "object_count"),
             Column("生成检查", "inspection_count"), Column("随机种子", "seed"), Column("乡镇", "township.name")],
    filters=[Filter("year", "年度", "draw_date__year", _years)],
    search_fields=["plan_item__item", "seed"],
    default_sort="-draw_date",
    row_url=lambda d: reverse("enforcement:draw_detail", args=[d.pk]),
    actions=[("随机抽取", "/enforcement/inspections/draws/new/")],
)


@role_view(read=permissions.READ)
def draw_list(request):
    return draw_ledger.respond(request, selectors.draw_list_for(request.user))


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE)
@require_http_methods(["GET", "POST"])
def draw_new(request):
    town = _township(request, permissions.CASE_WRITE)
    form = forms.DrawForm(request.POST or None)
    form.fields["plan_item"].queryset = PlanItem.objects.filter(township=town, active=True) if town \
        else PlanItem.objects.none()
    if request.method == "POST" and form.is_valid():
        try:
            draw = plans.draw_create(actor=request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已随机抽取{len(draw.result)}个检查对象并生成检查任务。")
            return redirect("enforcement:draw_detail", pk=draw.pk)
    return _form_page(request, form, title="双随机抽取", back=reverse("enforcement:draws"),
                      towns=_town_choices(request, permissions.CASE_WRITE),
                      intro="从检查对象名录中随机抽取检查对象，从抽取日持有效执法证件的执法人员中随机抽取每组至少2名执法人员；"
                            "与对象有利害关系的人员回避。随机种子、候选名单和结果全部留存，任何人可以复核。")


def _draw_page(request, pk, *, check: bool):
    draw = get_visible_or_404(selectors.draw_list_for(request.user), request.user, roles=permissions.READ, pk=pk)
    officers = {o["id"]: o for o in draw.candidates.get("officers", [])}
    rows = [{**r, "team": [officers.get(i, {"name": f"#{i}"}) for i in r.get("officers", [])]} for r in draw.result]
    verification = None
    if check:
        ok, again, diff = draws.verify(draw)
        verification = {"ok": ok, "diff": diff, "rows": [
            {**r, "team": [officers.get(i, {"name": f"#{i}"}) for i in r["officers"]]} for r in again]}
    return render(request, "enforcement/draw_detail.html", {
        "draw": draw, "rows": rows, "verification": verification,
        "inspections": draw.inspections.select_related("target").order_by("id"),
        "can_write": can_act_in(request.user, draw.township, permissions.CASE_WRITE),
        "history_url": reverse("audit:history", args=["enforcement.inspectiondraw", draw.pk]),
    })


@role_view(read=permissions.READ, model=InspectionDraw)
def draw_detail(request, pk):
    return _draw_page(request, pk, check=False)


@role_view(read=permissions.READ, model=InspectionDraw)
def draw_verify(request, pk):
    """复核: recompute from the stored seed and candidates and say whether it matches the stored result."""
    return _draw_page(request, pk, check=True)
