"""Writes for the dispute ledger. Every refusal raises DomainError and leaves the records unchanged;
every change goes to the audit chain; every status change goes through dispute_transition()."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.audit.services import audit_create, audit_record, audit_update, snapshot
from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.scope import can_act_in, memberships, villages_for
from fazhi.core.workflow import Workflow, transition
from fazhi.mediation.deadlines import rules_for
from fazhi.mediation.models import (
    LEVEL_RANK,
    Agreement,
    Committee,
    Dispute,
    DisputeTransition,
    Escalation,
    FollowUp,
    Level,
    MediationSession,
    Mediator,
    Party,
    ScreeningRound,
    Signature,
)
from fazhi.mediation.roles import HANDLE_ROLES

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


def _clean(obj) -> None:
    # Related rows were chosen from scoped querysets and checked by the service; skip a query per FK.
    fks = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.full_clean(exclude=fks)
    except ValidationError as e:
        msgs = [m for ms in e.message_dict.values() for m in ms] if hasattr(e, "message_dict") else e.messages
        raise DomainError("；".join(msgs)) from None


def _today() -> dt.date:
    return dt.date.today()


def require_handler(user, township, village, roles=HANDLE_ROLES) -> None:
    """Write check: the user acts in the township, and a village member only in their own village."""
    if not can_act_in(user, township, roles):
        raise DomainError("您无权在该乡镇办理矛盾纠纷。")
    if village is not None and not villages_for(user, roles).filter(pk=village.pk).exists():
        raise DomainError(f"您无权办理{village.name}的矛盾纠纷。")


def _acts_at_township_level(user, township, roles=HANDLE_ROLES) -> bool:
    return any(m.role in roles and m.region.level != RegionLevel.VILLAGE and township.path.startswith(m.region.path)
               for m in memberships(user))


def _check_date(day: dt.date, label: str, not_before: dt.date | None = None, before_label: str = "受理日期") -> None:
    if day is None:
        raise DomainError(f"请填写{label}。")
    if day > _today():
        raise DomainError(f"{label}不能晚于今天。")
    if not_before is not None and day < not_before:
        raise DomainError(f"{label}不能早于{before_label}。")


def _fresh(dispute: Dispute) -> Dispute:
    """The row as it is now, locked: a caller's copy may be stale (another tab, another user)."""
    return Dispute.objects.select_for_update().select_related("township", "village").get(pk=dispute.pk)


def _next_number(model, township, year: int) -> str:
    """2024-007: the township's next number of the year, from the core counter (race-free on PostgreSQL)."""
    def highest_stored() -> int:
        numbers = model.objects.filter(township=township, number__startswith=f"{year}-").values_list("number", flat=True)
        return max((int(n[5:]) for n in numbers if n[5:].isdigit()), default=0)

    n = numbering.allocate(township=township, kind=model._meta.label_lower, year=year,
                           floor=highest_stored)
    return f"{year}-{n:03d}"


# --- intake -----------------------------------------------------------------------------------------

@transaction.atomic
def dispute_create(*, actor, township, village, dispute_type, summary: str, received_on: dt.date,
                   source: str = Dispute.Source.SCREENING, risk_level: str = Dispute.Risk.LOW,
                   parties: list[dict] = (), level: str | None = None, committee=None, screening_round=None,
                   petition=None) -> Dispute:
    require_handler(actor, township, village)
    if village is None or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    _check_date(received_on, "受理日期")
    if not dispute_type or not dispute_type.active:
        raise DomainError("请选择有效的纠纷类型。")
    if not [p for p in parties if (p.get("name") or "").strip()]:
        raise DomainError("请至少登记一名当事人。")
    if level is None:
        level = Level.TOWNSHIP if _acts_at_township_level(actor, township) else Level.VILLAGE
    for related, label in ((committee, "调委会"), (screening_round, "排查轮次"), (petition, "信访事项")):
        if related is not None and related.township_id != township.pk:
            raise DomainError(f"所选{label}不属于本乡镇。")
    if screening_round is None and source == Dispute.Source.SCREENING:
        # The round of this village covering the date (monthly by default) raised the dispute.
        screening_round = (ScreeningRound.objects.filter(village=village, period_start__lte=received_on,
                                                         held_on__lte=received_on)
                           .order_by("-period_start").first())
        window = 31 * rules_for(township).screening_period_months
        if screening_round and (received_on - screening_round.period_start).days > window:
            screening_round = None
    if petition is not None and source != Dispute.Source.PETITION:
        source = Dispute.Source.PETITION
    if committee is None:
        committee = Committee.objects.filter(township=township, village=village).first() \
            if level == Level.VILLAGE else Committee.objects.filter(township=township, level=Level.TOWNSHIP).first()
    dispute = Dispute(township=township, village=village, dispute_type=dispute_type, summary=summary.strip(),
                      received_on=received_on, source=source, risk_level=risk_level, level=level,
                      committee=committee, screening_round=screening_round, petition=petition,
                      recorded_by=actor, number=_next_number(Dispute, township, received_on.year))
    _clean(dispute)
    dispute.save()
    DisputeTransition.objects.create(dispute=dispute, actor=actor, from_status="", to_status=S.RECEIVED,
                                     reason=f"登记受理（来源：{dispute.get_source_display()}）")
    audit_create(actor=actor, obj=dispute)
    for p in parties:
        if (p.get("name") or "").strip():
            _party_create(actor, dispute, **p)
    return dispute


