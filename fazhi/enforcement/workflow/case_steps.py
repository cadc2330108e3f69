"""The case steps' guards and services, for `CASE_STEPS` in workflow/cases.py.

A guard is `guard(case, data, today)` and refuses with a DomainError; a service is
`service(*, actor, obj, step, data, today)` and writes what the step records beside the status change
(document numbers, a review round, the payment …); `prepare(form, case, user)` narrows a form's choices and
`*_initial(case)` fills it. The first guard of every step is `fill(fields)`: it puts the step's fields on the
locked case, so the statutory guards (workflow/statute.py) read the case as the step would leave it."""

from __future__ import annotations

from fazhi.audit.services import audit_record
from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, publication, records, rules, selectors
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
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
HANDLING = {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE}


def fill(fields, defaults=None):
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


def today_default(case, today):
    return today


def _settings(case):
    return rules.settings_for(case.township)


def reason_required(message):
    def guard(case, data, today):
        if not str(data.get("reason") or "").strip():
            raise DomainError(message)
    return guard


def status_in(statuses, message):
    def guard(case, data, today):
        if case.status not in statuses:
            raise DomainError(message)
    return guard


def approve_guard(case, data, today):
    if case.status != S.FILING:
        raise DomainError("案件不在待立案审批环节。")
    guard_filing(case, _settings(case), today)


def approve(*, actor, obj, step, data, today):
    obj.filing_approved_by = actor
    assign_document(obj, DocKind.FILING, actor, year=obj.filed_on.year)


def reinvestigate_guard(case, data, today):
    if case.status == S.FILING:
        raise DomainError("待立案审批的案件请通过“立案审批”立案。")


def notice_guard(case, data, today):
    guard_notice(case, _settings(case), today)


def notice(*, actor, obj, step, data, today):
    assign_document(obj, DocKind.NOTICE, actor, year=obj.notice_served_on.year)


def prep_notice(form, case, user):
    form.fields["band"].queryset = case.power.bands.all()


def hearing_request_guard(case, data, today):
    guard_hearing_request(case, _settings(case), today)


def proposal_and_hearing(case, data, today):
    if case.penalty_kind:
        guard_proposal(case, _settings(case))
    guard_hearing_done(case, case.status)


def collective_guard(case, data, today):
    guard_review_passed(case, _settings(case), "提交集体讨论")


def review_guard(case, data, today):
    submitted_on = data.get("submitted_on") or today
    if submitted_on > today:
        raise DomainError("送审日期不能晚于今天。")
    if data.get("reviewer") is None:
        raise DomainError("请选择审核人员。")
    check_reviewer(case, data["reviewer"], submitted_on)
    if case.reviews.filter(outcome=ReviewOutcome.PENDING).exists():
        raise DomainError("本案已有审核中的一轮法制审核。")


def review(*, actor, obj, step, data, today):
    review_round(actor=actor, case=obj, reviewer=data["reviewer"], submitted_on=data.get("submitted_on") or today)


def prep_review(form, case, user):
    form.fields["reviewer"].queryset = selectors.reviewers_for(case)


def decide_defaults(case, data, today):
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


def decide_guard(case, data, today):
    guard_decision(case, _settings(case), today, case.status)
    if case.outcome != Outcome.PENALTY:  # no penalty, or a transfer: nothing proposed is kept
        data.update(penalty_kind="", fine_amount=None, confiscation_amount=None)


def onsite_guard(case, data, today):
    if not case.is_simplified:
        raise DomainError("普通程序案件由负责人作出处理决定。")


def decide(*, actor, obj, step, data, today):
    obj.decided_by = actor
    kind = DocKind.ONSITE if obj.is_simplified else DocKind.DECISION
    obj.decision_number = assign_document(obj, kind, actor, year=obj.decided_on.year).number


