"""A dispute under 人民调解法: received → mediating → resolved / not resolved (or not accepted); reopened
when an agreement is not performed."""

from __future__ import annotations

import datetime as dt

from fazhi.core.errors import DomainError
from fazhi.core.params import int_param
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.mediation import deadlines, forms, permissions, selectors
from fazhi.mediation.models import (
    LEVEL_RANK,
    Agreement,
    Committee,
    Dispute,
    DisputeTransition,
    Escalation,
    Level,
    Signature,
)
from fazhi.mediation.permissions import HANDLE_REFUSED, HANDLE_ROLES
from fazhi.mediation.services import disputes as services
from fazhi.mediation.workflow.guards import on_or_after, required

S = Dispute.Status

DISPUTE_WORKFLOW = Workflow(
    "dispute",
    allowed={
        S.RECEIVED: {S.MEDIATING, S.NOT_ACCEPTED},
        S.MEDIATING: {S.RESOLVED, S.NOT_RESOLVED},
        S.RESOLVED: {S.MEDIATING},  # reopened: the agreement was not performed
    },
    labels=dict(S.choices),
)

def _has_session(d, data, today):
    if not d.sessions.exists():
        raise DomainError("请先记录至少一次调解情况（调解笔录）。")


def _not_started(d, data, today):
    if d.status != S.RECEIVED:  # the table also lets a resolved dispute back to 调解中: that is reopening
        raise DomainError("只有已受理登记、尚未调解的纠纷才能开始调解。")


def _mediators(d, data, today):
    chosen = data.get("mediators")
    chosen = list(chosen) if chosen is not None else list(d.mediators.all())
    day = data.get("started_on") or today
    if not chosen:
        raise DomainError("请指定至少一名人民调解员。")
    for m in chosen:
        if m.township_id != d.township_id:
            raise DomainError("所选调解员不属于本乡镇。")
        if not m.in_term(day):
            raise DomainError(f"调解员{m.name}不在任期内（{m.term_start}至{m.term_end}）。")


def _agreement_effective(d, data, today):
    agreement_form = data.get("agreement_form") or ""
    if agreement_form not in Dispute.AgreementForm.values:
        raise DomainError("请选择达成书面协议或口头协议。")
    agreement = selectors.current_agreement(d)
    if agreement is None:
        raise DomainError("请先登记调解协议内容。")
    if agreement.form != agreement_form:
        raise DomainError(f"已登记的协议为{agreement.get_form_display()}，与所选协议形式不一致。")
    if agreement_form == Dispute.AgreementForm.WRITTEN:
        state = selectors.agreement_state(agreement)
        if state["missing"]:
            raise DomainError("调解协议书尚未生效，还缺：" + "、".join(state["missing"]) + "。")


def _routes_told(d, data, today):
    if not data.get("routes_told"):
        raise DomainError("终止调解须告知当事人可依法通过仲裁、行政、司法等途径维护权利（人民调解法第二十六条）。")


def _not_performed(d, data, today):
    agreement = selectors.current_agreement(d)
    if d.status != S.RESOLVED or agreement is None or agreement.performance != Agreement.Performance.NOT_PERFORMED:
        raise DomainError("只有回访确认调解协议未履行的纠纷才能重新调解。")


_closed_on = on_or_after("closed_on", "办结日期", "received_on", "受理日期")


# --- services: writes beyond the step's fields (*, actor, obj, step, data, today) ----------------------

def _start(*, actor, obj, step, data, today):
    mediators = data.get("mediators")
    if mediators is not None:
        mediators = list(mediators)
        obj.mediators.set(mediators)
        if obj.committee_id is None and mediators:
            obj.committee_id = mediators[0].committee_id


def _close(*, actor, obj, step, data, today):
    obj.closed_on = data.get("closed_on") or today
    if step.name == "resolve":
        obj.agreement_form = data["agreement_form"]
    elif step.name == "terminate":
        obj.routes_told, obj.referral = True, str(data.get("referral") or "").strip()
    elif step.name == "refuse":
        obj.refused_by = str(data["refused_by"]).strip()


