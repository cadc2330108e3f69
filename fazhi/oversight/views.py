"""Pages of the county's oversight: 评查 rounds and files, standards, notices, 考评, and the township's
view of its own results. Thin: selector → form → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.params import year_param
from fazhi.enforcement.models import Case, CaseStatus
from fazhi.oversight import casefile, forms, permissions, selectors, services
from fazhi.oversight.models import (
    FileStatus,
    Indicator,
    Notice,
    NoticeSource,
    ReviewFile,
    ReviewRound,
    RoundStatus,
    Scheme,
    Standard,
)
from fazhi.oversight.workflow import NOTICE_FLOW


def _today():
    return timezone.localdate()


def _county_sample(model):
    def sample(township):
        county = permissions.county_of(township)
        return model.objects.filter(county=county).order_by("pk").first() if county else None
    return sample


def _standard_sample(township):
    county = permissions.county_of(township)
    return Standard.objects.filter(region=county).order_by("pk").first() if county else None


def _refused(request, e: DomainError):
    messages.error(request, e.message)


# ---- rounds ------------------------------------------------------------------------------------------


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE)
def rounds(request):
    counties = list(permissions.counties_for(request.user, permissions.WRITE))
    form = None
    if counties:
        form = forms.RoundForm(request.POST or None, standards=selectors.standards_for(request.user),
                               initial={"year": _today().year - 1,
                                        "title": f"{counties[0].name}{_today().year - 1}年度行政处罚案卷评查"})
        if request.method == "POST" and form.is_valid():
            try:
                rnd = services.round_create(actor=request.user, county=counties[0], **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已创建评查，请进行随机抽取。")
                return redirect("oversight:round_detail", rnd.pk)
    return render(request, "oversight/rounds.html", {"rounds": selectors.rounds_for(request.user), "form": form})


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE, model=ReviewRound)
def round_detail(request, pk):
    rnd = selectors.round_visible_or_404(request.user, pk)
    files = list(rnd.files.select_related("case", "township").prefetch_related("sheets__reviewer"))
    redo_ok = rnd.status != RoundStatus.DRAFT and [d["id"] for d in services.redo_draw(rnd)] == [
        d["id"] for d in rnd.drawn]
    return render(request, "oversight/round_detail.html", {
        "round": rnd, "files": files, "results": selectors.round_results(rnd), "redo_ok": redo_ok,
        "can_write": permissions.may_oversee(request.user, rnd.county), "draw_form": forms.DrawForm(),
        "history": rnd.transitions.select_related("actor")})


round_detail.fazhi_sample = _county_sample(ReviewRound)




# ---- files -------------------------------------------------------------------------------------------


@role_view(read=permissions.ANY_READ, write=permissions.WRITE, model=ReviewFile)
def file_detail(request, pk):
    f = selectors.file_visible_or_404(request.user, pk)
    county_reader = selectors.is_county_reader(request.user, f.round.county)
    if not county_reader and f.round.status != RoundStatus.FINISHED:
        raise Http404("评查结果尚未公布。")  # a township sees its results once the round is finished
    can_score = (permissions.may_oversee(request.user, f.round.county) and f.round.status == RoundStatus.DRAWN
                 and f.status == FileStatus.PENDING and not f.sheets.filter(reviewer=request.user).exists())
    items = list(f.round.standard.items.all())
    if request.method == "POST" and can_score:
        scores = {i.pk: {"deducted": request.POST.get(f"d-{i.pk}") or "0", "failed": bool(request.POST.get(f"v-{i.pk}")),
                         "comment": request.POST.get(f"c-{i.pk}", "")} for i in items}
        try:
            services.sheet_submit(actor=request.user, file=f, scores=scores, opinion=request.POST.get("opinion", ""))
        except DomainError as e:
            _refused(request, e)
        else:
            messages.success(request, "评查表已提交。")
            return redirect("oversight:file_detail", pk)
    case = f.case
    records = list(case.records.all())
    return render(request, "oversight/file_detail.html", {
        "f": f, "case": case, "items": items, "can_score": can_score, "county_reader": county_reader,
        "sheets": f.sheets.select_related("reviewer").prefetch_related("scores__item"),
        "problems": selectors.file_problems(f), "resolve_form": forms.ResolveForm(),
        "can_write": permissions.may_oversee(request.user, f.round.county),
        "records": records, "transitions": case.transitions.select_related("actor"),
        "evidence": selectors.file_evidence(f, records) if county_reader else [],
        "coercion": f.coercion,
        "coercion_history": f.coercion.transitions.select_related("actor") if f.coercion_id else [],
        "notices": f.notices.all(), "today": _today(),
        "file_history": f.transitions.select_related("actor")})


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE, model=ReviewFile)
@require_POST
def file_resolve(request, pk):
    f = selectors.file_visible_or_404(request.user, pk)
    form = forms.ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("请填写0至100之间的合议得分和合议意见。")
        services.file_resolve(actor=request.user, file=f, **form.cleaned_data)
        messages.success(request, "已记录合议结果。")
    except DomainError as e:
        _refused(request, e)
    return redirect("oversight:file_detail", pk)


@role_view(read=permissions.ANY_READ, model=ReviewFile)
def file_casefile(request, pk):
    f = selectors.file_visible_or_404(request.user, pk)
    return _casefile_response(request, f.case, "review")


@role_view(read=permissions.ANY_READ, model=ReviewFile)
def file_sheet(request, pk):
    """The file's 评查表 (一卷一表) as a .docx; a township sees it once the round is finished."""
    f = selectors.file_visible_or_404(request.user, pk)
    if not selectors.is_county_reader(request.user, f.round.county) and f.round.status != RoundStatus.FINISHED:
        raise Http404("评查结果尚未公布。")
    return docx_response(casefile.score_sheet(f), f"案卷评查表-{f.label}.docx")


