"""Writes of the evidence store: ingest (write-once, deduplicated), metadata, custody entries, disposal.

Bytes are streamed to a temp file OUTSIDE any database transaction (a 4 GB upload must not hold a
SQLite write lock); only the final registration — move into storage, rows, audit entry — is atomic.
A crash before that commit leaves no evidence row (at most an unregistered temp or orphan file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_record, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.models import Region
from fazhi.core.scope import can_act_in, has_role
from fazhi.evidence.conf import retention_defaults
from fazhi.evidence.models import Blob, EvidenceFile, RetentionRule, Stage
from fazhi.evidence.selectors import DISPOSE_ROLES, WRITE_ROLES, subject_key, subject_of
from fazhi.evidence.sniff import Sniffed
from fazhi.evidence.storage import blob_name, delete_stored, safe_filename, spool, store_once

ACCESS_ACTIONS = {"view": "查看", "play": "播放", "download": "下载", "export": "导出"}
ACTION_LABELS = {"upload": "上传", "update": "修改登记信息", "dispose": "销毁", **ACCESS_ACTIONS}


# --- validation shared by ingest and metadata edits ---------------------------------------------

def _check_subject(subject, township):
    if subject is None:
        return "", "", ""
    if getattr(subject, "pk", None) is None or not hasattr(subject, "township_id"):
        raise DomainError("关联对象无效。")
    if subject.township_id != township.pk:
        raise DomainError("关联对象不属于该乡镇。")
    subject_type, subject_id = subject_key(subject)
    return subject_type, subject_id, str(subject)[:200]


def _officers(officers: Iterable, township) -> list:
    ids = [getattr(o, "pk", o) for o in officers]
    if not ids:
        return []
    found = list(officer_candidates(township).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("执法人员必须是本乡镇在岗人员。")
    return found


def officer_candidates(township):
    """Users working in the township: members of it or its villages, or of the county (city, …) above it
    (a county enforcement team acting in the township)."""
    from django.db.models import Q

    ancestors = [code for code in township.path.strip("/").split("/") if code and code != township.code]
    field_roles = [Role.OFFICER, Role.LEADER, Role.LEGAL_STAFF]
    return (get_user_model().objects
            .filter(Q(memberships__region__path__startswith=township.path)
                    | Q(memberships__region__code__in=ancestors, memberships__role__in=field_roles),
                    memberships__active=True)
            .distinct().order_by("full_name", "username"))


def _check_times(started_at, ended_at):
    if started_at and ended_at and ended_at < started_at:
        raise DomainError("结束时间不能早于开始时间。")


def _check_stage(stage):
    if stage not in Stage.values:
        raise DomainError("请选择执法环节。")


def retention_for(stage: str, recorded_on: dt.date) -> tuple[dt.date | None, str]:
    rule = RetentionRule.objects.filter(stage=stage).first()
    years, basis = (rule.years, rule.basis) if rule else retention_defaults().get(stage, (None, ""))
    if not years:
        return None, basis or "永久保存"
    try:
        until = recorded_on.replace(year=recorded_on.year + years)
    except ValueError:  # 29 February
        until = recorded_on.replace(year=recorded_on.year + years, day=28)
    return until, basis


def subject_locked(subject) -> bool:
    """A subject that is still open (e.g. a case not yet closed) says so through evidence_locked()."""
    check = getattr(subject, "evidence_locked", None)
    return bool(check()) if callable(check) else False


def evidence_locked(evidence: EvidenceFile) -> bool:
    subject = subject_of(evidence)
    return subject is not None and subject_locked(subject)


# --- ingest -------------------------------------------------------------------------------------

def evidence_ingest(*, actor, township, fileobj, filename, subject=None, stage, device="", officers=(),
                    started_at=None, ended_at=None, place="", description="", purpose="上传") -> EvidenceFile:
    """Stream `fileobj` into the store (SHA-256 while streaming, constant memory) and register it as
    evidence of `subject` at `stage`. The same content in the same township is stored once."""
    meta = validated_meta(actor=actor, township=township, subject=subject, stage=stage, officers=officers,
                           started_at=started_at, ended_at=ended_at)
    name = safe_filename(filename)
    spooled = spool(fileobj, name)
    return register_spooled(actor=actor, township=township, temp_path=spooled.path, sha256=spooled.sha256,
                            size=spooled.size, sniffed=spooled.sniffed, filename=name, subject=subject,
                            stage=stage, device=device, officers=meta["officers"], started_at=started_at,
                            ended_at=ended_at, place=place, description=description, purpose=purpose)


def validated_meta(*, actor, township, subject, stage, officers, started_at, ended_at) -> dict:
    if actor is None or not can_act_in(actor, township, WRITE_ROLES):
        raise DomainError("您无权在该乡镇登记执法记录证据。")
    _check_stage(stage)
    _check_times(started_at, ended_at)
    _check_subject(subject, township)
    return {"officers": _officers(officers, township)}


def register_spooled(*, actor, township, temp_path: Path, sha256: str, size: int, sniffed: Sniffed, filename,
                     subject=None, stage, device="", officers=(), started_at=None, ended_at=None, place="",
                     description="", purpose="上传") -> EvidenceFile:
    """Register a finished, hashed temp file (from spool() or a completed tus upload). Consumes the
    temp file: it is moved into storage, or deleted when the content is already stored."""
    moved = None
    try:
        with transaction.atomic():
            meta = validated_meta(actor=actor, township=township, subject=subject, stage=stage,
                                   officers=officers, started_at=started_at, ended_at=ended_at)
            subject_type, subject_id, subject_repr = _check_subject(subject, township)
            # Serialise registrations per township so two uploads of the same content cannot race
            # for the same content address (SQLite serialises anyway; PostgreSQL needs the lock).
            Region.objects.select_for_update().filter(pk=township.pk).first()
            blob = Blob.objects.select_for_update().filter(township=township, sha256=sha256).first()
            deduplicated = blob is not None
            if blob is None:
                name = blob_name(township.code, sha256)
                moved = store_once(Path(temp_path), name)
                blob = Blob(township=township, sha256=sha256, size=size, content_type=sniffed.mime,
                            storage_name=moved, verified_at=timezone.now())
                blob.full_clean()
                blob.save()
            recorded = (ended_at or started_at or timezone.now())
            retain_until, basis = retention_for(stage, timezone.localtime(recorded).date())
            evidence = EvidenceFile(
                township=township, blob=blob, sha256=sha256, original_name=safe_filename(filename), size=size,
                content_type=sniffed.mime, subject_type=subject_type, subject_id=subject_id,
                subject_repr=subject_repr, stage=stage, device=device[:120], started_at=started_at,
                ended_at=ended_at, place=place[:200], description=description, uploaded_by=actor,
                retain_until=retain_until, retention_basis=basis[:200])
            evidence.full_clean()
            evidence.save()
            evidence.officers.set(meta["officers"])
            audit_record(actor=actor, action="upload", obj=evidence, reason=purpose or "上传", changes={
                "sha256": sha256, "size": size, "content_type": sniffed.mime, "original_name": evidence.original_name,
                "subject": f"{subject_type}:{subject_id}" if subject_type else "", "stage": stage,
                "deduplicated": deduplicated, "officers": [u.pk for u in meta["officers"]],
            })
    except BaseException:
        if moved:
            delete_stored(moved)  # the rows rolled back: do not leave an unregistered copy behind
        raise
    finally:
        Path(temp_path).unlink(missing_ok=True)
    return evidence


# --- metadata, custody, disposal ----------------------------------------------------------------

EDITABLE = ["stage", "device", "started_at", "ended_at", "place", "description"]


@transaction.atomic
def evidence_update(*, actor, evidence: EvidenceFile, subject=..., officers=None, reason: str = "", **fields):
    """Edit the registration (never the file). Moving evidence away from an open case is refused."""
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    if not can_act_in(actor, evidence.township, WRITE_ROLES):
        raise DomainError("您无权修改该证据的登记信息。")
    if evidence.is_disposed:
        raise DomainError("该证据已销毁，不能修改。")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise DomainError("不可修改的字段：" + "、".join(sorted(unknown)))
    before = snapshot(evidence)
    before_officers = sorted(evidence.officers.values_list("pk", flat=True))
    if "stage" in fields:
        _check_stage(fields["stage"])
    _check_times(fields.get("started_at", evidence.started_at), fields.get("ended_at", evidence.ended_at))
    if subject is not ...:
        new_type, new_id, new_repr = _check_subject(subject, evidence.township)
        if (new_type, new_id) != (evidence.subject_type, evidence.subject_id):
            if evidence_locked(evidence):
                raise DomainError("原关联案件尚未办结，证据不得移出。")
            evidence.subject_type, evidence.subject_id, evidence.subject_repr = new_type, new_id, new_repr
    for key, value in fields.items():
        setattr(evidence, key, value)
    if "stage" in fields or "started_at" in fields or "ended_at" in fields:
        recorded = evidence.ended_at or evidence.started_at or evidence.created_at
        evidence.retain_until, evidence.retention_basis = retention_for(
            evidence.stage, timezone.localtime(recorded).date())
    evidence.full_clean()
    evidence.save()
    audit_update(actor=actor, obj=evidence, before=before, reason=reason)
    if officers is not None:
        people = _officers(officers, evidence.township)
        evidence.officers.set(people)
        after = sorted(u.pk for u in people)
        if after != before_officers:
            audit_record(actor=actor, action="update", obj=evidence, reason=reason,
                         changes={"officers": [before_officers, after]})
    return evidence


def evidence_attach(*, actor, evidence: EvidenceFile, subject, stage: str | None = None,
                    reason: str = "关联到记录") -> EvidenceFile:
    """Attach evidence that arrived unattached (a finished tus upload of an API client) to its record. Evidence
    already of that record stays (a retry changes nothing); evidence of another record is never taken from it."""
    if evidence.is_disposed:
        raise DomainError("该证据已销毁，不能关联。")
    wanted = subject_key(subject)
    fields = {"stage": stage} if stage and stage != evidence.stage else {}
    if evidence.subject_type and (evidence.subject_type, evidence.subject_id) != wanted:
        raise DomainError("该证据已关联其他记录，不能再关联到此记录。")
    if (evidence.subject_type, evidence.subject_id) == wanted and not fields:
        if not can_act_in(actor, evidence.township, WRITE_ROLES):
            raise DomainError("您无权修改该证据的登记信息。")
        return evidence
    return evidence_update(actor=actor, evidence=evidence, subject=subject, reason=reason, **fields)


def evidence_access(*, actor, evidence: EvidenceFile, action: str, purpose: str) -> None:
    """Record a view / playback / download / export in the chain of custody (the caller has checked
    the user sees the evidence). Playback and downloads need a stated purpose."""
    if action not in ACCESS_ACTIONS:
        raise ValueError(action)
    purpose = (purpose or "").strip()
    if action != "view" and not purpose:
        raise DomainError("请说明调取证据的用途。")
    if action != "view" and evidence.is_disposed:
        raise DomainError("该证据已按规定销毁，文件不可调取。")
    audit_record(actor=actor, action=action, obj=evidence, reason=purpose[:500] or "查看登记信息",
                 changes={"sha256": evidence.sha256})


def _dispose(evidence: EvidenceFile, *, actor, basis: str, reason: str) -> None:
    blob = evidence.blob
    evidence.blob = None
    evidence.disposed_at = timezone.now()
    evidence.disposed_by = actor
    evidence.disposal_basis = basis[:200]
    evidence.save(update_fields=["blob", "disposed_at", "disposed_by", "disposal_basis", "updated_at"])
    audit_record(actor=actor, action="dispose", obj=evidence, reason=reason or basis,
                 changes={"sha256": evidence.sha256, "basis": basis, "size": evidence.size})
    if blob is not None and not blob.evidence.exists():
        name = blob.storage_name
        blob.delete()
        transaction.on_commit(lambda: delete_stored(name))  # bytes go only once the rows are committed


@transaction.atomic
def evidence_dispose(*, actor, evidence: EvidenceFile, basis: str, reason: str = "") -> EvidenceFile:
    """Destroy a recording on a recorded decision (文号 in `basis`). Never for an open case."""
    evidence = EvidenceFile.objects.select_for_update().get(pk=evidence.pk)
    if not can_act_in(actor, evidence.township, DISPOSE_ROLES):
        raise DomainError("只有乡镇领导可以依决定销毁证据。")
    if evidence.is_disposed:
        raise DomainError("该证据已销毁。")
    basis = (basis or "").strip()
    if not basis:
        raise DomainError("请填写销毁决定的文号或依据。")
    if evidence_locked(evidence):
        raise DomainError("关联案件尚未办结，证据不得销毁。")
    _dispose(evidence, actor=actor, basis=basis, reason=reason)
    return evidence


def retention_run(*, today: dt.date | None = None, actor=None) -> dict:
    """The retention job: dispose evidence whose retention period has passed, unless its subject is
    still open. Each disposal is its own transaction and audit entry."""
    today = today or timezone.localdate()
    done, kept = 0, 0
    due = EvidenceFile.objects.filter(disposed_at__isnull=True, retain_until__lt=today).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            evidence = EvidenceFile.objects.select_for_update().filter(pk=pk, disposed_at__isnull=True).first()
            if evidence is None:
                continue
            if evidence_locked(evidence):
                kept += 1
                continue
            _dispose(evidence, actor=actor, basis=f"保存期限于{evidence.retain_until:%Y年%m月%d日}届满",
                     reason=f"保存期限届满自动销毁（{evidence.retention_basis}）")
            done += 1
    return {"disposed": done, "kept_open": kept}


@transaction.atomic
def retention_rule_set(*, actor, stage: str, years: int | None, basis: str = "") -> RetentionRule:
    from fazhi.evidence.selectors import CONFIG_ROLES

    if not has_role(actor, CONFIG_ROLES):
        raise DomainError("您无权修改证据保存期限。")
    _check_stage(stage)
    if years is not None and not 1 <= years <= 100:
        raise DomainError("保存年限应在 1 至 100 年之间，或留空表示永久保存。")
    rule, created = RetentionRule.objects.select_for_update().get_or_create(
        stage=stage, defaults={"years": years, "basis": basis})
    before = None if created else snapshot(rule)
    rule.years, rule.basis = years, basis
    rule.full_clean()
    rule.save()
    if before is None:
        audit_record(actor=actor, action="create", obj=rule, changes={"stage": [None, stage], "years": [None, years]})
    else:
        audit_update(actor=actor, obj=rule, before=before)
    return rule
