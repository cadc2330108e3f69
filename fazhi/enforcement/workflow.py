"""The case workflow, declared once: `CASE_FLOW`, a `Flow` of `Step`s driven by fazhi.core.steps, with the
guards of 行政处罚法. Every step — a status change (立案审批, 告知, 决定, 送达 …) or a record on the case
(安排听证, 集体讨论, 登记缴款 …) — goes through `case_transition()`, and the step pages are
`*CASE_FLOW.urls("cases/")` (cases/<pk>/<step>/, named enforcement:case_<step>).

Guards see the case as the step would leave it: the first guard of every step copies the step's fields
from the data onto the locked case (refusing fields the step may not set), so the statutory checks read
`case.notice_served_on`, `case.fine_amount` …; a refusal rolls everything back."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse

from fazhi.audit.services import audit_create, audit_record
from fazhi.core import numbering
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, forms, permissions, publication, records, rules, selectors
from fazhi.enforcement.models import (
    DOC_PREFIX,
    Case,
    CaseDocument,
    CaseStatus,
    CaseTransition,
    CoerciveMeasure,
    CollectiveDiscussion,
    DiscussionOpinion,
    DocKind,
    Hearing,
    Inspection,
    InspectionResult,
    LegalReview,
    MeasureStatus,
    MeasureTransition,
    Officer,
    Outcome,
    PenaltyKind,
    Power,
    Procedure,
    Publication,
    PublicationStatus,
    ReviewOutcome,
    ServiceMethod,
)
from fazhi.enforcement.rules import not_future, require_certified

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


# --- numbers and facts of a case ---------------------------------------------------------------------

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


# --- the statutory guards -----------------------------------------------------------------------------

def _check_violation_end(fields: dict, today) -> None:
    ended = fields.get("violation_ended_on")
    if ended is None:
        return
    if not fields.get("violation_continuing"):
        raise DomainError("只有违法行为有连续或者继续状态的，才填写行为终了日。")
    not_future(ended, "行为终了日", today)
    if fields.get("violation_date") and ended < fields["violation_date"]:
        raise DomainError("行为终了日不能早于违法行为发生日。")


def _guard_filing(case: Case, s, today) -> None:
    if not case.filed_on:
        raise DomainError("请填写立案日期。")
    not_future(case.filed_on, "立案日期", today)
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
    not_future(case.notice_served_on, "告知书送达日期", today)
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
    not_future(case.hearing_requested_on, "申请听证日期", today)
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
    not_future(case.decided_on, "决定日期", today)
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
    not_future(case.served_on, "送达日期", today)
    if case.served_on < case.decided_on:
        raise DomainError("送达日期不能早于决定日期。")
    if case.is_simplified and case.service_method != ServiceMethod.ONSITE:
        raise DomainError("当场作出的行政处罚决定书应当当场交付当事人（行政处罚法第五十二条）。")


def _guard_close(case: Case, s, today) -> None:
    if not case.closed_on:
        case.closed_on = today
    not_future(case.closed_on, "结案日期", today)
    if case.measures.filter(status=MeasureStatus.OPEN).exists():
        raise DomainError("本案尚有未解除的查封、扣押措施，不能结案。")
    if case.has_fine:
        _days, fee = deadlines.late_fee_today(case, s, case.closed_on)
        paid = (case.paid_amount or Decimal(0)) >= case.fine_amount and (case.late_fee_paid or Decimal(0)) >= fee
        if not paid and not (case.execution_note or "").strip():
            raise DomainError(f"罚款{rules.fmt_money(case.fine_amount)}元"
                              + (f"及加处罚款{rules.fmt_money(fee)}元" if fee else "")
                              + "尚未缴清；如已申请人民法院强制执行或依法减免，请在“执行情况”中说明后结案。")


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
    _guard_filing(case, _settings(case), today)


def _approve(*, actor, obj, step, data, today):
    obj.filing_approved_by = actor
    assign_document(obj, DocKind.FILING, actor, year=obj.filed_on.year)


def _reinvestigate_guard(case, data, today):
    if case.status == S.FILING:
        raise DomainError("待立案审批的案件请通过“立案审批”立案。")


def _notice_guard(case, data, today):
    _guard_notice(case, _settings(case), today)


def _notice(*, actor, obj, step, data, today):
    assign_document(obj, DocKind.NOTICE, actor, year=obj.notice_served_on.year)


def _prep_notice(form, case, user):
    form.fields["band"].queryset = case.power.bands.all()


def _hearing_request_guard(case, data, today):
    _guard_hearing_request(case, _settings(case), today)


def _proposal_and_hearing(case, data, today):
    if case.penalty_kind:
        _guard_proposal(case, _settings(case))
    _guard_hearing_done(case, case.status)


def _collective_guard(case, data, today):
    _guard_review_passed(case, _settings(case), "提交集体讨论")


def _check_reviewer(case: Case, reviewer: Officer, on: dt.date | None = None) -> None:
    """Reviewers are entered in the township's roster: its own staff, the 司法所 or county legal reviewers."""
    if reviewer.township_id != case.township_id or not reviewer.active:
        raise DomainError("审核人员未登记在本乡镇的人员名录中（可登记本乡镇、司法所或县级法制审核人员）或不在岗。")
    refusal = rules.reviewer_refusal(reviewer, on or dt.date.today())
    if refusal:
        raise DomainError(refusal)
    if reviewer.pk in investigators(case):
        raise DomainError(f"{reviewer.name}是本案调查人员，不能审核本案。")


