"""One form per workflow step of a case, and the pages of its parts (legal review round, hearing, coercive
measures, full-process records, documents). Thin: selector → form → service → redirect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_record
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.enforcement import forms, rules, selectors, services
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoerciveMeasure,
    DocKind,
    Hearing,
    LegalReview,
    ReviewOutcome,
)
from fazhi.enforcement.views import _form_page

READ = selectors.READ_ROLES
WRITE = selectors.CASE_WRITE_ROLES
S = CaseStatus


# --- one form per step --------------------------------------------------------------------------

@dataclass
class Step:
    label: str
    form: type
    handle: Callable  # (request, case, form) -> message
    roles: frozenset = WRITE
    prepare: Callable | None = None  # (form, case, request)
    initial: Callable | None = None  # (case) -> dict
    intro: str = ""
    multipart: bool = False
    confirm: str = ""  # destructive steps ask before submitting


def _t(request, case, form, to, data=None, reason=""):
    return services.case_transition(actor=request.user, case=case, to=to, data=data or {}, reason=reason,
                                    expected_status=form.cleaned_data.get("expected_status") or None)


def _approve(request, case, form):
    d = form.cleaned_data
    if d["decision"] == "approve":
        _t(request, case, form, S.INVESTIGATING, {"filed_on": d["filed_on"]}, d["reason"])
        return "已批准立案，进入调查取证。"
    _t(request, case, form, S.NOT_FILED, reason=d["reason"])
    return "已决定不予立案。"


def _notice(request, case, form):
    d = dict(form.cleaned_data)
    d.pop("expected_status", None)
    _t(request, case, form, S.NOTIFIED, d)
    return "已登记事先告知书送达，陈述申辩和听证申请期限开始计算。"


def _prep_notice(form, case, request):
    form.fields["band"].queryset = case.power.bands.all()


def _hearing_request(request, case, form):
    _t(request, case, form, S.HEARING, {"hearing_requested_on": form.cleaned_data["hearing_requested_on"]})
    return "已登记听证申请，请安排听证并提前7个工作日通知当事人。"


def _hearing(request, case, form):
    d = form.cleaned_data
    services.hearing_schedule(actor=request.user, case=case, **d)
    return "已安排听证。"


def _prep_hearing(form, case, request):
    qs = selectors.officer_list_for(request.user).filter(township=case.township, active=True)
    form.fields["presiding"].queryset = qs.exclude(pk__in=case.officers.values("pk"))
    form.fields["recorder"].queryset = qs


def _review(request, case, form):
    d = form.cleaned_data
    services.legal_review_submit(actor=request.user, case=case, reviewer=d["reviewer"],
                                 submitted_on=d["submitted_on"], expected_status=d.get("expected_status") or None)
    return "已提交法制审核。"


def _prep_review(form, case, request):
    form.fields["reviewer"].queryset = selectors.reviewers_for(case)


def _collective(request, case, form):
    _t(request, case, form, S.COLLECTIVE, reason=form.cleaned_data["reason"] or "提交负责人集体讨论")
    return "已提交集体讨论。"


def _discussion(request, case, form):
    services.discussion_record(actor=request.user, case=case, **form.cleaned_data)
    return "已记录集体讨论。"


def _decide(request, case, form):
    d = dict(form.cleaned_data)
    d.pop("expected_status", None)
    if not d.get("penalty_kind"):
        d["penalty_kind"] = case.penalty_kind if d["outcome"] == "penalty" else ""
    for k in ("fine_amount", "confiscation_amount"):
        if d[k] is None and d["outcome"] == "penalty":
            d[k] = getattr(case, k)
    for k in ("penalty_detail", "reasons", "statement", "statement_response", "payment_place"):
        if not d[k]:
            d[k] = getattr(case, k)
    c = _t(request, case, form, S.DECIDED, d)
    return f"已作出决定，文号{c.decision_number}。请在7个工作日内送达。"


def _decide_initial(case):
    return {"outcome": case.outcome or "penalty", "penalty_kind": case.penalty_kind, "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount, "penalty_detail": case.penalty_detail,
            "reasons": case.reasons, "statement": case.statement, "statement_response": case.statement_response,
            "payment_place": case.payment_place}


def _serve(request, case, form):
    d = dict(form.cleaned_data)
    d.pop("expected_status", None)
    if d["service_method"] == "public":
        from fazhi.enforcement.deadlines import public_notice_served_on

        due = public_notice_served_on(d["served_on"], rules.settings_for(case.township))
        if due.due > dt.date.today():
            raise DomainError(f"公告送达自公告发出之日起经过规定期间视为送达：{due.explanation}请期满后再登记送达。")
        d["served_on"] = due.due
    _t(request, case, form, S.SERVED, d)
    return "已登记送达。"


def _execute(request, case, form):
    _t(request, case, form, S.EXECUTING, reason=form.cleaned_data["reason"])
    return "已进入执行。"


def _payment(request, case, form):
    services.case_record_payment(actor=request.user, case=case, **form.cleaned_data)
    return "已登记缴款。"


def _close(request, case, form):
    d = dict(form.cleaned_data)
    d.pop("expected_status", None)
    _t(request, case, form, S.CLOSED, d)
    return "已结案。"


def _archive(request, case, form):
    _t(request, case, form, S.ARCHIVED, {"archived_on": form.cleaned_data["archived_on"]})
    return "已归档。"


def _revoke(request, case, form):
    d = form.cleaned_data
    _t(request, case, form, S.REVOKED, {"revoked_on": d["revoked_on"], "revocation_reason": d["reason"]}, d["reason"])
    return "处罚决定已撤销；已公示的决定已同时撤回并说明理由。"


def _reinvestigate(request, case, form):
    _t(request, case, form, S.INVESTIGATING, reason=form.cleaned_data["reason"])
    return "已退回补充调查。"


def _officers(request, case, form):
    services.case_assign_officers(actor=request.user, case=case, officers=form.cleaned_data["officers"])
    return "已调整承办人员。"


def _prep_officers(form, case, request):
    form.set_officers(selectors.officers_for_case_choice(case.township))


def _edit(request, case, form):
    d = {k: v for k, v in form.cleaned_data.items() if k not in {"power", "officers", "discovered_on"}}
    services.case_update(actor=request.user, case=case, **d)
    return "已保存。"


def _prep_edit(form, case, request):
    for name in ("power", "officers", "discovered_on"):
        form.fields.pop(name)


def _edit_initial(case):
    return {f: getattr(case, f) for f in ("title", "source", "party_kind", "party_name", "party_id_no", "party_phone",
                                          "party_address", "party_representative", "violation_date", "place", "facts",
                                          "major_public_interest", "complex_case", "serious_violation",
                                          "filing_opinion")}


def _extend(request, case, form):
    services.case_update(actor=request.user, case=case, **form.cleaned_data)
    return "已登记延长办案期限。"


def _measure(request, case, form):
    services.measure_create(actor=request.user, case=case, **form.cleaned_data)
    return "已登记查封、扣押措施。现场须全程录像，并在全过程记录中上传视频。"


def _publish(request, case, form):
    services.publication_publish(actor=request.user, case=case, **form.cleaned_data)
    return "已公示（身份证号、电话号码已作去标识化处理）。"


def _status_initial(case):
    return {"expected_status": case.status}


STEPS: dict[str, Step] = {
    "approve": Step("立案审批", forms.ApproveForm, _approve, frozenset({Role.LEADER}),
                    intro="负责人审批：同意立案的，核对2名以上持证执法人员和追责时效。"),
    "notice": Step("送达事先告知书", forms.NoticeForm, _notice, prepare=_prep_notice,
                   initial=lambda c: {"facts": c.facts, "reasons": c.reasons, "penalty_kind": c.penalty_kind,
                                      "fine_amount": c.fine_amount, "evidence_summary": c.evidence_summary},
                   intro="行政处罚法第四十四条：告知拟作出的处罚内容及事实、理由、依据，并告知陈述、申辩、要求听证的权利。"),
    "hearing_request": Step("登记听证申请", forms.HearingRequestForm, _hearing_request,
                            intro="当事人应在告知书送达后5个工作日内提出听证申请（第六十四条、第八十五条）。"),
    "hearing": Step("安排听证", forms.HearingScheduleForm, _hearing, prepare=_prep_hearing,
                    intro="应在举行听证的7个工作日前通知当事人；主持人由非本案调查人员担任。"),
    "review": Step("提交法制审核", forms.ReviewSubmitForm, _review, prepare=_prep_review,
                   intro="审核人员须具有法律职业资格，且不是本案调查人员（行政处罚法第五十八条）。"),
    "collective": Step("提交集体讨论", forms.ReasonForm, _collective, intro="情节复杂或重大违法行为，由负责人集体讨论决定。"),
    "discussion": Step("记录集体讨论", forms.DiscussionForm, _discussion, frozenset({Role.LEADER, Role.LEGAL_STAFF})),
    "decide": Step("作出处理决定", forms.DecideForm, _decide, frozenset({Role.LEADER}), initial=_decide_initial,
                   intro="负责人签发。系统将核对：告知已送达且期限届满（或当事人放弃）、听证已举行、法制审核已通过、集体讨论已进行。"),
    "serve": Step("送达决定书", forms.ServeForm, _serve, intro="行政处罚法第六十一条：宣告后当场交付；不在场的，7个工作日内送达。"),
    "execute": Step("进入执行", forms.ReasonForm, _execute),
    "payment": Step("登记缴款", forms.PaymentForm, _payment,
                    intro="当事人应自收到决定书之日起15日内缴纳罚款；逾期每日按罚款数额的3%加处罚款，加处罚款不超过罚款数额。"),
    "close": Step("结案", forms.CloseForm, _close),
    "archive": Step("归档", forms.ArchiveForm, _archive),
    "revoke": Step("撤销决定", forms.RevokeForm, _revoke, frozenset({Role.LEADER}),
                   confirm="确定撤销该行政处罚决定？已公示的决定将同时撤回。",
                   intro="撤销后，已公示的处罚决定将在3个工作日内撤回并说明理由（行政处罚法第四十八条）。"),
    "reinvestigate": Step("退回补充调查", forms.RequiredReasonForm, _reinvestigate,
                          confirm="确定退回补充调查？"),
    "officers": Step("调整承办人员", forms.OfficersForm, _officers, prepare=_prep_officers,
                     initial=lambda c: {"officers": list(c.officers.all())}),
    "edit": Step("修改案件信息", forms.CaseForm, _edit, prepare=_prep_edit, initial=_edit_initial),
    "extend": Step("延长办案期限", forms.ExtendForm, _extend, frozenset({Role.LEADER}),
                   initial=lambda c: {"extension_days": c.extension_days or 30, "extension_reason": c.extension_reason},
                   intro="行政处罚法第六十条：九十日内作出决定；法律、法规、规章另有规定的从其规定，延长须经批准。"),
    "measure": Step("实施查封、扣押", forms.MeasureForm, _measure,
                    intro="行政强制法第二十五条：期限不得超过30日，情况复杂的经批准可延长不超过30日。"),
    "publish": Step("公示处罚决定", forms.PublishForm, _publish,
                    intro="国办发〔2018〕118号：行政处罚决定应自作出之日起7个工作日内公开。"),
}


def _make_step_view(name: str, step: Step):
    @role_view(read=READ, write=step.roles, model=Case)
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        case = get_visible_or_404(selectors.case_detail_qs(request.user), request.user, roles=READ, pk=pk)
        initial = {**_status_initial(case), **(step.initial(case) if step.initial else {})}
        form = step.form(request.POST or None, request.FILES or None, initial=initial)
        if step.prepare:
            step.prepare(form, case, request)
        if request.method == "POST" and form.is_valid():
            try:
                msg = step.handle(request, case, form)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, msg)
                return redirect("enforcement:case_detail", pk=case.pk)
        return _form_page(request, form, title=f"{step.label} · {case.number}", intro=step.intro,
                          back=reverse("enforcement:case_detail", args=[case.pk]),
                          extra={"case": case, "confirm": step.confirm})

    view.__name__ = view.__qualname__ = f"case_{name}"
    return view


STEP_VIEWS = {name: _make_step_view(name, step) for name, step in STEPS.items()}


@role_view(read=READ, write=frozenset({Role.LEGAL_STAFF}), model=LegalReview)
@require_http_methods(["GET", "POST"])
def review_conclude(request, pk):
    review = get_visible_or_404(selectors.review_list_for(request.user), request.user, roles=READ, pk=pk)
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


@role_view(read=READ, write=WRITE, model=Hearing)
@require_http_methods(["GET", "POST"])
def hearing_record(request, pk):
    hearing = get_visible_or_404(Hearing.objects.select_related("case"), request.user, roles=READ, pk=pk)
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


def _measure_view(action):
    form_class = forms.MeasureCloseForm if action == "close" else forms.MeasureExtendForm

    @role_view(read=READ, write=WRITE, model=CoerciveMeasure)
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        m = get_visible_or_404(CoerciveMeasure.objects.select_related("case"), request.user, roles=READ, pk=pk)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if action == "close":
                    services.measure_close(actor=request.user, measure=m, **form.cleaned_data)
                else:
                    services.measure_extend(actor=request.user, measure=m, **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存。")
                return redirect("enforcement:case_detail", pk=m.case_id)
        title = "解除/处理查封、扣押" if action == "close" else "延长查封、扣押期限"
        return _form_page(request, form, title=f"{title} · {m.case.number}",
                          intro="现场实施强制措施须全程录像；没有视频记录的措施不能办结。" if action == "close" else
                          "经负责人批准可延长一次，不超过30日（行政强制法第二十五条）。",
                          back=reverse("enforcement:case_detail", args=[m.case_id]))

    view.__name__ = view.__qualname__ = f"measure_{action}"
    return view


measure_close = _measure_view("close")
measure_extend = _measure_view("extend")


@role_view(read=READ, write=WRITE, model=Case)
@require_http_methods(["GET", "POST"])
def record_new(request, pk):
    case = get_visible_or_404(selectors.case_list_for(request.user), request.user, roles=READ, pk=pk)
    form = forms.RecordForm(request.POST or None, request.FILES or None,
                            initial={"recorded_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                     "officers": list(case.officers.all())})
    form.set_officers(selectors.officer_list_for(request.user).filter(township=case.township, active=True))
    measures = list(case.measures.filter(status="open"))
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        files = [(f, f.name) for f in d.pop("files")]
        measure = next((m for m in measures if str(m.pk) == request.POST.get("measure")), None)
        try:
            services.record_create(actor=request.user, township=case.township, case=case, measure=measure,
                                   files=files, **d)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存全过程记录。")
            return redirect("enforcement:case_detail", pk=case.pk)
    return _form_page(request, form, title=f"全过程记录 · {case.number}", multipart=True,
                      intro="对立案、调查取证、审核、决定、送达、执行等环节进行文字和音像记录；现场强制措施必须有视频。",
                      back=reverse("enforcement:case_detail", args=[case.pk]), extra={"measures": measures})


def _document_view(kind):
    @role_view(read=READ, model=Case)
    def view(request, pk):
        from fazhi.enforcement.documents import build

        case = get_visible_or_404(selectors.case_detail_qs(request.user), request.user, roles=READ, pk=pk)
        try:
            name, data = build(case, kind)
        except DomainError as e:
            messages.error(request, e.message)
            return redirect("enforcement:case_detail", pk=case.pk)
        audit_record(actor=request.user, action="export", obj=case, reason=f"生成{DocKind(kind).label}")
        resp = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        resp["Content-Disposition"] = content_disposition_header(True, name)
        return resp

    view.__name__ = view.__qualname__ = f"document_{kind}"
    return view


DOCUMENT_VIEWS = {k: _document_view(k) for k in DocKind.values}
