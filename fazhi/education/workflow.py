"""The venue workflow (法治文化阵地: 建设中 → 正常使用 ↔ 需维护 → 停用), declared once and driven by core."""

from __future__ import annotations

import datetime as dt

from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.education import forms, permissions, selectors
from fazhi.education.models import Venue, VenueState, VenueTransition

VENUE_WORKFLOW = Workflow(
    "法治文化阵地",
    allowed={
        VenueState.BUILDING: {VenueState.GOOD, VenueState.CLOSED},
        VenueState.GOOD: {VenueState.REPAIR, VenueState.CLOSED},
        VenueState.REPAIR: {VenueState.GOOD, VenueState.CLOSED},
        VenueState.CLOSED: {VenueState.GOOD, VenueState.BUILDING},
    },
    labels=dict(VenueState.choices),
)


def _own_village(*, actor, obj, step, data, today):
    """A village cadre changes only the venues of their own village."""
    permissions.require_village(actor, obj.township, obj.village)


def _done(venue) -> str:
    return f"阵地状态已变更为“{venue.get_state_display()}”。"


def _step(name, label, target, **kw) -> Step:
    return Step(name, label, forms.VenueStateForm, permissions.EVENT_WRITE, target=target, service=_own_village,
                done=_done, **kw)


VENUE_STEPS = [
    _step("use", "转为正常使用", VenueState.GOOD),
    _step("repair", "报需维护", VenueState.REPAIR),
    _step("close", "停用", VenueState.CLOSED, confirm="确认停用该法治文化阵地？"),
    _step("rebuild", "重新建设", VenueState.BUILDING),
]

VENUE_FLOW = Flow(
    name="venue", model=Venue, workflow=VENUE_WORKFLOW, steps=VENUE_STEPS, record_model=VenueTransition,
    record_fk="venue", read_roles=permissions.EVENT_READ, queryset=selectors.venue_list_for,
    detail="education:venue_detail", heading=lambda v: v.name, status_field="state",
)


def venue_transition(*, actor, venue: Venue, step: str, data: dict | None = None,
                     expected_status: str | None = None, today: dt.date | None = None) -> Venue:
    """use / repair / close / rebuild, with an optional reason; only for the actor's own village."""
    return run_step(VENUE_FLOW, actor=actor, obj=venue, step=step, data=data, expected_status=expected_status,
                    today=today)
