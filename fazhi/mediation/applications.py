"""Online applications for mediation (申请调解) from the public portal: submit (hostile input), accept into
the dispute ledger (source 网上申请) or decline with the reason, and the applicant's status by tracking code
— with no personal data on the public side."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import nh3
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.services import audit_create, audit_record
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.scope import scope_q
from fazhi.core.todo import TodoItem
from fazhi.mediation.models import Application, ApplicationPhoto, Dispute
from fazhi.mediation.roles import HANDLE_ROLES

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
MAX_PHOTOS, MAX_PHOTO_BYTES = 3, 5 * 1024 * 1024
IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
ROUTES = "可以依法申请仲裁、向人民法院提起诉讼，或向有关行政机关申请处理。"
# 人民调解法 Art. 17 (mediation is voluntary) and Art. 18 (matters for other channels): the reasons the
# committee may give for not mediating.
DECLINE_REASONS = {
    "refused": "对方当事人明确拒绝调解（人民调解法第十七条：当事人一方明确拒绝调解的，不得调解）",
    "litigation": "纠纷已由人民法院、公安机关或其他行政机关依法受理或处理（人民调解法第十八条）",
    "not_civil": "申请事项不属于民间纠纷，不适用人民调解，已告知其他解决途径",
    "duplicate": "同一纠纷已在调解中，本申请已合并办理",
}


def _clean(text: str, limit: int) -> str:
    return nh3.clean(str(text or ""), tags=set()).replace("\x00", "").strip()[:limit]


def _code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _sniff(photo) -> str:
    head = photo.read(16)
    photo.seek(0)
    for magic, kind in IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    raise DomainError("照片只能是 JPG 或 PNG 格式。")


def application_submit_public(*, township, data: dict, photos=()) -> Application:
    """A resident applies; everything typed is treated as hostile (markup stripped, lengths capped)."""
    if township.level != RegionLevel.TOWNSHIP:
        raise DomainError("请选择乡镇。")
    village = data.get("village")
    if village is None or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    photos = [p for p in photos if p]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(f"最多上传{MAX_PHOTOS}张照片。")
    kinds = []
    for p in photos:
        if p.size > MAX_PHOTO_BYTES:
            raise DomainError("每张照片不能超过5MB。")
        kinds.append(_sniff(p))
    fields = {
        "applicant_name": _clean(data.get("applicant_name"), 64), "applicant_phone": _clean(data.get("applicant_phone"), 20),
        "applicant_address": _clean(data.get("applicant_address"), 200), "other_party": _clean(data.get("other_party"), 64),
        "other_party_phone": _clean(data.get("other_party_phone"), 20), "facts": _clean(data.get("facts"), 2000),
        "wish": _clean(data.get("wish"), 1000)}
    for key, label in (("applicant_name", "申请人姓名"), ("applicant_phone", "联系电话"), ("other_party", "对方当事人"),
                       ("facts", "纠纷经过"), ("wish", "调解请求")):
        if not fields[key]:
            raise DomainError(f"请填写{label}。")
    for _ in range(5):  # a random code can collide; try again rather than fail
        try:
            with transaction.atomic():
                app = Application(township=township, village=village, tracking_code=_code(), **fields)
                app.full_clean(exclude=["tracking_code"])
                app.save()
                for p, kind in zip(photos, kinds, strict=True):
                    h = hashlib.sha256()
                    for chunk in p.chunks():
                        h.update(chunk)
                    p.seek(0)
                    ApplicationPhoto.objects.create(township=township, application=app, image=p, sha256=h.hexdigest(),
                                                    content_type=kind)
                audit_create(actor=None, obj=app, reason="公众网上申请调解")
                return app
        except IntegrityError:
            continue
    raise DomainError("系统繁忙，请稍后再试。")


def _pending(application: Application) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status != Application.Status.SUBMITTED:
        raise DomainError("该申请已被他人处理，请刷新页面。")
    return app


def application_accept(*, actor, application: Application, dispute_type, risk_level: str = Dispute.Risk.LOW,
                       today: dt.date | None = None) -> Dispute:
    """Into the dispute ledger, through the same service as a dispute typed at the office."""
    from fazhi.mediation.services import dispute_create

    today = today or timezone.localdate()
    with transaction.atomic():
        app = _pending(application)
        parties = [{"name": app.applicant_name, "phone": app.applicant_phone, "address": app.applicant_address,
                    "side": "applicant"},
                   {"name": app.other_party, "phone": app.other_party_phone, "side": "respondent"}]
        d = dispute_create(actor=actor, township=app.township, village=app.village, dispute_type=dispute_type,
                           summary=f"{app.facts}\n调解请求：{app.wish}", received_on=today,
                           source=Dispute.Source.ONLINE, risk_level=risk_level, parties=parties)
        app.status, app.dispute, app.handled_by, app.handled_on = Application.Status.ACCEPTED, d, actor, today
        app.save()
        audit_record(actor=actor, action="transition", obj=app, reason=f"受理为纠纷{d.number}",
                     changes={"status": ["待受理", "已受理"]})
    return d


def application_decline(*, actor, application: Application, reason_key: str, note: str = "",
                        today: dt.date | None = None) -> Application:
    from fazhi.mediation.services import require_handler

    today = today or timezone.localdate()
    if reason_key not in DECLINE_REASONS:
        raise DomainError("请选择不予受理的理由。")
    with transaction.atomic():
        app = _pending(application)
        require_handler(actor, app.township, app.village)
        app.status, app.handled_by, app.handled_on = Application.Status.DECLINED, actor, today
        app.decline_reason = DECLINE_REASONS[reason_key] + (f"。{_clean(note, 500)}" if note.strip() else "")
        app.save()
        audit_record(actor=actor, action="transition", obj=app, reason=app.decline_reason,
                     changes={"status": ["待受理", "不予受理"]})
    return app


# ---- reads -------------------------------------------------------------------------------------------


def applications_for(user):
    return Application.objects.filter(scope_q(user, Application, roles=HANDLE_ROLES)).select_related(
        "village", "township", "dispute")


def _mask(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def public_status(code: str) -> dict | None:
    """What the applicant may see: township, dates, the stage in words, the routes left open. No names
    beyond a masked initial, no phone, no facts."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) == 12:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    app = Application.objects.filter(tracking_code=code).select_related("township", "dispute").first()
    if app is None:
        return None
    out = {"township": app.township.name, "submitted_on": timezone.localtime(app.created_at).date(),
           "applicant": _mask(app.applicant_name), "note": ""}
    if app.status == Application.Status.SUBMITTED:
        out["stage"] = "已提交，等待调解组织受理"
    elif app.status == Application.Status.DECLINED:
        out["stage"], out["note"] = "不予受理", f"{app.decline_reason}。{ROUTES}"
    else:
        d = app.dispute
        stage = {Dispute.Status.RECEIVED: "已受理", Dispute.Status.MEDIATING: "调解中",
                 Dispute.Status.RESOLVED: "已达成调解协议", Dispute.Status.NOT_RESOLVED: "未达成协议（调解终止）",
                 Dispute.Status.NOT_ACCEPTED: "调解终止（当事人拒绝调解）"}[d.status]
        out["stage"] = stage
        if d.status == Dispute.Status.RESOLVED:
            out["note"] = "达成书面协议的，双方可自协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法第三十三条）。"
        elif d.status in (Dispute.Status.NOT_RESOLVED, Dispute.Status.NOT_ACCEPTED):
            out["note"] = ROUTES
    return out


def todo_provider(user, today: dt.date, horizon_days: int):
    """Every online application waiting to be accepted, for the township's mediators (due: 3 days after)."""
    for app in applications_for(user).filter(status=Application.Status.SUBMITTED)[:100]:
        day = timezone.localtime(app.created_at).date()
        yield TodoItem("矛盾纠纷", f"网上调解申请待受理：{app.village.name} {app.applicant_name}",
                       day + dt.timedelta(days=3), reverse("mediation:application_detail", args=[app.pk]),
                       "及时受理或告知不予受理的理由（本地工作要求）")
