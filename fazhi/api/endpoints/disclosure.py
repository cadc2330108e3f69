"""Information requests (政府信息公开申请): list, one, and staff entry through the page's StaffRequestForm and
`request_create` (the statutory answer deadline is derived by the service, as on the page)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from fazhi.api.base import errors, op
from fazhi.api.helpers import (
    TOWNSHIP_FIELD,
    as_form_data,
    body_schema,
    cursor_query,
    form_data,
    idempotency_header,
    idempotent,
    limit_query,
    page,
    valid_or_raise,
    write_township,
)
from fazhi.disclosure import selectors
from fazhi.disclosure.forms import StaffRequestForm
from fazhi.disclosure.models import InfoRequest
from fazhi.disclosure.permissions import READ_ROLES, WRITE_ROLES
from fazhi.disclosure.services.requests import request_create


class InfoRequestOut(Schema):
    id: int
    township: str = Field(description="乡镇区划代码")
    township_name: str
    tracking_no: str = Field(description="查询码（申请人凭此查询办理进度）")
    applicant_kind: str
    applicant_name: str
    channel: str
    received_on: str | None
    description: str
    delivery_form: str
    status: str
    status_label: str
    answer_due: str | None = Field(description="法定答复期限（由收到日期、补正、延期推算）")
    reply_type: str
    reply_on: str | None
    closed_on: str | None


class InfoRequestPage(Schema):
    items: list[InfoRequestOut]
    next_cursor: str | None = Field(description="下一页游标；最后一页为 null")


InfoRequestIn = body_schema("InfoRequestIn", StaffRequestForm, extra=TOWNSHIP_FIELD,
                            doc="登记当面、邮寄、传真等渠道收到的政府信息公开申请：与网页“登记申请”表单相同的字段。")


def _iso(day):
    return day.isoformat() if day else None


def request_out(r: InfoRequest) -> dict:
    return {"id": r.pk, "township": r.township.code, "township_name": r.township.name, "tracking_no": r.tracking_no,
            "applicant_kind": r.applicant_kind, "applicant_name": r.applicant_name, "channel": r.channel,
            "received_on": _iso(r.received_on), "description": r.description, "delivery_form": r.delivery_form,
            "status": r.status, "status_label": r.get_status_display(), "answer_due": _iso(r.answer_due),
            "reply_type": r.reply_type, "reply_on": _iso(r.reply_on), "closed_on": _iso(r.closed_on)}


def _visible(user):
    return selectors.request_list_for(user).select_related("township")


@op("GET", "/information-requests", name="info_requests", module="disclosure", roles=READ_ROLES,
    summary="政府信息公开申请列表（游标分页）", response={200: InfoRequestPage, **errors(400)})
def info_requests(request, cursor: str | None = cursor_query(), limit: int = limit_query()):
    return page(_visible(request.user), cursor, limit, request_out)


@op("POST", "/information-requests", name="info_request_create", module="disclosure", roles=WRITE_ROLES,
    write=True, summary="登记政府信息公开申请", response={201: InfoRequestOut, **errors()})
def info_request_new(request, payload: InfoRequestIn, idempotency_key: str = idempotency_header()):
    def write():
        town = write_township(request.user, WRITE_ROLES, payload.township)
        data = dict(valid_or_raise(StaffRequestForm(as_form_data(form_data(payload)))))
        channel, received_on = data.pop("channel"), data.pop("received_on")
        req = request_create(actor=request.user, township=town, channel=channel, received_on=received_on, data=data)
        return request_out(_visible(request.user).get(pk=req.pk))

    return idempotent(request, idempotency_key, write)


@op("GET", "/information-requests/{int:pk}", name="info_request", module="disclosure", roles=READ_ROLES,
    model=InfoRequest, summary="一件政府信息公开申请", response={200: InfoRequestOut, **errors(404)})
def info_request(request, pk: int):
    return request_out(get_object_or_404(_visible(request.user), pk=pk))
