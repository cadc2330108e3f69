"""Ledger exports too large to build within a request (issue 16): a background task (django-tasks, the
database backend) builds the workbook into storage while the user watches a progress bar, then downloads
it. Below the threshold the ledger sends the file at once, as before.

The task re-runs the ledger's own view for the requesting user with the same query string, so the rows
are exactly those the ledger would have exported (the view's selector, the user's scope, filters,
search, sort, "export selected") and no queryset has to be serialised."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from importlib import import_module
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from fazhi.core.models import Export, ExportTransition

log = logging.getLogger(__name__)

KEEP = dt.timedelta(hours=24)  # a finished file is downloadable this long, then removed


def _move(job: Export, to: str, reason: str = "", **fields) -> None:
    """The export's one status change: the row updated and its transition row written (STYLE: a row for
    every status change); the task acts for the user who asked."""
    ExportTransition.objects.create(export=job, actor=job.user, from_status=job.status, to_status=to, reason=reason)
    Export.objects.filter(pk=job.pk).update(status=to, **fields)
    job.status = to


def threshold() -> int:
    """Rows above which an export runs in the background (FAZHI_EXPORT_BACKGROUND_ROWS)."""
    return int(getattr(settings, "FAZHI_EXPORT_BACKGROUND_ROWS", 5000))


def too_large(queryset) -> bool:
    limit = threshold()
    return queryset.order_by()[:limit + 1].count() > limit  # bounded: never counts past the threshold


def visible_export(user, pk):
    """The user's own, unexpired export, else None (another user's id looks the same as a wrong one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Export.objects.filter(pk=pk, user=user, created_at__gte=timezone.now() - KEEP).first()


def exports_expired(now=None):
    """Exports past their download period (KEEP): their rows and files are removed by exports_sweep."""
    return Export.objects.filter(created_at__lt=(now or timezone.now()) - KEEP)


def exports_sweep(now=None) -> int:
    """Remove expired exports and their files."""
    n = 0
    for job in exports_expired(now):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        n += 1
    return n


def export_start(*, request, ledger) -> str:
    """Queue the export of what `request` asks the ledger for; returns the progress page's URL."""
    from fazhi.audit.services import audit_record
    from fazhi.core.tasks import export_build_task

    exports_sweep()
    job = Export.objects.create(user=request.user, title=ledger.title[:200], path=request.get_full_path()[:2000])
    ExportTransition.objects.create(export=job, actor=request.user, to_status=job.status, reason="申请导出")
    audit_record(actor=request.user, action="export", object_type="core.export", object_id=str(job.pk),
                 object_repr=str(job), reason=f"导出{ledger.title}（后台生成）")
    transaction.on_commit(lambda: export_build_task.enqueue(str(job.pk)))
    return reverse("core:export_status", args=[job.pk])


def _request_for(job: Export):
    """A GET of the ledger as the requesting user, marked so the ledger writes into `job`."""
    request = RequestFactory().get(job.path)
    request.user = job.user
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()  # never saved
    try:
        from django_htmx.middleware import HtmxDetails

        request.htmx = HtmxDetails(request)
    except ImportError:  # pragma: no cover
        request.htmx = False
    request.fazhi_export = job
    return request


def export_build(export_id: str) -> int:
    """The task's body: run the ledger view; it calls `export_into`. Returns the rows written."""
    job = Export.objects.filter(pk=export_id, status=Export.Status.PENDING).select_related("user").first()
    if job is None:
        return 0
    _move(job, Export.Status.RUNNING)
    try:
        match = resolve(urlsplit(job.path).path)
        match.func(_request_for(job), *match.args, **match.kwargs)
    except Exception as e:  # the user sees 生成失败 with a reason, never a hung progress bar
        log.exception("export %s failed", job.pk)
        reason = getattr(e, "message", "") or "台账无法生成，请缩小筛选范围后重试。"
        _move(job, Export.Status.FAILED, str(reason)[:500], error=str(reason)[:500], finished_at=timezone.now())
        return 0
    job.refresh_from_db()
    if job.status != Export.Status.DONE:
        _move(job, Export.Status.FAILED, "该页面不能导出。", error="该页面不能导出。", finished_at=timezone.now())
    return job.done_rows


def export_into(job: Export, ledger, queryset) -> HttpResponse:
    """Called by `Ledger.respond` inside the task: write the rows to storage, with progress."""
    total = queryset.order_by().count()  # exact: this runs in the background, once
    Export.objects.filter(pk=job.pk).update(total=total)

    def progress(n: int) -> None:
        Export.objects.filter(pk=job.pk).update(done_rows=n)

    with tempfile.TemporaryFile(prefix="fazhi-export-", suffix=".xlsx") as out:
        ledger.write_workbook(queryset, out, progress)
        out.seek(0)
        job.file.save(f"{job.pk}.xlsx", File(out), save=False)
    _move(job, Export.Status.DONE, f"共{total}行", file=job.file.name, filename=ledger.export_filename()[:200],
          finished_at=timezone.now())
    return HttpResponse(status=204)
