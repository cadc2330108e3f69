"""The case workflow: one `case_transition()` over fazhi.core.workflow with an explicit table and the
guards of 行政处罚法. Every refusal is a DomainError in Chinese and leaves the case unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create, audit_update, snapshot
from fazhi.core import numbering
from fazhi.core import workflow as core_workflow
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in
from fazhi.enforcement import deadlines, rules
from fazhi.enforcement.models import (
    DOC_PREFIX,
    Case,
    CaseDocument,
    CaseStatus,
    CaseTransition,
    DocKind,
    MeasureStatus,
    Officer,
    Outcome,
    PenaltyKind,
    Procedure,
    Publication,
    PublicationStatus,
    ReviewOutcome,
    ServiceMethod,
)

S = CaseStatus
CASE_WORKFLOW = core_workflow.Workflow(
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

CASE_WRITERS = frozenset({Role.OFFICER, Role.LEGAL_STAFF, Role.LEADER})
LEADERS = frozenset({Role.LEADER})
# Who may move a case to a status: filing approval, decisions and revocation are signed by a leader (负责人).
TARGET_ROLES = {
    S.INVESTIGATING: CASE_WRITERS, S.NOT_FILED: LEADERS, S.DECIDED: LEADERS, S.REVOKED: LEADERS,
    S.ARCHIVED: CASE_WRITERS,
}
FILING_APPROVERS = LEADERS

# Fields a transition may set, per target status (anything else in `data` is refused).
STEP_FIELDS = {
    S.INVESTIGATING: ["filed_on", "filing_opinion"],
    S.NOT_FILED: [],
    S.NOTIFIED: ["notice_served_on", "facts", "reasons", "evidence_summary", "penalty_kind", "fine_amount",
                 "confiscation_amount", "penalty_detail", "band", "notice_waived", "notice_waiver_note"],
    S.HEARING: ["hearing_requested_on"],
    S.LEGAL_REVIEW: [],
    S.COLLECTIVE: [],
    S.DECIDED: ["outcome", "decided_on", "penalty_kind", "fine_amount", "confiscation_amount", "penalty_detail",
                "reasons", "payment_place", "band", "statement", "statement_response"],
    S.SERVED: ["served_on", "service_method", "service_recipient"],
    S.EXECUTING: [],
    S.CLOSED: ["closed_on", "execution_note"],
    S.ARCHIVED: ["archived_on"],
    S.REVOKED: ["revoked_on", "revocation_reason"],
}
REASON_REQUIRED = {S.NOT_FILED, S.REVOKED}


# --- helpers -------------------------------------------------------------------------------------------

def require_certified(officers, day: dt.date, act: str, minimum: int = 2) -> None:
    """Art. 42: at least two officers holding valid certificates on the day of the act."""
    officers = list(officers)
    ok = [o for o in officers if o.certified_on(day)]
    if len(ok) >= minimum:
        return
    bad = [o for o in officers if not o.certified_on(day)]
    detail = "；".join(f"{o.name}{_cert_problem(o, day)}" for o in bad)
    raise DomainError(f"{act}须由至少{minimum}名持有效行政执法证件的执法人员实施（行政处罚法第四十二条），"
                      f"{fmt_date(day)}符合条件的仅{len(ok)}名" + (f"：{detail}。" if detail else "。"))


def _cert_problem(o: Officer, day: dt.date) -> str:
    if not o.cert_no:
        return "未取得执法证件"
    if o.cert_status != "valid":
        return f"执法证件{o.get_cert_status_display()}"
    if o.cert_valid_until and o.cert_valid_until < day:
        return f"执法证件已于{fmt_date(o.cert_valid_until)}到期"
    if o.cert_valid_from and o.cert_valid_from > day:
        return f"执法证件自{fmt_date(o.cert_valid_from)}起生效"
    if not o.active:
        return "不在岗"
    return "执法证件无效"


def check_assignable(officers, township, day: dt.date) -> None:
    """An expired or missing certificate blocks assignment to a case or inspection."""
    for o in officers:
        if o.township_id != township.pk:
            raise DomainError(f"{o.name}不属于本乡镇执法人员，不能指派。")
        if not o.certified_on(day):
            raise DomainError(f"{o.name}{_cert_problem(o, day)}，不能指派执行执法任务。")


def require_actor(actor, township, roles, what: str) -> None:
    if not can_act_in(actor, township, roles):
        raise DomainError(f"您无权在{township.name}{what}。")


def _not_future(day, label: str, today: dt.date) -> None:
    if day and day > today:
        raise DomainError(f"{label}不能晚于今天。")


def assign_document(case: Case, kind: str, actor, *, year: int | None = None) -> CaseDocument:
    """The case's document of `kind`, numbered once per township, kind and year (〔2024〕第3号)."""
    existing = CaseDocument.objects.filter(case=case, kind=kind).first()
    if existing:
        return existing
    year = year or case.year
    for _ in range(3):
        try:
            with transaction.atomic():  # a savepoint: a lost race on (case, kind) hands the number back
                seq = numbering.allocate(
                    township=case.township, kind=f"enforcement.document.{kind}", year=year,
                    floor=lambda: CaseDocument.objects.filter(township=case.township, kind=kind, year=year)
                    .aggregate(m=Max("seq"))["m"])
                number = f"{case.township.name}{DOC_PREFIX[kind]}〔{year}〕第{seq}号"
                doc = CaseDocument.objects.create(township=case.township, case=case, kind=kind, year=year,
                                                  seq=seq, number=number, issued_by=actor)
                audit_create(actor=actor, obj=doc)
                return doc
        except IntegrityError:
            existing = CaseDocument.objects.filter(case=case, kind=kind).first()
            if existing:
                return existing  # issued by a concurrent request for the same case
    raise DomainError("文书编号冲突，请稍后重试。")


