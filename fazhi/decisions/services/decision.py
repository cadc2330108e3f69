"""Decision records: settings, the year's catalogue, registration (决策启动), basic facts and the legality
review. The statutory steps themselves are declared in `fazhi.decisions.workflow` (DECISION_FLOW)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.periods import PERIODS
from fazhi.core.writes import require_role, save_audited, set_fields, snapshot
from fazhi.decisions import rules
from fazhi.decisions.deadlines import review_is_short, review_period
from fazhi.decisions.models import (
    Decision,
    DecisionCatalogue,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    DecisionStep,
    DecisionTransition,
    ReviewResult,
)
from fazhi.decisions.permissions import REFUSED_DECISION, SETTINGS_ROLES, WRITE_ROLES
from fazhi.decisions.services.files import attachment_store

S = DecisionStatus


def settings_save(*, actor, township, **fields) -> DecisionSettings:
    require_role(actor, township, SETTINGS_ROLES, REFUSED_DECISION)
    with transaction.atomic():
        obj = DecisionSettings.objects.select_for_update().filter(township=township).first()
        before = snapshot(obj) if obj else None
        obj = obj or DecisionSettings(township=township)
        for k, v in fields.items():
            setattr(obj, k, v)
        if obj.quorum_numerator > obj.quorum_denominator:
            raise DomainError("到会人数比例不能大于1。")
        # the respondent's and the defendant's periods are the statute's: a township may plan sooner, never later
        if obj.reconsideration_reply_days > PERIODS["dec.reconsideration_reply"].n:
            raise DomainError("行政复议法第四十八条、第八十八条规定被申请人应当自收到申请书副本之日起10个工作日内提出书面答复，"
                              "答复期限不能设为超过10个工作日。")
        if obj.defence_statement_days > PERIODS["dec.defence_statement"].n:
            raise DomainError("行政诉讼法第六十七条规定被告应当在收到起诉状副本之日起15日内提交答辩状，答辩期限不能设为超过15日。")
        save_audited(obj, actor=actor, before=before)
    return obj


def catalogue_save(*, actor, township, year: int, title: str, published_on=None, note: str = "") -> DecisionCatalogue:
    require_role(actor, township, WRITE_ROLES, REFUSED_DECISION)
    with transaction.atomic():
        obj = DecisionCatalogue.objects.filter(township=township, year=year).first()
        before = snapshot(obj) if obj else None
        obj = obj or DecisionCatalogue(township=township, year=year)
        obj.title, obj.published_on, obj.note = title.strip(), published_on, note
        if not obj.title:
            raise DomainError("请填写目录名称。")
        save_audited(obj, actor=actor, before=before)
        # 重大行政决策 items of that year belong to the catalogue.
        for d in Decision.objects.select_for_update().filter(township=township, year=year, catalogue__isnull=True,
                                                             category=DecisionCategory.MAJOR_ADMIN):
            d_before = snapshot(d)
            d.catalogue = obj
            save_audited(d, actor=actor, before=d_before, reason="列入年度重大行政决策目录")
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
    require_role(actor, township, WRITE_ROLES, REFUSED_DECISION)
    if category not in DecisionCategory.values:
        raise DomainError("请选择决策类别。")
    if not (title or "").strip():
        raise DomainError("请填写决策事项名称。")
    if not (lead_unit or "").strip():
        raise DomainError("决策启动须明确决策承办单位。")
    if started_on > timezone.localdate():
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
    save_audited(decision, actor=actor)
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
    require_role(actor, decision.township, WRITE_ROLES, REFUSED_DECISION)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status == S.TERMINATED or rules.step_index(d.status) >= rules.step_index(S.DISCUSSION):
            raise DomainError("决策已经集体讨论决定（或已终止），基本信息不能再修改。")
        before = snapshot(d)
        set_fields(d, {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}, EDITABLE_FIELDS)
        if not d.title or not d.lead_unit:
            raise DomainError("决策事项名称和决策承办单位不能为空。")
        _check_amount(d.category, d.amount, DecisionSettings.for_township(d.township))
        save_audited(d, actor=actor, before=before, reason="修改决策事项基本信息")
    decision.refresh_from_db()
    return d


def decision_review_record(*, actor, decision: Decision, submitted_on: dt.date, reviewer: str,
                           result: str = "", concluded_on: dt.date | None = None, opinion: str = "",
                           short_reason: str = "", files=()) -> Decision:
    """Record the legality review (合法性审查): submission, and when it comes back, its conclusion."""
    require_role(actor, decision.township, WRITE_ROLES, REFUSED_DECISION)
    with transaction.atomic():
        d = Decision.objects.select_for_update().get(pk=decision.pk)
        if d.status not in (S.RISK_ASSESSMENT, S.LEGALITY_REVIEW):
            raise DomainError("只有完成风险评估后（或在合法性审查环节重新审查时）才能登记合法性审查。")
        if not (reviewer or "").strip():
            raise DomainError("请填写审查机构或人员。")
        if submitted_on > timezone.localdate():
            raise DomainError("送审日期不能晚于今天。")
        if result and result not in ReviewResult.values:
            raise DomainError("审查结论无效。")
        if result and not concluded_on:
            raise DomainError("登记审查结论时须填写审查意见出具日期。")
        if concluded_on and not result:
            raise DomainError("填写了出具日期，请同时选择审查结论。")
        if concluded_on and concluded_on < submitted_on:
            raise DomainError("审查意见出具日期不能早于送审日期。")
        if concluded_on and concluded_on > timezone.localdate():
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
        save_audited(d, actor=actor, before=before, reason="登记合法性审查")
        for f in files:  # the review opinion (合法性审查意见书), counsel's written opinion, ...
            attachment_store(actor=actor, township=d.township, upload=f, decision=d, step=S.LEGALITY_REVIEW)
    decision.refresh_from_db()
    return d
