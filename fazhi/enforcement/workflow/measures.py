"""Coercive measures (行政强制法), declared once: `MEASURE_FLOW` — close (解除/处理), or extend once."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.enforcement import deadlines, forms, permissions, records, rules, selectors
from fazhi.enforcement.models import (
    CaseStatus,
    CoerciveMeasure,
    MeasureStatus,
    MeasureTransition,
)

S = CaseStatus


# --- coercive measures (行政强制法): close it, or extend it once --------------------------------------

MEASURE_WORKFLOW = Workflow("enforcement.measure", allowed={MeasureStatus.OPEN: {MeasureStatus.CLOSED}},
                            labels=dict(MeasureStatus.choices))


class CaseChildFlow(Flow):
    """A flow of something shown on its case's page (a measure): after a step, back to the case."""

    def detail_url(self, obj) -> str:
        return reverse(self.detail, args=[obj.case_id])


def _measure_open(measure, data, today):
    if measure.status != MeasureStatus.OPEN:
        raise DomainError("该措施已解除或处理。")


def _measure_close_guard(measure, data, today):
    closed_on = data.get("closed_on")
    if closed_on is None or closed_on > today or closed_on < measure.started_on:
        raise DomainError("解除日期应在实施日期与今天之间。")
    if not records.measure_has_video(measure):
        raise DomainError("该强制措施没有全过程视频记录，不能办结；请先在“全过程记录”中上传现场执法视频。")


def _measure_close(*, actor, obj, step, data, today):
    obj.closed_on, obj.closing_note = data["closed_on"], data.get("note", "")


def _measure_extend_guard(measure, data, today):
    """行政强制法第二十五条: 情况复杂的，经行政机关负责人批准 — once, before the 30 days run out."""
    if measure.extended:
        raise DomainError("只能对实施中且未延长过的措施延长一次（行政强制法第二十五条）。")
    original = deadlines.seizure_deadline(measure, rules.settings_for(measure.township))
    if today > original.due:
        raise DomainError(f"原期限已于{original}届满，届满后不能再批准延长（行政强制法第二十五条）。")
    if not str(data.get("reason") or "").strip():
        raise DomainError("延长须经负责人批准并说明理由。")


def _measure_extend(*, actor, obj, step, data, today):
    obj.extended, obj.extension_reason = True, data["reason"]


MEASURE_STEPS = [
    Step("close", "解除/处理查封、扣押", forms.MeasureCloseForm, permissions.CASE_WRITE, target=MeasureStatus.CLOSED,
         guards=(_measure_open, _measure_close_guard), service=_measure_close, reason="note", done="已保存。",
         intro="现场实施强制措施须全程录像；没有视频记录的措施不能办结。"),
    Step("extend", "延长查封、扣押期限", forms.MeasureExtendForm, permissions.LEADERS,
         guards=(_measure_open, _measure_extend_guard), service=_measure_extend, done="已保存。",
         intro="经负责人批准可延长一次，不超过30日（行政强制法第二十五条）。",
         refused="您无权批准延长查封、扣押期限（行政强制法第二十五条）。"),
]

MEASURE_FLOW = CaseChildFlow(
    name="measure", model=CoerciveMeasure, workflow=MEASURE_WORKFLOW, steps=MEASURE_STEPS,
    record_model=MeasureTransition, record_fk="measure", read_roles=permissions.READ,
    queryset=selectors.measure_list_for, detail="enforcement:case_detail", heading=lambda m: m.case.number,
    derive=deadlines.derive_measure_case_todo_due,  # closing or extending moves the case's to-do due date
)


def measure_transition(*, actor, measure: CoerciveMeasure, step: str, data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> CoerciveMeasure:
    """close (解除/处理, only with a video record) or extend (once, approved by a leader)."""
    return run_step(MEASURE_FLOW, actor=actor, obj=measure, step=step, data=data, expected_status=expected_status,
                    today=today)