def _party_create(actor, dispute, *, name, side=Party.Side.APPLICANT, id_number="", phone="", address=""):
    party = Party(township_id=dispute.township_id, dispute=dispute, side=side, name=name.strip(),
                  id_number=(id_number or "").strip().upper(), phone=(phone or "").strip(),
                  address=(address or "").strip())
    _clean(party)
    party.save()
    audit_create(actor=actor, obj=party)
    return party


@transaction.atomic
def party_add(*, actor, dispute: Dispute, **fields) -> Party:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if not dispute.is_open:
        raise DomainError("纠纷已办结，不能再增加当事人。")
    return _party_create(actor, dispute, **fields)


# --- the workflow -----------------------------------------------------------------------------------

def current_agreement(dispute: Dispute) -> Agreement | None:
    return dispute.agreements.filter(superseded=False).order_by("-id").first()


def agreement_state(agreement: Agreement) -> dict:
    """Which signature steps are done and missing; the date the agreement took effect (人民调解法第二十九条)."""
    sigs = list(agreement.signatures.select_related("party", "mediator"))
    signed_parties = {s.party_id for s in sigs if s.kind == Signature.Kind.PARTY}
    parties = list(agreement.dispute.parties.all())
    missing = [f"当事人{p.name}签名（盖章或按指印）" for p in parties if p.pk not in signed_parties]
    mediator = next((s for s in sigs if s.kind == Signature.Kind.MEDIATOR), None)
    seal = next((s for s in sigs if s.kind == Signature.Kind.SEAL), None)
    if mediator is None:
        missing.append("人民调解员签名")
    if seal is None:
        missing.append("人民调解委员会盖章")
    if agreement.form == Dispute.AgreementForm.ORAL:
        return {"signatures": sigs, "missing": [], "effective_on": agreement.agreed_on, "parties": parties}
    effective = max(s.signed_on for s in sigs) if not missing and sigs else None
    return {"signatures": sigs, "missing": missing, "effective_on": effective, "parties": parties}


def _guard_resolved(agreement_form):
    def guard(d: Dispute):
        if not d.sessions.exists():
            raise DomainError("请先记录至少一次调解情况（调解笔录）。")
        if agreement_form not in Dispute.AgreementForm.values:
            raise DomainError("请选择达成书面协议或口头协议。")
        agreement = current_agreement(d)
        if agreement is None:
            raise DomainError("请先登记调解协议内容。")
        if agreement.form != agreement_form:
            raise DomainError(f"已登记的协议为{agreement.get_form_display()}，与所选协议形式不一致。")
        if agreement_form == Dispute.AgreementForm.WRITTEN:
            state = agreement_state(agreement)
            if state["missing"]:
                raise DomainError("调解协议书尚未生效，还缺：" + "、".join(state["missing"]) + "。")
    return guard


def _guard_not_resolved(routes_told: bool):
    def guard(d: Dispute):
        if not d.sessions.exists():
            raise DomainError("请先记录至少一次调解情况（调解笔录）。")
        if not routes_told:
            raise DomainError("终止调解须告知当事人可依法通过仲裁、行政、司法等途径维护权利（人民调解法第二十六条）。")
    return guard


