"""Inspections (日常巡查), declared once: `INSPECTION_FLOW` — a finding opens a case."""

from __future__ import annotations

import datetime as dt

from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.enforcement import forms, permissions, selectors
from fazhi.enforcement.models import (
    CaseStatus,
    CaseTransition,
    Inspection,
    InspectionResult,
    Power,
)
from fazhi.enforcement.workflow.case_steps import step_values
from fazhi.enforcement.workflow.registration import case_create

S = CaseStatus


# --- inspections (日常巡查): a finding opens a case -----------------------------------------------------

INSPECTION_WORKFLOW = Workflow("enforcement.inspection", allowed={}, labels=dict(InspectionResult.choices))


def _open_case(*, actor, obj, step, data, today):
    fields = step_values(data)
    power = fields.pop("power")
    officers = fields.pop("officers", None)
    officers = list(officers) if officers is not None else list(obj.officers.all())
    fields.setdefault("discovered_on", obj.date)
    fields.setdefault("facts", obj.findings)
    case = case_create(actor=actor, township=obj.township, power=power, officers=officers, inspection=obj,
                       today=today, source="inspection", **fields)
    obj.result = InspectionResult.CASE
    data["reason"] = f"立案：{case.number}"


def _prep_open_case(form, inspection, user):
    form.fields["power"].queryset = Power.objects.filter(township=inspection.township, active=True)


def _opened(inspection) -> str:
    case = inspection.cases.order_by("-id").first()
    return f"已据巡查发现登记案件{case.number}，请报负责人审批立案。" if case else "已保存。"


INSPECTION_STEPS = [
    Step("open_case", "登记案件", forms.OpenCaseForm, permissions.CASE_WRITE, service=_open_case,
         prepare=_prep_open_case, initial=lambda i: {"title": i.subject}, done=_opened,
         intro="发现违法行为的，据巡查发现登记行政处罚案件，登记后由负责人审批立案。"),
]

INSPECTION_FLOW = Flow(
    name="inspection", model=Inspection, workflow=INSPECTION_WORKFLOW, steps=INSPECTION_STEPS,
    record_model=CaseTransition, record_fk="case", read_roles=permissions.READ,
    queryset=selectors.inspection_list_for, detail="enforcement:inspection_detail", heading=str,
    status_field="result",
)


def inspection_transition(*, actor, inspection: Inspection, step: str, data: dict | None = None,
                          expected_status: str | None = None, today: dt.date | None = None) -> Inspection:
    """open_case: register a case from the inspection's finding (the inspection records it was opened)."""
    return run_step(INSPECTION_FLOW, actor=actor, obj=inspection, step=step, data=data,
                    expected_status=expected_status, today=today)
