"""Inspections (日常巡查), declared once: `INSPECTION_FLOW` — a finding opens a case."""

from __future__ import annotations

import datetime as dt

from fazhi.core import periods
from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.enforcement import forms, permissions, selectors
from fazhi.enforcement.models import (
    CaseStatus,
    CaseTransition,
    Inspection,
    InspectionKind,
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
    obj.result_on = obj.result_on or today
    data["reason"] = f"立案：{case.number}"


def _prep_open_case(form, inspection, user):
    form.fields["power"].queryset = Power.objects.filter(township=inspection.township, active=True)


def _opened(inspection) -> str:
    case = inspection.cases.order_by("-id").first()
    return f"已据巡查发现登记案件{case.number}，请报负责人审批立案。" if case else "已保存。"


def _random(ins) -> bool:
    return ins.kind == InspectionKind.RANDOM


def _result_guard(ins, data, today):
    if ins.date > today:
        raise DomainError("计划检查日期未到，不能录入检查结果。")
    if not (data.get("findings") or "").strip():
        raise DomainError("请填写检查情况。")
    if data.get("result") == InspectionResult.CASE:
        raise DomainError("发现违法行为的，请使用“登记案件”。")


def _record_result(*, actor, obj, step, data, today):
    obj.result_on = today


def _publish_guard(ins, data, today):
    if ins.result_on is None:
        raise DomainError("检查结果尚未录入，不能公示。")
    if ins.published_on is not None:
        raise DomainError("该检查结果已公示。")


def _publish(*, actor, obj, step, data, today):
    obj.published_on = today


def publish_deadline(ins):
    """双随机 results are published within the local period, counted from the day the result was entered."""
    return periods.count("enf.inspection_publish", ins.result_on) if ins.result_on else None


INSPECTION_STEPS = [
    Step("result", "录入检查结果", forms.InspectionResultForm, permissions.CASE_WRITE, fields=("findings", "result"),
         guards=(_result_guard,), service=_record_result, when=lambda i: _random(i) and i.result_on is None,
         reason=lambda i, d: f"检查结果：{i.get_result_display()}", done="已录入检查结果，请在期限内公示。",
         intro="双随机抽查检查后录入检查情况和结果；发现违法行为的，使用“登记案件”。"),
    Step("publish", "公示检查结果", forms.InspectionPublishForm, permissions.PUBLISH, guards=(_publish_guard,),
         service=_publish, when=lambda i: _random(i) and i.result_on is not None and i.published_on is None,
         reason=lambda i, d: "公示抽查结果", confirm="确认在门户网站公示该抽查结果？", done="已公示检查结果。",
         intro="抽查结果（检查对象、事项、日期、结果）在门户网站向社会公示；农户等自然人只显示姓氏。"),
    Step("open_case", "登记案件", forms.OpenCaseForm, permissions.CASE_WRITE, service=_open_case,
         prepare=_prep_open_case, initial=lambda i: {"title": i.subject}, done=_opened,
         when=lambda i: not i.cases.exists(),
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