def _guard_refused(refused_by: str):
    def guard(d: Dispute):
        if not refused_by.strip():
            raise DomainError("请填写拒绝调解的当事人（人民调解法第十七条：一方明确拒绝的，不得调解）。")
    return guard


def _guard_reopen(d: Dispute):
    agreement = current_agreement(d)
    if agreement is None or agreement.performance != Agreement.Performance.NOT_PERFORMED:
        raise DomainError("只有回访确认调解协议未履行的纠纷才能重新调解。")


def _guard_mediators(mediators: list, day: dt.date):
    def guard(d: Dispute):
        chosen = mediators if mediators is not None else list(d.mediators.all())
        if not chosen:
            raise DomainError("请指定至少一名人民调解员。")
        for m in chosen:
            if m.township_id != d.township_id:
                raise DomainError("所选调解员不属于本乡镇。")
            if not m.in_term(day):
                raise DomainError(f"调解员{m.name}不在任期内（{m.term_start}至{m.term_end}）。")
    return guard


@transaction.atomic
def dispute_transition(*, actor, dispute: Dispute, to: str, reason: str = "", expected_status: str | None = None,
                       closed_on: dt.date | None = None, agreement_form: str = "", refused_by: str = "",
                       routes_told: bool = False, referral: str = "", mediators: list | None = None,
                       started_on: dt.date | None = None) -> Dispute:
    """received → mediating → resolved | not_resolved; received → not_accepted; resolved → mediating (reopen)."""
    require_handler(actor, dispute.township, dispute.village)
    current = _fresh(dispute).status
    guards = []
    closed_on = closed_on or _today()
    if to in Dispute.CLOSED:
        _check_date(closed_on, "办结日期", dispute.received_on)
    if to == S.MEDIATING and current == S.RECEIVED:
        started_on = started_on or _today()
        _check_date(started_on, "开始调解日期", dispute.received_on)
        guards.append(_guard_mediators(mediators, started_on))
    elif to == S.MEDIATING and current == S.RESOLVED:
        if not reason.strip():
            raise DomainError("请填写重新调解的理由。")
        guards.append(_guard_reopen)
    elif to == S.RESOLVED:
        guards.append(_guard_resolved(agreement_form))
    elif to == S.NOT_RESOLVED:
        if not reason.strip():
            raise DomainError("请填写调解不成的原因。")
        guards.append(_guard_not_resolved(routes_told))
    elif to == S.NOT_ACCEPTED:
        guards.append(_guard_refused(refused_by))
        if not reason.strip():
            raise DomainError("请填写当事人拒绝调解的情况。")

    def apply(d: Dispute):
        if to in Dispute.CLOSED:
            d.closed_on = closed_on
        if to == S.RESOLVED:
            d.agreement_form = agreement_form
        elif to == S.NOT_RESOLVED:
            d.routes_told, d.referral = True, referral.strip()
        elif to == S.NOT_ACCEPTED:
            d.refused_by = refused_by.strip()
        elif to == S.MEDIATING and current == S.RESOLVED:
            d.closed_on, d.agreement_form = None, ""
            d.reopened_count += 1
            Agreement.objects.filter(dispute=d, superseded=False).update(superseded=True)
        if to == S.MEDIATING and mediators is not None:
            d.mediators.set(mediators)
            if d.committee_id is None and mediators:
                d.committee_id = mediators[0].committee_id

    return transition(dispute, workflow=DISPUTE_WORKFLOW, to=to, actor=actor, record_model=DisputeTransition,
                      record_fk="dispute", reason=reason.strip(), guards=guards, expected_status=expected_status,
                      on_apply=apply)


@transaction.atomic
def dispute_escalate(*, actor, dispute: Dispute, to_level: str, reason: str, risk_level: str | None = None) -> Dispute:
    """村 → 乡镇 → 县: upward only, while open; every step is kept."""
    require_handler(actor, dispute.township, dispute.village)
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not locked.is_open:
        raise DomainError("已办结的纠纷不能上报。")
    if to_level not in LEVEL_RANK or LEVEL_RANK[to_level] <= LEVEL_RANK[locked.level]:
        raise DomainError(f"只能向上级上报（当前为{locked.get_level_display()}）。")
    if to_level == Level.COUNTY and not _acts_at_township_level(actor, locked.township):
        raise DomainError("上报县级须由乡镇调解组织办理。")
    if not reason.strip():
        raise DomainError("请填写上报理由。")
    before = snapshot(locked, ["level", "risk_level", "committee"])
    if risk_level and risk_level not in Dispute.Risk.values:
        raise DomainError("风险等级无效。")
    Escalation.objects.create(township_id=locked.township_id, dispute=locked, from_level=locked.level,
                              to_level=to_level, risk_level=risk_level or locked.risk_level,
                              reason=reason.strip(), actor=actor)
    locked.level = to_level
    locked.risk_level = risk_level or locked.risk_level
    if to_level == Level.TOWNSHIP:
        locked.committee = Committee.objects.filter(township_id=locked.township_id, level=Level.TOWNSHIP).first() \
            or locked.committee
    locked.save()
    audit_update(actor=actor, obj=locked, before=before, reason=f"上报：{reason.strip()}")
    return locked


