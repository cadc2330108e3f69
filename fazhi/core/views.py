import datetime as dt

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from fazhi.accounts.roles import Role
from fazhi.core import calendar, selectors
from fazhi.core.access import login_view, public_view, role_view
from fazhi.core.errors import DomainError
from fazhi.core.forms import CalendarYearForm, DeadlineForm, RegionForm
from fazhi.core.models import CalendarYear
from fazhi.core.params import int_param
from fazhi.core.scope import memberships, townships_for
from fazhi.core.services import calendar_year_save, region_save
from fazhi.core.todo import page_html as todo_page_html
from fazhi.core.todo import todo_board


@login_view
def home(request):
    today = dt.date.today()
    board = todo_board(request.user, today)
    return render(request, "core/home.html", {
        "todo": (board.mine + board.team)[:10], "todo_count": board.due_soon_count, "today": today,
        "overdue_count": board.overdue_count, "board": board,
        "townships": townships_for(request.user)[:50], "memberships": memberships(request.user),
    })


@login_view
def todo(request):
    today = dt.date.today()
    horizon = 30 if request.GET.get("range") == "30" else 14
    lists = todo_page_html(request.user, today, horizon, lambda board: render_to_string(
        "core/_todo_page.html", {"board": board, "today": today, "horizon": horizon}))
    return render(request, "core/todo.html", {"lists": mark_safe(lists), "horizon": horizon})  # noqa: S308 - autoescaped template


@login_view
def deadline(request):
    form = DeadlineForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        start, n, unit = form.cleaned_data["start"], form.cleaned_data["n"], form.cleaned_data["unit"]
        fn = {"working_days": calendar.add_working_days, "days": calendar.add_days, "months": calendar.add_months}[unit]
        result = fn(start, n)
    return render(request, "core/deadline.html", {"form": form, "result": result})


@login_view
def periods(request):
    """期限依据一览: the one table of every period Fazhi computes (fazhi.core.periods)."""
    from itertools import groupby

    from fazhi.core.periods import period_table

    groups = [(module, list(rows)) for module, rows in groupby(period_table(), key=lambda p: p.module)]
    return render(request, "core/periods.html", {"period_groups": groups})


@role_view(read={Role.ADMIN}, write={Role.ADMIN})
def calendar_years(request):
    return render(request, "core/calendar_years.html", {
        "years": selectors.calendar_years(),
        "library_until": calendar.library_last_year(),
    })


@role_view(read={Role.ADMIN}, write={Role.ADMIN})
@require_http_methods(["GET", "POST"])
def calendar_year_edit(request):
    initial = {}
    year = str(int_param(request.GET.get("year"), lo=1000, hi=9999) or "")
    if year:
        cal = CalendarYear.objects.filter(year=int(year)).first()
        initial = {"year": int(year)}
        if cal:
            h, w = selectors.calendar_year_texts(cal)
            initial.update(source=cal.source, holidays_text=h, workdays_text=w)
    form = CalendarYearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cal = calendar_year_save(actor=request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已保存{cal.year}年节假日安排，相关期限将按新安排计算。")
            return redirect("core:calendar_years")
    return render(request, "core/calendar_year_form.html", {"form": form})


@public_view
def healthz(request):
    from django.http import JsonResponse

    return JsonResponse({"status": "ok"})


@public_view
def favicon(request):
    """/favicon.ico: browsers ask for it on every first visit; shipped with the package (offline)."""
    from django.contrib.staticfiles import finders
    from django.http import Http404

    path = finders.find("fazhi/favicon.ico")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def error_403(request, exception=None):
    message = str(exception) if exception and str(exception) else "您没有权限访问此页面。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    return render(request, "errors/500.html", status=500)


@role_view(read={Role.ADMIN}, write={Role.ADMIN})
def regions(request):
    """Townships and villages under the admin's regions; an admin may add new ones below them."""
    from fazhi.accounts.selectors import regions_managed_by

    managed = regions_managed_by(request.user)
    form = RegionForm(request.POST or None, parents=managed.filter(level__in=["county", "township"]))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_save(actor=request.user, code=data["code"], name=data["name"], level=data["level"],
                                 parent_code=data["parent"].code, population=data["population"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已保存区划：{region.name}（{region.code}）。")
            return redirect("core:regions")
    return render(request, "core/regions.html", {"regions": managed.select_related("parent"), "form": form})


@login_view
def search(request):
    """全站检索: one box over every module the user may see (scope applied), through the search index."""
    from fazhi.core.ledger import clean_param
    from fazhi.core.search_index import search_everywhere

    q = clean_param(request.GET.get("q", ""))[:100].strip()
    groups = search_everywhere(request.user, q) if q else []
    return render(request, "core/search.html", {"q": q, "groups": groups})


# --- background exports (core.exports) ------------------------------------------------------------------

EXPORT_GONE = "未找到该导出文件：链接有误、已过期（保留24小时），或不是您本人申请的导出。"


def _export_gone(request):
    return render(request, "core/export_gone.html", {"message": EXPORT_GONE}, status=404)


@login_view
def export_status(request, pk):
    """The progress bar (HTMX polls the partial until the file is ready), then the download link."""
    from fazhi.core.exports import KEEP, visible_export

    job = visible_export(request.user, pk)
    if job is None:
        return _export_gone(request)
    ctx = {"job": job, "keep_hours": int(KEEP.total_seconds() // 3600),
           "back_url": job.path.replace("export=xlsx", "").rstrip("?&")}
    if getattr(request, "htmx", False):
        return render(request, "core/_export_progress.html", ctx)
    return render(request, "core/export_status.html", ctx)


@login_view
def export_download(request, pk):
    from fazhi.audit.services import audit_record
    from fazhi.core.exports import visible_export
    from fazhi.core.ledger import XLSX

    job = visible_export(request.user, pk)
    if job is None or job.status != job.Status.DONE or not job.file:
        return _export_gone(request)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        return _export_gone(request)
    audit_record(actor=request.user, action="download", object_type="core.export", object_id=str(job.pk),
                 object_repr=str(job), reason=f"下载{job.title}导出文件")
    return FileResponse(handle, as_attachment=True, filename=job.filename or f"{job.title}.xlsx", content_type=XLSX)


def _export_sample(township):
    """The every-URL walk's sample (core tests): a finished export of the township's leader, the user the walk
    signs in for login views. Made on demand: the demo has no exports."""
    from django.core.files.base import ContentFile

    from fazhi.accounts.models import User
    from fazhi.core.models import Export

    user = User.objects.filter(memberships__region=township, memberships__role=Role.LEADER).order_by("pk").first()
    if user is None:
        return None
    job = Export.objects.filter(user=user, status=Export.Status.DONE).first()
    if job is None:
        job = Export(user=user, title="示例台账", path="/", status=Export.Status.DONE, filename="示例台账.xlsx")
        job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
        job.save()
    return job


export_status.fazhi_sample = export_download.fazhi_sample = _export_sample
