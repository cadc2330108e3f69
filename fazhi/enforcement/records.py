"""Coercive measures (行政强制法) and full-process records (全过程记录, 行政处罚法第四十七条).
Files go to the evidence store (fazhi.evidence): write-once, with SHA-256, the only file store of a record."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, permissions
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoerciveMeasure,
    ProcessRecord,
    RecordStage,
)
from fazhi.enforcement.rules import require_certified
from fazhi.evidence import services as evidence
from fazhi.evidence.selectors import has_video

S = CaseStatus
VIDEO_EXTENSIONS = {".mp4", ".mov", ".avi", ".mkv", ".3gp", ".webm", ".m4v", ".ts", ".mts", ".wmv", ".flv"}


def _today(today):
    return today or dt.date.today()


def _may(actor, township, roles, what: str) -> None:
    require_role(actor, township, roles, f"您无权在{township.name}{what}。")


# --- coercive measures (行政强制法) --------------------------------------------------------------

@transaction.atomic
def measure_create(*, actor, case: Case, kind, items, started_on, approved_by, today=None) -> CoerciveMeasure:
    today = _today(today)
    _may(actor, case.township, permissions.CASE_WRITE, "实施行政强制措施")
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
    save_audited(m, actor=actor)
    deadlines.case_todo_due_save(case)  # the measure's 30 days are one of the case's open deadlines
    return m


def coercion_has_video(coercion) -> bool:
    """A forced execution (a removal above all) is video-recorded from start to end (行政强制法, Art. 47)."""
    records = list(coercion.records.all())
    return any(r.has_video for r in records) or has_video(coercion) or any(has_video(r) for r in records)


def measure_has_video(measure: CoerciveMeasure) -> bool:
    """On-site coercive measures must be video-recorded (DESIGN.md §3, Art. 47)."""
    records = list(measure.records.all())
    if any(r.has_video for r in records):
        return True
    return has_video(measure) or any(has_video(r) for r in records)


# --- full-process records (全过程记录, Art. 47) ----------------------------------------------------

def is_video_name(filename: str) -> bool:
    return ("." + filename.rsplit(".", 1)[-1].lower()) in VIDEO_EXTENSIONS if "." in filename else False


def record_create(*, actor, township, stage, text, recorded_at, officers=(), device="", place="", case=None,
                  inspection=None, measure=None, coercion=None, files=(), evidence_files=(),
                  today=None) -> ProcessRecord:
    """files: [(fileobj, filename)], stored write-once in the evidence store; evidence_files: evidence already
    in the store (an API client's finished tus uploads), attached with the record in its transaction.
    The record is saved first; files stream outside that transaction (a large video must not hold
    the database write lock)."""
    _may(actor, township, permissions.CASE_WRITE, "登记全过程记录")
    for subject in (case, inspection, measure, coercion):
        if subject is not None and subject.township_id != township.pk:
            raise DomainError("所记录的案件、巡查或措施不属于本乡镇。")
    if measure is not None:
        case = case or measure.case
    if coercion is not None:
        case = case or coercion.case
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
        rec = ProcessRecord(township=township, case=case, inspection=inspection, measure=measure, coercion=coercion,
                            stage=stage,
                            text=text, device=device, place=place, recorded_at=recorded_at, created_by=actor)
        save_audited(rec, actor=actor)
        rec.officers.set(officers)
        if evidence_files:
            record_link(actor=actor, record=rec, evidence_files=evidence_files)
    if files:
        record_attach(actor=actor, record=rec, files=files)
    return rec


def record_attach(*, actor, record: ProcessRecord, files) -> ProcessRecord:
    _may(actor, record.township, permissions.CASE_WRITE, "上传执法记录")
    users = [o.user for o in record.officers.select_related("user") if o.user_id]
    added, video = 0, record.has_video
    for fileobj, filename in files:
        evidence.evidence_ingest(actor=actor, township=record.township, fileobj=fileobj, filename=filename,
                                 subject=record, stage=record.stage, device=record.device, officers=users,
                                 started_at=record.recorded_at, place=record.place, description=record.text[:200])
        added += 1
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


def record_link(*, actor, record: ProcessRecord, evidence_files) -> ProcessRecord:
    """Attach evidence already in the store to the record (at the record's stage): how an API client adds its
    photos and recordings, which arrive through the resumable tus endpoint rather than in a form post."""
    _may(actor, record.township, permissions.CASE_WRITE, "关联执法记录")
    with transaction.atomic():
        for ev in evidence_files:
            evidence.evidence_attach(actor=actor, evidence=ev, subject=record, stage=record.stage,
                                     reason="关联到全过程记录")
        locked = ProcessRecord.objects.select_for_update().get(pk=record.pk)
        before = snapshot(locked, ["file_count", "has_video"])
        locked.file_count += len(evidence_files)
        locked.has_video = locked.has_video or has_video(locked)
        locked.save(update_fields=["file_count", "has_video", "updated_at"])
        audit_update(actor=actor, obj=locked, before=before, reason="关联附件")
    record.file_count, record.has_video = locked.file_count, locked.has_video
    return record
