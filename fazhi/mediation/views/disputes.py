"""Dispute ledger, intake, the record page and its documents. Thin: selector → form → service → render.
The workflow's step pages are core's (workflow.DISPUTE_FLOW); the record page links to them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.documents import docx_response
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger, selected_ids
from fazhi.core.params import int_param
from fazhi.core.scope import has_role, villages_for
from fazhi.mediation import deadlines, documents, forms, selectors
from fazhi.mediation.models import Dispute, Level
from fazhi.mediation.permissions import HANDLE_ROLES, PII_ROLES, READ_ROLES, may_handle
from fazhi.mediation.services.bulk import disputes_start_many
from fazhi.mediation.services.disputes import dispute_create

S = Dispute.Status


def _village_choices(request):
    return [(v.pk, v.name) for v in villages_for(request.user, READ_ROLES)]


def _type_choices(request):
    return [(t.pk, t.name) for t in selectors.active_types()]


def _year_choices(request):
    this = dt.date.today().year
    return [(y, f"{y}年") for y in range(this, this - 6, -1)]


def dispute_ledger(request) -> Ledger:
    rules: dict = {}

    def target(d):
        if not d.is_open:
            return d.closed_on and f"{d.closed_on:%Y-%m-%d}办结"
        if d.township_id not in rules:
            rules[d.township_id] = deadlines.rules_for(d.township)
        due = deadlines.mediation_target(d, rules[d.township_id])
        return f"{due.due:%Y-%m-%d}" + ("（已逾期）" if due.is_overdue() else "")

    def prepare(page):  # one settings query for the page's townships, not one per township
        rules.update(deadlines.rules_for_many({d.township for d in page if d.township_id not in rules}))

    def parties(d):
        return "、".join(f"{p.name}（{p.phone_masked}）" if p.phone else p.name for p in d.parties.all())

    handles = has_role(request.user, HANDLE_ROLES)
    actions = [("登记纠纷", reverse("mediation:create"))] if handles else []
    bulk = [("批量指定调解员", reverse("mediation:bulk_start"))] if handles else []
    return Ledger(
        title="矛盾纠纷排查调处台账",
        columns=[
            Column("编号", "number", sort="number", link=True),
            Column("受理日期", "received_on", sort="received_on"),
            Column("乡镇", "township.name"),
            Column("村", "village.name", sort="village__code"),
            Column("类型", "dispute_type.name"),
            Column("来源", "source"),
            Column("当事人", parties),
            Column("风险", "risk_level", sort="risk_level"),
            Column("层级", "level"),
            Column("状态", "status", sort="status"),
            Column("目标期限/办结", target),
        ],
        filters=[
            Filter("village", "村", "village_id", _village_choices),
            Filter("type", "类型", "dispute_type_id", _type_choices),
            Filter("source", "来源", "source", Dispute.Source.choices),
            Filter("status", "状态", "status", S.choices),
            Filter("year", "年度", "received_on__year", _year_choices),
            Filter("month", "月份", "received_on__month", [(m, f"{m}月") for m in range(1, 13)]),
        ],
        search_fields=["number", "summary"],
        default_sort="-received_on",
        row_url=lambda d: reverse("mediation:detail", args=[d.pk]),
        actions=actions,
        bulk_actions=bulk,
        export_name="矛盾纠纷台账",
        prepare=prepare,
    )


@role_view(read=READ_ROLES)
def ledger(request):
    qs = selectors.dispute_list_for(request.user).prefetch_related("parties")
    return dispute_ledger(request).respond(request, qs)


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES)
@require_http_methods(["GET", "POST"])
def bulk_start(request):
    """批量指定调解员 for the rows checked in the ledger: GET shows exactly which disputes it will start (the
    confirmation), POST runs 开始调解 on each, all or nothing. Ids outside the user's scope are left out."""
    data = request.POST if request.method == "POST" else request.GET
    ids = selected_ids(data)
    chosen = list(selectors.dispute_list_for(request.user, HANDLE_ROLES).filter(pk__in=ids).order_by("number", "pk"))
    if not chosen:
        messages.error(request, "请先在台账中勾选您可办理的纠纷。")
        return redirect("mediation:ledger")
    form = forms.BulkStartForm(request.POST or None, townships={d.township for d in chosen})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            done = disputes_start_many(actor=request.user, disputes=chosen, mediators=c["mediators"],
                                       started_on=c["started_on"], reason=c["reason"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            names = "、".join(m.name for m in c["mediators"])
            messages.success(request, f"已为{len(done)}件纠纷指定调解员{names}并开始调解："
                                      + "、".join(d.number or str(d.pk) for d in done) + "。")
            return redirect("mediation:ledger")
    return render(request, "mediation/bulk_start.html", {
        "form": form, "disputes": chosen, "left_out": len(ids) - len(chosen)})


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES)
@require_http_methods(["GET", "POST"])
def create(request):
    petition = None
    pid = request.GET.get("petition", "")
    if int_param(pid) is not None:  # 信访转人民调解: the petition becomes the dispute's source
        petition = selectors.petition_list_for(request.user, HANDLE_ROLES).filter(pk=pid).first()
    initial = {}
    if petition is not None:
        initial = {"source": Dispute.Source.PETITION, "summary": petition.content, "party1_name": petition.petitioner,
                   "party1_phone": petition.phone, "party1_id": petition.id_number, "village": petition.village_id}
    form = forms.DisputeIntakeForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            d = dispute_create(actor=request.user, township=c["village"].parent, village=c["village"],
                               dispute_type=c["dispute_type"], summary=c["summary"], received_on=c["received_on"],
                               source=c["source"], risk_level=c["risk_level"], parties=form.parties(),
                               petition=petition)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记纠纷{d.number}。")
            return redirect(reverse("mediation:detail", args=[d.pk]) + "?saved=create")
    return render(request, "mediation/create.html", {"form": form, "petition": petition})


@role_view(read=READ_ROLES, model=Dispute)
def detail(request, pk):
    d = get_visible_or_404(selectors.dispute_detail_qs(request.user), request.user, roles=READ_ROLES, pk=pk)
    rules = deadlines.rules_for(d.township)
    agreement = selectors.current_agreement(d)
    state = selectors.agreement_state(agreement) if agreement else None
    confirmation = None
    if agreement and state["effective_on"] and agreement.form == Dispute.AgreementForm.WRITTEN:
        confirmation = deadlines.confirmation_window(agreement, state["effective_on"], rules)
    can_handle = may_handle(request.user, d)
    labels = dict(S.choices)
    transitions = list(d.transitions.select_related("actor"))
    for t in transitions:
        t.from_label, t.to_label = labels.get(t.from_status, t.from_status), labels.get(t.to_status, t.to_status)
    return render(request, "mediation/detail.html", {
        "d": d, "parties": d.parties.all(), "sessions": d.sessions.select_related("recorded_by"),
        "agreement": agreement, "state": state, "confirmation": confirmation,
        "followups": d.followups.all(), "escalations": d.escalations.select_related("actor"),
        "transitions": transitions,
        "target": deadlines.mediation_target(d, rules) if d.is_open else None,
        "followup_due": deadlines.followup_due(d, rules) if d.status == S.RESOLVED and d.closed_on else None,
        "show_pii": has_role(request.user, PII_ROLES), "can_handle": can_handle,
        "saved": request.GET.get("saved"), "S": S, "today": dt.date.today(),
        "high_risk_at_village": d.is_open and d.risk_level == Dispute.Risk.HIGH and d.level == Level.VILLAGE,
    })


@role_view(read=HANDLE_ROLES, model=Dispute, url_kwargs=lambda d: {"pk": d.pk, "kind": "application"})
def document(request, pk, kind):
    d = get_visible_or_404(selectors.dispute_detail_qs(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    if kind not in documents.BUILDERS:
        raise Http404("没有这种文书。")
    title, build = documents.BUILDERS[kind]
    try:
        data = build(d)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("mediation:detail", pk=d.pk)
    return docx_response(data, f"{title}-{d.number}.docx")