# --- sessions, agreement, signatures, follow-ups ------------------------------------------------------

@transaction.atomic
def session_add(*, actor, dispute: Dispute, held_on: dt.date, place: str, participants: str, record: str,
                next_step: str = "") -> MediationSession:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.MEDIATING:
        raise DomainError("只有“调解中”的纠纷才能记录调解情况。")
    _check_date(held_on, "调解日期", dispute.received_on)
    session = MediationSession(township_id=dispute.township_id, dispute=dispute, held_on=held_on, place=place.strip(),
                               participants=participants.strip(), record=record.strip(), next_step=next_step.strip(),
                               recorded_by=actor)
    _clean(session)
    session.save()
    audit_create(actor=actor, obj=session)
    return session


@transaction.atomic
def agreement_save(*, actor, dispute: Dispute, form: str, facts: str, terms: str, performance_method: str,
                   performance_due: dt.date, agreed_on: dt.date, copies: int | None = None) -> Agreement:
    """Record the agreement's Art. 29 contents; editing an unsigned draft is allowed, a signed one is not."""
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.MEDIATING:
        raise DomainError("只有“调解中”的纠纷才能登记调解协议。")
    _check_date(agreed_on, "达成日期", dispute.received_on)
    if performance_due is None or performance_due < agreed_on:
        raise DomainError("履行期限不能早于协议达成日期。")
    parties = dispute.parties.count()
    if parties < 1:
        raise DomainError("请先登记当事人。")
    copies = copies or parties + 1
    if form == Dispute.AgreementForm.WRITTEN and copies < parties + 1:
        raise DomainError(f"协议书应由当事人各执一份、调解委员会留存一份，至少{parties + 1}份。")
    agreement = current_agreement(dispute)
    if agreement is not None and agreement.signatures.exists():
        raise DomainError("协议书已有签署，不能修改；如需变更请重新调解。")
    values = {"form": form, "facts": facts.strip(), "terms": terms.strip(),
              "performance_method": performance_method.strip(), "performance_due": performance_due,
              "agreed_on": agreed_on, "copies": copies}
    if agreement is None:
        agreement = Agreement(township_id=dispute.township_id, dispute=dispute, **values)
        _clean(agreement)
        agreement.save()
        audit_create(actor=actor, obj=agreement)
    else:
        before = snapshot(agreement)
        for k, v in values.items():
            setattr(agreement, k, v)
        _clean(agreement)
        agreement.save()
        audit_update(actor=actor, obj=agreement, before=before)
    return agreement


@transaction.atomic
def agreement_sign(*, actor, agreement: Agreement, kind: str, signed_on: dt.date, party: Party | None = None,
                   mediator: Mediator | None = None, method: str = Signature.Method.SIGN) -> Signature:
    agreement = Agreement.objects.get(pk=agreement.pk)
    dispute = _fresh(agreement.dispute)
    require_handler(actor, dispute.township, dispute.village)
    if agreement.superseded or dispute.status != S.MEDIATING:
        raise DomainError("该协议不在可签署状态。")
    if agreement.form != Dispute.AgreementForm.WRITTEN:
        raise DomainError("口头协议无需签署，由调解员记录即可（人民调解法第二十八条）。")
    _check_date(signed_on, "签署日期", agreement.agreed_on, "协议达成日期")
    done = agreement.signatures.all()
    if kind == Signature.Kind.PARTY:
        if party is None or party.dispute_id != dispute.pk:
            raise DomainError("请选择本纠纷的当事人。")
        if done.filter(party=party).exists():
            raise DomainError(f"当事人{party.name}已签署。")
        mediator = None
    elif kind == Signature.Kind.MEDIATOR:
        if mediator is None or not dispute.mediators.filter(pk=mediator.pk).exists():
            raise DomainError("请选择承办本纠纷的人民调解员。")
        if done.filter(kind=kind).exists():
            raise DomainError("调解员已签名。")
        party, method = None, Signature.Method.SIGN
    elif kind == Signature.Kind.SEAL:
        if done.filter(kind=kind).exists():
            raise DomainError("调委会已盖章。")
        party, mediator, method = None, None, Signature.Method.STAMP
    else:
        raise DomainError("签署类型无效。")
    sig = Signature(township_id=dispute.township_id, agreement=agreement, kind=kind, party=party, mediator=mediator,
                    method=method, signed_on=signed_on, recorded_by=actor)
    _clean(sig)
    sig.save()
    audit_create(actor=actor, obj=sig)
    return sig


