"""What the statute requires before a case step may be taken (行政处罚法): the guards every step reads,
and the case's numbers and facts they use. Every refusal is a DomainError in Chinese."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from fazhi.audit.services import audit_create
from fazhi.core import numbering
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import (
    DOC_PREFIX,
    Case,
    CaseDocument,
    CaseStatus,
    MeasureStatus,
    Officer,
    Outcome,
    PenaltyKind,
    ReviewOutcome,
    ServiceMethod,
)
from fazhi.enforcement.rules import not_future, require_certified

S = CaseStatus


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

def check_violation_end(fields: dict, today) -> None:
    ended = fields.get("violation_ended_on")
    if ended is None:
        return
    if not fields.get("violation_continuing"):
        raise DomainError("只有违法行为有连续或者继续状态的，才填写行为终了日。")
    not_future(ended, "行为终了日", today)
    if fields.get("violation_date") and ended < fields["violation_date"]:
        raise DomainError("行为终了日不能早于违法行为发生日。")


def guard_filing(case: Case, s, today) -> None:
    if not case.filed_on:
        raise DomainError("请填写立案日期。")
    not_future(case.filed_on, "立案日期", today)
    if case.filed_on < case.discovered_on:
        raise DomainError("立案日期不能早于发现日期。")
    require_certified(case.officers.all(), case.filed_on, "立案调查")
    guard_limitation(case, s)


def guard_limitation(case: Case, s) -> None:
    """Art. 36: what counts is whether the violation was *discovered* in time, not when the case was filed."""
    lim = deadlines.limitation_deadline(case, s)
    if lim and case.discovered_on > lim.due:
        raise DomainError(f"违法行为于{fmt_date(case.discovered_on)}被发现，已超过{rules.limitation_years(case, s)}年"
                          f"追责时效（行政处罚法第三十六条），不再给予行政处罚：{lim.explanation}")


def guard_proposal(case: Case, s) -> None:
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


def guard_notice(case: Case, s, today) -> None:
    if not case.notice_served_on:
        raise DomainError("请填写事先告知书送达日期。")
    not_future(case.notice_served_on, "告知书送达日期", today)
    if case.filed_on and case.notice_served_on < case.filed_on:
        raise DomainError("告知书送达日期不能早于立案日期。")
    for field, label in (("facts", "违法事实"), ("reasons", "处罚理由")):
        if not (getattr(case, field) or "").strip():
            raise DomainError(f"事先告知书须载明{label}（行政处罚法第四十四条）。")
    guard_proposal(case, s)
    require_certified(case.officers.all(), case.notice_served_on, "送达事先告知书")


def guard_hearing_request(case: Case, s, today) -> None:
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


def guard_hearing_done(case: Case, current: str) -> None:
    if (current == S.HEARING or case.hearing_requested_on) and not hearing_held(case):
        raise DomainError("当事人已申请听证，听证结束前不能进入下一环节（行政处罚法第六十五条）。")


def guard_review_passed(case: Case, s, stage: str) -> None:
    reasons = rules.legal_review_reasons(case, s, hearing_held=hearing_held(case))
    if not reasons:
        return
    last = latest_review(case)
    if last is None or last.outcome != ReviewOutcome.PASSED:
        state = "尚未进行法制审核" if last is None else f"最近一轮审核结论为“{last.get_outcome_display()}”"
        raise DomainError(f"本案须经法制审核（{'；'.join(reasons)}），{state}，不能{stage}"
                          "（行政处罚法第五十八条）。")


def guard_decision(case: Case, s, today, current: str) -> None:
    if not case.outcome:
        raise DomainError("请选择处理结果。")
    if not case.decided_on:
        raise DomainError("请填写决定日期。")
    not_future(case.decided_on, "决定日期", today)
    require_certified(case.officers.all(), case.decided_on, "作出行政处罚决定")
    if case.is_simplified:
        if case.outcome != Outcome.PENALTY:
            raise DomainError("简易程序只能当场作出警告或罚款决定。")
        guard_limitation(case, s)
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
        guard_proposal(case, s)
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
        guard_hearing_done(case, current)
    else:
        case.penalty_kind, case.fine_amount, case.confiscation_amount = "", None, None
    guard_review_passed(case, s, "作出决定")
    reasons = rules.collective_reasons(case, s)
    if reasons:
        held = case.discussions.filter(held_on__lte=case.decided_on)
        if not held.exists():
            raise DomainError(f"本案须经负责人集体讨论决定（{'；'.join(reasons)}），尚无集体讨论记录"
                              "（行政处罚法第五十七条）。")


def guard_service(case: Case, s, today) -> None:
    if not case.service_method:
        raise DomainError("请选择送达方式。")
    if not case.served_on:
        raise DomainError("请填写送达日期（以送达回证上的签收日期为准）。")
    not_future(case.served_on, "送达日期", today)
    if case.served_on < case.decided_on:
        raise DomainError("送达日期不能早于决定日期。")
    if case.is_simplified and case.service_method != ServiceMethod.ONSITE:
        raise DomainError("当场作出的行政处罚决定书应当当场交付当事人（行政处罚法第五十二条）。")


def guard_close(case: Case, s, today) -> None:
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


def check_reviewer(case: Case, reviewer: Officer, on: dt.date | None = None) -> None:
    """Reviewers are entered in the township's roster: its own staff, the 司法所 or county legal reviewers."""
    if reviewer.township_id != case.township_id or not reviewer.active:
        raise DomainError("审核人员未登记在本乡镇的人员名录中（可登记本乡镇、司法所或县级法制审核人员）或不在岗。")
    refusal = rules.reviewer_refusal(reviewer, on or dt.date.today())
    if refusal:
        raise DomainError(refusal)
    if reviewer.pk in investigators(case):
        raise DomainError(f"{reviewer.name}是本案调查人员，不能审核本案。")


def guard_extension(actor, case: Case, before_days: int, today: dt.date) -> None:
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
