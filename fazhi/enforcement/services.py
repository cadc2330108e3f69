"""Writes of the enforcement module. The case workflow lives in `workflow.py` and is re-exported here,
so other apps call `fazhi.enforcement.services.<name>` only."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import re

from django.db import transaction
from django.db.models import Max

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create, audit_record, audit_update, snapshot
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, rules
from fazhi.enforcement.models import (
    CHECKLIST,
    Case,
    CaseStatus,
    CoerciveMeasure,
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
    MeasureStatus,
    Officer,
    Outcome,
    Power,
    ProcessFile,
    ProcessRecord,
    Publication,
    PublicationStatus,
    RecordStage,
    ReviewOutcome,
    StatutorySettings,
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
VIDEO_EXTENSIONS = {".mp4", ".mov", ".avi", ".mkv", ".3gp", ".webm", ".m4v", ".ts", ".mts", ".wmv", ".flv"}


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
    """Province-level (or lower) statutory numbers; the deepest row above a township applies to it."""
    from fazhi.core.scope import townships_for

    if not townships_for(actor, {Role.ADMIN}).filter(path__startswith=region.path).exists():
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
                  "cert_status", "legal_qualified", "legal_qualification_no", "active"}


@transaction.atomic
def officer_save(*, actor, township, officer: Officer | None = None, **fields) -> Officer:
    require_actor(actor, township, CATALOGUE_WRITERS, "维护执法人员")
    before = snapshot(officer) if officer else None
    officer = officer or Officer(township=township)
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

def _check_reviewer(case: Case, reviewer: Officer) -> None:
    if reviewer.township_id != case.township_id or not reviewer.active:
        raise DomainError("审核人员不属于本乡镇或不在岗。")
    if not reviewer.legal_qualified:
        raise DomainError(f"{reviewer.name}未取得法律职业资格，不能担任法制审核人员（行政处罚法第五十八条）。")
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
    case = Case.objects.get(pk=case.pk)
    _check_reviewer(case, reviewer)
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
    _check_reviewer(case, review.reviewer)
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


# --- coercive measures (行政强制法) --------------------------------------------------------------

@transaction.atomic
def measure_create(*, actor, case: Case, kind, items, started_on, approved_by, today=None) -> CoerciveMeasure:
    today = _today(today)
    require_actor(actor, case.township, CASE_WRITERS, "实施行政强制措施")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in {S.INVESTIGATING, S.NOTIFIED, S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE}:
        raise DomainError("只能在案件办理中（立案后、决定前）实施查封、扣押。")
    if started_on > today or started_on < case.filed_on:
        raise DomainError("实施日期应在立案日期与今天之间。")
    if not (approved_by or "").strip():
        raise DomainError("实施行政强制措施须经负责人批准，请填写批准负责人（行政强制法第十八条）。")
    require_certified(case.officers.all(), started_on, "实施查封、扣押")
    m = CoerciveMeasure(township=case.township, case=case, kind=kind, items=items, started_on=started_on,
                        approved_by=approved_by)
    return _save(actor, m)


@transaction.atomic
def measure_extend(*, actor, measure: CoerciveMeasure, reason, today=None) -> CoerciveMeasure:
    today = _today(today)
    require_actor(actor, measure.township, CASE_WRITERS, "延长查封、扣押期限")
    if measure.status != MeasureStatus.OPEN or measure.extended:
        raise DomainError("只能对实施中且未延长过的措施延长一次（行政强制法第二十五条）。")
    s = rules.settings_for(measure.township)
    original = deadlines.seizure_deadline(measure, s)
    if today > original.due:
        raise DomainError(f"原期限已于{original}届满，不能再延长。")
    if not (reason or "").strip():
        raise DomainError("延长须经负责人批准并说明理由。")
    before = snapshot(measure)
    measure.extended, measure.extension_reason = True, reason
    return _save(actor, measure, before)


def measure_has_video(measure: CoerciveMeasure) -> bool:
    """On-site coercive measures must be video-recorded (DESIGN.md §3, Art. 47)."""
    records = list(measure.records.all())
    if any(r.has_video for r in records):
        return True
    ev = _evidence()
    if ev is not None:
        from fazhi.evidence.selectors import has_video

        return has_video(measure) or any(has_video(r) for r in records)
    return False


@transaction.atomic
def measure_close(*, actor, measure: CoerciveMeasure, closed_on, note, today=None) -> CoerciveMeasure:
    today = _today(today)
    require_actor(actor, measure.township, CASE_WRITERS, "解除查封、扣押")
    measure = CoerciveMeasure.objects.select_for_update().get(pk=measure.pk)
    if measure.status != MeasureStatus.OPEN:
        raise DomainError("该措施已解除或处理。")
    if closed_on > today or closed_on < measure.started_on:
        raise DomainError("解除日期应在实施日期与今天之间。")
    if not measure_has_video(measure):
        raise DomainError("该强制措施没有全过程视频记录，不能办结；请先在“全过程记录”中上传现场执法视频。")
    before = snapshot(measure)
    measure.status, measure.closed_on, measure.closing_note = MeasureStatus.CLOSED, closed_on, note
    return _save(actor, measure, before)


# --- full-process records (全过程记录, Art. 47) ----------------------------------------------------

def _evidence():
    """fazhi.evidence.services if the evidence store is installed, else None (fallback storage)."""
    if importlib.util.find_spec("fazhi.evidence.services") is None:
        return None
    from fazhi.evidence import services

    return services if hasattr(services, "evidence_ingest") else None


def is_video_name(filename: str) -> bool:
    return ("." + filename.rsplit(".", 1)[-1].lower()) in VIDEO_EXTENSIONS if "." in filename else False


def record_create(*, actor, township, stage, text, recorded_at, officers=(), device="", place="", case=None,
                  inspection=None, measure=None, files=(), today=None) -> ProcessRecord:
    """files: [(fileobj, filename)], stored write-once through the evidence store when it exists.
    The record is saved first; files stream outside that transaction (a large video must not hold
    the database write lock)."""
    require_actor(actor, township, CASE_WRITERS, "登记全过程记录")
    for subject in (case, inspection, measure):
        if subject is not None and subject.township_id != township.pk:
            raise DomainError("所记录的案件、巡查或措施不属于本乡镇。")
    if measure is not None:
        case = case or measure.case
    if not (text or "").strip():
        raise DomainError("请填写文字记录。")
    if stage not in RecordStage.values:
        raise DomainError("请选择执法环节。")
    if recorded_at.date() > _today(today):
        raise DomainError("记录时间不能晚于今天。")
    officers = list(officers)
    if any(o.township_id != township.pk for o in officers):
        raise DomainError("执法人员不属于本乡镇。")
    with transaction.atomic():
        rec = ProcessRecord(township=township, case=case, inspection=inspection, measure=measure, stage=stage,
                            text=text, device=device, place=place, recorded_at=recorded_at, created_by=actor)
        _save(actor, rec)
        rec.officers.set(officers)
    if files:
        record_attach(actor=actor, record=rec, files=files)
    return rec


def record_attach(*, actor, record: ProcessRecord, files) -> ProcessRecord:
    require_actor(actor, record.township, CASE_WRITERS, "上传执法记录")
    ev = _evidence()
    users = [o.user for o in record.officers.select_related("user") if o.user_id]
    added, video = 0, record.has_video
    for fileobj, filename in files:
        if ev is not None:
            ev.evidence_ingest(actor=actor, township=record.township, fileobj=fileobj, filename=filename,
                               subject=record, stage=record.stage, device=record.device, officers=users,
                               started_at=record.recorded_at, place=record.place, description=record.text[:200])
        else:
            with transaction.atomic():
                video = _fallback_store(actor, record, fileobj, filename) or video
        added += 1
    if ev is not None:
        from fazhi.evidence.selectors import has_video

        video = video or has_video(record)
    with transaction.atomic():
        locked = ProcessRecord.objects.select_for_update().get(pk=record.pk)
        before = snapshot(locked, ["file_count", "has_video"])
        locked.file_count += added
        locked.has_video = video
        locked.save(update_fields=["file_count", "has_video", "updated_at"])
        audit_update(actor=actor, obj=locked, before=before, reason="上传附件")
    record.file_count, record.has_video = locked.file_count, locked.has_video
    return record


def _fallback_store(actor, record: ProcessRecord, fileobj, filename: str) -> bool:
    """Django storage with the SHA-256 computed while streaming (used until fazhi.evidence exists)."""
    from django.core.files.base import File

    digest, size = hashlib.sha256(), 0
    if hasattr(fileobj, "chunks"):
        chunks = fileobj.chunks()
    else:
        chunks = iter(lambda: fileobj.read(1024 * 1024), b"")
    import tempfile

    with tempfile.TemporaryFile() as tmp:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            tmp.write(chunk)
        tmp.seek(0)
        pf = ProcessFile(township=record.township, record=record, name=filename[:200], sha256=digest.hexdigest(),
                         size=size, is_video=is_video_name(filename))
        pf.file.save(f"{digest.hexdigest()[:16]}-{filename[-60:]}", File(tmp), save=False)
        pf.save()
    audit_create(actor=actor, obj=pf)
    return pf.is_video


# --- publication (公示) -----------------------------------------------------------------------------

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    """Mask resident ID numbers and phone numbers anywhere in `text`."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text or "")
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def publication_text(case: Case) -> tuple[str, str]:
    from fazhi.enforcement.models import PartyKind

    party = case.party_name
    if case.party_kind == PartyKind.ORG and case.party_id_no:
        party += f"（统一社会信用代码：{case.party_id_no}）"
    elif case.party_id_no:
        party += f"（身份证号：{case.party_id_no}）"
    lines = [
        f"行政处罚决定书文号：{case.decision_number}",
        f"案件名称：{case.title}",
        f"被处罚人：{party}",
        f"主要违法事实：{case.facts}",
        f"处罚依据：{case.power.penalty_basis}",
        f"处罚种类：{case.get_penalty_kind_display()}",
        "处罚内容：" + (case.penalty_detail or (f"罚款人民币{rules.fmt_money(case.fine_amount)}元"
                                              if case.fine_amount else case.get_penalty_kind_display())),
        f"作出处罚决定的机关：{case.power.body.name}",
        f"作出处罚决定的日期：{fmt_date(case.decided_on)}",
    ]
    return mask_personal(f"{case.power.body.name}行政处罚决定信息公示（{case.decision_number}）"), \
        mask_personal("\n".join(lines))


