"""Large files (issue 19: ≥ 20,000 rows) are imported in the background through the database task queue,
with the progress the page polls. The import itself is the same all-or-nothing `engine.run`.

Progress is written to a small file beside the upload, not to the database: the rows are created in one
transaction, which would hide (PostgreSQL) or block (SQLite) a progress row until the very end."""

from __future__ import annotations

import json
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.imports import engine
from fazhi.imports.models import ImportJob, ImportJobTransition
from fazhi.imports.permissions import require_import

# Files above this size go to the background (an .xlsx of ~2,000 dispute rows); smaller ones are imported
# while the page waits, as before.
BACKGROUND_BYTES = 256 * 1024
S = ImportJob.Status
log = logging.getLogger(__name__)


def _progress_path(job_id: int) -> str:
    return f"imports/jobs/{job_id}.json"


def report_path(name: str) -> str:
    return f"imports/reports/{name}"


def save_report(actor, result: engine.Result) -> str:
    """The marked-up error report, stored under a name only its importer can fetch."""
    name = f"{actor.pk}-{secrets.token_hex(12)}.xlsx"
    default_storage.save(report_path(name), ContentFile(engine.error_report(result)))
    return name


@transaction.atomic
def job_start(*, actor, township, spec, data: bytes, filename: str, dry_run: bool = False) -> ImportJob:
    """Store the file and queue its import; refused at once if the actor may not import here."""
    require_import(actor, township, spec)
    from fazhi.imports import reader

    kind = reader.check_upload(data, filename)
    upload = default_storage.save(f"imports/uploads/{secrets.token_hex(12)}.{kind}", ContentFile(data))
    job = ImportJob.objects.create(township=township, ledger=spec.key, actor=actor, filename=filename[:200],
                                   upload=upload, dry_run=dry_run)
    ImportJobTransition.objects.create(job=job, actor=actor, to_status=job.status, reason="上传文件")
    _write_progress(job.pk, 0, 0, "排队")
    from fazhi.imports.tasks import import_job_task

    pk = job.pk
    transaction.on_commit(lambda: import_job_task.enqueue(pk))
    return job


def job_run(job_id: int) -> ImportJob:
    """Run a queued job (the task); every outcome — done, rejected with errors, failed — is kept on the job."""
    from fazhi.imports.ledgers import LEDGERS

    job = ImportJob.objects.select_related("township", "actor").get(pk=job_id)
    if job.status != S.QUEUED:
        return job
    _move(job, S.RUNNING)
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    spec = LEDGERS[job.ledger]
    try:
        with default_storage.open(job.upload, "rb") as fh:
            data = fh.read()
        result = engine.run(spec=spec, actor=job.actor, township=job.township, data=data, filename=job.filename,
                            dry_run=job.dry_run, progress=lambda d, t, p: _write_progress(job.pk, d, t, p))
    except DomainError as e:
        _move(job, S.FAILED, e.message[:500])
        job.message = e.message[:500]
    except Exception:  # the page shows 导入失败 with a reason, never a progress bar that hangs
        log.exception("import job %s failed", job.pk)
        job.message = "导入中断，未写入任何记录。请稍后重试；如仍失败，请联系管理员。"
        _move(job, S.FAILED, job.message)
    else:
        job.rows, job.created_count = result.rows, len(result.created)
        job.duplicate_count, job.error_count = len(result.duplicates), len(result.errors)
        job.errors = [{"row": e.row, "column": e.column, "reason": e.reason} for e in result.errors[:500]]
        job.seconds = {k: round(v, 1) for k, v in engine.phases(result).items()}
        if result.errors:
            job.report_name = save_report(job.actor, result)
            _move(job, S.REJECTED, f"{len(result.errors)}处错误")
        else:
            _move(job, S.DONE, f"新建{len(result.created)}条")
    job.finished_at = timezone.now()
    job.save()
    _write_progress(job.pk, job.rows, job.rows, job.get_status_display())
    if job.upload:
        default_storage.delete(job.upload)
    return job


def _move(job: ImportJob, to: str, reason: str = "") -> None:
    """The job's one status change with its transition row (saved with the job by the caller)."""
    ImportJobTransition.objects.create(job=job, actor=job.actor, from_status=job.status, to_status=to, reason=reason)
    job.status = to


def _write_progress(job_id: int, done: int, total: int, phase: str) -> None:
    path = _progress_path(job_id)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps({"done": done, "total": total, "phase": phase}).encode()))


def job_progress(job: ImportJob) -> dict:
    """{done, total, phase, percent} as last reported by the running import."""
    try:
        with default_storage.open(_progress_path(job.pk), "rb") as fh:
            p = json.loads(fh.read())
    except (FileNotFoundError, OSError, ValueError):
        p = {"done": 0, "total": 0, "phase": job.get_status_display()}
    if job.finished:
        p = {"done": job.rows, "total": job.rows, "phase": job.get_status_display()}
    # two phases (校验 then 写入) share one bar: validation is the first half
    half = 50 if p["phase"] == "写入" else 0
    frac = (p["done"] / p["total"]) if p["total"] else 0
    p["percent"] = 100 if job.finished else min(99, half + int(frac * 50))
    return p


def expired_files(*, cutoff) -> list[str]:
    """Stored import files last written before `cutoff` (fazhi.core.retention purges them): error reports, of
    the page and of background jobs, and the progress files and uploads of jobs no longer queued or running."""
    from fazhi.core.files import stored_names

    live = ImportJob.objects.filter(status__in=[S.QUEUED, S.RUNNING])
    keep = {*live.exclude(upload="").values_list("upload", flat=True),
            *(_progress_path(pk) for pk in live.values_list("pk", flat=True))}
    out = []
    for name in stored_names(default_storage, "imports/"):
        if name in keep:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            continue
        if modified < cutoff:
            out.append(name)
    return out
