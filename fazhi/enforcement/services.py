"""Writes of the enforcement module that are not a step of the case flow: the catalogues (settings,
bodies, powers, bands, the roster), inspections, registering a case, and the legal review's conclusion.
The case's steps are in `workflow/cases.py` (`case_transition`); coercive measures and full-process records in
`records.py`; publication in `publication.py`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import audit_record, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.periods import refuse_beyond_statute
from fazhi.core.writes import require_role, save_audited, set_fields
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import (
    CHECKLIST,
    Case,
    CaseStatus,
    DiscretionBand,
    EnforcementBody,
    Hearing,
    Inspection,
    InspectionKind,
    InspectionResult,
    LegalReview,
    LegalReviewItem,
    Officer,
    Power,
    ReviewOutcome,
    StatutorySettings,
)
from fazhi.enforcement.plans import check_not_disturbed, lock_plan_item
from fazhi.enforcement.rules import check_assignable, require_certified
from fazhi.enforcement.workflow.case_steps import EXTENSION_FIELDS
from fazhi.enforcement.workflow.cases import case_transition
from fazhi.enforcement.workflow.inspections import inspection_transition
from fazhi.enforcement.workflow.proceedings import review_round
from fazhi.enforcement.workflow.statute import check_reviewer

S = CaseStatus


def _today(today):
    return today or dt.date.today()


def _may(actor, township, roles, what: str) -> None:
    require_role(actor, township, roles, f"您无权在{township.name}{what}。")


# --- catalogues -------------------------------------------------------------------------------------

SETTINGS_FIELDS = {f.name for f in StatutorySettings._meta.concrete_fields} - {"id", "region", "updated_at"}


@transaction.atomic
def settings_save(*, actor, region, **values) -> StatutorySettings:
    """Province-level (or lower) statutory numbers; the deepest row above a township applies to it.
    Only an admin whose own region contains `region` may set them: a township admin changes its township's
    row, never the province's (that would change every other township's deadlines)."""
    if not permissions.may_set_settings(actor, region):
        raise DomainError("您无权修改该区划的执法法定参数。")
    obj = StatutorySettings.objects.select_for_update().filter(region=region).first()
    before = snapshot(obj) if obj else None
    obj = obj or StatutorySettings(region=region)
    set_fields(obj, values, SETTINGS_FIELDS)
    refuse_beyond_statute({"enf.seizure": obj.seizure_days, "enf.seizure_extension": obj.seizure_extension_days})
    obj.full_clean()
    obj.save()
    # the stored to-do due dates under this region are counted with these periods: recount them
    deadlines.todo_due_refresh(townships=Region.objects.filter(path__startswith=region.path,
                                                               level=RegionLevel.TOWNSHIP))
    audit_record(actor=actor, action="update" if before else "create", obj=obj,
                 changes={k: [before.get(k) if before else None, str(v)] for k, v in values.items()},
                 township=None)
    return obj


@transaction.atomic
def body_save(*, actor, township, body: EnforcementBody | None = None, **fields) -> EnforcementBody:
    _may(actor, township, permissions.CATALOGUE_WRITE, "维护执法主体")
    before = snapshot(body) if body else None
    body = body or EnforcementBody(township=township)
    set_fields(body, fields, {"name", "kind", "legal_basis", "credit_code", "active"})
    return save_audited(body, actor=actor, before=before)


POWER_FIELDS = {"body", "code", "name", "category", "violation_basis", "penalty_basis", "penalty_range", "fine_min",
                "fine_max", "hearing_triggered", "legal_review_required", "collective_required",
                "life_health_or_finance", "active"}


@transaction.atomic
def power_save(*, actor, township, power: Power | None = None, **fields) -> Power:
    _may(actor, township, permissions.CATALOGUE_WRITE, "维护职权事项")
    before = snapshot(power) if power else None
    power = power or Power(township=township)
    set_fields(power, fields, POWER_FIELDS)
    if power.body_id and power.body.township_id != township.pk:
        raise DomainError("执法主体不属于本乡镇。")
    if power.fine_min is not None and power.fine_max is not None and power.fine_min > power.fine_max:
        raise DomainError("罚款下限不能高于上限。")
    return save_audited(power, actor=actor, before=before)


@transaction.atomic
def band_save(*, actor, power: Power, band: DiscretionBand | None = None, **fields) -> DiscretionBand:
    _may(actor, power.township, permissions.CATALOGUE_WRITE, "维护裁量基准")
    before = snapshot(band) if band else None
    band = band or DiscretionBand(township=power.township, power=power)
    set_fields(band, fields, {"level", "circumstances", "fine_min", "fine_max", "other_penalty"})
    lo, hi = band.fine_min, band.fine_max
    if lo is not None and hi is not None and lo > hi:
        raise DomainError("裁量基准的罚款下限不能高于上限。")
    if hi is not None and power.fine_max is not None and hi > power.fine_max:
        raise DomainError(f"裁量基准上限不能超过法定上限{rules.fmt_money(power.fine_max)}元。")
    return save_audited(band, actor=actor, before=before)


OFFICER_FIELDS = {"user", "name", "post", "body", "cert_no", "cert_issuer", "cert_valid_from", "cert_valid_until",
                  "cert_status", "legal_qualified", "legal_qualification_no", "first_review_on", "affiliation",
                  "active"}


@transaction.atomic
def officer_save(*, actor, township, officer: Officer | None = None, **fields) -> Officer:
    _may(actor, township, permissions.CATALOGUE_WRITE, "维护执法人员")
    before = snapshot(officer) if officer else None
    officer = officer or Officer(township=township)
    if "affiliation" in fields and not fields["affiliation"]:
        fields["affiliation"] = "township"
    set_fields(officer, fields, OFFICER_FIELDS)
    if officer.cert_no:
        if not (officer.cert_issuer and officer.cert_valid_from and officer.cert_valid_until and officer.cert_status):
            raise DomainError("填写执法证件号的，须同时填写发证机关、有效期和证件状态。")
        if officer.cert_valid_from > officer.cert_valid_until:
            raise DomainError("证件有效期起始日不能晚于截止日。")
        clash = Officer.objects.filter(cert_no=officer.cert_no).exclude(pk=officer.pk).exists()
        if clash:
            raise DomainError(f"执法证件号{officer.cert_no}已登记在其他人员名下。")
    if officer.legal_qualified and not officer.legal_qualification_no:
        raise DomainError("具有法律职业资格的，请填写法律职业资格证书编号。")
    if officer.body_id and officer.body.township_id != township.pk:
        raise DomainError("执法主体不属于本乡镇。")
    if officer.user_id and not officer.user.memberships.filter(active=True, region__path__startswith=township.path
                                                                ).exists():
        raise DomainError("关联账号不是本乡镇的在岗人员。")
    return save_audited(officer, actor=actor, before=before)


# --- inspections -----------------------------------------------------------------------------------

@transaction.atomic
def inspection_create(*, actor, township, officers, today=None, **fields) -> Inspection:
    today = _today(today)
    _may(actor, township, permissions.CASE_WRITE, "登记巡查")
    ins = Inspection(township=township, created_by=actor)
    set_fields(ins, fields, {"kind", "date", "village", "place", "subject", "findings", "result", "target",
                             "plan_item"})
    if not ins.date:
        raise DomainError("请填写巡查日期。")
    if ins.kind == InspectionKind.RANDOM:
        raise DomainError("双随机抽查由“随机抽取”生成，不能手工登记。")
    for linked in (ins.target, ins.plan_item):
        if linked is not None and linked.township_id != township.pk:
            raise DomainError("所选检查对象或抽查事项不属于本乡镇。")
    if ins.plan_item is not None:
        if ins.target is None:
            raise DomainError("按抽查事项检查的，请选择检查对象。")
        lock_plan_item(ins.plan_item)  # the same lock as the draw: the count below sees every committed one
        check_not_disturbed(ins.target, ins.plan_item, ins.date.year)
    if ins.date > today:
        raise DomainError("巡查日期不能晚于今天。")
    if ins.village_id and ins.village.parent_id != township.pk:
        raise DomainError("所选村不属于本乡镇。")
    officers = list(officers)
    check_assignable(officers, township, ins.date)
    require_certified(officers, ins.date, "日常巡查")
    if ins.result == InspectionResult.CASE:
        raise DomainError("请先保存巡查记录，再从巡查记录“立案”。")
    save_audited(ins, actor=actor)
    ins.officers.set(officers)
    return ins


def inspection_open_case(*, actor, inspection: Inspection, power, officers=None, today=None, **fields) -> Case:
    """A finding opens a case (the inspection's "open_case" step); the case then waits for filing approval."""
    data = {"power": power, **fields}
    if officers is not None:
        data["officers"] = list(officers)
    inspection_transition(actor=actor, inspection=inspection, step="open_case", data=data, today=today)
    return inspection.cases.order_by("-id").first()


# --- the case's steps taken outside the step pages ----------------------------------------------------

def case_assign_officers(*, actor, case: Case, officers, today=None) -> Case:
    """The case's officers (the "officers" step)."""
    return case_transition(actor=actor, case=case, step="officers", data={"officers": list(officers)}, today=today)


def case_update(*, actor, case: Case, expected_status: str | None = None, today: dt.date | None = None,
                **fields) -> Case:
    """Edit facts or the proposal before the decision (the "edit" step; an extension alone is "extend")."""
    step = "extend" if fields and set(fields) <= EXTENSION_FIELDS else "edit"
    return case_transition(actor=actor, case=case, step=step, data=fields, expected_status=expected_status,
                           today=today)


def case_record_payment(*, actor, case: Case, paid_on, paid_amount, late_fee_paid=None, today=None) -> Case:
    """The fine paid (the "payment" step)."""
    return case_transition(actor=actor, case=case, step="payment", today=today,
                           data={"paid_on": paid_on, "paid_amount": paid_amount, "late_fee_paid": late_fee_paid})


# --- hearing and legal review (法制审核, Art. 58) --------------------------------------------------

@transaction.atomic
def hearing_record(*, actor, hearing: Hearing, held_on, transcript, opinion="", today=None) -> Hearing:
    today = _today(today)
    _may(actor, hearing.township, permissions.CASE_WRITE, "记录听证")
    if held_on > today:
        raise DomainError("举行日期不能晚于今天。")
    if held_on < hearing.scheduled_on:
        raise DomainError("举行日期不能早于通知的听证日期。")
    if not (transcript or "").strip():
        raise DomainError("请填写听证笔录摘要。")
    before = snapshot(hearing)
    hearing.held_on, hearing.transcript, hearing.opinion = held_on, transcript, opinion
    return save_audited(hearing, actor=actor, before=before)


def legal_review_submit(*, actor, case: Case, reviewer: Officer, submitted_on=None, expected_status=None,
                        today=None) -> LegalReview:
    """Send the case to legal review (the "review" step): a new round (every round is kept)."""
    today = _today(today)
    submitted_on = submitted_on or today
    if case.status == S.LEGAL_REVIEW:  # a further round after a passed one: no status change
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case.pk)
            _may(actor, case.township, permissions.CASE_WRITE, "提交法制审核")
            if submitted_on > today:
                raise DomainError("送审日期不能晚于今天。")
            check_reviewer(case, reviewer, submitted_on)
            if case.reviews.filter(outcome=ReviewOutcome.PENDING).exists():
                raise DomainError("本案已有审核中的一轮法制审核。")
            return review_round(actor=actor, case=case, reviewer=reviewer, submitted_on=submitted_on)
    case = case_transition(actor=actor, case=case, step="review", expected_status=expected_status, today=today,
                           data={"reviewer": reviewer, "submitted_on": submitted_on, "reason": "提交法制审核"})
    return case.reviews.order_by("-round").first()


