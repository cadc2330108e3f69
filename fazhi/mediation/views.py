"""Dispute ledger, intake, detail and the workflow actions. Thin: selector → form → service → render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.params import int_param
from fazhi.core.scope import has_role, villages_for
from fazhi.mediation import deadlines, forms, selectors, services
from fazhi.mediation.models import Dispute, Level, Signature
from fazhi.mediation.roles import HANDLE_ROLES, PII_ROLES, READ_ROLES

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

    def parties(d):
        return "、".join(f"{p.name}（{p.phone_masked}）" if p.phone else p.name for p in d.parties.all())

    actions = [("登记纠纷", reverse("mediation:create"))] if has_role(request.user, HANDLE_ROLES) else []
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
        export_name="矛盾纠纷台账",
    )


@role_view(read=READ_ROLES)
def ledger(request):
    qs = selectors.dispute_list_for(request.user).prefetch_related("parties")
    return dispute_ledger(request).respond(request, qs)


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
            d = services.dispute_create(actor=request.user, township=c["village"].parent, village=c["village"],
                                        dispute_type=c["dispute_type"], summary=c["summary"],
                                        received_on=c["received_on"], source=c["source"],
                                        risk_level=c["risk_level"], parties=form.parties(), petition=petition)
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
    agreement = services.current_agreement(d)
    state = services.agreement_state(agreement) if agreement else None
    confirmation = None
    if agreement and state["effective_on"] and agreement.form == Dispute.AgreementForm.WRITTEN:
        confirmation = deadlines.confirmation_window(agreement, state["effective_on"], rules)
    can_handle = services_can_handle(request.user, d)
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


def services_can_handle(user, d) -> bool:
    try:
        services.require_handler(user, d.township, d.village)
    except DomainError:
        return False
    return True


# --- workflow actions: one small page each (a phone shows one thing at a time) ---------------------------

def _signature_steps(d):
    agreement = services.current_agreement(d)
    if agreement is None:
        return agreement, []
    state = services.agreement_state(agreement)
    signed_parties = {s.party_id for s in state["signatures"] if s.party_id}
    steps = [(f"party:{p.pk}", f"当事人{p.name}签名（盖章或按指印）") for p in state["parties"]
             if p.pk not in signed_parties]
    kinds = {s.kind for s in state["signatures"]}
    if Signature.Kind.MEDIATOR not in kinds:
        steps += [(f"mediator:{m.pk}", f"调解员{m.name}签名") for m in d.mediators.all()]
    if Signature.Kind.SEAL not in kinds:
        steps.append(("seal", "人民调解委员会盖章"))
    return agreement, steps


def _run(action, request, d, c):
    u = request.user
    seen = request.POST.get("expected_status") or None  # the status the user saw when the page was drawn
    if action == "start":
        return services.dispute_transition(actor=u, dispute=d, to=S.MEDIATING, mediators=list(c["mediators"]),
                                           started_on=c["started_on"], reason=c["reason"] or "开始调解",
                                           expected_status=seen or S.RECEIVED)
    if action == "session":
        return services.session_add(actor=u, dispute=d, **c)
    if action == "agreement":
        return services.agreement_save(actor=u, dispute=d, **c)
    if action == "sign":
        agreement = services.current_agreement(d)
        if agreement is None:
            raise DomainError("请先登记调解协议。")
        kind, _, ident = c["step"].partition(":")
        party = d.parties.filter(pk=ident).first() if kind == "party" else None
        mediator = d.mediators.filter(pk=ident).first() if kind == "mediator" else None
        return services.agreement_sign(actor=u, agreement=agreement, kind=kind, party=party, mediator=mediator,
                                       method=c["method"], signed_on=c["signed_on"])
    if action == "close":
        return services.dispute_transition(actor=u, dispute=d, to=c["outcome"], closed_on=c["closed_on"],
                                           agreement_form=c["agreement_form"], reason=c["reason"],
                                           refused_by=c["refused_by"], routes_told=c["routes_told"],
                                           referral=c["referral"], expected_status=seen or d.status)
    if action == "reopen":
        return services.dispute_transition(actor=u, dispute=d, to=S.MEDIATING, reason=c["reason"],
                                           expected_status=seen or S.RESOLVED)
    if action == "escalate":
        return services.dispute_escalate(actor=u, dispute=d, **c)
    if action == "followup":
        return services.followup_add(actor=u, dispute=d, **c)
    if action == "party":
        return services.party_add(actor=u, dispute=d, **c)
    if action == "confirmation":
        agreement = services.current_agreement(d)
        if agreement is None:
            raise DomainError("没有生效的调解协议。")
        return services.confirmation_record(actor=u, agreement=agreement, applied_on=c["applied_on"])
    raise DomainError("未知操作。")


ACTIONS = {
    "start": ("开始调解", forms.StartForm),
    "session": ("记录调解情况（调解笔录）", forms.SessionForm),
    "agreement": ("登记调解协议", forms.AgreementEditForm),
    "sign": ("登记协议签署", forms.SignForm),
    "close": ("办结", forms.CloseForm),
    "reopen": ("协议未履行，重新调解", forms.ReopenForm),
    "escalate": ("上报", forms.EscalateForm),
    "followup": ("回访", forms.FollowUpForm),
    "party": ("增加当事人", forms.PartyForm),
    "confirmation": ("登记申请司法确认", forms.ConfirmationForm),
}


def _initial(action, d):
    if action == "escalate":
        return {"risk_level": d.risk_level, "to_level": Level.COUNTY if d.level == Level.TOWNSHIP else Level.TOWNSHIP}
    if action == "close" and d.agreements.filter(superseded=False).exists():
        return {"outcome": S.RESOLVED, "agreement_form": services.current_agreement(d).form}
    if action == "agreement":
        a = services.current_agreement(d)
        if a:
            return {k: getattr(a, k) for k in ("form", "facts", "terms", "performance_method", "performance_due",
                                                "agreed_on", "copies")}
        return {"facts": d.summary}
    if action == "session":
        return {"participants": "、".join([p.name for p in d.parties.all()] + [m.name for m in d.mediators.all()])}
    if action == "followup":
        return {"visitor": ""}
    return {}


@role_view(read=HANDLE_ROLES, write=HANDLE_ROLES, model=Dispute)
@require_http_methods(["GET", "POST"])
def action(request, pk, action):
    d = get_visible_or_404(selectors.dispute_detail_qs(request.user), request.user, roles=HANDLE_ROLES, pk=pk)
    title, form_class = ACTIONS[action]
    kwargs = {}
    if action == "start":
        kwargs["dispute"] = d
    if action == "sign":
        _agreement, steps = _signature_steps(d)
        kwargs["steps"] = steps
    form = form_class(request.POST or None, initial=_initial(action, d), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            _run(action, request, d, form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"{title}：已保存。")
            if action == "sign" and len(kwargs["steps"]) > 1:
                return redirect("mediation:sign", pk=d.pk)
            return redirect("mediation:detail", pk=d.pk)
    return render(request, "mediation/action.html", {"d": d, "form": form, "title": title, "action": action})
