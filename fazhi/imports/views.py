"""Import pages: choose a ledger, download its template, upload (with an optional dry run), read the
report of every bad cell, download it marked up."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.pages import write_township
from fazhi.imports import engine, jobs
from fazhi.imports.ledgers import LEDGERS, ledgers_for
from fazhi.imports.models import ImportJob
from fazhi.imports.permissions import IMPORT_ROLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _NoLedger(Exception):
    """No ?ledger= given: back to the list to choose one."""


def _choose_first(view):
    from functools import wraps

    @wraps(view)
    def wrapper(request, *a, **kw):
        try:
            return view(request, *a, **kw)
        except _NoLedger:
            return redirect("imports:index")
    return wrapper


class UploadForm(forms.Form):
    file = forms.FileField(label="台账文件（.xlsx、.xls 或 .csv，30MB以内）")
    dry_run = forms.BooleanField(label="仅检查，不导入（预演）", required=False, initial=True)


def _spec(request):
    if not request.GET.get("ledger"):
        raise _NoLedger
    spec = LEDGERS.get(request.GET.get("ledger", ""))
    if spec is None or spec not in ledgers_for(request.user):
        raise Http404("没有这个台账，或您无权导入。")
    return spec


@role_view(read=IMPORT_ROLES)
def index(request):
    return render(request, "imports/index.html", {"ledgers": ledgers_for(request.user)})


@role_view(read=IMPORT_ROLES)
@_choose_first
def template(request):
    spec = _spec(request)
    town = write_township(request, spec.roles)
    resp = HttpResponse(engine.template(spec, request.user, town), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(spec.label + '-导入模板.xlsx')}"
    return resp


@role_view(read=IMPORT_ROLES)
@_choose_first
def export_ledger(request):
    """The township's records of the ledger in the template's shape: edit in Excel, import elsewhere."""
    from fazhi.audit.services import audit_record
    from fazhi.imports import export

    spec = _spec(request)
    town = write_township(request, spec.roles)
    data = export.export(spec, request.user, [town])
    audit_record(actor=request.user, action="export", township=town, object_type="imports.ledger",
                 reason=f"按导入模板格式导出{spec.label}")
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(spec.label + '-' + town.name + '.xlsx')}"
    return resp


@role_view(read=IMPORT_ROLES, write=IMPORT_ROLES)
@_choose_first
def upload(request):
    spec = _spec(request)
    town = write_township(request, spec.roles)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = report_name = None
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        data, dry_run = f.read(), form.cleaned_data["dry_run"]
        try:
            if len(data) >= jobs.BACKGROUND_BYTES:  # a large file: imported in the background, progress polled
                job = jobs.job_start(actor=request.user, township=town, spec=spec, data=data, filename=f.name,
                                     dry_run=dry_run)
                return redirect("imports:job", pk=job.pk)
            result = engine.run(spec=spec, actor=request.user, township=town, data=data, filename=f.name,
                                dry_run=dry_run)
        except DomainError as e:
            form.add_error("file", e.message)
        else:
            if result.errors:
                report_name = jobs.save_report(request.user, result)
    return render(request, "imports/upload.html", {"spec": spec, "form": form, "result": result,
                                                   "report_name": report_name, "township": town,
                                                   "errors": result.errors[:500] if result else []})


@role_view(read=IMPORT_ROLES, model=ImportJob)
def job(request, pk):
    """A background import: the page, and (HTMX, every 2 s until it ends) its progress fragment."""
    job = get_visible_or_404(ImportJob, request.user, roles=IMPORT_ROLES, pk=pk)
    ctx = {"job": job, "spec": LEDGERS.get(job.ledger), "progress": jobs.job_progress(job),
           "mine": job.actor_id == request.user.pk}
    if request.htmx:
        return render(request, "imports/_job.html", ctx)
    return render(request, "imports/job.html", ctx)


def _job_sample(township):
    from fazhi.accounts.models import User

    actor = User.objects.filter(memberships__region=township).order_by("pk").first()
    return ImportJob.objects.filter(township=township).first() or ImportJob.objects.create(
        township=township, ledger="disputes", actor=actor, filename="样例.xlsx", status=ImportJob.Status.DONE)


job.fazhi_sample = _job_sample


@role_view(read=IMPORT_ROLES)
def report(request):
    name = request.GET.get("name", "")
    if not name:
        return redirect("imports:index")
    if not name.startswith(f"{request.user.pk}-") or "/" in name or not name.endswith(".xlsx"):
        raise Http404("没有这个报告。")
    path = jobs.report_path(name)
    if not default_storage.exists(path):
        raise Http404("报告已过期，请重新导入。")
    with default_storage.open(path, "rb") as fh:
        resp = HttpResponse(fh.read(), content_type=XLSX)
    resp["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%AF%BC%E5%85%A5%E9%94%99%E8%AF%AF%E6%8A%A5%E5%91%8A.xlsx"
    return resp