@transaction.atomic
def legal_review_conclude(*, actor, review: LegalReview, items: dict, outcome: str, opinion: str,
                          reviewed_on=None, crime_suspected: bool = False, today=None) -> LegalReview:
    """Record one round: every checklist item pass/fail with comment; pass only if every item passes."""
    today = _today(today)
    reviewed_on = reviewed_on or today
    _may(actor, review.township, permissions.REVIEWERS, "进行法制审核")
    review = LegalReview.objects.select_for_update().get(pk=review.pk)
    case = review.case
    if review.outcome != ReviewOutcome.PENDING:
        raise DomainError("该轮审核已有结论，如需再审请重新送审。")
    if case.status != S.LEGAL_REVIEW:
        raise DomainError("案件不在法制审核环节。")
    check_reviewer(case, review.reviewer, reviewed_on)
    if review.reviewer.user_id and review.reviewer.user_id != actor.pk:
        raise DomainError(f"该轮审核指定由{review.reviewer.name}办理，须由其本人提交审核意见。")
    if reviewed_on > today or reviewed_on < review.submitted_on:
        raise DomainError("审核日期应在送审日期与今天之间。")
    if outcome not in {ReviewOutcome.PASSED, ReviewOutcome.RETURNED, ReviewOutcome.FAILED}:
        raise DomainError("请选择审核结论。")
    if not (opinion or "").strip():
        raise DomainError("请填写审核意见。")
    keys = [k for k, _ in CHECKLIST]
    missing = [label for k, label in CHECKLIST if k not in items]
    if missing:
        raise DomainError(f"审核要点未逐项填写：{'、'.join(missing)}。")
    failed = [label for k, label in CHECKLIST if not items[k][0]]
    if outcome == ReviewOutcome.PASSED and failed:
        raise DomainError(f"以下审核要点未通过，不能作出“审核通过”结论：{'、'.join(failed)}。")
    for k in keys:
        passed, comment = items[k]
        LegalReviewItem.objects.create(township=review.township, review=review, key=k, passed=bool(passed),
                                       comment=(comment or "")[:500])
    before = snapshot(review)
    review.outcome, review.opinion, review.reviewed_on = outcome, opinion, reviewed_on
    review.crime_suspected = crime_suspected
    save_audited(review, actor=actor, before=before,
                 reason=f"第{review.round}轮审核：{review.get_outcome_display()}")
    if outcome != ReviewOutcome.PASSED:
        case_transition(actor=actor, case=case, step="reinvestigate", today=today,
                        data={"reason": f"法制审核{review.get_outcome_display()}：{opinion}"})
    return review