@role_view(read=permissions.TOWNSHIP_READ, model=Case)
def case_casefile(request, pk):
    """A township exports its own case file for 复议 or 诉讼 (or 评查 preparation)."""
    case = get_visible_or_404(Case, request.user, roles=permissions.TOWNSHIP_READ, pk=pk)
    return _casefile_response(request, case, request.GET.get("purpose", "review"))


def _case_sample(township):
    return Case.objects.filter(township=township, status=CaseStatus.CLOSED).order_by("pk").first()


case_casefile.fazhi_sample = _case_sample


def _casefile_response(request, case, purpose):
    try:
        name, fh = casefile.export_casefile(actor=request.user, case=case, purpose_key=purpose)
    except DomainError as e:
        _refused(request, e)
        return redirect(request.META.get("HTTP_REFERER") or "oversight:notices")
    return FileResponse(fh, as_attachment=True, filename=name, content_type="application/zip")


# ---- standards ---------------------------------------------------------------------------------------


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE)
def standards(request):
    counties = list(permissions.counties_for(request.user, permissions.WRITE))
    if request.method == "POST" and counties:
        try:
            std = services.standard_create_default(actor=request.user, region=counties[0])
        except DomainError as e:
            _refused(request, e)
        else:
            messages.success(request, "已按常用省级标准的结构新建评查标准，可逐项修改。")
            return redirect("oversight:standard_detail", std.pk)
    return render(request, "oversight/standards.html", {
        "standards": selectors.standards_for(request.user).prefetch_related("items"), "can_write": bool(counties)})


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE, model=Standard)
def standard_detail(request, pk):
    std = selectors.standard_visible_or_404(request.user, pk)
    can_write = not std.frozen and permissions.counties_for(request.user, permissions.WRITE).filter(
        path__startswith=std.region.path).exists()
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("copy"):
            try:
                new = services.standard_copy(actor=request.user, standard=std, name=f"{std.name}（修订）")
            except DomainError as e:
                _refused(request, e)
            else:
                return redirect("oversight:standard_detail", new.pk)
        elif form.is_valid():
            item = std.items.filter(pk=request.POST.get("item") or 0).first()
            try:
                services.standard_item_save(actor=request.user, standard=std, item=item, **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存评查项目。")
                return redirect("oversight:standard_detail", pk)
    return render(request, "oversight/standard_detail.html", {
        "std": std, "items": std.items.all(), "form": form, "can_write": can_write, "total": std.total_points()})


standard_detail.fazhi_sample = _standard_sample


# ---- notices -----------------------------------------------------------------------------------------


@role_view(read=permissions.ANY_READ, write=permissions.WRITE)
def notices(request):
    counties = list(permissions.counties_for(request.user, permissions.WRITE))
    form = None
    if counties:
        review_file = ReviewFile.objects.filter(round__county__in=counties, pk=request.GET.get("file") or 0).first()
        initial = {}
        if review_file:
            initial = {"township": review_file.township_id, "kind": "rectify", "source": NoticeSource.REVIEW,
                       "title": f"关于{review_file.label}案卷评查问题的整改通知",
                       "subject_label": review_file.label}
        form = forms.NoticeForm(request.POST or None, counties=counties, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                n = services.notice_issue(actor=request.user, review_file=review_file, today=_today(),
                                          **form.cleaned_data)
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, f"已发出{n.number}，乡镇将在待办中看到。")
                return redirect("oversight:notice_detail", n.pk)
    today = _today()
    qs, shown = selectors.notices_for(request.user), []
    code, year = request.GET.get("township", "").strip(), request.GET.get("year", "").strip()
    if code:  # the rows a 考评 score counts (督办整改按期答复率): one township, one year
        qs = qs.filter(township__code=code)
        shown.append(next((n.township.name for n in qs[:1]), code))
    if y := year_param(year, 0):  # ASCII digits in range only ('²'.isdigit() is True too)
        qs = qs.filter(issued_on__year=y)
        shown.append(f"{y}年发出")
    rows = [{"n": n, "deadline": selectors.notice_deadline(n), "overdue": selectors.notice_overdue(n, today)}
            for n in qs[:500]]
    return render(request, "oversight/notices.html", {"rows": rows, "form": form, "filtered": "，".join(shown)})


@role_view(read=permissions.ANY_READ, write=permissions.WRITE | permissions.TOWNSHIP_ANSWER, model=Notice)
def notice_detail(request, pk):
    n = selectors.notice_visible_or_404(request.user, pk)
    return render(request, "oversight/notice_detail.html", {
        "n": n, "deadline": selectors.notice_deadline(n), "overdue": selectors.notice_overdue(n, _today()),
        "step_forms": NOTICE_FLOW.forms_for(n, request.user),
        "history": n.transitions.select_related("actor")})


@role_view(read=permissions.ANY_READ, model=Notice)
def notice_proof(request, pk):
    n = selectors.notice_visible_or_404(request.user, pk)
    if not n.proof:
        raise Http404("没有佐证材料。")
    return FileResponse(n.proof.open("rb"), as_attachment=True, filename=n.proof.name.rsplit("/", 1)[-1])


notice_proof.fazhi_sample = lambda township: Notice.objects.filter(township=township).exclude(proof="").first()


# ---- 考评 ---------------------------------------------------------------------------------------------


@role_view(read=permissions.COUNTY_READ, write=permissions.WRITE)
def assessment(request):
    year = forms.year_param(request, _today().year - 1)
    counties = list(permissions.counties_for(request.user))
    county = counties[0] if counties else None
    writable = county is not None and permissions.may_oversee(request.user, county)
    indicator_form = forms.IndicatorForm(request.POST or None) if writable else None
    manual_form = forms.ManualScoreForm(request.POST or None, county=county) if writable else None
    if request.method == "POST" and writable:
        action = request.POST.get("action")
        try:
            if action == "create":
                services.scheme_create_default(actor=request.user, county=county, year=year)
                messages.success(request, "已按常用指标新建考评方案，可调整指标和权重。")
            elif action == "indicator" and indicator_form.is_valid():
                scheme = county and Scheme.objects.get(county=county, year=year)
                ind = Indicator.objects.filter(scheme=scheme, pk=request.POST.get("indicator") or 0).first()
                services.indicator_save(actor=request.user, scheme=scheme, indicator=ind, **indicator_form.cleaned_data)
                messages.success(request, "已保存指标。")
            elif action == "manual" and manual_form.is_valid():
                ind = Indicator.objects.filter(scheme__county=county, scheme__year=year,
                                               pk=request.POST.get("indicator") or 0).first()
                if ind is None:
                    raise DomainError("请选择要评分的指标。")
                services.manual_score_set(actor=request.user, indicator=ind, **manual_form.cleaned_data)
                messages.success(request, "已保存人工评分。")
            else:
                raise DomainError("请检查填写的内容。")
        except (DomainError, Scheme.DoesNotExist) as e:
            messages.error(request, getattr(e, "message", "该年度还没有考评方案。"))
        return redirect(f"{request.path}?year={year}")
    data = selectors.assessment(county, year) if county else None
    return render(request, "oversight/assessment.html", {
        "year": year, "county": county, "data": data, "writable": writable, "indicator_form": indicator_form,
        "manual_form": manual_form})


# ---- the township's own view -------------------------------------------------------------------------


@role_view(read=permissions.TOWNSHIP_READ)
def my_results(request):
    files = (selectors.files_for(request.user).filter(round__status=RoundStatus.FINISHED)
             .exclude(round__county__in=permissions.counties_for(request.user)))
    notices = selectors.notices_for(request.user).exclude(county__in=permissions.counties_for(request.user))
    today = _today()
    return render(request, "oversight/my_results.html", {
        "files": [(f, selectors.file_problems(f)) for f in files],
        "rows": [{"n": n, "deadline": selectors.notice_deadline(n), "overdue": selectors.notice_overdue(n, today)}
                 for n in notices]})
