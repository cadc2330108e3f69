"""The case workflow, declared once: `CASE_FLOW`, a `Flow` of `Step`s driven by fazhi.core.steps, with the
guards of 行政处罚法. Every step — a status change (立案审批, 告知, 决定, 送达 …) or a record on the case
(安排听证, 集体讨论, 登记缴款 …) — goes through `case_transition()`, and the step pages are
`*CASE_FLOW.urls("cases/")` (cases/<pk>/<step>/, named enforcement:case_<step>).

Guards see the case as the step would leave it: the first guard of every step copies the step's fields
from the data onto the locked case (refusing fields the step may not set), so the statutory checks read
`case.notice_served_on`, `case.fine_amount` …; a refusal rolls everything back."""


from __future__ import annotations

import datetime as dt

from fazhi.audit.services import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.enforcement import deadlines, forms, permissions, publication, records, rules, selectors
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CaseTransition,
    DocKind,
    Outcome,
    Publication,
    PublicationStatus,
    ReviewOutcome,
    ServiceMethod,
)
from fazhi.enforcement.rules import not_future, require_certified
from fazhi.enforcement.workflow.proceedings import discussion_record, hearing_schedule, review_round
from fazhi.enforcement.workflow.statute import (
    assign_document,
    check_reviewer,
    check_violation_end,
    guard_close,
    guard_decision,
    guard_extension,
    guard_filing,
    guard_hearing_done,
    guard_hearing_request,
    guard_notice,
    guard_proposal,
    guard_review_passed,
    guard_service,
    investigators,
)

S = CaseStatus


