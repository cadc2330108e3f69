"""Online applications for mediation (申请调解) from the public portal: submit (hostile input). Accepting
one into the dispute ledger (source 网上申请) or declining it with the reason are steps of
`workflow.APPLICATION_FLOW`; the applicant's status by tracking code is `selectors.public_status`."""

from __future__ import annotations

import hashlib
import secrets

import nh3
from django.db import IntegrityError, transaction

from fazhi.audit.services import audit_create
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.writes import clean
from fazhi.mediation.models import Application, ApplicationPhoto

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone
MAX_PHOTOS, MAX_PHOTO_BYTES = 3, 5 * 1024 * 1024
IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}
# 人民调解法 Art. 17 (mediation is voluntary) and Art. 18 (matters for other channels): the reasons the
# committee may give for not mediating.
DECLINE_REASONS = {
    "refused": "对方当事人明确拒绝调解（人民调解法第十七条：当事人一方明确拒绝调解的，不得调解）",
    "litigation": "纠纷已由人民法院、公安机关或其他行政机关依法受理或处理（人民调解法第十八条）",
    "not_civil": "申请事项不属于民间纠纷，不适用人民调解，已告知其他解决途径",
    "duplicate": "同一纠纷已在调解中，本申请已合并办理",
}


def clean_text(text: str, limit: int) -> str:
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
        "applicant_name": clean_text(data.get("applicant_name"), 64), "applicant_phone": clean_text(data.get("applicant_phone"), 20),
        "applicant_address": clean_text(data.get("applicant_address"), 200), "other_party": clean_text(data.get("other_party"), 64),
        "other_party_phone": clean_text(data.get("other_party_phone"), 20), "facts": clean_text(data.get("facts"), 2000),
        "wish": clean_text(data.get("wish"), 1000)}
    for key, label in (("applicant_name", "申请人姓名"), ("applicant_phone", "联系电话"), ("other_party", "对方当事人"),
                       ("facts", "纠纷经过"), ("wish", "调解请求")):
        if not fields[key]:
            raise DomainError(f"请填写{label}。")
    for _ in range(5):  # a random code can collide; try again rather than fail
        try:
            with transaction.atomic():
                app = Application(township=township, village=village, tracking_code=_code(), **fields)
                clean(app, exclude=["tracking_code"])
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


def decline_reason(reason_key: str, note: str = "") -> str:
    """The lawful reason told to the applicant, with the mediator's note."""
    if reason_key not in DECLINE_REASONS:
        raise DomainError("请选择不予受理的理由。")
    note = clean_text(note, 500)
    return DECLINE_REASONS[reason_key] + (f"。{note}" if note else "")