def _review_guard(case, data, today):
    submitted_on = data.get("submitted_on") or today
    if submitted_on > today:
        raise DomainError("送审日期不能晚于今天。")
    if data.get("reviewer") is None:
        raise DomainError("请选择审核人员。")
    _check_reviewer(case, data["reviewer"], submitted_on)
    if case.reviews.filter(outcome=ReviewOutcome.PENDING).exists():
        raise DomainError("本案已有审核中的一轮法制审核。")


def review_round(*, actor, case: Case, reviewer: Officer, submitted_on) -> LegalReview:
    """A new round of legal review (every round is kept); rounds are numbered per case."""
    last = case.reviews.aggregate(m=Max("round"))["m"] or 0
    review = LegalReview(township=case.township, case=case, round=last + 1, reviewer=reviewer,
                         submitted_on=submitted_on)
    return save_audited(review, actor=actor)


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
    _guard_decision(case, _settings(case), today, case.status)
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
    _guard_service(case, _settings(case), today)


def _serve(*, actor, obj, step, data, today):
    if not obj.is_simplified:
        assign_document(obj, DocKind.RECEIPT, actor, year=obj.served_on.year)


def _execute_guard(case, data, today):
    if not case.has_fine:
        raise DomainError("本案无罚款需执行，可直接结案。")


def _close_guard(case, data, today):
    _guard_close(case, _settings(case), today)


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

