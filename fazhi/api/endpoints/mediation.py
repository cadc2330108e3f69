"""Disputes (矛盾纠纷): list, one, intake through the page's intake form and `dispute_create`, and every workflow
step through the step's own form and `dispute_transition`."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from fazhi.api.base import errors, op
from fazhi.api.endpoints.steps import FormInfo, StepBody, StepInfo
from fazhi.api.helpers import (
    as_form_data,
    body_schema,
    cursor_query,
    form_data,
    form_info,
    idempotency_header,
    idempotent,
    limit_query,
    page,
    step_info,
    step_path,
    take_step,
    township_query,
    valid_or_raise,
    write_township,
)
from fazhi.mediation import forms, selectors
from fazhi.mediation.models import Dispute
from fazhi.mediation.permissions import HANDLE_ROLES, READ_ROLES
from fazhi.mediation.services.disputes import dispute_create
from fazhi.mediation.workflow import DISPUTE_FLOW, dispute_transition

STEPS = tuple(s.name for s in DISPUTE_FLOW.steps if s.page)
StepName = Literal[STEPS]
STEP_ROLES = frozenset().union(*(s.roles for s in DISPUTE_FLOW.steps if s.page))


class PartyOut(Schema):
    side: str
    name: str


class DisputeOut(Schema):
    id: int
    number: str
    township: str = Field(description="乡镇区划代码")
    township_name: str
    village: str
    dispute_type: str
    source: str
    summary: str
    received_on: str
    risk_level: str
    level: str
    status: str
    status_label: str
    closed_on: str | None
    parties: list[PartyOut]


class DisputePage(Schema):
    items: list[DisputeOut]
    next_cursor: str | None = Field(description="下一页游标；最后一页为 null")


DisputeIn = body_schema("DisputeIn", forms.DisputeIntakeForm, doc="登记纠纷：与网页“登记纠纷”表单相同的字段。")


def dispute_out(d: Dispute) -> dict:
    return {"id": d.pk, "number": d.number, "township": d.township.code, "township_name": d.township.name,
            "village": d.village.name, "dispute_type": d.dispute_type.name, "source": d.source,
            "summary": d.summary, "received_on": d.received_on.isoformat(), "risk_level": d.risk_level,
            "level": d.level, "status": d.status, "status_label": d.get_status_display(),
            "closed_on": d.closed_on.isoformat() if d.closed_on else None,
            "parties": [{"side": p.side, "name": p.name} for p in d.parties.all()]}


def _visible(user):
    return selectors.dispute_list_for(user).select_related("township", "village", "dispute_type") \
        .prefetch_related("parties")


@op("GET", "/disputes", name="disputes", module="mediation", roles=READ_ROLES, summary="矛盾纠纷列表（游标分页）",
    response={200: DisputePage, **errors(400)})
def disputes(request, cursor: str | None = cursor_query(), limit: int = limit_query()):
    return page(_visible(request.user), cursor, limit, dispute_out)


@op("GET", "/disputes/form", name="dispute_form", module="mediation", roles=HANDLE_ROLES,
    summary="登记纠纷的表单字段与可选值（村、纠纷类型、来源……）", response={200: FormInfo, **errors()})
def dispute_form(request, township: str | None = township_query()):
    town = write_township(request.user, HANDLE_ROLES, township)
    form = forms.DisputeIntakeForm(user=request.user)
    form.fields["village"].queryset = form.fields["village"].queryset.filter(parent=town)
    return form_info(form, town)


@op("POST", "/disputes", name="dispute_create", module="mediation", roles=HANDLE_ROLES, write=True,
    summary="登记纠纷", response={201: DisputeOut, **errors()})
def dispute_new(request, payload: DisputeIn,
                idempotency_key: str = idempotency_header()):
    def write():
        form = forms.DisputeIntakeForm(as_form_data(form_data(payload)), user=request.user)
        c = valid_or_raise(form)
        d = dispute_create(actor=request.user, township=c["village"].parent, village=c["village"],
                           dispute_type=c["dispute_type"], summary=c["summary"], received_on=c["received_on"],
                           source=c["source"], risk_level=c["risk_level"], parties=form.parties())
        return dispute_out(_visible(request.user).get(pk=d.pk))

    return idempotent(request, idempotency_key, write)


@op("GET", "/disputes/{int:pk}", name="dispute", module="mediation", roles=READ_ROLES, model=Dispute,
    summary="一件纠纷", response={200: DisputeOut, **errors(404)})
def dispute(request, pk: int):
    return dispute_out(get_object_or_404(_visible(request.user), pk=pk))


def _handled(request, pk):
    return DISPUTE_FLOW.get_or_404(request.user, pk)


@op("GET", "/disputes/{int:pk}/steps/{step}", name="dispute_step", module="mediation", roles=HANDLE_ROLES,
    model=Dispute, url_kwargs=lambda d: {"pk": d.pk, "step": "start"}, summary="纠纷办理步骤：所需字段及能否办理",
    response={200: StepInfo, **errors(404)})
def dispute_step(request, pk: int, step: StepName = step_path()):  # noqa: B008 - ninja declares parameters as defaults
    return step_info(DISPUTE_FLOW, _handled(request, pk), step, request.user)


@op("POST", "/disputes/{int:pk}/steps/{step}", name="dispute_step_take", module="mediation", roles=STEP_ROLES,
    write=True, model=Dispute, url_kwargs=lambda d: {"pk": d.pk, "step": "start"},
    summary="办理纠纷步骤（开始调解、调解、协议、办结……与网页相同的表单和校验）", response={200: DisputeOut, **errors(404, 409)})
def dispute_step_take(request, payload: StepBody, pk: int, step: StepName = step_path(),  # noqa: B008 - ninja parameter
                      idempotency_key: str = idempotency_header()):
    obj = _handled(request, pk)

    def write():
        take_step(DISPUTE_FLOW, lambda **kw: dispute_transition(actor=request.user, dispute=obj, **kw), obj, step,
                  request.user, payload.data, payload.expected_status)
        return dispute_out(_visible(request.user).get(pk=obj.pk))

    return idempotent(request, idempotency_key, write, status=200)