@transaction.atomic
def confirmation_record(*, actor, agreement: Agreement, applied_on: dt.date) -> Agreement:
    """The parties applied to the court for judicial confirmation (人民调解法第三十三条)."""
    agreement = Agreement.objects.get(pk=agreement.pk)
    dispute = _fresh(agreement.dispute)
    require_handler(actor, dispute.township, dispute.village)
    state = agreement_state(agreement)
    if dispute.status != S.RESOLVED or agreement.superseded or state["effective_on"] is None:
        raise DomainError("只有已生效的调解协议才能申请司法确认。")
    _check_date(applied_on, "申请日期", state["effective_on"], "协议生效日期")
    from fazhi.mediation.deadlines import confirmation_window, rules_for

    window = confirmation_window(agreement, state["effective_on"], rules_for(dispute.township))
    if applied_on > window.due:
        raise DomainError(f"申请司法确认应当自调解协议生效之日起{window.n}日内提出（人民调解法第三十三条），"
                          f"期限已于{window.due:%Y年%-m月%-d日}届满，逾期申请不予登记；当事人可就调解协议的履行或内容"
                          f"向人民法院提起诉讼。{window.explanation}")
    before = snapshot(agreement, ["confirmation_applied_on"])
    agreement.confirmation_applied_on = applied_on
    agreement.save()
    audit_update(actor=actor, obj=agreement, before=before)
    return agreement


@transaction.atomic
def followup_add(*, actor, dispute: Dispute, visited_on: dt.date, visitor: str, performance: str,
                 method: str = FollowUp.Method.VISIT, note: str = "") -> FollowUp:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.RESOLVED:
        raise DomainError("只有调解成功的纠纷才需回访。")
    _check_date(visited_on, "回访日期", dispute.closed_on, "调解成功日期")
    followup = FollowUp(township_id=dispute.township_id, dispute=dispute, visited_on=visited_on,
                        visitor=visitor.strip(), performance=performance, method=method, note=note.strip(),
                        recorded_by=actor)
    _clean(followup)
    followup.save()
    audit_create(actor=actor, obj=followup)
    agreement = current_agreement(dispute)
    if agreement is not None and agreement.performance != performance:
        before = snapshot(agreement, ["performance"])
        agreement.performance = performance
        agreement.save()
        audit_update(actor=actor, obj=agreement, before=before, reason="回访核实履行情况")
    return followup


# --- screening --------------------------------------------------------------------------------------

@transaction.atomic
def screening_create(*, actor, township, village, period_start: dt.date, held_on: dt.date, screeners: str,
                     findings: str = "") -> ScreeningRound:
    require_handler(actor, township, village)
    if village is None or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    period_start = period_start.replace(day=1)
    _check_date(held_on, "排查日期")
    if ScreeningRound.objects.filter(village=village, period_start=period_start).exists():
        raise DomainError(f"{village.name}{period_start.year}年{period_start.month}月已登记排查。")
    rnd = ScreeningRound(township=township, village=village, period_start=period_start, held_on=held_on,
                         screeners=screeners.strip(), findings=findings.strip(), recorded_by=actor)
    _clean(rnd)
    rnd.save()
    audit_create(actor=actor, obj=rnd)
    return rnd


__all__ = ["DISPUTE_WORKFLOW", "dispute_create", "dispute_transition", "dispute_escalate", "party_add",
           "session_add", "agreement_save", "agreement_sign", "agreement_state", "confirmation_record",
           "followup_add", "screening_create", "current_agreement", "require_handler", "audit_record"]