def next_case_seq(township, year: int) -> int:
    """The township's next case number of the year (call inside the transaction that saves the case)."""
    return numbering.allocate(
        township=township, kind="enforcement.case", year=year,
        floor=lambda: Case.objects.filter(township=township, year=year).aggregate(m=Max("seq"))["m"])


def hearing_held(case: Case) -> bool:
    return case.hearings.exclude(held_on=None).exists()


def latest_review(case: Case):
    return case.reviews.order_by("-round").first()


def investigators(case: Case) -> set[int]:
    return set(case.officers.values_list("pk", flat=True))


# --- guards -------------------------------------------------------------------------------------------

def _check_violation_end(fields: dict, today) -> None:
    ended = fields.get("violation_ended_on")
    if ended is None:
        return
    if not fields.get("violation_continuing"):
        raise DomainError("只有违法行为有连续或者继续状态的，才填写行为终了日。")
    _not_future(ended, "行为终了日", today)
    if fields.get("violation_date") and ended < fields["violation_date"]:
        raise DomainError("行为终了日不能早于违法行为发生日。")


def _guard_filing(case: Case, s, today) -> None:
    if not case.filed_on:
        raise DomainError("请填写立案日期。")
    _not_future(case.filed_on, "立案日期", today)
    if case.filed_on < case.discovered_on:
        raise DomainError("立案日期不能早于发现日期。")
    require_certified(case.officers.all(), case.filed_on, "立案调查")
    _guard_limitation(case, s)


def _guard_limitation(case: Case, s) -> None:
    """Art. 36: what counts is whether the violation was *discovered* in time, not when the case was filed."""
    lim = deadlines.limitation_deadline(case, s)
    if lim and case.discovered_on > lim.due:
        raise DomainError(f"违法行为于{fmt_date(case.discovered_on)}被发现，已超过{rules.limitation_years(case, s)}年"
                          f"追责时效（行政处罚法第三十六条），不再给予行政处罚：{lim.explanation}")


