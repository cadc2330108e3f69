"""An online application for mediation from the portal: accepted into the dispute ledger or declined."""

from __future__ import annotations

import datetime as dt

from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.mediation import forms, permissions, selectors
from fazhi.mediation.models import (
    Application,
    ApplicationTransition,
    Dispute,
)
from fazhi.mediation.permissions import HANDLE_REFUSED, HANDLE_ROLES
from fazhi.mediation.services import disputes as services
from fazhi.mediation.services.applications import decline_reason

A = Application.Status

APPLICATION_WORKFLOW = Workflow(
    "application",
    allowed={A.SUBMITTED: {A.ACCEPTED, A.DECLINED}},
    labels=dict(A.choices),
)



def _accept(*, actor, obj, step, data, today):
    """Into the dispute ledger, through the same service as a dispute typed at the office."""
    parties = [{"name": obj.applicant_name, "phone": obj.applicant_phone, "address": obj.applicant_address,
                "side": "applicant"},
               {"name": obj.other_party, "phone": obj.other_party_phone, "side": "respondent"}]
    obj.dispute = services.dispute_create(
        actor=actor, township=obj.township, village=obj.village, dispute_type=data.get("dispute_type"),
        summary=f"{obj.facts}\n调解请求：{obj.wish}", received_on=today, source=Dispute.Source.ONLINE,
        risk_level=data.get("risk_level") or Dispute.Risk.LOW, parties=parties)
    obj.handled_by, obj.handled_on = actor, today


def _decline(*, actor, obj, step, data, today):
    permissions.require_handler(actor, obj.township, obj.village)
    obj.decline_reason = decline_reason(data.get("reason_key"), data.get("note") or "")
    obj.handled_by, obj.handled_on = actor, today


APPLICATION_STEPS = [
    Step("accept", "受理并登记为纠纷", forms.AcceptForm, HANDLE_ROLES, target=A.ACCEPTED, service=_accept,
         refused=HANDLE_REFUSED, done=lambda app: f"已受理并登记为纠纷{app.dispute.number}。"),
    Step("decline", "不予受理", forms.DeclineForm, HANDLE_ROLES, target=A.DECLINED, service=_decline,
         refused=HANDLE_REFUSED, confirm="确认不予受理？申请人将看到理由。",
         done="已记录不予受理，申请人可凭查询码看到理由和其他解决途径。"),
]

APPLICATION_FLOW = Flow(
    name="application", model=Application, workflow=APPLICATION_WORKFLOW, steps=APPLICATION_STEPS,
    record_model=ApplicationTransition, record_fk="application", read_roles=HANDLE_ROLES,
    queryset=selectors.applications_for, detail="mediation:application_detail",
)


def application_transition(*, actor, application: Application, step: str, data: dict | None = None,
                           expected_status: str | None = None, today: dt.date | None = None) -> Application:
    """accept (into the ledger, source 网上申请) | decline (with the lawful reason). Only ever from 待受理:
    a caller that does not say what it saw is refused as 已被他人处理 when someone was faster."""
    data = dict(data or {})
    if step == "decline" and "reason" not in data:
        data["reason"] = decline_reason(data.get("reason_key"), data.get("note") or "")
    return run_step(APPLICATION_FLOW, actor=actor, obj=application, step=step, data=data,
                    expected_status=expected_status or A.SUBMITTED, today=today)
