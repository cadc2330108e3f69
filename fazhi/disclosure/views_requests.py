"""Staff pages for requests (依申请公开): ledger, overdue ledger, entry, handling, reply document,
and the annual report."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.params import year_param
from fazhi.disclosure import selectors, services
from fazhi.disclosure.deadlines import correction_deadline, third_party_deadline
from fazhi.disclosure.docs import reply_docx, reply_summary
from fazhi.disclosure.forms import ActionForm, StaffRequestForm
from fazhi.disclosure.models import CHANNEL_RECEIPT_RULE, InfoRequest, ReplyType, RequestStatus
from fazhi.disclosure.request_services import ACTIONS, REQUEST_WORKFLOW
from fazhi.disclosure.selectors import READ_ROLES, WRITE_ROLES
from fazhi.disclosure.views import _can_write, pick_township

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

COLUMNS = [
    Column("查询码", "tracking_no", sort="tracking_no", link=True),
    Column("申请人", "applicant_name"),
    Column("乡镇", "township.name"),
    Column("渠道", "channel"),
    Column("收到日期", "received_on", sort="received_on"),
    Column("答复期限", "answer_due", sort="answer_due"),
    Column("状态", "status", sort="status"),
    Column("答复类型", "reply_type"),
    Column("答复日期", "reply_on", sort="reply_on"),
    Column("超期", lambda o: "超期" if selectors.request_is_late(o) else ""),
]
REQUESTS = Ledger(
    title="依申请公开台账",
    columns=COLUMNS,
    filters=[
        Filter("status", "状态", "status", RequestStatus.choices),
        Filter("reply_type", "答复类型", "reply_type", ReplyType.choices),
        Filter("year", "收到年度", "received_on__year",
               lambda r: [(y, f"{y}年") for y in range(timezone.localdate().year, 2018, -1)]),
    ],
    search_fields=["tracking_no", "applicant_name", "description"],
    default_sort="-received_on",
    row_url=lambda o: reverse("disclosure:request_detail", args=[o.pk]),
    actions=[("登记申请", reverse_lazy("disclosure:request_new"))],
)
OVERDUE = Ledger(
    title="依申请公开超期台账",
    columns=COLUMNS[:7],
    search_fields=["tracking_no", "applicant_name", "description"],
    default_sort="answer_due",
    row_url=lambda o: reverse("disclosure:request_detail", args=[o.pk]),
)


@role_view(read=READ_ROLES)
def requests(request):
    return REQUESTS.respond(request, selectors.request_list_for(request.user))


@role_view(read=READ_ROLES)
def overdue(request):
    return OVERDUE.respond(request, selectors.overdue_requests_for(request.user), template="disclosure/overdue.html")


@role_view(read=READ_ROLES, write=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def request_new(request):
    township, towns = pick_township(request)
    if township is None:
        raise Http404("您没有可以登记申请的乡镇。")
    form = StaffRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel, received_on = data.pop("channel"), data.pop("received_on")
        try:
            req = services.request_create(actor=request.user, township=township, channel=channel,
                                          received_on=received_on, data=data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记，查询码 {req.tracking_no}，请告知申请人。")
            return redirect("disclosure:request_detail", pk=req.pk)
    return render(request, "disclosure/request_form.html", {"form": form, "township": township, "towns": towns,
                                                            "rules": CHANNEL_RECEIPT_RULE.values()})


@role_view(read=READ_ROLES, model=InfoRequest)
def request_detail(request, pk):
    qs = selectors.request_list_for(request.user).prefetch_related("clock_stops")
    req = get_visible_or_404(qs, request.user, READ_ROLES, pk=pk)
    today = timezone.localdate()
    stops = list(req.clock_stops.all())
    open_stop = next((s for s in stops if s.ended_on is None), None)
    targets = REQUEST_WORKFLOW.targets(req.status)
    deadline = selectors.request_deadline(req, today=today) if req.status != RequestStatus.CORRECTION else None
    corr = correction_deadline(req) if req.status == RequestStatus.RECEIVED and not req.correction_requested_on \
        else None
    state = {"open_stop": open_stop, "today": today, "deadline": deadline, "correction": corr}
    available = [(name, label) for name, (to, label) in ACTIONS.items() if to in targets
                 and _action_fits(name, req, state)]
    return render(request, "disclosure/request_detail.html", {
        "req": req, "today": today, "stops": stops, "deadline": deadline,
        "correction_deadline": corr if corr and today <= corr.due else None,
        "third_party_deadline": third_party_deadline(open_stop) if open_stop else None,
        "available": available, "form": ActionForm(leaders=selectors.leaders_of(req.township)),
        "transitions": [(t, REQUEST_WORKFLOW.label(t.from_status) if t.from_status else "—",
                         REQUEST_WORKFLOW.label(t.to_status)) for t in req.transitions.select_related("actor")],
        "can_write": _can_write(request.user, req.township),
        "summary": reply_summary(req) if req.status == RequestStatus.ANSWERED else "",
        "receipt_rule": CHANNEL_RECEIPT_RULE.get(req.channel, ""),
    })


def _action_fits(name, req, state) -> bool:
    """Offer only the actions the statute still allows (the service checks again)."""
    today = state["today"]
    if name == "extend":
        d = state["deadline"]
        return req.status == RequestStatus.RECEIVED and not req.extension_days and d is not None and today <= d.due
    if name == "correction":
        corr = state["correction"]
        return corr is not None and today <= corr.due
    if name == "corrected":
        return req.status == RequestStatus.CORRECTION
    if name == "consult_end":
        return state["open_stop"] is not None
    if name == "confirm":
        return req.status == RequestStatus.SUBMITTED
    return True


@role_view(read=READ_ROLES, write=WRITE_ROLES, model=InfoRequest)
def request_act(request, pk):
    req = get_visible_or_404(selectors.request_list_for(request.user), request.user, READ_ROLES, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionForm(request.POST, leaders=selectors.leaders_of(req.township))
    if not form.is_valid():
        errors = "；".join(f"{form.fields[f].label if f in form.fields else ''}{'：' if f in form.fields else ''}{e}"
                          for f, es in form.errors.items() for e in es)
        messages.error(request, f"填写有误：{errors}")
        return redirect("disclosure:request_detail", pk=pk)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k not in ("action", "expected",
                                                                                         "reason")}
    try:
        services.request_transition(req, actor=request.user, action=form.cleaned_data["action"],
                                    reason=form.cleaned_data["reason"], data=data,
                                    expected_status=form.cleaned_data["expected"] or None)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已办理：{ACTIONS[form.cleaned_data['action']][1]}。")
    return redirect("disclosure:request_detail", pk=pk)


@role_view(read=READ_ROLES, model=InfoRequest)
def request_reply_docx(request, pk):
    req = get_visible_or_404(selectors.request_list_for(request.user), request.user, READ_ROLES, pk=pk)
    if req.status != RequestStatus.ANSWERED:
        messages.error(request, "尚未答复，不能生成答复书。")
        return redirect("disclosure:request_detail", pk=pk)
    response = HttpResponse(reply_docx(req), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"答复书-{req.tracking_no}.docx")
    return response


@role_view(read=READ_ROLES, model=InfoRequest)
def request_notice_docx(request, pk):
    from fazhi.disclosure.docs import NOTICE_KINDS, notice_docx

    req = get_visible_or_404(selectors.request_list_for(request.user), request.user, READ_ROLES, pk=pk)
    kind = request.GET.get("kind", "")
    if kind not in NOTICE_KINDS or (kind == "correction" and not req.correction_requested_on) or (
            kind == "extension" and not req.extension_days):
        messages.error(request, "该申请没有这份告知书。")
        return redirect("disclosure:request_detail", pk=pk)
    response = HttpResponse(notice_docx(req, kind), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(True, f"{NOTICE_KINDS[kind]}-{req.tracking_no}.docx")
    return response


# --- annual report (条例第五十条) ----------------------------------------------------------------------

@role_view(read=READ_ROLES, write=WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def annual(request):
    from fazhi.disclosure import annual as report

    township, towns = pick_township(request, READ_ROLES)
    if township is None:
        raise Http404("没有可查看的乡镇。")
    year_raw = request.GET.get("year", "")
    year = year_param(year_raw, timezone.localdate().year - 1, lo=2008)
    extra_form = None
    if request.method == "POST" and request.POST.get("publish") and _can_write(request.user, township):
        try:
            item = services.annual_report_publish(actor=request.user, township=township, year=year)
        except DomainError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, "年度报告已在公众门户发布。")
            return redirect("disclosure:item_detail", pk=item.pk)
        return redirect(reverse("disclosure:annual") + f"?township={township.code}&year={year}")
    if _can_write(request.user, township):
        extra_form = _annual_extra_form(request, township, year)
        if extra_form is None:
            return redirect(reverse("disclosure:annual") + f"?township={township.code}&year={year}")
    tables = report.report_tables(township, year)
    fmt = request.GET.get("export")
    name = f"{township.name}{year}年政府信息公开工作年度报告"
    if fmt in ("xlsx", "docx"):
        body = report.report_xlsx(tables) if fmt == "xlsx" else report.report_docx(tables)
        ctype = DOCX if fmt == "docx" else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=ctype)
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
        return response
    return render(request, "disclosure/annual.html", {
        "tables": tables, "township": township, "towns": towns, "year": year, "title": name,
        "years": list(range(dt.date.today().year, 2018, -1)), "extra_form": extra_form,
    })


def _annual_extra_form(request, township, year):
    """The supplementary-figures form; None once a POST has been saved (the caller redirects)."""
    from fazhi.disclosure.forms import AnnualExtraForm
    from fazhi.disclosure.models import AnnualReportExtra

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
            services.annual_extra_save(actor=request.user, township=township, year=year, figures=figures,
                                       problems=form.cleaned_data["problems"], other=form.cleaned_data["other"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "补充数据已保存。")
            return None
    return form