@transaction.atomic
def publication_publish(*, actor, case: Case, published_on=None, today=None) -> Publication:
    today = _today(today)
    published_on = published_on or today
    require_actor(actor, case.township, CASE_WRITERS | {Role.ADMIN}, "公示处罚决定")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome != Outcome.PENALTY or case.status not in {S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.ARCHIVED}:
        raise DomainError("只能公示已作出且未被撤销的行政处罚决定。")
    if Publication.objects.filter(case=case).exists():
        raise DomainError("该处罚决定已公示。")
    if published_on > today or published_on < case.decided_on:
        raise DomainError("公示日期应在决定日期与今天之间。")
    title, body = publication_text(case)
    pub = Publication(township=case.township, case=case, title=title, body=body, published_on=published_on)
    return _save(actor, pub)


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason, on=None, today=None,
                         _check: bool = True) -> Publication:
    """Art. 48: a revoked (or otherwise changed) decision is withdrawn within 3 working days, with why."""
    today = _today(today)
    on = on or today
    if _check:
        require_actor(actor, publication.township, CASE_WRITERS | {Role.ADMIN}, "撤回公示")
    if publication.status == PublicationStatus.WITHDRAWN:
        raise DomainError("该公示已撤回。")
    if not (reason or "").strip():
        raise DomainError("撤回公示须说明理由。")
    before = snapshot(publication)
    publication.status, publication.withdrawn_on, publication.withdrawal_reason = \
        PublicationStatus.WITHDRAWN, on, reason
    return _save(actor, publication, before, reason=reason)