CASE_WORKFLOW = Workflow(
    "enforcement.case",
    allowed={
        S.ONSITE: {S.DECIDED},
        S.FILING: {S.INVESTIGATING, S.NOT_FILED},
        S.NOT_FILED: set(),
        S.INVESTIGATING: {S.NOTIFIED, S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED},
        S.NOTIFIED: {S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.HEARING: {S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.LEGAL_REVIEW: {S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.COLLECTIVE: {S.DECIDED, S.INVESTIGATING, S.LEGAL_REVIEW},
        S.DECIDED: {S.SERVED, S.REVOKED},
        S.SERVED: {S.EXECUTING, S.CLOSED, S.REVOKED},
        S.EXECUTING: {S.CLOSED, S.REVOKED},
        S.CLOSED: {S.ARCHIVED, S.REVOKED},
        S.ARCHIVED: set(),
        S.REVOKED: {S.ARCHIVED},
    },
    labels=dict(CaseStatus.choices),
)
HANDLING = {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE}


# --- the steps' guards (guard(case, data, today)) and services -----------------------------------------

def _fill(fields, defaults=None):
    """The first guard of a step: put the step's fields from `data` on the case (defaults for blanks),
    refusing any other field of the case, so the guards after it see the case as the step leaves it."""
    fields = tuple(fields)

    def guard(case, data, today):
        own = {f.name for f in Case._meta.concrete_fields} | {"band"}
        unknown = {k for k in data if k in own} - set(fields)
        if unknown:
            raise DomainError(f"该环节不能修改：{'、'.join(sorted(unknown))}。")
        for name, default in (defaults or {}).items():
            if not data.get(name):
                data[name] = default(case, today)
        for name in fields:
            if name in data:
                setattr(case, name, data[name])

    return guard


def _today_default(case, today):
    return today


def _settings(case):
    return rules.settings_for(case.township)


def _reason_required(message):
    def guard(case, data, today):
        if not str(data.get("reason") or "").strip():
            raise DomainError(message)
    return guard


def _in(statuses, message):
    def guard(case, data, today):
        if case.status not in statuses:
            raise DomainError(message)
    return guard


def _approve_guard(case, data, today):
    if case.status != S.FILING:
        raise DomainError("案件不在待立案审批环节。")
    guard_filing(case, _settings(case), today)


def _approve(*, actor, obj, step, data, today):
    obj.filing_approved_by = actor
    assign_document(obj, DocKind.FILING, actor, year=obj.filed_on.year)


def _reinvestigate_guard(case, data, today):
    if case.status == S.FILING:
        raise DomainError("待立案审批的案件请通过“立案审批”立案。")


def _notice_guard(case, data, today):
    guard_notice(case, _settings(case), today)


def _notice(*, actor, obj, step, data, today):
    assign_document(obj, DocKind.NOTICE, actor, year=obj.notice_served_on.year)


def _prep_notice(form, case, user):
    form.fields["band"].queryset = case.power.bands.all()


def _hearing_request_guard(case, data, today):
    guard_hearing_request(case, _settings(case), today)


def _proposal_and_hearing(case, data, today):
    if case.penalty_kind:
        guard_proposal(case, _settings(case))
    guard_hearing_done(case, case.status)


def _collective_guard(case, data, today):
    guard_review_passed(case, _settings(case), "提交集体讨论")


def _review_guard(case, data, today):
    submitted_on = data.get("submitted_on") or today
    if submitted_on > today:
        raise DomainError("送审日期不能晚于今天。")
    if data.get("reviewer") is None:
        raise DomainError("请选择审核人员。")
    check_reviewer(case, data["reviewer"], submitted_on)
    if case.reviews.filter(outcome=ReviewOutcome.PENDING).exists():
        raise DomainError("本案已有审核中的一轮法制审核。")


def _review(*, actor, obj, step, data, today):
    review_round(actor=actor, case=obj, reviewer=data["reviewer"], submitted_on=data.get("submitted_on") or today)


def _prep_review(form, case, user):
    form.fields["reviewer"].queryset = selectors.reviewers_for(case)


def _decide_defaults(case, data, today):
    """What the decision form leaves blank is what the notice proposed."""
    if "outcome" not in data:
        return
    penalty = data["outcome"] == Outcome.PENALTY
    if "penalty_kind" in data and not data["penalty_kind"]:
        data["penalty_kind"] = case.penalty_kind if penalty else ""
    for k in ("fine_amount", "confiscation_amount"):
        if k in data and data[k] is None and penalty:
            data[k] = getattr(case, k)
    for k in ("penalty_detail", "reasons", "statement", "statement_response", "payment_place"):
        if k in data and not data[k]:
            data[k] = getattr(case, k)


def _decide_guard(case, data, today):
    guard_decision(case, _settings(case), today, case.status)
    if case.outcome != Outcome.PENALTY:  # no penalty, or a transfer: nothing proposed is kept
        data.update(penalty_kind="", fine_amount=None, confiscation_amount=None)


def _onsite_guard(case, data, today):
    if not case.is_simplified:
        raise DomainError("普通程序案件由负责人作出处理决定。")


def _decide(*, actor, obj, step, data, today):
    obj.decided_by = actor
    kind = DocKind.ONSITE if obj.is_simplified else DocKind.DECISION
    obj.decision_number = assign_document(obj, kind, actor, year=obj.decided_on.year).number


def _decide_initial(case):
    return {"outcome": case.outcome or "penalty", "penalty_kind": case.penalty_kind, "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount, "penalty_detail": case.penalty_detail,
            "reasons": case.reasons, "statement": case.statement, "statement_response": case.statement_response,
            "payment_place": case.payment_place}


def _public_notice(case, data, today):
    """公告送达: the decision counts as served when the notice period has run, not before (checked on `today`)."""
    if data.get("service_method") != ServiceMethod.PUBLIC or not data.get("served_on"):
        return
    due = deadlines.public_notice_served_on(data["served_on"], _settings(case))
    if due.due > today:
        raise DomainError(f"公告送达自公告发出之日起经过规定期间视为送达：{due.explanation}请期满后再登记送达。")
    data["served_on"] = due.due


def _serve_guard(case, data, today):
    guard_service(case, _settings(case), today)


def _serve(*, actor, obj, step, data, today):
    if not obj.is_simplified:
        assign_document(obj, DocKind.RECEIPT, actor, year=obj.served_on.year)


def _execute_guard(case, data, today):
    if not case.has_fine:
        raise DomainError("本案无罚款需执行，可直接结案。")


def _close_guard(case, data, today):
    guard_close(case, _settings(case), today)


def _archive_guard(case, data, today):
    not_future(case.archived_on, "归档日期", today)


def _revoke_guard(case, data, today):
    not_future(case.revoked_on, "撤销日期", today)
    if not (case.revocation_reason or "").strip():
        case.revocation_reason = str(data.get("reason") or "").strip()
        data["revocation_reason"] = case.revocation_reason


def _revoke(*, actor, obj, step, data, today):
    """Art. 48: a published decision that is revoked is withdrawn, with the reason."""
    pub = Publication.objects.filter(case=obj, status=PublicationStatus.PUBLISHED).first()
    if pub is not None:
        publication.publication_withdraw(actor=actor, publication=pub, reason=obj.revocation_reason or
                                         data.get("reason", ""), on=obj.revoked_on, _check=False)


# record-only steps: they write beside the case and leave its status alone


def _hearing(*, actor, obj, step, data, today):
    hearing_schedule(actor=actor, case=obj, today=today, **step_values(data))


def _prep_hearing(form, case, user):
    qs = selectors.officer_list_for(user).filter(township=case.township, active=True)
    form.fields["presiding"].queryset = qs.exclude(pk__in=case.officers.values("pk"))
    form.fields["recorder"].queryset = qs


def _discussion(*, actor, obj, step, data, today):
    discussion_record(actor=actor, case=obj, today=today, **step_values(data))


def _payment(*, actor, obj, step, data, today):
    if obj.status not in {S.SERVED, S.EXECUTING}:
        raise DomainError("决定书送达后方可登记缴款。")
    if not obj.has_fine:
        raise DomainError("本案没有罚款。")
    paid_on, paid_amount = data.get("paid_on"), data.get("paid_amount")
    if paid_on is None:
        raise DomainError("请填写缴款日期。")
    not_future(paid_on, "缴款日期", today)
    if paid_on < obj.served_on:
        raise DomainError("缴款日期不能早于送达日期。")
    if paid_amount is None or paid_amount <= 0:
        raise DomainError("请填写实缴金额。")
    obj.paid_on, obj.paid_amount = paid_on, paid_amount
    _days, fee = deadlines.late_fee_today(obj, _settings(obj), paid_on)
    late = data.get("late_fee_paid")
    obj.late_fee_paid = late if late is not None else (fee if fee else None)


def _officers(*, actor, obj, step, data, today):
    if obj.status not in HANDLING:
        raise DomainError("案件已作出决定，不能再调整承办人员。")
    officers = list(data.get("officers") or [])
    rules.check_assignable(officers, obj.township, today)
    require_certified(officers, today, "办理行政处罚案件")
    before = sorted(investigators(obj))
    obj.officers.set(officers)
    audit_record(actor=actor, action="update", obj=obj,
                 changes={"承办执法人员": [", ".join(map(str, before)), ", ".join(o.name for o in officers)]})


def _prep_officers(form, case, user):
    form.set_officers(selectors.officers_for_case_choice(case.township))


CASE_CREATE_FIELDS = ["title", "source", "party_kind", "party_name", "party_id_no", "party_phone", "party_address",
                      "party_representative", "violation_date", "violation_continuing", "violation_ended_on",
                      "harm_occurred", "discovered_on", "place", "facts", "onspot_ground", "onspot_receipt_no",
                      "onspot_reason", "party_minor", "publication_mask_names",
                      "evidence_summary", "major_public_interest", "complex_case", "serious_violation",
                      "filing_opinion"]
EDIT_FIELDS = set(CASE_CREATE_FIELDS) | {"penalty_kind", "fine_amount", "confiscation_amount", "penalty_detail",
                                         "reasons", "band", "statement", "statement_response", "extension_days",
                                         "extension_reason"}
EXTENSION_FIELDS = {"extension_days", "extension_reason"}


def _edit(*, actor, obj, step, data, today):
    """Edit facts or the proposal while the case is still being handled (before the decision)."""
    fields = step_values(data, "reason")
    editable = {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING}
    if set(fields) <= EXTENSION_FIELDS:
        editable |= {S.LEGAL_REVIEW, S.COLLECTIVE}
    if obj.status not in editable:
        raise DomainError("案件已进入审核、讨论或决定环节，不能再修改案件事实。")
    unknown = set(fields) - EDIT_FIELDS
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    before_days = Case.objects.filter(pk=obj.pk).values_list("extension_days", flat=True).first() or 0
    for k, v in fields.items():
        setattr(obj, k, v)
    if (obj.extension_days or 0) != before_days:
        guard_extension(actor, obj, before_days, today)
    if obj.extension_days and not obj.extension_reason.strip():
        raise DomainError("延长办案期限须经批准并写明理由。")
    check_violation_end({k: getattr(obj, k) for k in ("violation_ended_on", "violation_continuing",
                                                        "violation_date")}, today)


def _prep_edit(form, case, user):
    for name in ("power", "officers", "discovered_on"):
        form.fields.pop(name)


def _edit_initial(case):
    return {f: getattr(case, f) for f in ("title", "source", "party_kind", "party_name", "party_id_no", "party_phone",
                                          "party_address", "party_representative", "violation_date", "place", "facts",
                                          "major_public_interest", "complex_case", "serious_violation",
                                          "filing_opinion")}


def _measure(*, actor, obj, step, data, today):
    records.measure_create(actor=actor, case=obj, today=today, **step_values(data))


def _publish(*, actor, obj, step, data, today):
    publication.publication_publish(actor=actor, case=obj, today=today, **step_values(data))


def step_values(data, *keys):
    return {k: v for k, v in data.items() if k not in {"expected_status", *keys}}


W, L = permissions.CASE_WRITE, permissions.LEADERS
NOTICE_FIELDS = ("notice_served_on", "facts", "reasons", "evidence_summary", "penalty_kind", "fine_amount",
                 "confiscation_amount", "penalty_detail", "band", "notice_waived", "notice_waiver_note")
DECIDE_FIELDS = ("outcome", "decided_on", "penalty_kind", "fine_amount", "confiscation_amount", "penalty_detail",
                 "reasons", "payment_place", "band", "statement", "statement_response")
SERVE_FIELDS = ("served_on", "service_method", "service_recipient")

CASE_STEPS = [
    Step("approve", "立案审批", forms.ApproveForm, L, target=S.INVESTIGATING, fields=("filed_on", "filing_opinion"),
         guards=(_fill(("filed_on", "filing_opinion"), {"filed_on": _today_default}), _approve_guard),
         service=_approve, done="已批准立案，进入调查取证。",
         intro="负责人审批：同意立案的，核对2名以上持证执法人员和追责时效。"),
    Step("refuse", "不予立案", forms.RequiredReasonForm, L, target=S.NOT_FILED,
         guards=(_fill(()), _reason_required("请填写理由。")), done="已决定不予立案。",
         confirm="确定不予立案？", intro="负责人审批：不符合立案条件的，决定不予立案并写明理由。"),
    Step("notice", "送达事先告知书", forms.NoticeForm, W, target=S.NOTIFIED, fields=NOTICE_FIELDS,
         guards=(_fill(NOTICE_FIELDS), _notice_guard), service=_notice, prepare=_prep_notice,
         initial=lambda c: {"facts": c.facts, "reasons": c.reasons, "penalty_kind": c.penalty_kind,
                            "fine_amount": c.fine_amount, "evidence_summary": c.evidence_summary},
         done="已登记事先告知书送达，陈述申辩和听证申请期限开始计算。",
         intro="行政处罚法第四十四条：告知拟作出的处罚内容及事实、理由、依据，并告知陈述、申辩、要求听证的权利。"),
    Step("hearing_request", "登记听证申请", forms.HearingRequestForm, W, target=S.HEARING,
         fields=("hearing_requested_on",), guards=(_fill(("hearing_requested_on",)), _hearing_request_guard),
         done="已登记听证申请，请安排听证并提前7个工作日通知当事人。",
         intro="当事人应在告知书送达后5个工作日内提出听证申请（第六十四条、第八十五条）。"),
    Step("hearing", "安排听证", forms.HearingScheduleForm, W, service=_hearing, prepare=_prep_hearing,
         guards=(_in({S.HEARING}, "案件不在听证环节，请先登记当事人的听证申请。"),), done="已安排听证。",
         intro="应在举行听证的7个工作日前通知当事人；主持人由非本案调查人员担任。"),
    Step("review", "提交法制审核", forms.ReviewSubmitForm, W, target=S.LEGAL_REVIEW,
         guards=(_fill(()), _review_guard, _proposal_and_hearing), service=_review, prepare=_prep_review,
         done="已提交法制审核。", intro="审核人员须具有法律职业资格，且不是本案调查人员（行政处罚法第五十八条）。"),
    Step("collective", "提交集体讨论", forms.ReasonForm, W, target=S.COLLECTIVE,
         guards=(_fill(()), _proposal_and_hearing, _collective_guard), done="已提交集体讨论。",
         initial=lambda c: {"reason": "提交负责人集体讨论"}, intro="情节复杂或重大违法行为，由负责人集体讨论决定。"),
    Step("discussion", "记录集体讨论", forms.DiscussionForm, permissions.DISCUSSION_WRITE, service=_discussion,
         guards=(_in({S.COLLECTIVE}, "案件不在集体讨论环节。"),), done="已记录集体讨论。"),
    Step("decide", "作出处理决定", forms.DecideForm, L, target=S.DECIDED, fields=DECIDE_FIELDS,
         guards=(_decide_defaults, _fill(DECIDE_FIELDS, {"decided_on": _today_default}), _decide_guard),
         service=_decide, initial=_decide_initial,
         done=lambda c: f"已作出决定，文号{c.decision_number}。请在7个工作日内送达。",
         intro="负责人签发。系统将核对：告知已送达且期限届满（或当事人放弃）、听证已举行、法制审核已通过、集体讨论已进行。"),
    Step("onsite", "当场作出处罚决定", forms.DecideForm, W, target=S.DECIDED, fields=DECIDE_FIELDS,
         guards=(_onsite_guard, _fill(DECIDE_FIELDS, {"decided_on": _today_default}), _decide_guard),
         service=_decide, done=lambda c: f"已当场作出处罚决定{c.decision_number}。",
         intro="简易程序（行政处罚法第五十一条）：执法人员当场作出警告或者罚款决定。"),
    Step("serve", "送达决定书", forms.ServeForm, W, target=S.SERVED, fields=SERVE_FIELDS,
         guards=(_public_notice, _fill(SERVE_FIELDS), _serve_guard), service=_serve, done="已登记送达。",
         intro="行政处罚法第六十一条：宣告后当场交付；不在场的，7个工作日内送达。"),
    Step("execute", "进入执行", forms.ReasonForm, W, target=S.EXECUTING, guards=(_fill(()), _execute_guard),
         done="已进入执行。"),
    Step("payment", "登记缴款", forms.PaymentForm, W, service=_payment, done="已登记缴款。",
         intro="当事人应自收到决定书之日起15日内缴纳罚款；逾期每日按罚款数额的3%加处罚款，加处罚款不超过罚款数额。"),
    Step("close", "结案", forms.CloseForm, W, target=S.CLOSED, fields=("closed_on", "execution_note"),
         guards=(_fill(("closed_on", "execution_note"), {"closed_on": _today_default}), _close_guard),
         done="已结案。"),
    Step("archive", "归档", forms.ArchiveForm, W, target=S.ARCHIVED, fields=("archived_on",),
         guards=(_fill(("archived_on",), {"archived_on": _today_default}), _archive_guard), done="已归档。"),
    Step("revoke", "撤销决定", forms.RevokeForm, L, target=S.REVOKED, fields=("revoked_on", "revocation_reason"),
         guards=(_fill(("revoked_on", "revocation_reason"), {"revoked_on": _today_default}),
                 _reason_required("请填写理由。"), _revoke_guard),
         service=_revoke, confirm="确定撤销该行政处罚决定？已公示的决定将同时撤回。",
         done="处罚决定已撤销；已公示的决定已同时撤回并说明理由。",
         intro="撤销后，已公示的处罚决定将在3个工作日内撤回并说明理由（行政处罚法第四十八条）。"),
    Step("reinvestigate", "退回补充调查", forms.RequiredReasonForm, W, target=S.INVESTIGATING,
         guards=(_fill(()), _reinvestigate_guard, _reason_required("退回补充调查须说明理由。")),
         confirm="确定退回补充调查？", done="已退回补充调查。"),
    Step("officers", "调整承办人员", forms.OfficersForm, W, service=_officers, prepare=_prep_officers,
         initial=lambda c: {"officers": list(c.officers.all())}, done="已调整承办人员。"),
    Step("edit", "修改案件信息", forms.CaseForm, W, service=_edit, prepare=_prep_edit, initial=_edit_initial),
    Step("extend", "延长办案期限", forms.ExtendForm, L, service=_edit,
         initial=lambda c: {"extension_days": c.extension_days or 30, "extension_reason": c.extension_reason},
         done="已登记延长办案期限。",
         intro="行政处罚法第六十条：九十日内作出决定；法律、法规、规章另有规定的从其规定，延长须经批准。"),
    Step("measure", "实施查封、扣押", forms.MeasureForm, W, service=_measure,
         done="已登记查封、扣押措施。现场须全程录像，并在全过程记录中上传视频。",
         intro="行政强制法第二十五条：期限不得超过30日，情况复杂的经批准可延长不超过30日。"),
    Step("publish", "公示处罚决定", forms.PublishForm, W, service=_publish,
         done="已公示（身份证号、电话号码已作去标识化处理）。",
         intro="国办发〔2018〕118号：行政处罚决定应自作出之日起7个工作日内公开。"),
]

CASE_FLOW = Flow(
    name="case", model=Case, workflow=CASE_WORKFLOW, steps=CASE_STEPS, record_model=CaseTransition,
    record_fk="case", read_roles=permissions.READ, queryset=selectors.case_detail_qs,
    detail="enforcement:case_detail", heading=lambda c: c.number,
)

# The steps the case file offers in each status, in this order (a step's own guards still decide).
ACTIONS = {
    S.FILING: ["approve", "refuse", "officers", "edit"],
    S.INVESTIGATING: ["notice", "review", "collective", "decide", "measure", "officers", "edit", "extend"],
    S.NOTIFIED: ["hearing_request", "review", "collective", "decide", "reinvestigate", "edit", "extend"],
    S.HEARING: ["hearing", "review", "collective", "decide", "reinvestigate", "extend"],
    S.LEGAL_REVIEW: ["collective", "decide", "reinvestigate", "extend"],
    S.COLLECTIVE: ["discussion", "review", "decide", "reinvestigate", "extend"],
    S.DECIDED: ["serve", "publish", "revoke"],
    S.SERVED: ["execute", "payment", "close", "publish", "revoke"],
    S.EXECUTING: ["payment", "close", "revoke"],
    S.CLOSED: ["archive", "revoke"],
    S.REVOKED: ["archive"],
    S.ONSITE: [],
}


def case_actions(case: Case, user) -> list[Step]:
    """The steps `user` may take on the case now (the buttons of the case file)."""
    open_ = {s.name: s for s in CASE_FLOW.open_steps(case, user)}
    return [open_[name] for name in ACTIONS.get(case.status, []) if name in open_]


def case_transition(*, actor, case: Case, step: str, data: dict | None = None, expected_status: str | None = None,
                    today: dt.date | None = None) -> Case:
    """Take `step` on the case (a status change or a record on it), after every statutory guard."""
    return run_step(CASE_FLOW, actor=actor, obj=case, step=step, data=data, expected_status=expected_status,
                    today=today)