def _guard_proposal(case: Case, s) -> None:
    """The proposed penalty must be complete and within the power's range and the benchmark."""
    if not case.penalty_kind:
        raise DomainError("请选择拟作出的处罚种类。")
    if case.penalty_kind == PenaltyKind.FINE and not case.fine_amount:
        raise DomainError("请填写罚款金额。")
    fine = case.fine_amount
    if fine is not None and fine > 0:
        p = case.power
        if p.fine_max is not None and fine > p.fine_max:
            raise DomainError(f"罚款{rules.fmt_money(fine)}元超出该职权事项的法定上限{rules.fmt_money(p.fine_max)}元。")
        if p.fine_min is not None and fine < p.fine_min and not case.band_id:
            raise DomainError(f"罚款{rules.fmt_money(fine)}元低于法定下限{rules.fmt_money(p.fine_min)}元，"
                              "减轻处罚须选择适用的裁量基准并说明理由。")
        b = case.band
        if b is not None:
            if b.power_id != case.power_id:
                raise DomainError("所选裁量基准不属于本案职权事项。")
            if (b.fine_min is not None and fine < b.fine_min) or (b.fine_max is not None and fine > b.fine_max):
                raise DomainError(f"罚款{rules.fmt_money(fine)}元不在所选裁量基准（{b.get_level_display()}："
                                  f"{rules.fmt_money(b.fine_min)}—{rules.fmt_money(b.fine_max)}元）范围内。")


def _guard_notice(case: Case, s, today) -> None:
    if not case.notice_served_on:
        raise DomainError("请填写事先告知书送达日期。")
    _not_future(case.notice_served_on, "告知书送达日期", today)
    if case.filed_on and case.notice_served_on < case.filed_on:
        raise DomainError("告知书送达日期不能早于立案日期。")
    for field, label in (("facts", "违法事实"), ("reasons", "处罚理由")):
        if not (getattr(case, field) or "").strip():
            raise DomainError(f"事先告知书须载明{label}（行政处罚法第四十四条）。")
    _guard_proposal(case, s)
    require_certified(case.officers.all(), case.notice_served_on, "送达事先告知书")


def _guard_hearing_request(case: Case, s, today) -> None:
    if case.notice_waived:
        raise DomainError("当事人已书面放弃听证权利。")
    if not rules.hearing_triggered(case, s):
        raise DomainError("拟作出的行政处罚不属于听证范围（行政处罚法第六十三条），不组织听证。")
    if not case.hearing_requested_on:
        raise DomainError("请填写当事人申请听证的日期。")
    _not_future(case.hearing_requested_on, "申请听证日期", today)
    window = deadlines.hearing_request_deadline(case, s)
    if case.hearing_requested_on < case.notice_served_on:
        raise DomainError("申请听证日期不能早于告知书送达日期。")
    if case.hearing_requested_on > window.due:
        raise DomainError(f"当事人未在告知书送达后{s.hearing_request_working_days}个工作日内申请听证，"
                          f"视为放弃听证（行政处罚法第六十四条）：{window.explanation}")


def _guard_hearing_done(case: Case, current: str) -> None:
    if (current == S.HEARING or case.hearing_requested_on) and not hearing_held(case):
        raise DomainError("当事人已申请听证，听证结束前不能进入下一环节（行政处罚法第六十五条）。")


def _guard_review_passed(case: Case, s, stage: str) -> None:
    reasons = rules.legal_review_reasons(case, s, hearing_held=hearing_held(case))
    if not reasons:
        return
    last = latest_review(case)
    if last is None or last.outcome != ReviewOutcome.PASSED:
        state = "尚未进行法制审核" if last is None else f"最近一轮审核结论为“{last.get_outcome_display()}”"
        raise DomainError(f"本案须经法制审核（{'；'.join(reasons)}），{state}，不能{stage}"
                          "（行政处罚法第五十八条）。")


