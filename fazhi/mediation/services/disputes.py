"""Writes for the dispute ledger: intake, parties, sessions, the agreement and its signatures, judicial
confirmation, follow-ups. Every refusal raises DomainError and leaves the records unchanged; every change
goes to the audit chain; every status change is a step of `workflow.DISPUTE_FLOW` (dispute_transition)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import snapshot
from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.writes import save_audited
from fazhi.mediation.deadlines import confirmation_window, dispute_todo_due, rules_for
from fazhi.mediation.models import (
    Agreement,
    Committee,
    Dispute,
    DisputeTransition,
    FollowUp,
    Level,
    MediationSession,
    Mediator,
    Party,
    ScreeningRound,
    Signature,
)
from fazhi.mediation.permissions import acts_at_township_level, require_handler
from fazhi.mediation.selectors import agreement_state, current_agreement

S = Dispute.Status


def check_date(day: dt.date, label: str, not_before: dt.date | None = None, before_label: str = "受理日期",
               today: dt.date | None = None) -> None:
    if day is None:
        raise DomainError(f"请填写{label}。")
    if day > (today or dt.date.today()):
        raise DomainError(f"{label}不能晚于今天。")
    if not_before is not None and day < not_before:
        raise DomainError(f"{label}不能早于{before_label}。")


def _fresh(dispute: Dispute) -> Dispute:
    """The row as it is now, locked: a caller's copy may be stale (another tab, another user)."""
    return Dispute.objects.select_for_update().select_related("township", "village").get(pk=dispute.pk)


def next_number(model, township, year: int) -> str:
    """2024-007: the township's next number of the year, from the core counter (race-free on PostgreSQL)."""
    return next_numbers(model, township, year, 1)[0]


def next_numbers(model, township, year: int, count: int) -> list[str]:
    """`count` consecutive numbers of the year for a batch, drawn from the same counter in one step."""
    kind = model._meta.label_lower
    first = numbering.allocate(township=township, kind=kind, year=year, count=count,
                               floor=lambda: _highest_stored(model, township, year, kind))
    return [f"{year}-{n:03d}" for n in range(first, first + count)]


def _highest_stored(model, township, year: int, kind: str) -> int:
    """The highest number of the year already stored, for the counter's floor. One indexed EXISTS asks
    whether anything stored lies above the counter (rows numbered before it existed, loaded by hand); only
    then are the stored numbers read — reading them on every write made each intake cost O(ledger)."""
    from django.db.models import Q
    from django.db.models.functions import Length

    from fazhi.core.models import Counter

    prefix = f"{year}-"
    stored = model.objects.filter(township=township, number__gte=prefix, number__lt=f"{year}.")  # = startswith
    last = (Counter.objects.filter(township=township, kind=kind, year=year)
            .values_list("last", flat=True).first() or 0)
    top = f"{prefix}{last:03d}"
    above = stored.annotate(number_len=Length("number")).filter(
        Q(number_len__gt=len(top)) | Q(number_len=len(top), number__gt=top))
    if not above.exists():
        return last
    numbers = stored.values_list("number", flat=True)
    return max((int(n[5:]) for n in numbers if n[5:].isdigit()), default=0)


# --- intake -----------------------------------------------------------------------------------------

@transaction.atomic
def dispute_create(*, actor, township, village, dispute_type, summary: str, received_on: dt.date,
                   source: str = Dispute.Source.SCREENING, risk_level: str = Dispute.Risk.LOW,
                   parties: list[dict] = (), level: str | None = None, committee=None, screening_round=None,
                   petition=None) -> Dispute:
    require_handler(actor, township, village)
    if village is None or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    check_date(received_on, "受理日期")
    if not dispute_type or not dispute_type.active:
        raise DomainError("请选择有效的纠纷类型。")
    if not [p for p in parties if (p.get("name") or "").strip()]:
        raise DomainError("请至少登记一名当事人。")
    if level is None:
        level = Level.TOWNSHIP if acts_at_township_level(actor, township) else Level.VILLAGE
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
                      recorded_by=actor, number=next_number(Dispute, township, received_on.year))
    dispute.todo_due = dispute_todo_due(dispute)
    save_audited(dispute, actor=actor)
    DisputeTransition.objects.create(dispute=dispute, actor=actor, from_status="", to_status=S.RECEIVED,
                                     reason=f"登记受理（来源：{dispute.get_source_display()}）")
    for p in parties:
        if (p.get("name") or "").strip():
            _party_create(actor, dispute, **p)
    return dispute


