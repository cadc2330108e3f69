"""Staff pages for requests (依申请公开): ledger, overdue ledger, entry at the office, the record page
(with the handling steps the statute still allows), the reply letter and the notices."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.disclosure import selectors
from fazhi.disclosure.deadlines import correction_deadline, third_party_deadline
from fazhi.disclosure.documents import NOTICE_KINDS, notice_docx, reply_docx, reply_summary
from fazhi.disclosure.forms import StaffRequestForm
from fazhi.disclosure.models import CHANNEL_RECEIPT_RULE, InfoRequest, ReplyType, RequestStatus
from fazhi.disclosure.permissions import READ_ROLES, WRITE_ROLES, may_write
from fazhi.disclosure.services.requests import request_create
from fazhi.disclosure.views import pick_township
from fazhi.disclosure.workflow.requests import REQUEST_WORKFLOW, request_step_forms

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
            req = request_create(actor=request.user, township=township, channel=channel,
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
    deadline = selectors.request_deadline(req, today=today) if req.status != RequestStatus.CORRECTION else None
    corr = correction_deadline(req) if req.status == RequestStatus.RECEIVED and not req.correction_requested_on \
        else None
    return render(request, "disclosure/request_detail.html", {
        "req": req, "today": today, "stops": stops, "deadline": deadline,
        "correction_deadline": corr if corr and today <= corr.due else None,
        "third_party_deadline": third_party_deadline(open_stop) if open_stop else None,
        "step_forms": request_step_forms(req, request.user, today),
        "transitions": [(t, REQUEST_WORKFLOW.label(t.from_status) if t.from_status else "—",
                         REQUEST_WORKFLOW.label(t.to_status)) for t in req.transitions.select_related("actor")],
        "can_write": may_write(request.user, req.township),
        "summary": reply_summary(req) if req.status == RequestStatus.ANSWERED else "",
        "receipt_rule": CHANNEL_RECEIPT_RULE.get(req.channel, ""),
    })


@role_view(read=READ_ROLES, model=InfoRequest)
def request_reply_docx(request, pk):
    req = get_visible_or_404(selectors.request_list_for(request.user), request.user, READ_ROLES, pk=pk)
    if req.status != RequestStatus.ANSWERED:
        messages.error(request, "尚未答复，不能生成答复书。")
        return redirect("disclosure:request_detail", pk=pk)
    return docx_response(reply_docx(req), f"答复书-{req.tracking_no}.docx")


@role_view(read=READ_ROLES, model=InfoRequest)
def request_notice_docx(request, pk):
    req = get_visible_or_404(selectors.request_list_for(request.user), request.user, READ_ROLES, pk=pk)
    kind = request.GET.get("kind", "")
    if kind not in NOTICE_KINDS or (kind == "correction" and not req.correction_requested_on) or (
            kind == "extension" and not req.extension_days):
        messages.error(request, "该申请没有这份告知书。")
        return redirect("disclosure:request_detail", pk=pk)
    return docx_response(notice_docx(req, kind), f"{NOTICE_KINDS[kind]}-{req.tracking_no}.docx")
