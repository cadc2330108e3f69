"""Inspections (日常巡查): the ledger, registering one, its page (opening a case) and its records."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.scope import can_act_in
from fazhi.enforcement import forms, permissions, selectors, services
from fazhi.enforcement.models import (
    Inspection,
    InspectionKind,
    InspectionResult,
)
from fazhi.enforcement.views.base import _form_page, _town_choices, _township, _years, record_page
from fazhi.enforcement.workflow.inspections import INSPECTION_FLOW, publish_deadline

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


@role_view(read=permissions.READ)
def inspections(request):
    return inspection_ledger.respond(request, selectors.inspection_list_for(request.user))


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE)
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    town = _township(request, permissions.CASE_WRITE)
    form = forms.InspectionForm.for_township(request.user, town, request.POST or None)
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
                      towns=_town_choices(request, permissions.CASE_WRITE), intro="巡查须由2名以上持有效执法证件的执法人员进行，并使用执法记录仪全程记录。")


@role_view(read=permissions.READ, model=Inspection)
def inspection_detail(request, pk):
    ins = get_visible_or_404(selectors.inspection_list_for(request.user).select_related("target", "plan_item", "draw"),
                             request.user, roles=permissions.READ, pk=pk)
    return render(request, "enforcement/inspection_detail.html", {
        "ins": ins, "officers": ins.officers.all(), "cases": ins.cases.all(),
        "records": ins.records.all(), "can_write": can_act_in(request.user, ins.township, permissions.CASE_WRITE),
        "step_forms": INSPECTION_FLOW.forms_for(ins, request.user),
        "publish_due": publish_deadline(ins) if ins.published_on is None else None,
        "history_url": reverse("audit:history", args=["enforcement.inspection", ins.pk]),
    })


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE, model=Inspection)
@require_http_methods(["GET", "POST"])
def inspection_record_new(request, pk):
    ins = get_visible_or_404(selectors.inspection_list_for(request.user), request.user, roles=permissions.CASE_WRITE, pk=pk)
    return record_page(request, township=ins.township, subject={"inspection": ins},
                       initial={"stage": "patrol", "place": ins.place, "officers": list(ins.officers.all())},
                       title=f"巡查全过程记录 · {ins}", intro="使用执法记录仪对日常巡查进行全程记录，上传照片、录音、录像。",
                       back=reverse("enforcement:inspection_detail", args=[ins.pk]), done="已保存巡查记录。")
