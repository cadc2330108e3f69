"""行政强制执行 pages: start one from a case in execution, its record page (open steps inline), its process
records (video) and its documents. The steps themselves are core's step pages (`*COERCION_FLOW.urls`)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in
from fazhi.enforcement import deadlines, documents, permissions, records, selectors
from fazhi.enforcement.models import Case, CoercionProcedure
from fazhi.enforcement.views.base import _form_page, document_views, record_page
from fazhi.enforcement.workflow.coercion import COERCION_FLOW, COERCION_WORKFLOW, coercion_start
from fazhi.enforcement.workflow.coercion_steps import StartForm


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE, model=Case)
@require_http_methods(["GET", "POST"])
def coercion_new(request, pk):
    case = get_visible_or_404(selectors.case_list_for(request.user), request.user, roles=permissions.CASE_WRITE,
                              pk=pk)
    form = StartForm(request.POST or None, initial={"obligation": case.penalty_detail,
                                                    "demolition": "拆除" in (case.penalty_detail or "")})
    if request.method == "POST" and form.is_valid():
        try:
            c = coercion_start(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已启动行政强制执行，请先催告当事人履行。")
            return redirect("enforcement:coercion_detail", pk=c.pk)
    return _form_page(request, form, title=f"启动行政强制执行 · {case.number}",
                      intro="当事人在行政机关决定的期限内不履行义务的，具有行政强制执行权的行政机关依照行政强制法第四章规定强制执行；"
                            "没有行政强制执行权的，申请人民法院强制执行（行政强制法第三十四条、第五十三条）。",
                      back=reverse("enforcement:case_detail", args=[case.pk]))


@role_view(read=permissions.READ, model=CoercionProcedure)
def coercion_detail(request, pk):
    c = get_visible_or_404(selectors.coercion_list_for(request.user), request.user, roles=permissions.READ, pk=pk)
    recs = list(c.records.all())
    transitions = list(c.transitions.select_related("actor"))
    for t in transitions:
        t.from_label = COERCION_WORKFLOW.label(t.from_status) if t.from_status else "—"
        t.to_label = COERCION_WORKFLOW.label(t.to_status)
    dl = [d for d in (deadlines.urge_deadline(c), deadlines.self_removal_deadline(c),
                      deadlines.remedy_lapse(c.case),
                      deadlines.court_window(c.case) if c.route == "court" else None,
                      deadlines.proxy_urge_ready(c)) if d is not None]
    return render(request, "enforcement/coercion_detail.html", {
        "c": c, "case": c.case, "records": recs, "transitions": transitions, "deadlines": dl,
        "instalments": c.instalments.all(), "has_video": records.coercion_has_video(c),
        "can_record": can_act_in(request.user, c.township, permissions.CASE_WRITE),
        "documents": documents.coercion_documents(c),
        "step_forms": COERCION_FLOW.forms_for(c, request.user),
        "history_url": reverse("audit:history", args=["enforcement.coercionprocedure", c.pk]),
    })


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE, model=CoercionProcedure)
@require_http_methods(["GET", "POST"])
def coercion_record_new(request, pk):
    c = get_visible_or_404(selectors.coercion_list_for(request.user), request.user, roles=permissions.CASE_WRITE,
                           pk=pk)
    return record_page(request, township=c.township, subject={"coercion": c},
                       initial={"stage": "coercion", "place": c.case.place, "officers": list(c.case.officers.all())},
                       title=f"强制执行全过程记录 · {c.case.number}",
                       intro="催告、送达、公告、实施强制执行的全过程应当文字和音像记录；强制拆除没有视频记录的不能办结。",
                       back=reverse("enforcement:coercion_detail", args=[c.pk]))


DOCUMENT_VIEWS = document_views(model=CoercionProcedure, subject_qs=selectors.coercion_list_for,
                                build=documents.build_coercion, label=lambda kind: documents.COERCION_BUILDERS[kind][0],
                                detail="enforcement:coercion_detail", prefix="coercion_document_",
                                kinds=documents.COERCION_BUILDERS)
