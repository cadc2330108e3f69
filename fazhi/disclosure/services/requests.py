"""Filing a request for government information (依申请公开, 条例第二十九条、第三十一条): on the portal or at
the office. Its handling afterwards is the request workflow (`fazhi.disclosure.workflow.requests`)."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import audit_create
from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.writes import clean, require_role
from fazhi.disclosure.deadlines import answer_deadline, request_todo_due
from fazhi.disclosure.models import (
    DESCRIPTION_MAX,
    ApplicantKind,
    Channel,
    DeliveryForm,
    InfoRequest,
    RequestStatus,
    RequestTransition,
)
from fazhi.disclosure.permissions import WRITE_ROLES
from fazhi.disclosure.sanitize import plain_text

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
_IDNUM = re.compile(r"^[0-9A-Za-z\-]{4,40}$")


def new_tracking_no() -> str:
    """12 random characters (60 bits) in three groups: unguessable, easy to read out by phone."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_tracking_no(value: str) -> str:
    raw = re.sub(r"[^0-9A-Za-z]", "", value or "").upper()[:12]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else ""


def _applicant_fields(data: dict) -> dict:
    """Clean and check what an applicant typed (public form or staff entry)."""
    out = {
        "applicant_kind": data.get("applicant_kind") or ApplicantKind.PERSON,
        "applicant_name": plain_text(data.get("applicant_name", ""), 100, multiline=False),
        "id_type": plain_text(data.get("id_type", ""), 30, multiline=False) or "居民身份证",
        "id_number": plain_text(data.get("id_number", ""), 40, multiline=False),
        "contact_phone": plain_text(data.get("contact_phone", ""), 30, multiline=False),
        "contact_email": plain_text(data.get("contact_email", ""), 254, multiline=False),
        "contact_address": plain_text(data.get("contact_address", ""), 200, multiline=False),
        "description": plain_text(data.get("description", ""), DESCRIPTION_MAX),
        "delivery_form": data.get("delivery_form") or DeliveryForm.ELECTRONIC,
    }
    if out["applicant_kind"] not in ApplicantKind.values:
        raise DomainError("申请人类型不正确。")
    if out["delivery_form"] not in DeliveryForm.values:
        raise DomainError("获取信息方式不正确。")
    if not out["applicant_name"]:
        raise DomainError("请填写申请人姓名或名称（条例第二十九条）。")
    if not _IDNUM.match(out["id_number"]):
        raise DomainError("请填写正确的身份证件号码或统一社会信用代码（条例第二十九条）。")
    if not _PHONE.match(out["contact_phone"]):
        raise DomainError("请填写正确的联系电话。")
    if out["contact_email"]:
        try:
            validate_email(out["contact_email"])
        except ValidationError:
            raise DomainError("电子邮箱格式不正确。") from None
    if out["delivery_form"] == DeliveryForm.ELECTRONIC and not out["contact_email"]:
        raise DomainError("选择电子文档方式获取的，请填写电子邮箱。")
    if out["delivery_form"] == DeliveryForm.POST and not out["contact_address"]:
        raise DomainError("选择邮寄方式获取的，请填写通信地址。")
    if len(out["description"]) < 5:
        raise DomainError("请写明所需政府信息的名称、文号或者便于查询的其他特征性描述（条例第二十九条）。")
    return out


def _township(township) -> Region:
    if not isinstance(township, Region) or township.level != RegionLevel.TOWNSHIP:
        raise DomainError("请选择受理申请的乡镇。")
    return township


def _unique_tracking_no() -> str:
    """A fresh candidate; `numbering.save_unique` draws again if a concurrent request took it meanwhile."""
    for _ in range(10):
        no = new_tracking_no()
        if not InfoRequest.objects.filter(tracking_no=no).exists():
            return no
    raise DomainError("系统繁忙，请稍后再试。")


@transaction.atomic
def request_submit_public(*, township, data: dict) -> InfoRequest:
    """A request filed on the portal. It counts as received once the office confirms it (Art. 31(3))."""
    township = _township(township)
    fields = _applicant_fields(data)
    req = InfoRequest(township=township, tracking_no=_unique_tracking_no(), channel=Channel.ONLINE,
                      status=RequestStatus.SUBMITTED, submitted_at=timezone.now(), **fields)
    req.todo_due = request_todo_due(req)
    clean(req, exclude=["tracking_no"])  # unique on save: numbering.save_unique draws again
    numbering.save_unique(req, field="tracking_no", make=new_tracking_no)
    RequestTransition.objects.create(request=req, actor=None, from_status="", to_status=RequestStatus.SUBMITTED,
                                     reason="申请人通过门户网站提交")
    audit_create(actor=None, obj=req, reason="门户网站提交")
    return req


@transaction.atomic
def request_create(*, actor, township, channel: str, received_on: dt.date, data: dict,
                   today: dt.date | None = None) -> InfoRequest:
    """A request received at the office (in person, by post, by fax): staff enter it with its receipt date."""
    township = _township(township)
    require_role(actor, township, WRITE_ROLES, "您无权在该乡镇登记政府信息公开申请。")
    today = today or timezone.localdate()
    if channel not in Channel.values:
        raise DomainError("提交渠道不正确。")
    if received_on is None or received_on > today:
        raise DomainError("收到申请日期不能为空，也不能晚于今天。")
    fields = _applicant_fields(data)
    req = InfoRequest(township=township, tracking_no=_unique_tracking_no(), channel=channel, status=RequestStatus.RECEIVED,
                      received_on=received_on, handled_by=actor, **fields)
    req.answer_due = answer_deadline(req, stops=[], today=today).due
    req.todo_due = request_todo_due(req)
    clean(req, exclude=["tracking_no"])  # unique on save: numbering.save_unique draws again
    numbering.save_unique(req, field="tracking_no", make=new_tracking_no)
    RequestTransition.objects.create(request=req, actor=actor, from_status="", to_status=RequestStatus.RECEIVED,
                                     reason=f"登记（{req.get_channel_display()}）")
    audit_create(actor=actor, obj=req)
    return req
