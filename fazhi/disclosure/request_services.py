"""Writes for requests for government information (依申请公开, 条例第四章).

One workflow service, `request_transition(req, action=...)`: every action maps to a status move in
`REQUEST_WORKFLOW` and writes the transition row and the audit entry (fazhi.core.workflow).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create
from fazhi.core import numbering
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import can_act_in
from fazhi.core.workflow import Workflow, transition
from fazhi.disclosure.deadlines import (
    answer_deadline,
    correction_deadline,
    settings_for,
    third_party_deadline,
)
from fazhi.disclosure.models import (
    ApplicantKind,
    Channel,
    ClockStop,
    DeliveryForm,
    ExemptReason,
    InfoRequest,
    ReplyType,
    RequestStatus,
    RequestTransition,
)
from fazhi.disclosure.sanitize import plain_text

WRITE_ROLES = frozenset({Role.LEGAL_STAFF, Role.LEADER, Role.ADMIN})
S = RequestStatus

REQUEST_WORKFLOW = Workflow(
    "info_request",
    allowed={
        S.SUBMITTED: {S.RECEIVED, S.WITHDRAWN},
        # RECEIVED → RECEIVED is the approved extension (条例第三十三条第二款): the clock runs on.
        S.RECEIVED: {S.RECEIVED, S.CORRECTION, S.CONSULTING, S.ANSWERED, S.WITHDRAWN},
        S.CORRECTION: {S.RECEIVED, S.WITHDRAWN},
        S.CONSULTING: {S.RECEIVED},
        S.ANSWERED: set(),
        S.WITHDRAWN: set(),
    },
    labels=dict(S.choices),
)

ACTIONS = {
    "confirm": (S.RECEIVED, "确认收到申请"),
    "correction": (S.CORRECTION, "一次性告知补正"),
    "corrected": (S.RECEIVED, "收到补正申请"),
    "consult": (S.CONSULTING, "征求第三方意见"),
    "consult_end": (S.RECEIVED, "第三方意见已收到/期满"),
    "extend": (S.RECEIVED, "延长答复期限"),
    "answer": (S.ANSWERED, "作出答复"),
    "withdraw": (S.WITHDRAWN, "撤回/视为放弃申请"),
}

# What each reply type must carry (条例第三十六条、第三十七条).
REPLY_REQUIRES = {
    ReplyType.ALREADY_PUBLIC: [("where_public", "请写明获取该信息的方式和途径（第三十六条第一项）。")],
    ReplyType.PROVIDED: [],
    ReplyType.NOT_DISCLOSED: [("exempt_reason", "请选择不予公开的理由（第三十六条第三项）。"),
                              ("legal_basis", "请写明不予公开的法律依据。")],
    ReplyType.NOT_EXIST: [],
    ReplyType.NOT_OURS: [("right_agency", "请写明负责公开该信息的行政机关名称和联系方式（第三十六条第五项）。")],
    ReplyType.REPEAT: [],
    ReplyType.SPECIAL_CHANNEL: [("special_channel", "请写明按特别规定获取信息的渠道（第三十六条第七项）。")],
    ReplyType.PARTIAL: [("exempt_reason", "请选择不予公开部分的理由（第三十七条）。"),
                        ("legal_basis", "请写明不予公开部分的法律依据。")],
}

_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_PHONE = re.compile(r"^[0-9+\-() ]{5,30}$")
_IDNUM = re.compile(r"^[0-9A-Za-z\-]{4,40}$")
DESCRIPTION_MAX = 4000


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


def _full_clean(req) -> None:
    try:
        req.full_clean(exclude=["tracking_no"])  # unique on save: numbering.save_unique draws again
    except ValidationError as e:
        problems = "；".join(f"{req._meta.get_field(f).verbose_name}：{'、'.join(m)}"
                            for f, m in e.message_dict.items() if f != "__all__")
        raise DomainError(f"提交的内容不符合要求（{problems}）。") from None


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
                      status=S.SUBMITTED, submitted_at=timezone.now(), **fields)
    _full_clean(req)
    numbering.save_unique(req, field="tracking_no", make=new_tracking_no)
    RequestTransition.objects.create(request=req, actor=None, from_status="", to_status=S.SUBMITTED,
                                     reason="申请人通过门户网站提交")
    audit_create(actor=None, obj=req, reason="门户网站提交")
    return req


@transaction.atomic
def request_create(*, actor, township, channel: str, received_on: dt.date, data: dict,
                   today: dt.date | None = None) -> InfoRequest:
    """A request received at the office (in person, by post, by fax): staff enter it with its receipt date."""
    township = _township(township)
    if not can_act_in(actor, township, WRITE_ROLES):
        raise DomainError("您无权在该乡镇登记政府信息公开申请。")
    today = today or timezone.localdate()
    if channel not in Channel.values:
        raise DomainError("提交渠道不正确。")
    if received_on is None or received_on > today:
        raise DomainError("收到申请日期不能为空，也不能晚于今天。")
    fields = _applicant_fields(data)
    req = InfoRequest(township=township, tracking_no=_unique_tracking_no(), channel=channel, status=S.RECEIVED,
                      received_on=received_on, handled_by=actor, **fields)
    req.answer_due = answer_deadline(req, stops=[], today=today).due
    _full_clean(req)
    numbering.save_unique(req, field="tracking_no", make=new_tracking_no)
    RequestTransition.objects.create(request=req, actor=actor, from_status="", to_status=S.RECEIVED,
                                     reason=f"登记（{req.get_channel_display()}）")
    audit_create(actor=actor, obj=req)
    return req


def _date(data: dict, key: str, today: dt.date, label: str) -> dt.date:
    value = data.get(key) or today
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise DomainError(f"{label}格式不正确。") from None
    if value > today:
        raise DomainError(f"{label}不能晚于今天。")
    return value


def _is_leader_of(user, township) -> bool:
    return user is not None and can_act_in(user, township, {Role.LEADER})


def request_transition(req: InfoRequest, *, actor, action: str, reason: str = "", data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> InfoRequest:
    """Every change of a request's handling. Refuses with DomainError (nothing changed)."""
    if action not in ACTIONS:
        raise DomainError("未知的办理操作。")
    if not can_act_in(actor, req.township, WRITE_ROLES):
        raise DomainError("您无权办理该乡镇的政府信息公开申请。")
    to, label = ACTIONS[action]
    data = dict(data or {})
    today = today or timezone.localdate()
    reason = plain_text(reason, 2000)
    conf = settings_for(req.township)
    text = {k: plain_text(v, 2000) if isinstance(v, str) else v for k, v in data.items()}
    guards, applies = [], []

    if action == "confirm":
        received_on = _date(data, "received_on", today, "收到申请日期")

        def g(locked):
            if locked.submitted_at and received_on < timezone.localtime(locked.submitted_at).date():
                raise DomainError("收到申请日期不能早于申请人提交之日。")
        guards.append(g)
        applies.append(lambda r: setattr(r, "received_on", received_on))

    elif action == "correction":
        note = text.get("correction_note", "")
        requested_on = _date(data, "correction_requested_on", today, "告知补正日期")

        def g(locked):
            if locked.correction_requested_on:
                raise DomainError("条例第三十条规定补正只能一次性告知，本申请已告知过补正。")
            if not note:
                raise DomainError("请写明需要补正的事项和合理的补正期限。")
            limit = correction_deadline(locked, conf)
            if requested_on < locked.received_on:
                raise DomainError("告知补正日期不能早于收到申请日期。")
            if requested_on > limit.due:
                raise DomainError(f"已超过告知补正的期限（{limit}），不能再要求补正，请按原申请办理。")
        guards.append(g)
        applies.append(lambda r: (setattr(r, "correction_requested_on", requested_on),
                                  setattr(r, "correction_note", note)))

    elif action == "corrected":
        corrected_on = _date(data, "corrected_on", today, "收到补正日期")
        desc = plain_text(data.get("corrected_description", ""), DESCRIPTION_MAX)

        def g(locked):
            if corrected_on < locked.correction_requested_on:
                raise DomainError("收到补正日期不能早于告知补正日期。")
            if len(desc) < 5:
                raise DomainError("请填写补正后的申请内容。")
        guards.append(g)
        applies.append(lambda r: (setattr(r, "corrected_on", corrected_on),
                                  setattr(r, "corrected_description", desc)))

    elif action == "consult":
        started_on = _date(data, "started_on", today, "发出征求意见日期")
        party = text.get("third_party", "")
        stop_kind = data.get("kind") or "third_party"

        def g(locked):
            if not party:
                raise DomainError("请填写被征求意见的第三方。")
            if stop_kind not in {"third_party", "agency"}:
                raise DomainError("征求意见对象无效。")
            if started_on < locked.clock_start:
                raise DomainError("征求意见日期不能早于收到申请日期。")
        guards.append(g)
        applies.append(lambda r: ClockStop.objects.create(
            township=r.township, request=r, third_party=party[:100], started_on=started_on, kind=stop_kind,
            reason="征求第三方意见" if stop_kind == "third_party" else "征求其他机关意见"))

    elif action == "consult_end":
        ended_on = _date(data, "ended_on", today, "收到意见日期")
        opinion = text.get("opinion", "")

        def g(locked):
            stop = locked.clock_stops.filter(ended_on__isnull=True).first()
            if stop is None:
                raise DomainError("没有进行中的征求意见。")
            if ended_on < stop.started_on:
                raise DomainError("收到意见日期不能早于发出征求意见日期。")

        def a(r):
            stop = r.clock_stops.filter(ended_on__isnull=True).first()
            stop.ended_on, stop.opinion = ended_on, opinion
            stop.save(update_fields=["ended_on", "opinion", "updated_at"])
        guards.append(g)
        applies.append(a)

    elif action == "extend":
        try:
            days = int(data.get("extension_days") or 0)
        except (TypeError, ValueError):
            days = 0
        approver = data.get("approved_by")
        ext_reason = text.get("extension_reason", "") or reason

        def g(locked):
            if locked.extension_days:
                raise DomainError("条例第三十三条只允许延长一次，本申请已经延期。")
            if not 1 <= days <= conf.extension_max_working_days:
                raise DomainError(f"延长期限应为1至{conf.extension_max_working_days}个工作日。")
            if not ext_reason:
                raise DomainError("请填写延期理由。")
            if not _is_leader_of(approver, locked.township):
                raise DomainError("延期须经政府信息公开工作机构负责人（乡镇领导）同意，请选择批准人。")
            current = answer_deadline(locked, conf=conf, today=today)
            if today > current.due:
                raise DomainError(f"答复期限已于{current.deadline}届满，不能再延期。")
        guards.append(g)
        applies.append(lambda r: (setattr(r, "extension_days", days), setattr(r, "extension_reason", ext_reason),
                                  setattr(r, "extension_approved_by", approver), setattr(r, "extension_on", today)))

    elif action == "answer":
        reply_on = _date(data, "reply_on", today, "答复日期")
        reply_type = data.get("reply_type", "")
        fee = data.get("fee_amount") or 0
        try:
            fee = Decimal(str(fee))
        except InvalidOperation:
            raise DomainError("信息处理费金额不正确。") from None

        def g(locked):
            if reply_type not in ReplyType.values:
                raise DomainError("请选择答复类型（条例第三十六条、第三十七条）。")
            for key, message in REPLY_REQUIRES[reply_type]:
                if not text.get(key):
                    raise DomainError(message)
            if text.get("exempt_reason") and text["exempt_reason"] not in ExemptReason.values:
                raise DomainError("不予公开理由不正确。")
            if reply_on < locked.clock_start:
                raise DomainError("答复日期不能早于收到申请日期。")
            if fee < 0:
                raise DomainError("信息处理费不能为负数。")

        def a(r):
            r.reply_type, r.reply_on, r.fee_amount, r.closed_on = reply_type, reply_on, fee, reply_on
            for key in ("reply_text", "where_public", "legal_basis", "right_agency", "special_channel"):
                setattr(r, key, text.get(key, "")[:300] if key != "reply_text" else text.get(key, ""))
            r.exempt_reason = text.get("exempt_reason", "") if reply_type in (
                ReplyType.NOT_DISCLOSED, ReplyType.PARTIAL) else ""
            r.handled_by = r.handled_by or actor
        guards.append(g)
        applies.append(a)

    elif action == "withdraw":
        def g(locked):
            if not reason:
                raise DomainError("请填写撤回或视为放弃的原因（如申请人逾期不补正，条例第三十条）。")
        guards.append(g)
        applies.append(lambda r: setattr(r, "closed_on", today))

    def on_apply(locked):
        for fn in applies:
            fn(locked)
        deadline = answer_deadline(locked, conf=conf, today=today) if locked.status != S.CORRECTION else None
        locked.answer_due = deadline.due if deadline else None
        if locked.status == S.CONSULTING:
            # Stored for the overdue ledger and statistics: the latest the answer can be due, i.e. the
            # third party uses its whole period (the clock runs again once that period is over).
            stop = locked.clock_stops.filter(ended_on__isnull=True).first()
            latest = (third_party_deadline(stop, conf).due if stop.kind == "third_party" else today) \
                + dt.timedelta(days=1)
            locked.answer_due = answer_deadline(locked, conf=conf, today=max(today, latest)).due
        if action == "answer":
            locked.answered_late = locked.reply_on > deadline.due

    return transition(req, workflow=REQUEST_WORKFLOW, to=to, actor=actor, record_model=RequestTransition,
                      record_fk="request", reason=reason or label, guards=guards, expected_status=expected_status,
                      on_apply=on_apply)
