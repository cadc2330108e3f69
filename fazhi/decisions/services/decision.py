"""Decisions through their statutory steps: one transition service enforces the order (713号令)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import audit_create, audit_update, snapshot
from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in
from fazhi.core.workflow import Workflow, transition
from fazhi.decisions import rules
from fazhi.decisions.deadlines import comment_period, hearing_notice, review_is_short, review_period
from fazhi.decisions.models import (
    CommentStatus,
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    DecisionStep,
    DecisionTransition,
    DiscussionConclusion,
    ReviewResult,
    RiskLevel,
)
from fazhi.decisions.permissions import SETTINGS_ROLES, WRITE_ROLES
from fazhi.decisions.services.files import attachment_store

S = DecisionStatus
DECISION_WORKFLOW = Workflow("重大决策", allowed=rules.ALLOWED, labels=dict(DecisionStatus.choices))


def _check_actor(actor, township, roles=WRITE_ROLES) -> None:
    if not can_act_in(actor, township, roles):
        raise DomainError("您无权在该乡镇办理重大决策事项。")


def _today() -> dt.date:
    return timezone.localdate()


def settings_save(*, actor, township, **fields) -> DecisionSettings:
    _check_actor(actor, township, SETTINGS_ROLES)
    with transaction.atomic():
        obj = DecisionSettings.objects.select_for_update().filter(township=township).first()
        created = obj is None
        obj = obj or DecisionSettings(township=township)
        before = snapshot(obj)
        for k, v in fields.items():
            setattr(obj, k, v)
        if obj.quorum_numerator > obj.quorum_denominator:
            raise DomainError("到会人数比例不能大于1。")
        obj.full_clean()
        obj.save()
        audit_create(actor=actor, obj=obj) if created else audit_update(actor=actor, obj=obj, before=before)
    return obj


def catalogue_save(*, actor, township, year: int, title: str, published_on=None, note: str = "") -> DecisionCatalogue:
    _check_actor(actor, township)
    with transaction.atomic():
        obj = DecisionCatalogue.objects.filter(township=township, year=year).first()
        created = obj is None
        obj = obj or DecisionCatalogue(township=township, year=year)
        before = snapshot(obj)
        obj.title, obj.published_on, obj.note = title.strip(), published_on, note
        if not obj.title:
            raise DomainError("请填写目录名称。")
        obj.full_clean()
        obj.save()
        audit_create(actor=actor, obj=obj) if created else audit_update(actor=actor, obj=obj, before=before)
        # 重大行政决策 items of that year belong to the catalogue.
        for d in Decision.objects.select_for_update().filter(township=township, year=year, catalogue__isnull=True,
                                                             category=DecisionCategory.MAJOR_ADMIN):
            d_before = snapshot(d, ["catalogue"])
            d.catalogue = obj
            d.save(update_fields=["catalogue", "updated_at"])
            audit_update(actor=actor, obj=d, before=d_before, reason="列入年度重大行政决策目录")
    return obj


def _check_amount(category: str, amount: Decimal | None, settings: DecisionSettings) -> None:
    if amount is not None and amount < 0:
        raise DomainError("涉及金额不能为负数。")
    if category == DecisionCategory.LARGE_FUND:
        if amount is None:
            raise DomainError("大额资金使用事项须填写涉及金额。")
        if amount < settings.large_fund_threshold:
            raise DomainError(f"涉及金额{amount:,.2f}元，未达到本乡大额资金标准"
                              f"{settings.large_fund_threshold:,.2f}元，不属于“三重一大”大额资金使用事项。")


def _highest_number(township, year: int) -> int:
    """Numbers stored before the counter existed (2024-012 → 12)."""
    numbers = Decision.objects.filter(township=township, number__startswith=f"{year}-").values_list("number", flat=True)
    return max((int(n[5:]) for n in numbers if n[5:].isdigit()), default=0)


@transaction.atomic
def decision_create(*, actor, township, title: str, category: str, lead_unit: str, started_on: dt.date,
                    summary: str = "", lead_person: str = "", amount: Decimal | None = None,
                    description: str = "", year: int | None = None, files=()) -> Decision:
    """Step 1 (决策启动): the matter is registered and a lead unit (决策承办单位) is assigned."""
    _check_actor(actor, township)
    if category not in DecisionCategory.values:
        raise DomainError("请选择决策类别。")
    if not (title or "").strip():
        raise DomainError("请填写决策事项名称。")
    if not (lead_unit or "").strip():
        raise DomainError("决策启动须明确决策承办单位。")
    if started_on > _today():
        raise DomainError("启动日期不能晚于今天。")
    settings = DecisionSettings.for_township(township)
    _check_amount(category, amount, settings)
    year = year or started_on.year
    catalogue = None
    if category == DecisionCategory.MAJOR_ADMIN:
        catalogue = DecisionCatalogue.objects.filter(township=township, year=year).first()
    seq = numbering.allocate(township=township, kind="decisions.decision", year=year,
                             floor=lambda: _highest_number(township, year))
    decision = Decision(township=township, year=year, number=f"{year}-{seq:03d}", title=title.strip(),
                        category=category, amount=amount, description=description, lead_unit=lead_unit.strip(),
                        lead_person=lead_person, catalogue=catalogue, created_by=actor, status=S.STARTED)
    decision.full_clean()
    decision.save()
    audit_create(actor=actor, obj=decision)
    DecisionStep.objects.create(township=township, decision=decision, step=S.STARTED, actor=actor,
                                performed_on=started_on,
                                summary=summary or f"决策启动，确定{decision.lead_unit}为决策承办单位。")
    DecisionTransition.objects.create(decision=decision, actor=actor, from_status="", to_status=S.STARTED,
                                      reason="决策启动")
    for f in files:
        attachment_store(actor=actor, township=township, upload=f, decision=decision, step=S.STARTED)
    return decision


EDITABLE_FIELDS = ("title", "description", "lead_unit", "lead_person", "amount")


def decision_update(*, actor, decision: Decision, **fields) -> Decision:
    """Correct the record's basic facts; the category and the step history are never rewritten, and
    nothing changes once the matter has been decided (集体讨论决定)."""
    _check_actor(actor, decision.township)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status == S.TERMINATED or rules.step_index(d.status) >= rules.step_index(S.DISCUSSION):
            raise DomainError("决策已经集体讨论决定（或已终止），基本信息不能再修改。")
        before = snapshot(d)
        for k, v in fields.items():
            setattr(d, k, v.strip() if isinstance(v, str) else v)
        if not d.title or not d.lead_unit:
            raise DomainError("决策事项名称和决策承办单位不能为空。")
        _check_amount(d.category, d.amount, DecisionSettings.for_township(d.township))
        d.full_clean()
        d.save()
        audit_update(actor=actor, obj=d, before=before, reason="修改决策事项基本信息")
    decision.refresh_from_db()
    return d


def decision_review_record(*, actor, decision: Decision, submitted_on: dt.date, reviewer: str,
                           result: str = "", concluded_on: dt.date | None = None, opinion: str = "",
                           short_reason: str = "", files=()) -> Decision:
    """Record the legality review (合法性审查): submission, and when it comes back, its conclusion."""
    _check_actor(actor, decision.township)
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status not in (S.RISK_ASSESSMENT, S.LEGALITY_REVIEW):
            raise DomainError("只有完成风险评估后（或在合法性审查环节重新审查时）才能登记合法性审查。")
        if not (reviewer or "").strip():
            raise DomainError("请填写审查机构或人员。")
        if submitted_on > _today():
            raise DomainError("送审日期不能晚于今天。")
        if result and result not in ReviewResult.values:
            raise DomainError("审查结论无效。")
        if result and not concluded_on:
            raise DomainError("登记审查结论时须填写审查意见出具日期。")
        if concluded_on and not result:
            raise DomainError("填写了出具日期，请同时选择审查结论。")
        if concluded_on and concluded_on < submitted_on:
            raise DomainError("审查意见出具日期不能早于送审日期。")
        if concluded_on and concluded_on > _today():
            raise DomainError("审查意见出具日期不能晚于今天。")
        if result and not (opinion or "").strip():
            raise DomainError("请填写审查意见。")
        before = snapshot(d)
        d.review_submitted_on, d.reviewer = submitted_on, reviewer.strip()
        d.review_result, d.review_concluded_on = result, concluded_on
        d.review_opinion, d.review_short_reason = opinion, short_reason.strip()
        settings = DecisionSettings.for_township(d.township)
        if review_is_short(d, settings) and not d.review_short_reason:
            period = review_period(d, settings)
            raise DomainError(f"合法性审查时间少于{settings.legality_review_working_days}个工作日（{period.explanation}），"
                              "须填写理由。")
        d.full_clean()
        d.save()
        audit_update(actor=actor, obj=d, before=before, reason="登记合法性审查")
        for f in files:  # the review opinion (合法性审查意见书), counsel's written opinion, ...
            attachment_store(actor=actor, township=d.township, upload=f, decision=d, step=S.LEGALITY_REVIEW)
    decision.refresh_from_db()
    return d


# --- guards: what each step must have before it counts as done --------------------------------------

def _guard_participation(d: Decision, data: dict, settings: DecisionSettings) -> None:
    if not (d.comment_start and d.comment_end):
        raise DomainError("尚未公开征求意见：请先发布征求意见稿并确定征求意见期限。")
    period = comment_period(d.comment_start, d.comment_end, settings.comment_period_days)
    if period.short and not d.comment_short_reason.strip():
        raise DomainError(period.explanation)
    if data["performed_on"] <= d.comment_end:
        raise DomainError(f"征求意见期限至{d.comment_end:%Y年%-m月%-d日}届满，届满后方可完成公众参与环节。")
    if d.hearing_date:
        if not d.hearing_materials_on:
            raise DomainError("举行听证的，须登记听证材料公布/送达日期。")
        notice = hearing_notice(d.hearing_materials_on, d.hearing_date, settings.hearing_notice_days)
        if notice.short:
            raise DomainError(notice.explanation)
    if d.comments.filter(status=CommentStatus.PENDING).exists():
        raise DomainError("还有公众意见未审核，请先审核全部意见。")
    if not (d.comment_summary.strip() and d.comment_summary_published_on):
        raise DomainError("请先公布公众意见的采纳情况。")


def _guard_risk(d: Decision, data: dict, settings) -> None:
    level = data.get("risk_level") or d.risk_level
    if level not in RiskLevel.values:
        raise DomainError("请选择风险评估结论（风险等级）。")
    if level == RiskLevel.HIGH:
        raise DomainError("风险评估认为风险不可控：须调整决策草案、采取措施确保风险可控后方可继续（713号令第二十四条）。")


def _guard_legality(d: Decision, data: dict, settings) -> None:
    if not d.review_submitted_on:
        raise DomainError("决策草案尚未送请合法性审查。")
    if not d.review_result:
        period = review_period(d, settings)
        raise DomainError(f"合法性审查尚未出具意见（审查时间不少于{settings.legality_review_working_days}个工作日：{period.explanation}）。")
    if review_is_short(d, settings) and not d.review_short_reason.strip():
        raise DomainError("合法性审查时间少于法定工作日，须说明理由。")


def _guard_discussion(d: Decision, data: dict, settings) -> None:
    if not d.review_result:
        raise DomainError("未经合法性审查的决策草案，不得提交集体讨论（713号令第二十五条）。")
    if d.review_result == ReviewResult.UNLAWFUL:
        raise DomainError("合法性审查认为不合法的决策草案，不得提交集体讨论；请修改后重新送审。")
    last = d.discussions.filter(finalized=True).order_by("-held_on", "-id").first()
    if last is None:
        raise DomainError("尚未完成集体讨论：请登记会议、出席人员和每位成员的发言并定稿。")
    if last.conclusion != DiscussionConclusion.ADOPTED:
        raise DomainError(f"最近一次集体讨论的结论为“{last.get_conclusion_display()}”，决策未获通过。")


def _guard_published(d: Decision, data: dict, settings) -> None:
    if not data.get("published_on") and not d.published_on:
        raise DomainError("请填写决策公布日期。")


def _guard_archived(d: Decision, data: dict, settings) -> None:
    if not (data.get("archive_no") or d.archive_no):
        raise DomainError("请填写档案号。")


GUARDS = {
    S.PARTICIPATION: _guard_participation,
    S.RISK_ASSESSMENT: _guard_risk,
    S.LEGALITY_REVIEW: _guard_legality,
    S.DISCUSSION: _guard_discussion,
    S.PUBLISHED: _guard_published,
    S.ARCHIVED: _guard_archived,
}
STEP_FIELDS = {S.RISK_ASSESSMENT: ("risk_level",), S.PUBLISHED: ("published_on",), S.ARCHIVED: ("archive_no",)}


@transaction.atomic
def decision_transition(*, actor, decision: Decision, to: str, performed_on: dt.date | None = None,
                        summary: str = "", skip_reason: str = "", reason: str = "", files=(),
                        expected_status: str | None = None, **data) -> Decision:
    """Complete (or skip, with a reason) the next statutory step, or terminate the decision.

    The order is fixed (rules.STEP_ORDER); steps required for the category cannot be skipped; each
    completed step must meet its guard (comment period, review result, discussion, ...)."""
    _check_actor(actor, decision.township)
    caller, decision = decision, Decision.objects.get(pk=decision.pk)
    performed_on = performed_on or _today()
    summary, skip_reason, reason = (summary or "").strip(), (skip_reason or "").strip(), (reason or "").strip()
    settings = DecisionSettings.for_township(decision.township)
    label = rules.STEP_LABELS.get(to, DecisionStatus(to).label if to in DecisionStatus.values else to)
    if performed_on > _today():
        raise DomainError("办理日期不能晚于今天。")
    last = decision.steps.order_by("-performed_on", "-id").first()
    if last and performed_on < last.performed_on:
        raise DomainError(f"办理日期不能早于上一环节（{last.get_step_display()}，{last.performed_on:%Y-%m-%d}）。")
    unknown = set(data) - {f for fs in STEP_FIELDS.values() for f in fs}
    if unknown:
        raise DomainError(f"不认识的字段：{'、'.join(sorted(unknown))}。")
    data["performed_on"] = performed_on

    DECISION_WORKFLOW.check(decision.status, to)  # the statutory order, checked again under the row lock
    guards = []
    if to == S.TERMINATED:
        if not reason:
            raise DomainError("终止决策须说明理由。")
    elif skip_reason:
        if rules.step_rule(decision.category, to) == rules.REQUIRED:
            raise DomainError(f"“{label}”是{decision.get_category_display()}事项的必经程序，不能跳过。")
    else:
        if not summary:
            raise DomainError(f"请填写“{label}”的办理情况。")
        guard = GUARDS.get(to)
        if guard:
            guards.append(lambda d: guard(d, data, settings))

    def apply(d: Decision) -> None:
        if not skip_reason and to != S.TERMINATED:
            for f in STEP_FIELDS.get(to, ()):
                if data.get(f):
                    setattr(d, f, data[f])

    why = reason or (f"{label}不适用：{skip_reason}" if skip_reason else f"完成{label}：{summary}")[:500]
    d = transition(decision, workflow=DECISION_WORKFLOW, to=to, actor=actor, record_model=DecisionTransition,
                   record_fk="decision", reason=why, guards=guards, expected_status=expected_status,
                   on_apply=apply)
    if to != S.TERMINATED:
        DecisionStep.objects.create(township=d.township, decision=d, step=to, actor=actor, performed_on=performed_on,
                                    summary=summary, skipped=bool(skip_reason), skip_reason=skip_reason)
    for f in files:
        attachment_store(actor=actor, township=d.township, upload=f, decision=d,
                         step=to if to != S.TERMINATED else "")
    caller.refresh_from_db()
    return d
