"""Writes of the enforcement module. The case workflow lives in `workflow.py` and is re-exported here,
so other apps call `fazhi.enforcement.services.<name>` only."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Max

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create, audit_record, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, rules
from fazhi.enforcement.models import (
    CHECKLIST,
    Case,
    CaseStatus,
    CollectiveDiscussion,
    DiscretionBand,
    DiscussionOpinion,
    DocKind,
    EnforcementBody,
    Hearing,
    Inspection,
    InspectionResult,
    LegalReview,
    LegalReviewItem,
    Officer,
    Power,
    ReviewOutcome,
    StatutorySettings,
)
from fazhi.enforcement.publication import (  # noqa: F401  (re-exported)
    mask_personal,
    publication_exempt,
    publication_publish,
    publication_text,
    publication_withdraw,
)
from fazhi.enforcement.records import (  # noqa: F401  (re-exported)
    _evidence,
    is_video_name,
    measure_close,
    measure_create,
    measure_extend,
    measure_has_video,
    record_attach,
    record_create,
)
from fazhi.enforcement.workflow import (  # noqa: F401  (re-exported)
    CASE_WORKFLOW,
    CASE_WRITERS,
    assign_document,
    case_assign_officers,
    case_create,
    case_record_payment,
    case_simple_decide,
    case_transition,
    case_update,
    check_assignable,
    investigators,
    require_actor,
    require_certified,
)

S = CaseStatus
CATALOGUE_WRITERS = frozenset({Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER})
REVIEWERS = frozenset({Role.LEGAL_STAFF})
DISCUSSION_WRITERS = frozenset({Role.LEADER, Role.LEGAL_STAFF})


def _today(today):
    return today or dt.date.today()


def _save(actor, obj, before=None, reason=""):
    obj.full_clean()
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj, reason=reason)
    else:
        audit_update(actor=actor, obj=obj, before=before, reason=reason)
    return obj


def _set(obj, fields: dict, allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError(f"不能填写：{'、'.join(sorted(unknown))}。")
    for k, v in fields.items():
        setattr(obj, k, v)


# --- catalogues -------------------------------------------------------------------------------------

SETTINGS_FIELDS = {f.name for f in StatutorySettings._meta.concrete_fields} - {"id", "region", "updated_at"}


@transaction.atomic
def settings_save(*, actor, region, **values) -> StatutorySettings:
    """Province-level (or lower) statutory numbers; the deepest row above a township applies to it.
    Only an admin whose own region contains `region` may set them: a township admin changes its township's
    row, never the province's (that would change every other township's deadlines)."""
    from fazhi.core.scope import memberships

    if not any(m.role == Role.ADMIN and region.path.startswith(m.region.path) for m in memberships(actor)):
        raise DomainError("您无权修改该区划的执法法定参数。")
    obj = StatutorySettings.objects.select_for_update().filter(region=region).first()
    before = snapshot(obj) if obj else None
    obj = obj or StatutorySettings(region=region)
    _set(obj, values, SETTINGS_FIELDS)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action="update" if before else "create", obj=obj,
                 changes={k: [before.get(k) if before else None, str(v)] for k, v in values.items()},
                 township=None)
    return obj


@transaction.atomic
def body_save(*, actor, township, body: EnforcementBody | None = None, **fields) -> EnforcementBody:
    require_actor(actor, township, CATALOGUE_WRITERS, "维护执法主体")
    before = snapshot(body) if body else None
    body = body or EnforcementBody(township=township)
    _set(body, fields, {"name", "kind", "legal_basis", "credit_code", "active"})
    return _save(actor, body, before)


POWER_FIELDS = {"body", "code", "name", "category", "violation_basis", "penalty_basis", "penalty_range", "fine_min",
                "fine_max", "hearing_triggered", "legal_review_required", "collective_required",
                "life_health_or_finance", "active"}


@transaction.atomic
def power_save(*, actor, township, power: Power | None = None, **fields) -> Power:
    require_actor(actor, township, CATALOGUE_WRITERS, "维护职权事项")
    before = snapshot(power) if power else None
    power = power or Power(township=township)
    _set(power, fields, POWER_FIELDS)
    if power.body_id and power.body.township_id != township.pk:
        raise DomainError("执法主体不属于本乡镇。")
    if power.fine_min is not None and power.fine_max is not None and power.fine_min > power.fine_max:
        raise DomainError("罚款下限不能高于上限。")
    return _save(actor, power, before)


@transaction.atomic
def band_save(*, actor, power: Power, band: DiscretionBand | None = None, **fields) -> DiscretionBand:
    require_actor(actor, power.township, CATALOGUE_WRITERS, "维护裁量基准")
    before = snapshot(band) if band else None
    band = band or DiscretionBand(township=power.township, power=power)
    _set(band, fields, {"level", "circumstances", "fine_min", "fine_max", "other_penalty"})
    lo, hi = band.fine_min, band.fine_max
    if lo is not None and hi is not None and lo > hi:
        raise DomainError("裁量基准的罚款下限不能高于上限。")
    if hi is not None and power.fine_max is not None and hi > power.fine_max:
        raise DomainError(f"裁量基准上限不能超过法定上限{rules.fmt_money(power.fine_max)}元。")
    return _save(actor, band, before)


OFFICER_FIELDS = {"user", "name", "post", "body", "cert_no", "cert_issuer", "cert_valid_from", "cert_valid_until",
                  "cert_status", "legal_qualified", "legal_qualification_no", "first_review_on", "affiliation",
                  "active"}


@transaction.atomic
def officer_save(*, actor, township, officer: Officer | None = None, **fields) -> Officer:
    require_actor(actor, township, CATALOGUE_WRITERS, "维护执法人员")
    before = snapshot(officer) if officer else None
    officer = officer or Officer(township=township)
    if "affiliation" in fields and not fields["affiliation"]:
        fields["affiliation"] = "township"
    _set(officer, fields, OFFICER_FIELDS)
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
    return _save(actor, officer, before)


# --- inspections -----------------------------------------------------------------------------------

@transaction.atomic
def inspection_create(*, actor, township, officers, today=None, **fields) -> Inspection:
    today = _today(today)
    require_actor(actor, township, CASE_WRITERS, "登记巡查")
    ins = Inspection(township=township, created_by=actor)
    _set(ins, fields, {"kind", "date", "village", "place", "subject", "findings", "result"})
    if not ins.date:
        raise DomainError("请填写巡查日期。")
    if ins.date > today:
        raise DomainError("巡查日期不能晚于今天。")
    if ins.village_id and ins.village.parent_id != township.pk:
        raise DomainError("所选村不属于本乡镇。")
    officers = list(officers)
    check_assignable(officers, township, ins.date)
    require_certified(officers, ins.date, "日常巡查")
    if ins.result == InspectionResult.CASE:
        raise DomainError("请先保存巡查记录，再从巡查记录“立案”。")
    _save(actor, ins)
    ins.officers.set(officers)
    return ins


@transaction.atomic
def inspection_open_case(*, actor, inspection: Inspection, power, officers=None, today=None, **fields) -> Case:
    """A finding opens a case (it then waits for filing approval)."""
    officers = list(officers) if officers is not None else list(inspection.officers.all())
    fields.setdefault("discovered_on", inspection.date)
    fields.setdefault("facts", inspection.findings)
    case = case_create(actor=actor, township=inspection.township, power=power, officers=officers,
                       inspection=inspection, today=today, source="inspection", **fields)
    before = snapshot(inspection)
    inspection.result = InspectionResult.CASE
    inspection.save(update_fields=["result", "updated_at"])
    audit_update(actor=actor, obj=inspection, before=before, reason=f"立案：{case.number}")
    return case


# --- hearing -----------------------------------------------------------------------------------------

@transaction.atomic
def hearing_schedule(*, actor, case: Case, notice_served_on, scheduled_on, place, presiding: Officer,
                     recorder: Officer | None = None, public: bool = True, today=None) -> Hearing:
    today = _today(today)
    require_actor(actor, case.township, CASE_WRITERS, "安排听证")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != S.HEARING:
        raise DomainError("案件不在听证环节，请先登记当事人的听证申请。")
    if presiding.township_id != case.township_id:
        raise DomainError("听证主持人不属于本乡镇。")
    ids = investigators(case)
    if presiding.pk in ids:
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
    _save(actor, h)
    assign_document(case, DocKind.HEARING_NOTICE, actor, year=notice_served_on.year)
    return h


@transaction.atomic
def hearing_record(*, actor, hearing: Hearing, held_on, transcript, opinion="", today=None) -> Hearing:
    today = _today(today)
    require_actor(actor, hearing.township, CASE_WRITERS, "记录听证")
    if held_on > today:
        raise DomainError("举行日期不能晚于今天。")
    if held_on < hearing.scheduled_on:
        raise DomainError("举行日期不能早于通知的听证日期。")
    if not (transcript or "").strip():
        raise DomainError("请填写听证笔录摘要。")
    before = snapshot(hearing)
    hearing.held_on, hearing.transcript, hearing.opinion = held_on, transcript, opinion
    return _save(actor, hearing, before)


# --- legal review (法制审核, Art. 58) -------------------------------------------------------------

def _check_reviewer(case: Case, reviewer: Officer, on: dt.date | None = None) -> None:
    """Reviewers are entered in the township's roster: its own staff, the 司法所 or county legal reviewers."""
    if reviewer.township_id != case.township_id or not reviewer.active:
        raise DomainError("审核人员未登记在本乡镇的人员名录中（可登记本乡镇、司法所或县级法制审核人员）或不在岗。")
    refusal = rules.reviewer_refusal(reviewer, on or dt.date.today())
    if refusal:
        raise DomainError(refusal)
    if reviewer.pk in investigators(case):
        raise DomainError(f"{reviewer.name}是本案调查人员，不能审核本案。")