def _party_create(actor, dispute, *, name, side=Party.Side.APPLICANT, id_number="", phone="", address=""):
    party = Party(township_id=dispute.township_id, dispute=dispute, side=side, name=name.strip(),
                  id_number=(id_number or "").strip().upper(), phone=(phone or "").strip(),
                  address=(address or "").strip())
    save_audited(party, actor=actor)
    return party


@transaction.atomic
def party_add(*, actor, dispute: Dispute, **fields) -> Party:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if not dispute.is_open:
        raise DomainError("纠纷已办结，不能再增加当事人。")
    return _party_create(actor, dispute, **fields)


# --- sessions, agreement, signatures, follow-ups ------------------------------------------------------

@transaction.atomic
def session_add(*, actor, dispute: Dispute, held_on: dt.date, place: str, participants: str, record: str,
                next_step: str = "") -> MediationSession:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.MEDIATING:
        raise DomainError("只有“调解中”的纠纷才能记录调解情况。")
    check_date(held_on, "调解日期", dispute.received_on)
    session = MediationSession(township_id=dispute.township_id, dispute=dispute, held_on=held_on, place=place.strip(),
                               participants=participants.strip(), record=record.strip(), next_step=next_step.strip(),
                               recorded_by=actor)
    save_audited(session, actor=actor)
    return session


@transaction.atomic
def agreement_save(*, actor, dispute: Dispute, form: str, facts: str, terms: str, performance_method: str,
                   performance_due: dt.date, agreed_on: dt.date, copies: int | None = None) -> Agreement:
    """Record the agreement's Art. 29 contents; editing an unsigned draft is allowed, a signed one is not."""
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.MEDIATING:
        raise DomainError("只有“调解中”的纠纷才能登记调解协议。")
    check_date(agreed_on, "达成日期", dispute.received_on)
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
        save_audited(agreement, actor=actor)
    else:
        before = snapshot(agreement)
        for k, v in values.items():
            setattr(agreement, k, v)
        save_audited(agreement, actor=actor, before=before)
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
    check_date(signed_on, "签署日期", agreement.agreed_on, "协议达成日期")
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
    save_audited(sig, actor=actor)
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
    check_date(applied_on, "申请日期", state["effective_on"], "协议生效日期")
    window = confirmation_window(agreement, state["effective_on"], rules_for(dispute.township))
    if applied_on > window.due:
        raise DomainError(f"申请司法确认应当自调解协议生效之日起{window.n}日内提出（人民调解法第三十三条），"
                          f"期限已于{window.due:%Y年%-m月%-d日}届满，逾期申请不予登记；当事人可就调解协议的履行或内容"
                          f"向人民法院提起诉讼。{window.explanation}")
    before = snapshot(agreement, ["confirmation_applied_on"])
    agreement.confirmation_applied_on = applied_on
    save_audited(agreement, actor=actor, before=before)
    return agreement


@transaction.atomic
def followup_add(*, actor, dispute: Dispute, visited_on: dt.date, visitor: str, performance: str,
                 method: str = FollowUp.Method.VISIT, note: str = "") -> FollowUp:
    dispute = _fresh(dispute)
    require_handler(actor, dispute.township, dispute.village)
    if dispute.status != S.RESOLVED:
        raise DomainError("只有调解成功的纠纷才需回访。")
    check_date(visited_on, "回访日期", dispute.closed_on, "调解成功日期")
    followup = FollowUp(township_id=dispute.township_id, dispute=dispute, visited_on=visited_on,
                        visitor=visitor.strip(), performance=performance, method=method, note=note.strip(),
                        recorded_by=actor)
    save_audited(followup, actor=actor)
    Dispute.objects.filter(pk=dispute.pk).update(todo_due=dispute_todo_due(dispute))  # the visit is done
    agreement = current_agreement(dispute)
    if agreement is not None and agreement.performance != performance:
        before = snapshot(agreement, ["performance"])
        agreement.performance = performance
        save_audited(agreement, actor=actor, before=before, reason="回访核实履行情况")
    return followup
