"""Proactive items (主动公开): create, edit, attachments, items pushed by other modules. Publication is
the item workflow (`fazhi.disclosure.workflow.items`)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import snapshot
from fazhi.core.errors import DomainError
from fazhi.core.writes import delete_audited, require_role, save_audited
from fazhi.disclosure.deadlines import publish_deadline
from fazhi.disclosure.models import Attachment, Category, DisclosureItem, ItemStatus
from fazhi.disclosure.permissions import REFUSED, WRITE_ROLES
from fazhi.disclosure.sanitize import plain_text, rich_text
from fazhi.disclosure.workflow.items import item_publish_scheduled, item_transition

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {"pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "jpg", "jpeg", "png", "txt"}


def _clean_item_fields(fields: dict) -> dict:
    out = dict(fields)
    if "title" in out:
        out["title"] = plain_text(out["title"], 200, multiline=False)
        if not out["title"]:
            raise DomainError("请填写标题。")
    for key, size in (("summary", 300), ("doc_number", 60), ("source_module", 40), ("source_ref", 80)):
        if key in out:
            out[key] = plain_text(out[key] or "", size, multiline=False)
    if "body" in out:
        out["body"] = rich_text(out["body"] or "")
    if "category" in out and (out["category"] is None or not out["category"].active):
        raise DomainError("请选择一个启用中的公开类目。")
    if "formed_on" in out:
        if out["formed_on"] is None:
            raise DomainError("请填写信息形成（变更）日期。")
        if out["formed_on"] > timezone.localdate():
            raise DomainError("信息形成（变更）日期不能晚于今天。")
    return out


@transaction.atomic
def item_create(*, actor, township, category, title: str, formed_on: dt.date, body: str = "", summary: str = "",
                doc_number: str = "", source_module: str = "", source_ref: str = "") -> DisclosureItem:
    require_role(actor, township, WRITE_ROLES, REFUSED)
    fields = _clean_item_fields(dict(category=category, title=title, formed_on=formed_on, body=body,
                                     summary=summary, doc_number=doc_number, source_module=source_module,
                                     source_ref=source_ref))
    item = DisclosureItem(township=township, created_by=actor, **fields)
    item.publish_due = publish_deadline(item).due
    return save_audited(item, actor=actor)


@transaction.atomic
def item_update(*, actor, item: DisclosureItem, **fields) -> DisclosureItem:
    """Edit an item; a changed `formed_on` (the information changed) moves its publication deadline."""
    require_role(actor, item.township, WRITE_ROLES, REFUSED)
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    for key, value in _clean_item_fields(fields).items():
        setattr(item, key, value)
    item.publish_due = publish_deadline(item).due
    if item.published_at:
        item.published_late = timezone.localtime(item.published_at).date() > item.publish_due
    return save_audited(item, actor=actor, before=before)


def items_publish_due(now=None) -> int:
    """Turn scheduled items whose time has come into published ones (a periodic task; the portal
    already shows them, this only brings the status in line and writes the transition row)."""
    now = now or timezone.now()
    count = 0
    for item in DisclosureItem.objects.filter(status=ItemStatus.SCHEDULED, published_at__lte=now):
        count += bool(item_publish_scheduled(item))
    return count


@transaction.atomic
def item_publish_from_module(*, actor, township, category_name: str, title: str, body: str, formed_on: dt.date,
                             source_module: str, source_ref: str, published_at=None) -> DisclosureItem:
    """For other modules (e.g. 行政执法 decisions, 重大决策 results): create and publish in one step,
    or return the item already made for the same source record."""
    existing = DisclosureItem.objects.filter(township=township, source_module=source_module,
                                             source_ref=source_ref).first()
    if existing:
        return existing
    category = Category.objects.filter(name=category_name, active=True).first()
    if category is None:
        raise DomainError(f"公开类目“{category_name}”不存在或已停用。")
    item = item_create(actor=actor, township=township, category=category, title=title, body=body,
                       formed_on=formed_on, source_module=source_module, source_ref=source_ref)
    return item_transition(actor=actor, item=item, step="publish",
                           data={"note": f"由{source_module}推送公开", "at": published_at})


# --- attachments -----------------------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, actor, item: DisclosureItem, upload) -> Attachment:
    require_role(actor, item.township, WRITE_ROLES, REFUSED)
    name = plain_text(upload.name, 200, multiline=False)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_EXTENSIONS:
        raise DomainError("附件格式不允许，请上传 " + "、".join(sorted(ATTACHMENT_EXTENSIONS)) + " 文件。")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(f"附件不能超过{ATTACHMENT_MAX_BYTES // 1024 // 1024}MB。")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    att = Attachment(township=item.township, item=item, name=name, size=upload.size, sha256=digest.hexdigest())
    att.file.save(name, upload, save=False)
    return save_audited(att, actor=actor)


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    require_role(actor, attachment.township, WRITE_ROLES, REFUSED)
    if attachment.item.is_public():
        raise DomainError("已公开信息的附件不能删除，请先撤回该信息。")
    delete_audited(attachment, actor=actor)