def _guard_decision(case: Case, s, today, current: str) -> None:
    if not case.outcome:
        raise DomainError("请选择处理结果。")
    if not case.decided_on:
        raise DomainError("请填写决定日期。")
    _not_future(case.decided_on, "决定日期", today)
    require_certified(case.officers.all(), case.decided_on, "作出行政处罚决定")
    if case.is_simplified:
        if case.outcome != Outcome.PENALTY:
            raise DomainError("简易程序只能当场作出警告或罚款决定。")
        _guard_limitation(case, s)
        refusal = rules.simplified_refusal(s, case.party_kind, case.penalty_kind, case.fine_amount)
        if refusal:
            raise DomainError(refusal)
        return
    if case.decided_on < case.filed_on:
        raise DomainError("决定日期不能早于立案日期。")
    last = latest_review(case)
    if last is not None and last.crime_suspected and case.outcome != Outcome.TRANSFER:
        raise DomainError("法制审核认为本案涉嫌犯罪，应当移送司法机关（行政处罚法第二十七条），不能作出其他决定。")
    if case.outcome == Outcome.PENALTY:
        _guard_proposal(case, s)
        if not case.notice_waived:
            if not case.notice_served_on:
                raise DomainError("作出行政处罚决定之前，应当告知当事人拟作出的处罚内容及事实、理由、依据和"
                                  "陈述、申辩、要求听证的权利；事先告知书尚未送达，不能作出决定"
                                  "（行政处罚法第四十四条、第六十二条）。")
            last_window = max([d for d in (deadlines.statement_deadline(case, s),
                                           deadlines.hearing_request_deadline(case, s)) if d],
                              key=lambda d: d.due)
            if case.decided_on <= last_window.due:
                raise DomainError(f"当事人陈述、申辩和申请听证的期限尚未届满（{last_window.explanation}），"
                                  f"应在{fmt_date(last_window.due)}之后作出决定。")
        _guard_hearing_done(case, current)
    else:
        case.penalty_kind, case.fine_amount, case.confiscation_amount = "", None, None
    _guard_review_passed(case, s, "作出决定")
    reasons = rules.collective_reasons(case, s)
    if reasons:
        held = case.discussions.filter(held_on__lte=case.decided_on)
        if not held.exists():
            raise DomainError(f"本案须经负责人集体讨论决定（{'；'.join(reasons)}），尚无集体讨论记录"
                              "（行政处罚法第五十七条）。")


def _guard_service(case: Case, s, today) -> None:
    if not case.service_method:
        raise DomainError("请选择送达方式。")
    if not case.served_on:
        raise DomainError("请填写送达日期（以送达回证上的签收日期为准）。")
    _not_future(case.served_on, "送达日期", today)
    if case.served_on < case.decided_on:
        raise DomainError("送达日期不能早于决定日期。")
    if case.is_simplified and case.service_method != ServiceMethod.ONSITE:
        raise DomainError("当场作出的行政处罚决定书应当当场交付当事人（行政处罚法第五十二条）。")


def _guard_close(case: Case, s, today) -> None:
    if not case.closed_on:
        case.closed_on = today
    _not_future(case.closed_on, "结案日期", today)
    if case.measures.filter(status=MeasureStatus.OPEN).exists():
        raise DomainError("本案尚有未解除的查封、扣押措施，不能结案。")
    if case.has_fine:
        _days, fee = deadlines.late_fee_today(case, s, case.closed_on)
        paid = (case.paid_amount or Decimal(0)) >= case.fine_amount and (case.late_fee_paid or Decimal(0)) >= fee
        if not paid and not (case.execution_note or "").strip():
            raise DomainError(f"罚款{rules.fmt_money(case.fine_amount)}元"
                              + (f"及加处罚款{rules.fmt_money(fee)}元" if fee else "")
                              + "尚未缴清；如已申请人民法院强制执行或依法减免，请在“执行情况”中说明后结案。")


def _apply(case: Case, to: str, data: dict, actor) -> None:
    allowed = set(STEP_FIELDS.get(to, []))
    unknown = set(data) - allowed
    if unknown:
        raise DomainError(f"该环节不能修改：{'、'.join(sorted(unknown))}。")
    for k, v in data.items():
        setattr(case, k, v)


# --- the transition service ------------------------------------------------------------------------