def hearing_schedule(*, actor, case: Case, notice_served_on, scheduled_on, place, presiding: Officer,
                     recorder: Officer | None = None, public: bool = True, today=None) -> Hearing:
    today = today or dt.date.today()
    require_role(actor, case.township, permissions.CASE_WRITE, f"您无权在{case.township.name}安排听证。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != S.HEARING:
            raise DomainError("案件不在听证环节，请先登记当事人的听证申请。")
        if presiding.township_id != case.township_id:
            raise DomainError("听证主持人不属于本乡镇。")
        if presiding.pk in investigators(case):
            raise DomainError(f"{presiding.name}是本案调查人员，不能担任听证主持人（行政处罚法第六十四条）。")
        if recorder is not None and recorder.pk == presiding.pk:
            raise DomainError("记录员不能由主持人兼任。")
        if notice_served_on > today:
            raise DomainError("听证通知送达日期不能晚于今天。")
        if notice_served_on < case.hearing_requested_on:
            raise DomainError("听证通知送达日期不能早于申请听证日期。")
        s = rules.settings_for(case.township)
        earliest = deadlines.earliest_hearing(notice_served_on, s)
        if scheduled_on < earliest.due:
            raise DomainError(f"应当在举行听证的{s.hearing_notice_working_days}个工作日前通知当事人"
                              f"（行政处罚法第六十四条、第八十五条），听证最早可安排在{earliest}：{earliest.explanation}")
        h = Hearing(township=case.township, case=case, notice_served_on=notice_served_on, scheduled_on=scheduled_on,
                    place=place, presiding=presiding, recorder=recorder, public=public)
        save_audited(h, actor=actor)
        assign_document(case, DocKind.HEARING_NOTICE, actor, year=notice_served_on.year)
    return h


def _hearing(*, actor, obj, step, data, today):
    hearing_schedule(actor=actor, case=obj, today=today, **_without(data))


def _prep_hearing(form, case, user):
    qs = selectors.officer_list_for(user).filter(township=case.township, active=True)
    form.fields["presiding"].queryset = qs.exclude(pk__in=case.officers.values("pk"))
    form.fields["recorder"].queryset = qs


def discussion_record(*, actor, case: Case, held_on, chair, attendees, conclusion, opinions, place="", minutes="",
                      today=None) -> CollectiveDiscussion:
    """opinions: [(person, stance, opinion)] in speaking order; each attendee's view is kept."""
    today = today or dt.date.today()
    require_role(actor, case.township, permissions.DISCUSSION_WRITE, f"您无权在{case.township.name}记录集体讨论。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != S.COLLECTIVE:
            raise DomainError("案件不在集体讨论环节。")
        if held_on > today or (case.filed_on and held_on < case.filed_on):
            raise DomainError("讨论日期应在立案日期与今天之间。")
        names = [a.strip() for a in re.split(r"[、,，;；\s]+", attendees or "") if a.strip()]
        if len(names) < 3:
            raise DomainError("集体讨论应由负责人集体进行，出席人员不少于3人。")
        opinions = [(p.strip(), st, o.strip()) for p, st, o in opinions if p.strip() and o.strip()]
        if not opinions:
            raise DomainError("请逐一记录出席人员的意见。")
        if not (conclusion or "").strip():
            raise DomainError("请填写讨论决定。")
        d = CollectiveDiscussion(township=case.township, case=case, held_on=held_on, place=place, chair=chair,
                                 attendees="、".join(names), conclusion=conclusion, minutes=minutes,
                                 recorded_by=actor)
        save_audited(d, actor=actor)
        for i, (person, stance, text) in enumerate(opinions, start=1):
            op = DiscussionOpinion(township=case.township, discussion=d, person=person, stance=stance, opinion=text,
                                   order=i)
            op.full_clean()
            op.save()
    return d


def _discussion(*, actor, obj, step, data, today):
    discussion_record(actor=actor, case=obj, today=today, **_without(data))


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
    fields = _without(data, "reason")
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
        _guard_extension(actor, obj, before_days, today)
    if obj.extension_days and not obj.extension_reason.strip():
        raise DomainError("延长办案期限须经批准并写明理由。")
    _check_violation_end({k: getattr(obj, k) for k in ("violation_ended_on", "violation_continuing",
                                                        "violation_date")}, today)


def _guard_extension(actor, case: Case, before_days: int, today: dt.date) -> None:
    """One extension, within the configured cap, approved by a leader before the 90-day limit expires."""
    require_role(actor, case.township, permissions.LEADERS,
                 f"您无权在{case.township.name}批准延长办案期限（行政处罚法第六十条）。")
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


def _prep_edit(form, case, user):
    for name in ("power", "officers", "discovered_on"):
        form.fields.pop(name)


def _edit_initial(case):
    return {f: getattr(case, f) for f in ("title", "source", "party_kind", "party_name", "party_id_no", "party_phone",
                                          "party_address", "party_representative", "violation_date", "place", "facts",
                                          "major_public_interest", "complex_case", "serious_violation",
                                          "filing_opinion")}


def _measure(*, actor, obj, step, data, today):
    records.measure_create(actor=actor, case=obj, today=today, **_without(data))


def _publish(*, actor, obj, step, data, today):
    publication.publication_publish(actor=actor, case=obj, today=today, **_without(data))


def _without(data, *keys):
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


# --- coercive measures (行政强制法): close it, or extend it once --------------------------------------

MEASURE_WORKFLOW = Workflow("enforcement.measure", allowed={MeasureStatus.OPEN: {MeasureStatus.CLOSED}},
                            labels=dict(MeasureStatus.choices))


class CaseChildFlow(Flow):
    """A flow of something shown on its case's page (a measure): after a step, back to the case."""

    def detail_url(self, obj) -> str:
        return reverse(self.detail, args=[obj.case_id])


def _measure_open(measure, data, today):
    if measure.status != MeasureStatus.OPEN:
        raise DomainError("该措施已解除或处理。")


def _measure_close_guard(measure, data, today):
    closed_on = data.get("closed_on")
    if closed_on is None or closed_on > today or closed_on < measure.started_on:
        raise DomainError("解除日期应在实施日期与今天之间。")
    if not records.measure_has_video(measure):
        raise DomainError("该强制措施没有全过程视频记录，不能办结；请先在“全过程记录”中上传现场执法视频。")


def _measure_close(*, actor, obj, step, data, today):
    obj.closed_on, obj.closing_note = data["closed_on"], data.get("note", "")


def _measure_extend_guard(measure, data, today):
    """行政强制法第二十五条: 情况复杂的，经行政机关负责人批准 — once, before the 30 days run out."""
    if measure.extended:
        raise DomainError("只能对实施中且未延长过的措施延长一次（行政强制法第二十五条）。")
    original = deadlines.seizure_deadline(measure, rules.settings_for(measure.township))
    if today > original.due:
        raise DomainError(f"原期限已于{original}届满，届满后不能再批准延长（行政强制法第二十五条）。")
    if not str(data.get("reason") or "").strip():
        raise DomainError("延长须经负责人批准并说明理由。")


def _measure_extend(*, actor, obj, step, data, today):
    obj.extended, obj.extension_reason = True, data["reason"]


MEASURE_STEPS = [
    Step("close", "解除/处理查封、扣押", forms.MeasureCloseForm, permissions.CASE_WRITE, target=MeasureStatus.CLOSED,
         guards=(_measure_open, _measure_close_guard), service=_measure_close, reason="note", done="已保存。",
         intro="现场实施强制措施须全程录像；没有视频记录的措施不能办结。"),
    Step("extend", "延长查封、扣押期限", forms.MeasureExtendForm, permissions.LEADERS,
         guards=(_measure_open, _measure_extend_guard), service=_measure_extend, done="已保存。",
         intro="经负责人批准可延长一次，不超过30日（行政强制法第二十五条）。",
         refused="您无权批准延长查封、扣押期限（行政强制法第二十五条）。"),
]

MEASURE_FLOW = CaseChildFlow(
    name="measure", model=CoerciveMeasure, workflow=MEASURE_WORKFLOW, steps=MEASURE_STEPS,
    record_model=MeasureTransition, record_fk="measure", read_roles=permissions.READ,
    queryset=selectors.measure_list_for, detail="enforcement:case_detail", heading=lambda m: m.case.number,
)


def measure_transition(*, actor, measure: CoerciveMeasure, step: str, data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> CoerciveMeasure:
    """close (解除/处理, only with a video record) or extend (once, approved by a leader)."""
    return run_step(MEASURE_FLOW, actor=actor, obj=measure, step=step, data=data, expected_status=expected_status,
                    today=today)


# --- registering a case ----------------------------------------------------------------------------

@transaction.atomic
def case_create(*, actor, township, power, officers, procedure: str = Procedure.ORDINARY, inspection=None,
                today: dt.date | None = None, **fields) -> Case:
    """Register a case: ordinary cases wait for filing approval; simplified cases are decided on the spot."""
    today = today or dt.date.today()
    require_role(actor, township, permissions.CASE_WRITE, f"您无权在{township.name}登记行政处罚案件。")
    unknown = set(fields) - set(CASE_CREATE_FIELDS)
    if unknown:
        raise DomainError(f"不能填写：{'、'.join(sorted(unknown))}。")
    if power.township_id != township.pk or not power.active:
        raise DomainError("所选职权事项不在本乡镇有效的职权清单内。")
    if inspection is not None and inspection.township_id != township.pk:
        raise DomainError("来源巡查不属于本乡镇。")
    officers = list(officers)
    discovered = fields.get("discovered_on") or today
    not_future(discovered, "发现日期", today)
    vd = fields.get("violation_date")
    if vd and vd > discovered:
        raise DomainError("违法行为发生日不能晚于发现日期。")
    _check_violation_end(fields, today)
    rules.check_assignable(officers, township, discovered)
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
        case = case_transition(actor=actor, case=case, step="onsite", today=today, data={
            "outcome": Outcome.PENALTY, "decided_on": decided_on, "penalty_kind": penalty_kind,
            "fine_amount": fine_amount if penalty_kind == PenaltyKind.FINE else None,
            "reasons": fields.get("reasons", "") or "违法事实清楚，情节轻微，适用简易程序当场处罚"})
        case = case_transition(actor=actor, case=case, step="serve", today=today, data={
            "served_on": decided_on, "service_method": ServiceMethod.ONSITE, "service_recipient": party_name})
        if penalty_kind == PenaltyKind.FINE and onspot_paid:
            case = case_transition(actor=actor, case=case, step="payment", today=today,
                                   data={"paid_on": decided_on, "paid_amount": fine_amount})
    return case


# --- inspections (日常巡查): a finding opens a case -----------------------------------------------------

INSPECTION_WORKFLOW = Workflow("enforcement.inspection", allowed={}, labels=dict(InspectionResult.choices))


def _open_case(*, actor, obj, step, data, today):
    fields = _without(data)
    power = fields.pop("power")
    officers = fields.pop("officers", None)
    officers = list(officers) if officers is not None else list(obj.officers.all())
    fields.setdefault("discovered_on", obj.date)
    fields.setdefault("facts", obj.findings)
    case = case_create(actor=actor, township=obj.township, power=power, officers=officers, inspection=obj,
                       today=today, source="inspection", **fields)
    obj.result = InspectionResult.CASE
    data["reason"] = f"立案：{case.number}"


def _prep_open_case(form, inspection, user):
    form.fields["power"].queryset = Power.objects.filter(township=inspection.township, active=True)


def _opened(inspection) -> str:
    case = inspection.cases.order_by("-id").first()
    return f"已据巡查发现登记案件{case.number}，请报负责人审批立案。" if case else "已保存。"


INSPECTION_STEPS = [
    Step("open_case", "登记案件", forms.OpenCaseForm, permissions.CASE_WRITE, service=_open_case,
         prepare=_prep_open_case, initial=lambda i: {"title": i.subject}, done=_opened,
         intro="发现违法行为的，据巡查发现登记行政处罚案件，登记后由负责人审批立案。"),
]

INSPECTION_FLOW = Flow(
    name="inspection", model=Inspection, workflow=INSPECTION_WORKFLOW, steps=INSPECTION_STEPS,
    record_model=CaseTransition, record_fk="case", read_roles=permissions.READ,
    queryset=selectors.inspection_list_for, detail="enforcement:inspection_detail", heading=str,
    status_field="result",
)


def inspection_transition(*, actor, inspection: Inspection, step: str, data: dict | None = None,
                          expected_status: str | None = None, today: dt.date | None = None) -> Inspection:
    """open_case: register a case from the inspection's finding (the inspection records it was opened)."""
    return run_step(INSPECTION_FLOW, actor=actor, obj=inspection, step=step, data=data,
                    expected_status=expected_status, today=today)
