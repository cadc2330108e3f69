"""Annual report pages: preview, in-browser paragraph editing, history, export (.docx, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from fazhi.core import documents as document_kit
from fazhi.core.access import role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.params import int_param
from fazhi.core.scope import default_township, townships_for
from fazhi.reports import documents, selectors
from fazhi.reports import figures as F
from fazhi.reports.models import ReportDraft
from fazhi.reports.permissions import EDIT_ROLES, READ_ROLES, may_edit
from fazhi.reports.services import draft_paragraph_save, draft_sign_date_set


def parse_year(value) -> int:
    """The year of a URL or ?year= (404 when it is not one)."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404("年度不正确。") from None
    if not 2000 <= year <= 2100:
        raise Http404("年度不正确。")
    return year


def _report_kwargs(draft):
    return {"code": draft.township.code, "year": draft.year}


def _sample(township):
    """The URL-walk test's sample: a (possibly unsaved) draft of the demo year."""
    return ReportDraft.objects.filter(township=township).first() or ReportDraft(township=township, year=2024)


@role_view(read=READ_ROLES)
def annual_index(request):
    """Pick a township and year; a township member goes straight to their own report."""
    year = request.GET.get("year") or selectors.default_year()
    code = request.GET.get("township")
    if code:
        return redirect("reports:annual", code=code, year=parse_year(year))
    towns = list(townships_for(request.user, READ_ROLES)[:200])
    own = default_township(request.user, READ_ROLES)
    if own is not None:
        return redirect("reports:annual", code=own.code, year=parse_year(year))
    counties = selectors.counties_for(request.user)
    return render(request, "reports/annual_index.html", {
        "townships": towns, "year": parse_year(year), "counties": counties,
        "years": selectors.report_years()})


# Companion annual returns exported by their own modules (when those modules expose them):
# label, URL name, query (township code and year filled in).
COMPANIONS = [
    ("政府信息公开工作年度报告（Word）", "disclosure:annual", "township={code}&year={year}&export=docx"),
    ("政府信息公开工作年度报告（Excel）", "disclosure:annual", "township={code}&year={year}&export=xlsx"),
    ("行政执法统计年报（次年1月31日前报送）", "enforcement:stats_export", "township={code}&year={year}"),
    ("行政执法统计年报（次年1月31日前报送）", "enforcement:stats", "township={code}&year={year}"),
]


def companion_exports(township, year) -> list[tuple[str, str]]:
    out, seen = [], set()
    for label, name, query in COMPANIONS:
        if label in seen:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        seen.add(label)
        out.append((label, f"{url}?{query.format(code=township.code, year=year)}"))
    return out


def _page_context(request, township, year):
    draft = selectors.draft_get(township, year)
    report = selectors.township_report(township, year, draft=draft)
    changes = selectors.figure_changes(draft, report)
    changed_by_par: dict[str, set] = {}
    for c in changes:
        changed_by_par.setdefault(c.paragraph, set()).add(c.key)
    versions = selectors.paragraph_versions(draft)
    blocks = [{"b": b, "segments": F.segments(b.template, report.figures, changed_by_par.get(b.key, set())),
               "changed": b.key in changed_by_par, "version": versions.get(b.key, 0)} for b in report.blocks]
    return {"township": township, "year": year, "report": report, "draft": draft, "blocks": blocks,
            "changes": changes, "can_edit": may_edit(request.user, township),
            "pdf_available": document_kit.libreoffice() is not None,
            "companions": companion_exports(township, year),
            "years": selectors.report_years()}


@role_view(read=READ_ROLES, model=ReportDraft, url_kwargs=_report_kwargs)
def annual(request, code, year):
    township = selectors.township_visible(request.user, code)
    return render(request, "reports/annual.html", _page_context(request, township, parse_year(year)))


annual.fazhi_sample = _sample


def _par_kwargs(draft):
    return {**_report_kwargs(draft), "key": "opening"}


