"""Reads of the evidence store. Other apps use evidence_for / has_video on their own (already
permission-checked) records; views use evidence_list_for / evidence_visible_or_404."""

from __future__ import annotations

from typing import TypedDict

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.http import Http404

from fazhi.accounts.roles import Role
from fazhi.audit.selectors import history_for
from fazhi.core.access import get_visible_or_404
from fazhi.evidence.models import EvidenceFile, Stage, UploadSession

# county_legal reads evidence for 案卷评查 (oversight), every access logged with its purpose; it writes none.
READ_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.SUPERVISOR, Role.COUNTY_LEGAL})
WRITE_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER})
# Disposal before/after the retention period needs a recorded decision by the township leadership.
DISPOSE_ROLES = frozenset({Role.LEADER})
# The retention catalogue is configuration.
CONFIG_ROLES = frozenset({Role.ADMIN, Role.LEGAL_STAFF})


def subject_key(subject) -> tuple[str, str]:
    return subject._meta.label_lower, str(subject.pk)


def evidence_for(subject):
    """Live (not disposed) evidence attached to `subject`, oldest recording first."""
    subject_type, subject_id = subject_key(subject)
    qs = EvidenceFile.objects.filter(subject_type=subject_type, subject_id=subject_id, disposed_at__isnull=True)
    township_id = getattr(subject, "township_id", None)
    if township_id is not None:
        qs = qs.filter(township_id=township_id)
    return qs.select_related("uploaded_by").prefetch_related("officers").order_by("started_at", "created_at", "id")


def evidence_by_subject(subjects) -> dict:
    """{subject pk: [live evidence]} for many records of one model in one query (no N+1 on case pages)."""
    subjects = list(subjects)
    if not subjects:
        return {}
    subject_type = subjects[0]._meta.label_lower
    by_id = {str(s.pk): s.pk for s in subjects}
    out = {s.pk: [] for s in subjects}
    qs = (EvidenceFile.objects.filter(subject_type=subject_type, subject_id__in=list(by_id), disposed_at__isnull=True)
          .select_related("uploaded_by").order_by("started_at", "created_at", "id"))
    for ev in qs:
        out[by_id[ev.subject_id]].append(ev)
    return out


def has_video(subject, stage: str | None = None) -> bool:
    """Is there at least one live video recording of `subject` (optionally at `stage`)?"""
    qs = evidence_for(subject).filter(content_type__startswith="video/")
    if stage:
        qs = qs.filter(stage=stage)
    return qs.exists()


def subject_model(subject_type: str):
    if not subject_type:
        return None
    try:
        return apps.get_model(subject_type)
    except (LookupError, ValueError):
        return None


def subject_of(evidence: EvidenceFile):
    model = subject_model(evidence.subject_type)
    if model is None or not evidence.subject_id:
        return None
    try:
        return model._default_manager.filter(pk=evidence.subject_id).first()
    except (ValueError, TypeError):
        return None


def subject_visible(user, model, subject_id) -> bool:
    """The same permission check as the subject record itself (its manager's visible_to)."""
    qs = model._default_manager.all()
    if not hasattr(qs, "visible_to"):
        return False
    roles = getattr(model, "evidence_read_roles", None)
    try:
        return qs.visible_to(user, roles=roles).filter(pk=subject_id).exists()
    except (ValueError, TypeError):
        return False


def evidence_list_for(user):
    return (EvidenceFile.objects.visible_to(user, roles=READ_ROLES)
            .select_related("township", "uploaded_by"))


def evidence_visible_or_404(user, pk, roles=READ_ROLES) -> EvidenceFile:
    """The evidence if the user sees it in the evidence scope AND sees the record it belongs to."""
    evidence = get_visible_or_404(EvidenceFile.objects.select_related("township", "uploaded_by", "blob"),
                                  user, roles=roles, pk=pk)
    if evidence.subject_type:
        model = subject_model(evidence.subject_type)
        if model is None:
            raise Http404("未找到该记录，或您无权查看。")
        exists = model._default_manager.filter(pk=evidence.subject_id).exists()
        if exists and not subject_visible(user, model, evidence.subject_id):
            raise Http404("未找到该记录，或您无权查看。")
    return evidence


def custody_for(evidence: EvidenceFile):
    """Chain of custody: every audit entry about this evidence (upload, views, playback, downloads, …)."""
    return history_for(evidence)


def upload_for(user, upload_id):
    """An unfinished upload of this user (only its owner may continue it)."""
    try:
        return UploadSession.objects.visible_to(user, roles=WRITE_ROLES).filter(pk=upload_id, user=user).first()
    except (ValueError, TypeError):
        return None


def retention_rules() -> list[dict]:
    from fazhi.evidence.conf import retention_defaults
    from fazhi.evidence.models import RetentionRule

    stored = {r.stage: r for r in RetentionRule.objects.all()}
    defaults = retention_defaults()
    out = []
    for value, label in Stage.choices:
        rule = stored.get(value)
        years, basis = (rule.years, rule.basis) if rule else defaults.get(value, (None, ""))
        out.append({"stage": value, "label": label, "years": years, "basis": basis, "configured": rule is not None})
    return out


class EvidenceStats(TypedDict):
    """The annual-report contract of evidence."""

    evidence_files: int
    video_files: int
    total_bytes: int
    by_stage: dict[str, int]  # stage code -> files


def annual_stats(township, year: int) -> EvidenceStats:
    """Evidence recorded in `year` (by recording start, else upload time) for the annual report."""
    qs = EvidenceFile.objects.filter(township=township, disposed_at__isnull=True).filter(
        Q(started_at__year=year) | Q(started_at__isnull=True, created_at__year=year))
    agg = qs.aggregate(files=Count("id"), videos=Count("id", filter=Q(content_type__startswith="video/")),
                       bytes=Sum("size"))
    by_stage = dict(qs.values_list("stage").annotate(n=Count("id")).order_by())
    return {"evidence_files": agg["files"] or 0, "video_files": agg["videos"] or 0,
            "total_bytes": agg["bytes"] or 0, "by_stage": by_stage}