def _reopen(*, actor, obj, step, data, today):
    obj.closed_on, obj.agreement_form = None, ""
    obj.reopened_count += 1
    Agreement.objects.filter(dispute=obj, superseded=False).update(superseded=True)


def _session(*, actor, obj, step, data, today):
    services.session_add(actor=actor, dispute=obj, **data)


def _agreement(*, actor, obj, step, data, today):
    services.agreement_save(actor=actor, dispute=obj, **data)


def _sign(*, actor, obj, step, data, today):
    agreement = selectors.current_agreement(obj)
    if agreement is None:
        raise DomainError("请先登记调解协议。")
    kind, _, ident = str(data.get("step") or "").partition(":")
    party = obj.parties.filter(pk=ident).first() if kind == "party" and int_param(ident) is not None else None
    mediator = obj.mediators.filter(pk=ident).first() if kind == "mediator" and int_param(ident) is not None else None
    services.agreement_sign(actor=actor, agreement=agreement, kind=kind, party=party, mediator=mediator,
                            method=data.get("method") or Signature.Method.SIGN, signed_on=data.get("signed_on") or today)


def _escalate(*, actor, obj, step, data, today):
    """村 → 乡镇 → 县: upward only, while open; every step is kept."""
    to_level, reason, risk_level = data.get("to_level"), str(data.get("reason") or "").strip(), data.get("risk_level")
    if not obj.is_open:
        raise DomainError("已办结的纠纷不能上报。")
    if to_level not in LEVEL_RANK or LEVEL_RANK[to_level] <= LEVEL_RANK[obj.level]:
        raise DomainError(f"只能向上级上报（当前为{obj.get_level_display()}）。")
    if to_level == Level.COUNTY and not permissions.acts_at_township_level(actor, obj.township):
        raise DomainError("上报县级须由乡镇调解组织办理。")
    if not reason:
        raise DomainError("请填写上报理由。")
    if risk_level and risk_level not in Dispute.Risk.values:
        raise DomainError("风险等级无效。")
    Escalation.objects.create(township_id=obj.township_id, dispute=obj, from_level=obj.level, to_level=to_level,
                              risk_level=risk_level or obj.risk_level, reason=reason, actor=actor)
    obj.level = to_level
    obj.risk_level = risk_level or obj.risk_level
    if to_level == Level.TOWNSHIP:
        obj.committee = Committee.objects.filter(township_id=obj.township_id, level=Level.TOWNSHIP).first() \
            or obj.committee


def _followup(*, actor, obj, step, data, today):
    services.followup_add(actor=actor, dispute=obj, **data)


def _party(*, actor, obj, step, data, today):
    services.party_add(actor=actor, dispute=obj, **data)


def _confirmation(*, actor, obj, step, data, today):
    agreement = selectors.current_agreement(obj)
    if agreement is None:
        raise DomainError("没有生效的调解协议。")
    services.confirmation_record(actor=actor, agreement=agreement, applied_on=data.get("applied_on"))


# --- initial values and record-dependent choices --------------------------------------------------------

def _agreement_initial(d):
    a = selectors.current_agreement(d)
    if a is None:
        return {"facts": d.summary}
    return {k: getattr(a, k) for k in ("form", "facts", "terms", "performance_method", "performance_due",
                                        "agreed_on", "copies")}


def _resolve_initial(d):
    a = selectors.current_agreement(d)
    return {"agreement_form": a.form} if a else {}


def _escalate_initial(d):
    return {"risk_level": d.risk_level, "to_level": Level.COUNTY if d.level == Level.TOWNSHIP else Level.TOWNSHIP}


def _session_initial(d):
    return {"participants": "、".join([p.name for p in d.parties.all()] + [m.name for m in d.mediators.all()])}


CLOSE_INTRO = ("调解成功须已登记协议（书面协议须各方当事人签名、调解员签名并加盖调委会印章）；调解不成须告知其他救济途径"
               "（人民调解法第二十六条）；当事人明确拒绝的不得调解（第十七条）。")