@role_view(read=READ_ROLES, write=EDIT_ROLES, model=ReportDraft, url_kwargs=_par_kwargs)
@require_http_methods(["GET", "POST"])
def paragraph(request, code, year, key):
    """GET: the paragraph (or its edit form with ?edit=1); POST: save it (HTMX swaps the fragment)."""
    township = selectors.township_visible(request.user, code)
    year = parse_year(year)
    error = None
    editing = request.GET.get("edit") == "1"
    text = None
    if request.method == "POST" or editing:
        if not may_edit(request.user, township):
            raise Http404("未找到该段落，或您无权编辑。")
    if request.method == "POST":
        text = request.POST.get("text", "")
        if request.POST.get("restore"):
            text = ""
        version = request.POST.get("version")
        try:
            draft_paragraph_save(actor=request.user, township=township, year=year, key=key, text=text,
                                 expected_version=int_param(version))
        except DomainError as e:
            error, editing = e.message, True
        else:
            text = None
            if not request.htmx:
                messages.success(request, "段落已保存，数据将在导出时重新计算。")
                return redirect(reverse("reports:annual", kwargs={"code": code, "year": year}) + f"#p-{key}")
    ctx = _page_context(request, township, year)
    item = next((x for x in ctx["blocks"] if x["b"].key == key), None)
    if item is None:
        raise Http404("该段落不存在。")
    used = F.used_keys(item["b"].default) + F.used_keys(item["b"].template)
    palette = [ctx["report"].figures[k] for k in dict.fromkeys(used) if k in ctx["report"].figures]
    others = [f for k, f in ctx["report"].figures.items() if k not in set(used)]
    ctx.update({"item": item, "editing": editing, "error": error, "palette": palette, "others": others,
                "text": text if text is not None else item["b"].template})
    template = "reports/_paragraph.html" if request.htmx else "reports/paragraph.html"
    return render(request, template, ctx)


paragraph.fazhi_sample = _sample


@role_view(read=READ_ROLES, write=EDIT_ROLES, model=ReportDraft, url_kwargs=_report_kwargs)
@require_http_methods(["POST"])
def sign_date(request, code, year):
    """Set the report's 落款日期 (empty: the year's end)."""
    import datetime as dt

    township = selectors.township_visible(request.user, code)
    year = parse_year(year)
    raw = (request.POST.get("signed_on") or "").strip()
    back = redirect(reverse("reports:annual", kwargs={"code": code, "year": year}) + "#sign")
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        messages.error(request, "请填写正确的日期（如2025-01-20）。")
        return back
    try:
        draft_sign_date_set(actor=request.user, township=township, year=year, signed_on=day)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "落款日期已保存。")
    return back


sign_date.fazhi_sample = _sample


@role_view(read=READ_ROLES, model=ReportDraft, url_kwargs=_report_kwargs)
def history(request, code, year):
    township = selectors.township_visible(request.user, code)
    year = parse_year(year)
    draft = selectors.draft_get(township, year)
    return render(request, "reports/history.html", {
        "township": township, "year": year, "draft": draft, "revisions": selectors.revisions(draft)})


history.fazhi_sample = _sample




@role_view(read=READ_ROLES, model=ReportDraft, url_kwargs=_report_kwargs)
def export_docx(request, code, year):
    township = selectors.township_visible(request.user, code)
    report = selectors.township_report(township, parse_year(year))
    return docx_response(documents.render_docx(report), f"{report.title}.docx")


export_docx.fazhi_sample = _sample


@role_view(read=READ_ROLES, model=ReportDraft, url_kwargs=_report_kwargs)
def export_pdf(request, code, year):
    township = selectors.township_visible(request.user, code)
    year = parse_year(year)
    if document_kit.libreoffice() is None:
        messages.error(request, "服务器未安装 LibreOffice，暂不能导出 PDF，请导出 Word 文档。")
        return redirect("reports:annual", code=code, year=year)
    report = selectors.township_report(township, year)
    response = HttpResponse(document_kit.render_pdf(documents.render_docx(report)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{report.title}.pdf")
    return response


export_pdf.fazhi_sample = _sample