def decide_initial(case):
    return {"outcome": case.outcome or "penalty", "penalty_kind": case.penalty_kind, "fine_amount": case.fine_amount,
            "confiscation_amount": case.confiscation_amount, "penalty_detail": case.penalty_detail,
            "reasons": case.reasons, "statement": case.statement, "statement_response": case.statement_response,
            "payment_place": case.payment_place}


def public_notice(case, data, today):
    """公告送达: the decision counts as served when the notice period has run, not before (checked on `today`)."""
    if data.get("service_method") != ServiceMethod.PUBLIC or not data.get("served_on"):
        return
    due = deadlines.public_notice_served_on(data["served_on"], _settings(case))
    if due.due > today:
        raise DomainError(f"公告送达自公告发出之日起经过规定期间视为送达：{due.explanation}请期满后再登记送达。")
    data["served_on"] = due.due


def serve_guard(case, data, today):
    guard_service(case, _settings(case), today)


def serve(*, actor, obj, step, data, today):
    if not obj.is_simplified:
        assign_document(obj, DocKind.RECEIPT, actor, year=obj.served_on.year)


def execute_guard(case, data, today):
    if not case.has_fine:
        raise DomainError("本案无罚款需执行，可直接结案。")


def close_guard(case, data, today):
    guard_close(case, _settings(case), today)


def archive_guard(case, data, today):
    not_future(case.archived_on, "归档日期", today)


def revoke_guard(case, data, today):
    not_future(case.revoked_on, "撤销日期", today)
    if not (case.revocation_reason or "").strip():
        case.revocation_reason = str(data.get("reason") or "").strip()
        data["revocation_reason"] = case.revocation_reason


def revoke(*, actor, obj, step, data, today):
    """Art. 48: a published decision that is revoked is withdrawn, with the reason."""
    pub = Publication.objects.filter(case=obj, status=PublicationStatus.PUBLISHED).first()
    if pub is not None:
        publication.publication_withdraw(actor=actor, publication=pub, reason=obj.revocation_reason or
                                         data.get("reason", ""), on=obj.revoked_on, _check=False)


# record-only steps: they write beside the case and leave its status alone


def hearing(*, actor, obj, step, data, today):
    hearing_schedule(actor=actor, case=obj, today=today, **step_values(data))


def prep_hearing(form, case, user):
    qs = selectors.officer_list_for(user).filter(township=case.township, active=True)
    form.fields["presiding"].queryset = qs.exclude(pk__in=case.officers.values("pk"))
    form.fields["recorder"].queryset = qs


def discussion(*, actor, obj, step, data, today):
    discussion_record(actor=actor, case=obj, today=today, **step_values(data))


def payment(*, actor, obj, step, data, today):
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


def officers(*, actor, obj, step, data, today):
    if obj.status not in HANDLING:
        raise DomainError("案件已作出决定，不能再调整承办人员。")
    officers = list(data.get("officers") or [])
    rules.check_assignable(officers, obj.township, today)
    require_certified(officers, today, "办理行政处罚案件")
    before = sorted(investigators(obj))
    obj.officers.set(officers)
    audit_record(actor=actor, action="update", obj=obj,
                 changes={"承办执法人员": [", ".join(map(str, before)), ", ".join(o.name for o in officers)]})


def prep_officers(form, case, user):
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


def edit(*, actor, obj, step, data, today):
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


def prep_edit(form, case, user):
    for name in ("power", "officers", "discovered_on"):
        form.fields.pop(name)


def edit_initial(case):
    return {f: getattr(case, f) for f in ("title", "source", "party_kind", "party_name", "party_id_no", "party_phone",
                                          "party_address", "party_representative", "violation_date", "place", "facts",
                                          "major_public_interest", "complex_case", "serious_violation",
                                          "filing_opinion")}


def measure(*, actor, obj, step, data, today):
    records.measure_create(actor=actor, case=obj, today=today, **step_values(data))


def publish(*, actor, obj, step, data, today):
    publication.publication_publish(actor=actor, case=obj, today=today, **step_values(data))


def step_values(data, *keys):
    return {k: v for k, v in data.items() if k not in {"expected_status", *keys}}
