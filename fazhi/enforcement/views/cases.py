"""Case pages: the ledger, registering a case, the case file with its steps (served by core's step view
from `CASE_FLOW`), the legal review's conclusion, the hearing record, coercive measures, full-process
records and the case's documents. Thin: selector → form → service → redirect."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.scope import can_act_in
from fazhi.enforcement import (
    deadlines,
    documents,
    forms,
    permissions,
    rules,
    selectors,
    services,
)
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    DocKind,
    Hearing,
    LegalReview,
    PowerCategory,
    Procedure,
    ReviewOutcome,
)
from fazhi.enforcement.views.base import (
    _form_page,
    _town_choices,
    _township,
    _years,
    document_views,
    record_page,
)
from fazhi.enforcement.workflow import registration
from fazhi.enforcement.workflow.cases import CASE_WORKFLOW, case_actions
from fazhi.enforcement.workflow.statute import hearing_held
from fazhi.evidence.selectors import evidence_by_subject

S = CaseStatus


case_ledger = Ledger(
    title="行政执法案件",
    columns=[
        Column("案号", "number", sort="seq", link=True),
        Column("案由", "title"),
        Column("当事人", "party_name"),
        Column("程序", "procedure"),
        Column("状态", "status", sort="status"),
        Column("立案日期", "filed_on", sort="filed_on"),
        Column("决定日期", "decided_on", sort="decided_on"),
        Column("罚款（元）", lambda c: rules.money(c.fine_amount) if c.outcome == "penalty" else ""),
        Column("乡镇", "township.name"),
    ],
    filters=[Filter("status", "状态", "status", CaseStatus.choices),
             Filter("procedure", "程序", "procedure", Procedure.choices),
             Filter("category", "类别", "power__category", PowerCategory.choices),
             Filter("year", "年度", "year", _years)],
    search_fields=["number", "title", "party_name", "facts"],
    default_sort="-id",
    row_url=lambda c: reverse("enforcement:case_detail", args=[c.pk]),
    actions=[("登记案件（普通程序）", "/enforcement/cases/new/"), ("简易程序当场处罚", "/enforcement/cases/simple/")],
)


@role_view(read=permissions.READ)
def cases(request):
    return case_ledger.respond(request, selectors.case_list_for(request.user))


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE)
@require_http_methods(["GET", "POST"])
def case_new(request):
    town = _township(request, permissions.CASE_WRITE)
    form = forms.CaseForm(request.POST or None)
    if town is not None:
        form.fields["power"].queryset = selectors.power_list_for(request.user).filter(township=town, active=True)
        form.set_officers(selectors.officers_for_case_choice(town))
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = dict(form.cleaned_data)
            power, officers = data.pop("power"), data.pop("officers")
            try:
                case = registration.case_create(actor=request.user, township=town, power=power, officers=officers,
                                            **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已登记案件{case.number}，请报负责人审批立案。")
                return redirect("enforcement:case_detail", pk=case.pk)
    return _form_page(request, form, title="登记行政处罚案件（普通程序）", back=reverse("enforcement:cases"),
                      towns=_town_choices(request, permissions.CASE_WRITE),
                      intro="登记后由负责人审批立案；立案须有2名以上持有效执法证件的执法人员承办，并核对追责时效。")


@role_view(read=permissions.CASE_WRITE, write=permissions.CASE_WRITE)
@require_http_methods(["GET", "POST"])
def case_simple(request):
    town = _township(request, permissions.CASE_WRITE)
    form = forms.SimpleCaseForm(request.POST or None)
    s = rules.settings_for(town) if town else None
    if town is not None:
        form.fields["power"].queryset = selectors.power_list_for(request.user).filter(township=town, active=True)
        form.set_officers(selectors.officers_for_case_choice(town))
    if request.method == "POST" and form.is_valid():
        if town is None:
            form.add_error(None, "请选择乡镇。")
        else:
            data = dict(form.cleaned_data)
            try:
                case = registration.case_simple_decide(actor=request.user, township=town, **data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已当场作出处罚决定{case.decision_number}并交付当事人。")
                return redirect("enforcement:case_detail", pk=case.pk)
    intro = ""
    if s:
        intro = (f"简易程序仅适用于警告，或对公民处以{rules.fmt_money(s.simple_fine_person_max)}元以下、"
                 f"对法人或者其他组织处以{rules.fmt_money(s.simple_fine_org_max)}元以下罚款（行政处罚法第五十一条）；"
                 "超出的须立案适用普通程序。")
    return _form_page(request, form, title="简易程序当场处罚", intro=intro, back=reverse("enforcement:cases"),
                      towns=_town_choices(request, permissions.CASE_WRITE))


# --- the case file ------------------------------------------------------------------------------

def _docs_for(case: Case) -> list[tuple[str, str]]:
    kinds = [DocKind.INQUIRY]
    if case.filed_on:
        kinds.insert(0, DocKind.FILING)
    if case.notice_served_on:
        kinds.append(DocKind.NOTICE)
    if case.hearings.exists():
        kinds.append(DocKind.HEARING_NOTICE)
    if case.decided_on:
        kinds.append(DocKind.ONSITE if case.is_simplified else DocKind.DECISION)
        if not case.is_simplified:
            kinds.append(DocKind.RECEIPT)
    return [(k, DocKind(k).label) for k in kinds]


@role_view(read=permissions.READ, model=Case)
def case_detail(request, pk):
    case = get_visible_or_404(selectors.case_detail_qs(request.user), request.user, roles=permissions.READ, pk=pk)
    s = rules.settings_for(case.township)
    held = hearing_held(case)
    recs = list(case.records.prefetch_related("officers").order_by("recorded_at"))
    ev_files = evidence_by_subject(recs)  # one query for every record's files
    today = dt.date.today()
    can_write = can_act_in(request.user, case.township, permissions.CASE_WRITE)
    return render(request, "enforcement/case_detail.html", {
        "case": case, "today": today, "settings": s,
        "deadlines": selectors.case_deadlines_for(case),
        "transitions": _labelled(case.transitions.select_related("actor")),
        "officers": case.officers.all(),
        "hearings": case.hearings.select_related("presiding", "recorder"),
        "reviews": case.reviews.select_related("reviewer").prefetch_related("items"),
        "discussions": case.discussions.prefetch_related("opinions"),
        "measures": case.measures.all(),
        "records": [(r, ev_files.get(r.pk, [])) for r in recs],
        "documents": _docs_for(case),
        "issued": {d.kind: d for d in case.documents.all()},
        "publication": getattr(case, "publication", None) if selectors._has_pub(case) else None,
        "review_reasons": rules.legal_review_reasons(case, s, hearing_held=held),
        "collective_reasons": rules.collective_reasons(case, s),
        "hearing_triggered": rules.hearing_triggered(case, s) if case.penalty_kind else None,
        "actions": [(s.name, s.label) for s in case_actions(case, request.user)] if can_write else [],
        "can_record": can_write,
        "history_url": reverse("audit:history", args=["enforcement.case", case.pk]),
        "late": _late(case, s, today),
    })


def _labelled(transitions):
    for t in transitions:
        t.from_label = CASE_WORKFLOW.label(t.from_status) if t.from_status else "—"
        t.to_label = CASE_WORKFLOW.label(t.to_status)
        yield t


def _late(case, s, today):
    if not case.has_fine or not case.served_on:
        return None
    days, fee = deadlines.late_fee_today(case, s, today)
    return {"days": days, "fee": fee}


@role_view(read=permissions.READ, write=permissions.REVIEWERS, model=LegalReview)
@require_http_methods(["GET", "POST"])
def review_conclude(request, pk):
    review = get_visible_or_404(selectors.review_list_for(request.user), request.user, roles=permissions.READ, pk=pk)
    form = forms.ReviewConcludeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.legal_review_conclude(actor=request.user, review=review, items=form.items(), outcome=d["outcome"],
                                           opinion=d["opinion"], reviewed_on=d["reviewed_on"],
                                           crime_suspected=d["crime_suspected"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存审核意见。")
            return redirect("enforcement:case_detail", pk=review.case_id)
    return _form_page(request, form, title=f"法制审核 · {review.case.number} 第{review.round}轮",
                      intro=f"审核人员：{review.reviewer.name}。请逐项审核，每项均符合方可作出“审核通过”结论。",
                      back=reverse("enforcement:case_detail", args=[review.case_id]),
                      extra={"pending": review.outcome == ReviewOutcome.PENDING})


@role_view(read=permissions.READ, write=permissions.CASE_WRITE, model=Hearing)
@require_http_methods(["GET", "POST"])
def hearing_record(request, pk):
    hearing = get_visible_or_404(Hearing.objects.select_related("case"), request.user, roles=permissions.READ, pk=pk)
    form = forms.HearingRecordForm(request.POST or None, initial={"held_on": hearing.scheduled_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_record(actor=request.user, hearing=hearing, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已记录听证。")
            return redirect("enforcement:case_detail", pk=hearing.case_id)
    return _form_page(request, form, title=f"听证笔录 · {hearing.case.number}",
                      back=reverse("enforcement:case_detail", args=[hearing.case_id]))


@role_view(read=permissions.READ, write=permissions.CASE_WRITE, model=Case)
@require_http_methods(["GET", "POST"])
def record_new(request, pk):
    case = get_visible_or_404(selectors.case_list_for(request.user), request.user, roles=permissions.READ, pk=pk)
    measures = list(case.measures.filter(status="open"))
    measure = next((m for m in measures if str(m.pk) == request.POST.get("measure")), None)
    return record_page(request, township=case.township, subject={"case": case, "measure": measure},
                       initial={"officers": list(case.officers.all())}, title=f"全过程记录 · {case.number}",
                       intro="对立案、调查取证、审核、决定、送达、执行等环节进行文字和音像记录；现场强制措施必须有视频。",
                       back=reverse("enforcement:case_detail", args=[case.pk]), extra={"measures": measures})


DOCUMENT_VIEWS = document_views(model=Case, subject_qs=selectors.case_detail_qs, build=documents.build,
                                label=lambda kind: DocKind(kind).label, detail="enforcement:case_detail",
                                prefix="document_", kinds=DocKind.values)