def case_transition(*, actor, case: Case, to: str, reason: str = "", expected_status: str | None = None,
                    data: dict | None = None, today: dt.date | None = None) -> Case:
    """Move a case to `to`, setting the step's fields from `data`, after every statutory guard."""
    today = today or dt.date.today()
    data = dict(data or {})
    roles = TARGET_ROLES.get(to, CASE_WRITERS)
    if to == S.DECIDED and case.is_simplified:
        roles = CASE_WRITERS
    require_actor(actor, case.township, roles, f"将案件变更为“{CASE_WORKFLOW.label(to)}”")
    if to in REASON_REQUIRED and not reason.strip():
        raise DomainError("请填写理由。")
    s = rules.settings_for(case.township)
    current_holder = {}

    def guard(c: Case) -> None:
        current = c.status
        current_holder["from"] = current
        _apply(c, to, data, actor)
        if to == S.INVESTIGATING:
            if current == S.FILING:
                c.filed_on = c.filed_on or today
                _guard_filing(c, s, today)
                c.filing_approved_by = actor
            elif not reason.strip():
                raise DomainError("退回补充调查须说明理由。")
        elif to == S.NOTIFIED:
            _guard_notice(c, s, today)
        elif to == S.HEARING:
            _guard_hearing_request(c, s, today)
        elif to in (S.LEGAL_REVIEW, S.COLLECTIVE):
            if c.penalty_kind:
                _guard_proposal(c, s)
            _guard_hearing_done(c, current)
            if to == S.COLLECTIVE:
                _guard_review_passed(c, s, "提交集体讨论")
        elif to == S.DECIDED:
            c.decided_on = c.decided_on or today
            _guard_decision(c, s, today, current)
            c.decided_by = actor
        elif to == S.SERVED:
            _guard_service(c, s, today)
        elif to == S.EXECUTING:
            if not c.has_fine:
                raise DomainError("本案无罚款需执行，可直接结案。")
        elif to == S.CLOSED:
            _guard_close(c, s, today)
        elif to == S.ARCHIVED:
            c.archived_on = c.archived_on or today
            _not_future(c.archived_on, "归档日期", today)
        elif to == S.REVOKED:
            c.revoked_on = c.revoked_on or today
            _not_future(c.revoked_on, "撤销日期", today)
            if not (c.revocation_reason or "").strip():
                c.revocation_reason = reason

    def on_apply(c: Case) -> None:
        if to == S.INVESTIGATING and current_holder.get("from") == S.FILING:
            assign_document(c, DocKind.FILING, actor, year=c.filed_on.year)
        if to == S.NOTIFIED:
            assign_document(c, DocKind.NOTICE, actor, year=c.notice_served_on.year)
        if to == S.SERVED and not c.is_simplified:
            assign_document(c, DocKind.RECEIPT, actor, year=c.served_on.year)
        if to == S.DECIDED:
            kind = DocKind.ONSITE if c.is_simplified else DocKind.DECISION
            c.decision_number = assign_document(c, kind, actor, year=c.decided_on.year).number
        if to == S.REVOKED:
            pub = Publication.objects.filter(case=c, status=PublicationStatus.PUBLISHED).first()
            if pub is not None:
                from fazhi.enforcement.services import publication_withdraw

                publication_withdraw(actor=actor, publication=pub, reason=c.revocation_reason or reason,
                                     on=c.revoked_on, _check=False)

    locked = core_workflow.transition(case, workflow=CASE_WORKFLOW, to=to, actor=actor, record_model=CaseTransition,
                                      record_fk="case", reason=reason, guards=[guard],
                                      expected_status=expected_status, on_apply=on_apply)
    return locked


# --- creating cases -------------------------------------------------------------------------------

CASE_CREATE_FIELDS = ["title", "source", "party_kind", "party_name", "party_id_no", "party_phone", "party_address",
                      "party_representative", "violation_date", "violation_continuing", "violation_ended_on",
                      "harm_occurred", "discovered_on", "place", "facts", "onspot_ground", "onspot_receipt_no",
                      "onspot_reason", "party_minor", "publication_mask_names",
                      "evidence_summary", "major_public_interest", "complex_case", "serious_violation",
                      "filing_opinion"]


