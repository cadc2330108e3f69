"""The Art. 50 annual report page (条例第五十条): the tables, the figures staff add, exports, publishing."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from fazhi.core.access import role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.params import year_param
from fazhi.disclosure import annual as report
from fazhi.disclosure.documents import report_docx
from fazhi.disclosure.forms import AnnualExtraForm
from fazhi.disclosure.models import AnnualReportExtra
from fazhi.disclosure.permissions import READ_ROLES, WRITE_ROLES, may_write
from fazhi.disclosure.services.annual import annual_extra_save, annual_report_publish
from fazhi.disclosure.views import pick_township

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

@role_view(read=READ_ROLES, write=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def annual(request):
    township, towns = pick_township(request, READ_ROLES)
    if township is None:
        raise Http404("没有可查看的乡镇。")
    year_raw = request.GET.get("year", "")
    year = year_param(year_raw, timezone.localdate().year - 1, lo=2008)
    extra_form = None
    if request.method == "POST" and request.POST.get("publish") and may_write(request.user, township):
        try:
            item = annual_report_publish(actor=request.user, township=township, year=year)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "年度报告已在公众门户发布。")
            return redirect("disclosure:item_detail", pk=item.pk)
        return redirect(reverse("disclosure:annual") + f"?township={township.code}&year={year}")
    if may_write(request.user, township):
        extra_form = _annual_extra_form(request, township, year)
        if extra_form is None:
            return redirect(reverse("disclosure:annual") + f"?township={township.code}&year={year}")
    tables = report.report_tables(township, year)
    fmt = request.GET.get("export")
    name = tables["title"]
    if fmt == "docx":
        return docx_response(report_docx(tables), f"{name}.docx")
    if fmt == "xlsx":
        response = HttpResponse(report.report_xlsx(tables), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
        return response
    return render(request, "disclosure/annual.html", {
        "tables": tables, "township": township, "towns": towns, "year": year, "title": name,
        "years": list(range(dt.date.today().year, 2018, -1)), "extra_form": extra_form,
    })


def _annual_extra_form(request, township, year):
    """The supplementary-figures form; None once a POST has been saved (the caller redirects)."""
    extra = AnnualReportExtra.objects.filter(township=township, year=year).first()
    initial = {}
    if extra:
        for key in ("reconsideration", "litigation_direct", "litigation_after"):
            for sub, v in (getattr(extra, key) or {}).items():
                initial[f"{key}__{sub}"] = v
        initial.update(problems=extra.problems, other=extra.other)
    form = AnnualExtraForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        figures: dict = {}
        for name, value in form.cleaned_data.items():
            if "__" in name:
                key, sub = name.split("__")
                figures.setdefault(key, {})[sub] = value
        try:
            annual_extra_save(actor=request.user, township=township, year=year, figures=figures,
                              problems=form.cleaned_data["problems"], other=form.cleaned_data["other"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "补充数据已保存。")
            return None
    return form
