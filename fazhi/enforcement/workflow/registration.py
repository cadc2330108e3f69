"""Registering a case: ordinary cases wait for filing approval; simplified ones are decided on the spot."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.audit.services import audit_create
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CaseTransition,
    Outcome,
    PenaltyKind,
    Procedure,
    ServiceMethod,
)
from fazhi.enforcement.rules import not_future, require_certified
from fazhi.enforcement.workflow.case_steps import CASE_CREATE_FIELDS
from fazhi.enforcement.workflow.cases import case_transition
from fazhi.enforcement.workflow.statute import check_violation_end, next_case_seq

S = CaseStatus


# --- registering a case ----------------------------------------------------------------------------

@transaction.atomic
def case_create(*, actor, township, power, officers, procedure: str = Procedure.ORDINARY, inspection=None,
                today: dt.date | None = None, **fields) -> Case:
    """Register a case: ordinary cases wait for filing approval; simplified cases are decided on the spot."""
    today = today or dt.date.today()
    require_role(actor, township, permissions.CASE_WRITE, f"您无权在{township.name}登记行政处罚案件。")
    unknown = set(fields) - set(CASE_CREATE_FIELDS)
    if unknown:
        raise DomainError(f"不能填写：{'、'.join(sorted(unknown))}。")
    if power.township_id != township.pk or not power.active:
        raise DomainError("所选职权事项不在本乡镇有效的职权清单内。")
    if inspection is not None and inspection.township_id != township.pk:
        raise DomainError("来源巡查不属于本乡镇。")
    officers = list(officers)
    discovered = fields.get("discovered_on") or today
    not_future(discovered, "发现日期", today)
    vd = fields.get("violation_date")
    if vd and vd > discovered:
        raise DomainError("违法行为发生日不能晚于发现日期。")
    check_violation_end(fields, today)
    rules.check_assignable(officers, township, discovered)
    require_certified(officers, discovered, "办理行政处罚案件")
    fields["discovered_on"] = discovered
    year = discovered.year
    case = Case(township=township, power=power, procedure=procedure, inspection=inspection, year=year,
                seq=next_case_seq(township, year), created_by=actor,
                status=S.ONSITE if procedure == Procedure.SIMPLIFIED else S.FILING, **fields)
    case.number = f"{township.name}〔{year}〕第{case.seq}号"
    case.todo_due = deadlines.case_todo_due(case)
    case.full_clean()
    case.save()
    case.officers.set(officers)
    audit_create(actor=actor, obj=case)
    CaseTransition.objects.create(case=case, actor=actor, from_status="", to_status=case.status, reason="登记")
    return case


def case_simple_decide(*, actor, township, power, officers, party_kind, party_name, penalty_kind, fine_amount,
                       facts, decided_on=None, onspot_paid: bool = False, today=None, **fields) -> Case:
    """简易程序: register, decide on the spot and hand over the decision (Art. 51/52), in one go."""
    today = today or dt.date.today()
    decided_on = decided_on or today
    s = rules.settings_for(township)
    refusal = rules.simplified_refusal(s, party_kind, penalty_kind, fine_amount)
    if refusal:
        raise DomainError(refusal)
    if penalty_kind == PenaltyKind.FINE and onspot_paid:
        fields.update(rules.onspot_collection(s, fine_amount, fields.pop("onspot_ground", ""),
                                              fields.pop("onspot_receipt_no", ""), fields.pop("onspot_reason", "")))
    else:
        for k in ("onspot_ground", "onspot_receipt_no", "onspot_reason"):
            fields.pop(k, None)
    with transaction.atomic():
        case = case_create(actor=actor, township=township, power=power, officers=officers,
                           procedure=Procedure.SIMPLIFIED, today=today, party_kind=party_kind,
                           party_name=party_name, facts=facts, discovered_on=fields.pop("discovered_on", decided_on),
                           **fields)
        case = case_transition(actor=actor, case=case, step="onsite", today=today, data={
            "outcome": Outcome.PENALTY, "decided_on": decided_on, "penalty_kind": penalty_kind,
            "fine_amount": fine_amount if penalty_kind == PenaltyKind.FINE else None,
            "reasons": fields.get("reasons", "") or "违法事实清楚，情节轻微，适用简易程序当场处罚"})
        case = case_transition(actor=actor, case=case, step="serve", today=today, data={
            "served_on": decided_on, "service_method": ServiceMethod.ONSITE, "service_recipient": party_name})
        if penalty_kind == PenaltyKind.FINE and onspot_paid:
            case = case_transition(actor=actor, case=case, step="payment", today=today,
                                   data={"paid_on": decided_on, "paid_amount": fine_amount})
    return case