@transaction.atomic
def case_create(*, actor, township, power, officers, procedure: str = Procedure.ORDINARY, inspection=None,
                today: dt.date | None = None, **fields) -> Case:
    """Register a case: ordinary cases wait for filing approval; simplified cases are decided on the spot."""
    today = today or dt.date.today()
    require_actor(actor, township, CASE_WRITERS, "登记行政处罚案件")
    unknown = set(fields) - set(CASE_CREATE_FIELDS)
    if unknown:
        raise DomainError(f"不能填写：{'、'.join(sorted(unknown))}。")
    if power.township_id != township.pk or not power.active:
        raise DomainError("所选职权事项不在本乡镇有效的职权清单内。")
    if inspection is not None and inspection.township_id != township.pk:
        raise DomainError("来源巡查不属于本乡镇。")
    officers = list(officers)
    discovered = fields.get("discovered_on") or today
    _not_future(discovered, "发现日期", today)
    vd = fields.get("violation_date")
    if vd and vd > discovered:
        raise DomainError("违法行为发生日不能晚于发现日期。")
    _check_violation_end(fields, today)
    check_assignable(officers, township, discovered)
    require_certified(officers, discovered, "办理行政处罚案件")
    fields["discovered_on"] = discovered
    year = discovered.year
    case = Case(township=township, power=power, procedure=procedure, inspection=inspection, year=year,
                seq=next_case_seq(township, year), created_by=actor,
                status=S.ONSITE if procedure == Procedure.SIMPLIFIED else S.FILING, **fields)
    case.number = f"{township.name}〔{year}〕第{case.seq}号"
    case.full_clean()
    case.save()
    case.officers.set(officers)
    audit_create(actor=actor, obj=case)
    CaseTransition.objects.create(case=case, actor=actor, from_status="", to_status=case.status, reason="登记")
    return case


def case_simple_decide(*, actor, township, power, officers, party_kind, party_name, penalty_kind, fine_amount,
                       facts, decided_on=None, onspot_paid: bool = False, today=None, **fields) -> Case:
    """简易程序: register, decide on the spot and hand over the decision (Art. 51/52), in one go."""
    today = today or dt.date.today()
    decided_on = decided_on or today
    s = rules.settings_for(township)
    refusal = rules.simplified_refusal(s, party_kind, penalty_kind, fine_amount)
    if refusal:
        raise DomainError(refusal)
    if penalty_kind == PenaltyKind.FINE and onspot_paid:
        fields.update(rules.onspot_collection(s, fine_amount, fields.pop("onspot_ground", ""),
                                              fields.pop("onspot_receipt_no", ""), fields.pop("onspot_reason", "")))
    else:
        for k in ("onspot_ground", "onspot_receipt_no", "onspot_reason"):
            fields.pop(k, None)
    with transaction.atomic():
        case = case_create(actor=actor, township=township, power=power, officers=officers,
                           procedure=Procedure.SIMPLIFIED, today=today, party_kind=party_kind,
                           party_name=party_name, facts=facts, discovered_on=fields.pop("discovered_on", decided_on),
                           **fields)
        case = case_transition(actor=actor, case=case, to=S.DECIDED, today=today, data={
            "outcome": Outcome.PENALTY, "decided_on": decided_on, "penalty_kind": penalty_kind,
            "fine_amount": fine_amount if penalty_kind == PenaltyKind.FINE else None,
            "reasons": fields.get("reasons", "") or "违法事实清楚，情节轻微，适用简易程序当场处罚"})
        case = case_transition(actor=actor, case=case, to=S.SERVED, today=today, data={
            "served_on": decided_on, "service_method": ServiceMethod.ONSITE, "service_recipient": party_name})
        if penalty_kind == PenaltyKind.FINE and onspot_paid:
            case = case_record_payment(actor=actor, case=case, paid_on=decided_on, paid_amount=fine_amount,
                                       today=today)
    return case


@transaction.atomic
def case_assign_officers(*, actor, case: Case, officers, today=None) -> Case:
    today = today or dt.date.today()
    require_actor(actor, case.township, CASE_WRITERS, "指派执法人员")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE}:
        raise DomainError("案件已作出决定，不能再调整承办人员。")
    officers = list(officers)
    check_assignable(officers, case.township, today)
    require_certified(officers, today, "办理行政处罚案件")
    before = sorted(investigators(case))
    case.officers.set(officers)
    from fazhi.audit.services import audit_record

    audit_record(actor=actor, action="update", obj=case,
                 changes={"承办执法人员": [", ".join(map(str, before)), ", ".join(o.name for o in officers)]})
    return case


