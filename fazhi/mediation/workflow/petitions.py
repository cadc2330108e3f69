"""A petition (信访工作条例 2022): accepted or rejected with written notice, concluded, extended once."""

from __future__ import annotations

import datetime as dt

from fazhi.core.errors import DomainError
from fazhi.core.periods import within_statute
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.mediation import forms, selectors
from fazhi.mediation.deadlines import derive_todo_due, petition_conclude_due, rules_for
from fazhi.mediation.models import (
    Petition,
    PetitionTransition,
)
from fazhi.mediation.permissions import APPROVE_ROLES, PETITION_ROLES
from fazhi.mediation.services.disputes import check_date
from fazhi.mediation.services.petitions import PETITION_REFUSED
from fazhi.mediation.workflow.guards import on_or_after, required

P = Petition.Status

PETITION_WORKFLOW = Workflow(
    "petition",
    allowed={P.RECEIVED: {P.ACCEPTED, P.REJECTED}, P.ACCEPTED: {P.CONCLUDED}},
    labels=dict(P.choices),
)


def _notice(*, actor, obj, step, data, today):
    obj.notice_on = data.get("on") or today
    if step.name == "reject":
        obj.conclusion = str(data.get("reason") or "").strip()


def _conclude(*, actor, obj, step, data, today):
    obj.concluded_on, obj.conclusion = data.get("on") or today, str(data.get("conclusion") or "").strip()


def _extendable(p, data, today):
    """One extension of at most N days (30 nationally), approved by a leader before the deadline passes."""
    rules = rules_for(p.township)
    if p.status != P.ACCEPTED:
        raise DomainError("只有已受理、尚未办结的信访事项才能延期。")
    if p.extension_days:
        raise DomainError("信访事项办理期限只能延长一次。")
    cap = within_statute("med.petition_extension", rules.petition_extension_max_days)
    if not (1 <= int(data.get("days") or 0) <= cap):
        raise DomainError(f"延长期限应为1至{cap}日（信访工作条例第三十五条：延长期限不得超过30日）。")
    if not str(data.get("reason") or "").strip():
        raise DomainError("请填写延期理由（情况复杂的具体情形）。")
    approved_on = data.get("approved_on") or today
    check_date(approved_on, "批准日期", p.notice_on, "受理日期", today=today)
    due = petition_conclude_due(p, rules)
    if due is not None and approved_on > due.due:
        raise DomainError(f"办结期限已于{due.due}届满，不能再批准延期。")


def _extend(*, actor, obj, step, data, today):
    obj.extension_days, obj.extension_reason = int(data["days"]), str(data["reason"]).strip()
    obj.extension_approved_by, obj.extension_approved_on = actor, data.get("approved_on") or today


_notice_on = on_or_after("on", "书面告知日期", "received_on", "收到日期")

PETITION_STEPS = [
    Step("accept", "受理并书面告知", forms.PetitionNoticeForm, PETITION_ROLES, target=P.ACCEPTED,
         guards=(_notice_on,), service=_notice, refused=PETITION_REFUSED, done="已保存。"),
    Step("reject", "不予受理并书面告知", forms.PetitionNoticeForm, PETITION_ROLES, target=P.REJECTED,
         guards=(_notice_on, required("reason", "不予受理须说明理由并书面告知信访人。")), service=_notice,
         refused=PETITION_REFUSED, done="已保存。", confirm="确认不予受理？"),
    Step("conclude", "办结", forms.PetitionConcludeForm, PETITION_ROLES, target=P.CONCLUDED, reason="conclusion",
         guards=(required("conclusion", "请填写处理意见。"), on_or_after("on", "办结日期", "notice_on", "受理日期")),
         service=_conclude, refused=PETITION_REFUSED, done="已保存。"),
    Step("extend", "批准延长办理期限", forms.PetitionExtendForm, APPROVE_ROLES, guards=(_extendable,), service=_extend,
         reason="", refused="您无权在该乡镇批准信访事项延期。", done="已批准延期。",
         confirm="延期只能批准一次，确定吗？"),
]

PETITION_FLOW = Flow(
    name="petition", model=Petition, workflow=PETITION_WORKFLOW, steps=PETITION_STEPS,
    record_model=PetitionTransition, record_fk="petition", read_roles=PETITION_ROLES,
    queryset=lambda user: selectors.petition_list_for(user, PETITION_ROLES), detail="mediation:petition_detail",
    derive=derive_todo_due,  # the stored to-do due date follows status, notice date and extension
)


def petition_transition(*, actor, petition: Petition, step: str, data: dict | None = None,
                        expected_status: str | None = None, today: dt.date | None = None) -> Petition:
    """accept | reject (written notice, its date = notice_on) → conclude; extend once (a leader)."""
    return run_step(PETITION_FLOW, actor=actor, obj=petition, step=step, data=data,
                    expected_status=expected_status, today=today)


def petition_steps_open(petition: Petition, user) -> list:
    """The step forms for the petition page: the extension only while accepted and not yet extended."""
    extendable = petition.status == P.ACCEPTED and not petition.extension_days
    return [row for row in PETITION_FLOW.forms_for(petition, user) if row[0].name != "extend" or extendable]