@transaction.atomic
def legal_review_submit(*, actor, case: Case, reviewer: Officer, submitted_on=None, expected_status=None,
                        today=None) -> LegalReview:
    """Send the case to legal review: a new round (every round is kept)."""
    today = _today(today)
    submitted_on = submitted_on or today
    if submitted_on > today:
        raise DomainError("送审日期不能晚于今天。")
    case = Case.objects.select_for_update().get(pk=case.pk)  # rounds are numbered per case: one submitter at a time
    _check_reviewer(case, reviewer, submitted_on)
    if case.reviews.filter(outcome=ReviewOutcome.PENDING).exists():
        raise DomainError("本案已有审核中的一轮法制审核。")
    if case.status != S.LEGAL_REVIEW:
        case = case_transition(actor=actor, case=case, to=S.LEGAL_REVIEW, reason="提交法制审核",
                               expected_status=expected_status, today=today)
    last = case.reviews.aggregate(m=Max("round"))["m"] or 0
    review = LegalReview(township=case.township, case=case, round=last + 1, reviewer=reviewer,
                         submitted_on=submitted_on)
    return _save(actor, review)


@transaction.atomic
def legal_review_conclude(*, actor, review: LegalReview, items: dict, outcome: str, opinion: str,
                          reviewed_on=None, crime_suspected: bool = False, today=None) -> LegalReview:
    """Record one round: every checklist item pass/fail with comment; pass only if every item passes."""
    today = _today(today)
    reviewed_on = reviewed_on or today
    require_actor(actor, review.township, REVIEWERS, "进行法制审核")
    review = LegalReview.objects.select_for_update().get(pk=review.pk)
    case = review.case
    if review.outcome != ReviewOutcome.PENDING:
        raise DomainError("该轮审核已有结论，如需再审请重新送审。")
    if case.status != S.LEGAL_REVIEW:
        raise DomainError("案件不在法制审核环节。")
    _check_reviewer(case, review.reviewer, reviewed_on)
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
    _save(actor, review, before, reason=f"第{review.round}轮审核：{review.get_outcome_display()}")
    if outcome != ReviewOutcome.PASSED:
        case_transition(actor=actor, case=case, to=S.INVESTIGATING, today=today,
                        reason=f"法制审核{review.get_outcome_display()}：{opinion}")
    return review


# --- collective discussion (集体讨论, Art. 57) -----------------------------------------------------

@transaction.atomic
def discussion_record(*, actor, case: Case, held_on, chair, attendees, conclusion, opinions, place="", minutes="",
                      today=None) -> CollectiveDiscussion:
    """opinions: [(person, stance, opinion)] in speaking order; each attendee's view is kept."""
    today = _today(today)
    require_actor(actor, case.township, DISCUSSION_WRITERS, "记录集体讨论")
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
    _save(actor, d)
    for i, (person, stance, text) in enumerate(opinions, start=1):
        op = DiscussionOpinion(township=case.township, discussion=d, person=person, stance=stance, opinion=text,
                               order=i)
        op.full_clean()
        op.save()
    return d