@transaction.atomic
def case_update(*, actor, case: Case, expected_status: str | None = None, today: dt.date | None = None,
                **fields) -> Case:
    """Edit facts or the proposal while the case is still being handled (before the decision)."""
    require_actor(actor, case.township, CASE_WRITERS, "修改案件")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_status and locked.status != expected_status:
        from fazhi.core.errors import ConflictError

        raise ConflictError()
    editable = {S.FILING, S.INVESTIGATING, S.NOTIFIED, S.HEARING}
    if set(fields) <= {"extension_days", "extension_reason"}:
        editable |= {S.LEGAL_REVIEW, S.COLLECTIVE}
    if locked.status not in editable:
        raise DomainError("案件已进入审核、讨论或决定环节，不能再修改案件事实。")
    allowed = set(CASE_CREATE_FIELDS) | {"penalty_kind", "fine_amount", "confiscation_amount", "penalty_detail",
                                         "reasons", "band", "statement", "statement_response", "extension_days",
                                         "extension_reason"}
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    before = snapshot(locked)
    for k, v in fields.items():
        setattr(locked, k, v)
    if str(locked.extension_days) != (before.get("extension_days") or "0"):
        _guard_extension(actor, locked, int(before.get("extension_days") or 0), today or dt.date.today())
    if locked.extension_days and not locked.extension_reason.strip():
        raise DomainError("延长办案期限须经批准并写明理由。")
    _check_violation_end({k: getattr(locked, k) for k in ("violation_ended_on", "violation_continuing",
                                                           "violation_date")}, today or dt.date.today())
    locked.full_clean()
    locked.save()
    audit_update(actor=actor, obj=locked, before=before)
    return locked


def _guard_extension(actor, case: Case, before_days: int, today: dt.date) -> None:
    """One extension, within the configured cap, approved by a leader before the 90-day limit expires."""
    require_actor(actor, case.township, LEADERS, "批准延长办案期限（行政处罚法第六十条）")
    s = rules.settings_for(case.township)
    if before_days:
        raise DomainError(f"办案期限已经批准延长{before_days}日，只能延长一次。")
    if not case.filed_on:
        raise DomainError("案件尚未立案，不能延长办案期限。")
    if case.extension_days > s.decide_extension_days:
        raise DomainError(f"延长期限不得超过{s.decide_extension_days}日（执法法定参数：经批准可延长的上限）。")
    original = deadlines.count("enf.decide", case.filed_on, s.decide_days)
    if today > original.due:
        raise DomainError(f"办案期限已于{fmt_date(original.due)}届满，届满后不能再批准延长：{original.explanation}")
    case.extension_approved_on = today


@transaction.atomic
def case_record_payment(*, actor, case: Case, paid_on, paid_amount, late_fee_paid=None, today=None) -> Case:
    today = today or dt.date.today()
    require_actor(actor, case.township, CASE_WRITERS, "登记缴款")
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status not in {S.SERVED, S.EXECUTING}:
        raise DomainError("决定书送达后方可登记缴款。")
    if not locked.has_fine:
        raise DomainError("本案没有罚款。")
    _not_future(paid_on, "缴款日期", today)
    if paid_on < locked.served_on:
        raise DomainError("缴款日期不能早于送达日期。")
    if paid_amount is None or paid_amount <= 0:
        raise DomainError("请填写实缴金额。")
    before = snapshot(locked)
    locked.paid_on, locked.paid_amount = paid_on, paid_amount
    s = rules.settings_for(locked.township)
    _days, fee = deadlines.late_fee_today(locked, s, paid_on)
    locked.late_fee_paid = late_fee_paid if late_fee_paid is not None else (fee if fee else None)
    locked.full_clean()
    locked.save()
    audit_update(actor=actor, obj=locked, before=before, reason="登记缴款")
    return locked