def _dispute_step(name, label, form, **kw) -> Step:
    return Step(name, label, form, HANDLE_ROLES, refused=HANDLE_REFUSED, done=f"{label}：已保存。", **kw)


DISPUTE_STEPS = [
    _dispute_step("start", "开始调解", forms.StartForm, target=S.MEDIATING, service=_start,
                  guards=(_not_started, on_or_after("started_on", "开始调解日期", "received_on", "受理日期"),
                          _mediators),
                  prepare=lambda form, d, user: form.for_dispute(d)),
    _dispute_step("session", "记录调解情况（调解笔录）", forms.SessionForm, service=_session, initial=_session_initial),
    _dispute_step("agreement", "登记调解协议", forms.AgreementEditForm, service=_agreement, initial=_agreement_initial,
                  intro="人民调解法第二十九条：协议书载明当事人基本情况，纠纷主要事实、争议事项及各方责任，协议内容，履行方式和期限。"),
    _dispute_step("sign", "登记协议签署", forms.SignForm, service=_sign,
                  prepare=lambda form, d, user: form.for_steps(selectors.signature_steps(d))),
    _dispute_step("resolve", "调解成功，办结", forms.ResolveForm, target=S.RESOLVED, fields=("closed_on", "agreement_form"),
                  guards=(_closed_on, _has_session, _agreement_effective), service=_close, initial=_resolve_initial,
                  intro=CLOSE_INTRO),
    _dispute_step("terminate", "调解不成，终止调解", forms.TerminateForm, target=S.NOT_RESOLVED,
                  fields=("closed_on", "routes_told", "referral"),
                  guards=(_closed_on, required("reason", "请填写调解不成的原因。"), _has_session, _routes_told),
                  service=_close, intro=CLOSE_INTRO, confirm="确认终止调解？"),
    _dispute_step("refuse", "当事人拒绝调解", forms.RefuseForm, target=S.NOT_ACCEPTED, fields=("closed_on", "refused_by"),
                  guards=(_closed_on, required("reason", "请填写当事人拒绝调解的情况。"),
                          required("refused_by", "请填写拒绝调解的当事人（人民调解法第十七条：一方明确拒绝的，不得调解）。")),
                  service=_close, intro=CLOSE_INTRO, confirm="确认当事人拒绝调解、不予调解？"),
    _dispute_step("reopen", "协议未履行，重新调解", forms.ReopenForm, target=S.MEDIATING,
                  guards=(required("reason", "请填写重新调解的理由。"), _not_performed), service=_reopen),
    _dispute_step("escalate", "上报", forms.EscalateForm, service=_escalate, initial=_escalate_initial),
    _dispute_step("followup", "回访", forms.FollowUpForm, service=_followup, initial=lambda d: {"visitor": ""}),
    _dispute_step("party", "增加当事人", forms.PartyForm, service=_party),
    _dispute_step("confirmation", "登记申请司法确认", forms.ConfirmationForm, service=_confirmation),
]

DISPUTE_FLOW = Flow(
    name="dispute", model=Dispute, workflow=DISPUTE_WORKFLOW, steps=DISPUTE_STEPS, record_model=DisputeTransition,
    record_fk="dispute", read_roles=HANDLE_ROLES, queryset=selectors.dispute_detail_qs, detail="mediation:detail",
    heading=lambda d: f"纠纷{d.number}",
    derive=deadlines.derive_todo_due,  # the stored to-do due date follows status, dates and the follow-up
)


def dispute_transition(*, actor, dispute: Dispute, step: str, data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> Dispute:
    """start → resolve | terminate; refuse; reopen (resolved → mediating); and the records on the way:
    session, agreement, sign, escalate, followup, party, confirmation."""
    # a village member acts only in their own village (the step pages find only those disputes)
    permissions.require_handler(actor, dispute.township, dispute.village)
    return run_step(DISPUTE_FLOW, actor=actor, obj=dispute, step=step, data=data, expected_status=expected_status,
                    today=today)
