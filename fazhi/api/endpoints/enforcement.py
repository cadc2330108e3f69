"""Enforcement (行政执法): inspections (list, one, registration through the page's InspectionForm and
`inspection_create`) and cases (list, one, every workflow step through its own form and `case_transition`)."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from fazhi.api.base import errors, op
from fazhi.api.endpoints.steps import FormInfo, StepBody, StepInfo
from fazhi.api.helpers import (
    TOWNSHIP_FIELD,
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
from fazhi.enforcement import forms, permissions, selectors, services
from fazhi.enforcement.models import Case, Inspection
from fazhi.enforcement.workflow.cases import CASE_FLOW, case_transition

CASE_STEPS = tuple(s.name for s in CASE_FLOW.steps if s.page)
CaseStepName = Literal[CASE_STEPS]
CASE_STEP_ROLES = frozenset().union(*(s.roles for s in CASE_FLOW.steps if s.page))
DESCRIPTION = "下一页游标；最后一页为 null"


class InspectionOut(Schema):
    id: int
    township: str = Field(description="乡镇区划代码")
    township_name: str
    kind: str
    date: str
    village: str | None
    place: str
    subject: str
    findings: str
    result: str
    officers: list[str]
    published_on: str | None


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_cursor: str | None = Field(description=DESCRIPTION)


class CaseOut(Schema):
    id: int
    township: str = Field(description="乡镇区划代码")
    township_name: str
    number: str
    year: int
    procedure: str
    status: str
    status_label: str
    title: str
    power: str
    source: str
    party_kind: str
    party_name: str
    discovered_on: str
    filed_on: str | None


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None = Field(description=DESCRIPTION)


InspectionIn = body_schema("InspectionIn", forms.InspectionForm, extra=TOWNSHIP_FIELD,
                           doc="登记日常巡查：与网页“登记巡查”表单相同的字段（至少2名持证执法人员）。")


def _iso(day):
    return day.isoformat() if day else None


def inspection_out(i: Inspection) -> dict:
    return {"id": i.pk, "township": i.township.code, "township_name": i.township.name, "kind": i.kind,
            "date": i.date.isoformat(), "village": i.village.name if i.village_id else None, "place": i.place,
            "subject": i.subject, "findings": i.findings, "result": i.result,
            "officers": [o.name for o in i.officers.all()], "published_on": _iso(i.published_on)}


def case_out(c: Case) -> dict:
    return {"id": c.pk, "township": c.township.code, "township_name": c.township.name, "number": c.number,
            "year": c.year, "procedure": c.procedure, "status": c.status, "status_label": c.get_status_display(),
            "title": c.title, "power": str(c.power), "source": c.source, "party_kind": c.party_kind,
            "party_name": c.party_name, "discovered_on": c.discovered_on.isoformat(), "filed_on": _iso(c.filed_on)}


def _inspections(user):
    return selectors.inspection_list_for(user).prefetch_related("officers")


@op("GET", "/inspections", name="inspections", module="enforcement", roles=permissions.READ,
    summary="巡查检查列表（游标分页）", response={200: InspectionPage, **errors(400)})
def inspections(request, cursor: str | None = cursor_query(), limit: int = limit_query()):
    return page(_inspections(request.user), cursor, limit, inspection_out)


@op("GET", "/inspections/form", name="inspection_form", module="enforcement", roles=permissions.CASE_WRITE,
    summary="登记日常巡查的表单字段与可选值（村、执法人员、检查对象、抽查事项）", response={200: FormInfo, **errors()})
def inspection_form(request, township: str | None = township_query()):
    town = write_township(request.user, permissions.CASE_WRITE, township)
    return form_info(forms.InspectionForm.for_township(request.user, town), town)


@op("POST", "/inspections", name="inspection_create", module="enforcement", roles=permissions.CASE_WRITE,
    write=True, summary="登记日常巡查", response={201: InspectionOut, **errors()})
def inspection_new(request, payload: InspectionIn, idempotency_key: str = idempotency_header()):
    def write():
        town = write_township(request.user, permissions.CASE_WRITE, payload.township)
        form = forms.InspectionForm.for_township(request.user, town, as_form_data(form_data(payload)))
        d = dict(valid_or_raise(form))
        officers = d.pop("officers")
        ins = services.inspection_create(actor=request.user, township=town, officers=officers, **d)
        return inspection_out(_inspections(request.user).get(pk=ins.pk))

    return idempotent(request, idempotency_key, write)


@op("GET", "/inspections/{int:pk}", name="inspection", module="enforcement", roles=permissions.READ,
    model=Inspection, summary="一次巡查检查", response={200: InspectionOut, **errors(404)})
def inspection(request, pk: int):
    return inspection_out(get_object_or_404(_inspections(request.user), pk=pk))


def _cases(user):
    return selectors.case_list_for(user)


@op("GET", "/cases", name="cases", module="enforcement", roles=permissions.READ,
    summary="行政执法案件列表（游标分页）", response={200: CasePage, **errors(400)})
def cases(request, cursor: str | None = cursor_query(), limit: int = limit_query()):
    return page(_cases(request.user), cursor, limit, case_out)


@op("GET", "/cases/{int:pk}", name="case", module="enforcement", roles=permissions.READ, model=Case,
    summary="一件行政执法案件", response={200: CaseOut, **errors(404)})
def case(request, pk: int):
    return case_out(get_object_or_404(_cases(request.user), pk=pk))


@op("GET", "/cases/{int:pk}/steps/{step}", name="case_step", module="enforcement", roles=CASE_FLOW.read_roles,
    model=Case, url_kwargs=lambda c: {"pk": c.pk, "step": "edit"}, summary="案件办理步骤：所需字段及能否办理",
    response={200: StepInfo, **errors(404)})
def case_step(request, pk: int, step: CaseStepName = step_path()):  # noqa: B008 - ninja declares parameters as defaults
    return step_info(CASE_FLOW, CASE_FLOW.get_or_404(request.user, pk), step, request.user)


@op("POST", "/cases/{int:pk}/steps/{step}", name="case_step_take", module="enforcement", roles=CASE_STEP_ROLES, write=True, model=Case,
    url_kwargs=lambda c: {"pk": c.pk, "step": "edit"},
    summary="办理案件步骤（立案审批、告知、法制审核、决定、送达、执行、结案……与网页相同的表单和法定校验）",
    response={200: CaseOut, **errors(404, 409)})
def case_step_take(request, payload: StepBody, pk: int, step: CaseStepName = step_path(),  # noqa: B008 - ninja parameter
                   idempotency_key: str = idempotency_header()):
    obj = CASE_FLOW.get_or_404(request.user, pk)

    def write():
        take_step(CASE_FLOW, lambda **kw: case_transition(actor=request.user, case=obj, **kw), obj, step,
                  request.user, payload.data, payload.expected_status)
        return case_out(_cases(request.user).get(pk=obj.pk))

    return idempotent(request, idempotency_key, write, status=200)
