"""Writes for proactive disclosure: catalogue, settings, items, attachments, publication workflow.
Requests (依申请公开) are in `request_services` and re-exported here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.db import transaction
from django.utils import timezone

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create, audit_delete, audit_record, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in, has_role
from fazhi.core.workflow import Workflow, transition
from fazhi.disclosure.deadlines import DEFAULTS, publish_deadline
from fazhi.disclosure.models import (
    AnnualReportExtra,
    Attachment,
    Category,
    DisclosureItem,
    DisclosureSettings,
    ItemStatus,
    ItemTransition,
)
from fazhi.disclosure.request_services import (  # noqa: F401  (one import point for callers)
    request_create,
    request_submit_public,
    request_transition,
)
from fazhi.disclosure.sanitize import plain_text, rich_text

WRITE_ROLES = frozenset({Role.LEGAL_STAFF, Role.LEADER, Role.ADMIN})
# Personal data must be masked before publication (个人信息保护法 Art. 25; 条例第十五条).
PERSONAL_PATTERNS = [
    (re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"),
     "身份证号码"),
    (re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"), "手机号码"),
]
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_EXTENSIONS = {"pdf", "ofd", "doc", "docx", "wps", "xls", "xlsx", "et", "jpg", "jpeg", "png", "txt"}

ITEM_WORKFLOW = Workflow(
    "disclosure_item",
    allowed={
        ItemStatus.DRAFT: {ItemStatus.PUBLISHED, ItemStatus.SCHEDULED},
        ItemStatus.SCHEDULED: {ItemStatus.PUBLISHED, ItemStatus.DRAFT},
        ItemStatus.PUBLISHED: {ItemStatus.UNPUBLISHED},
        ItemStatus.UNPUBLISHED: {ItemStatus.PUBLISHED, ItemStatus.DRAFT},
    },
    labels=dict(ItemStatus.choices),
)


def _require(actor, township, roles=WRITE_ROLES):
    if not can_act_in(actor, township, roles):
        raise DomainError("您无权在该乡镇办理政务公开事项。")


# --- catalogue and settings ------------------------------------------------------------------------

@transaction.atomic
def category_save(*, actor, category: Category | None = None, name: str, group: str, basis: str = "",
                  order: int = 100, active: bool = True) -> Category:
    if not has_role(actor, {Role.ADMIN}):
        raise DomainError("只有系统管理员可以维护公开类目。")
    name = plain_text(name, 60, multiline=False)
    if not name:
        raise DomainError("请填写类目名称。")
    clash = Category.objects.filter(name=name).exclude(pk=getattr(category, "pk", None)).exists()
    if clash:
        raise DomainError(f"类目“{name}”已存在。")
    before = snapshot(category) if category else None
    category = category or Category()
    category.name, category.group, category.basis = name, group, plain_text(basis, 120, multiline=False)
    category.order, category.active = order, active
    category.full_clean()
    category.save()
    if before is None:
        audit_create(actor=actor, obj=category)
    else:
        audit_update(actor=actor, obj=category, before=before)
    return category


@transaction.atomic
def settings_save(*, actor, township, **values) -> DisclosureSettings:
    _require(actor, township, {Role.ADMIN, Role.LEGAL_STAFF})
    conf = DisclosureSettings.objects.select_for_update().filter(township=township).first()
    before = snapshot(conf) if conf else None
    conf = conf or DisclosureSettings(township=township, **DEFAULTS)
    for key, value in values.items():
        setattr(conf, key, plain_text(value, 200, multiline=False) if isinstance(value, str) else value)
    if conf.extension_max_working_days > 20:
        raise DomainError("条例第三十三条规定延长期限最长不超过20个工作日。")
    conf.full_clean()
    conf.save()
    if before is None:
        audit_create(actor=actor, obj=conf)
    else:
        audit_update(actor=actor, obj=conf, before=before)
    _recompute_open_items(township, conf)
    return conf


def _recompute_open_items(township, conf) -> None:
    """New periods apply to what is still pending: draft items and requests being handled."""
    from fazhi.disclosure.deadlines import answer_deadline
    from fazhi.disclosure.models import InfoRequest, RequestStatus

    for item in DisclosureItem.objects.filter(township=township, status=ItemStatus.DRAFT):
        item.publish_due = publish_deadline(item, conf).due
        item.save(update_fields=["publish_due"])
    for req in InfoRequest.objects.filter(township=township, status=RequestStatus.RECEIVED).prefetch_related(
            "clock_stops"):
        req.answer_due = answer_deadline(req, conf=conf).due
        req.save(update_fields=["answer_due"])


# --- items -----------------------------------------------------------------------------------------

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
    _require(actor, township)
    fields = _clean_item_fields(dict(category=category, title=title, formed_on=formed_on, body=body,
                                     summary=summary, doc_number=doc_number, source_module=source_module,
                                     source_ref=source_ref))
    item = DisclosureItem(township=township, created_by=actor, **fields)
    item.publish_due = publish_deadline(item).due
    item.full_clean()
    item.save()
    audit_create(actor=actor, obj=item)
    return item


@transaction.atomic
def item_update(*, actor, item: DisclosureItem, **fields) -> DisclosureItem:
    """Edit an item; a changed `formed_on` (the information changed) moves its publication deadline."""
    _require(actor, item.township)
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item)
    for key, value in _clean_item_fields(fields).items():
        setattr(item, key, value)
    item.publish_due = publish_deadline(item).due
    if item.published_at:
        item.published_late = timezone.localtime(item.published_at).date() > item.publish_due
    item.full_clean()
    item.save()
    audit_update(actor=actor, obj=item, before=before)
    return item


def item_transition(item: DisclosureItem, *, actor, to: str, reason: str = "", publish_at=None,
                    expected_status: str | None = None, now=None) -> DisclosureItem:
    """Publish now, schedule, cancel a schedule, unpublish (reason required) or republish."""
    now = now or timezone.now()
    if actor is not None:
        _require(actor, item.township)
    reason = plain_text(reason, 1000)

    def guards(locked):
        if to == ItemStatus.UNPUBLISHED and not reason:
            raise DomainError("撤回已公开的信息必须填写理由。")
        if to == ItemStatus.SCHEDULED and (publish_at is None or publish_at <= now):
            raise DomainError("定时发布时间必须晚于当前时间。")
        if to in (ItemStatus.PUBLISHED, ItemStatus.SCHEDULED):
            if not locked.body.strip() and not locked.attachments.exists():
                raise DomainError("正文和附件不能都为空，无法公开。")
            text = " ".join((locked.title, locked.summary, locked.body))
            for pattern, label in PERSONAL_PATTERNS:
                if pattern.search(text):
                    raise DomainError(f"标题或正文含有疑似{label}，请对个人信息作去标识化处理（如 4311**********1234）后再公开。")

    def apply(locked):
        locked.publish_due = publish_deadline(locked).due
        if to == ItemStatus.PUBLISHED:
            locked.published_at = now
            locked.publish_at = None
        elif to == ItemStatus.SCHEDULED:
            locked.publish_at = publish_at
            locked.published_at = publish_at  # the portal shows it once this time has come
        elif to == ItemStatus.DRAFT:
            locked.publish_at = None
            locked.published_at = None
        elif to == ItemStatus.UNPUBLISHED:
            locked.unpublish_reason = reason
            locked.unpublished_at = now
        if to in (ItemStatus.PUBLISHED, ItemStatus.SCHEDULED):
            locked.published_late = timezone.localtime(locked.published_at).date() > locked.publish_due
            locked.unpublish_reason, locked.unpublished_at = "", None

    return transition(item, workflow=ITEM_WORKFLOW, to=to, actor=actor, record_model=ItemTransition,
                      record_fk="item", reason=reason, guards=[guards], expected_status=expected_status,
                      on_apply=apply)


def items_publish_due(now=None) -> int:
    """Turn scheduled items whose time has come into published ones (a periodic task; the portal
    already shows them, this only brings the status in line and writes the transition row)."""
    now = now or timezone.now()
    count = 0
    for item in DisclosureItem.objects.filter(status=ItemStatus.SCHEDULED, published_at__lte=now):
        planned = item.published_at
        with transaction.atomic():
            done = item_transition(item, actor=None, to=ItemStatus.PUBLISHED, reason="定时发布", now=planned,
                                   expected_status=ItemStatus.SCHEDULED)
        count += bool(done)
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
    return item_transition(item, actor=actor, to=ItemStatus.PUBLISHED, reason=f"由{source_module}推送公开",
                           now=published_at)


# --- attachments -----------------------------------------------------------------------------------

@transaction.atomic
def attachment_add(*, actor, item: DisclosureItem, upload) -> Attachment:
    _require(actor, item.township)
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
    att.full_clean()
    att.save()
    audit_create(actor=actor, obj=att)
    return att


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    _require(actor, attachment.township)
    if attachment.item.is_public():
        raise DomainError("已公开信息的附件不能删除，请先撤回该信息。")
    audit_delete(actor=actor, obj=attachment)
    attachment.delete()


def audit_access(*, actor, obj, what: str) -> None:
    audit_record(actor=actor, action="access", obj=obj, reason=what)


@transaction.atomic
def annual_extra_save(*, actor, township, year: int, figures: dict, problems: str = "",
                      other: str = "") -> AnnualReportExtra:
    """Figures the module does not hold (reconsiderations and lawsuits about disclosure) and the text parts."""
    _require(actor, township)
    extra = AnnualReportExtra.objects.select_for_update().filter(township=township, year=year).first()
    before = snapshot(extra) if extra else None
    extra = extra or AnnualReportExtra(township=township, year=year)
    for key in ("reconsideration", "litigation_direct", "litigation_after"):
        values = {k: int(v) for k, v in (figures.get(key) or {}).items()}
        if any(v < 0 for v in values.values()):
            raise DomainError("数量不能为负数。")
        setattr(extra, key, values)
    extra.problems, extra.other = plain_text(problems, 5000), plain_text(other, 5000)
    extra.full_clean()
    extra.save()
    if before is None:
        audit_create(actor=actor, obj=extra)
    else:
        audit_update(actor=actor, obj=extra, before=before)
    return extra


@transaction.atomic
def annual_report_publish(*, actor, township, year: int) -> DisclosureItem:
    """Publish the year's report on the portal with its .docx (条例第四十九条: by 31 January)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.disclosure import annual

    _require(actor, township)
    ref = f"annual:{year}"
    if DisclosureItem.objects.filter(township=township, source_module="政务公开", source_ref=ref).exists():
        raise DomainError(f"{year}年度报告已经发布，如需更正请修改已发布的信息。")
    if year >= timezone.localdate().year:
        raise DomainError("年度报告须在该年度结束后发布。")
    tables = annual.report_tables(township, year)
    category = Category.objects.filter(name="政府信息公开年度报告").first() or Category.objects.filter(
        active=True).first()
    item = item_create(actor=actor, township=township, category=category,
                       title=f"{township.name}{year}年政府信息公开工作年度报告", body=annual.report_html(tables),
                       formed_on=timezone.localdate(), source_module="政务公开", source_ref=ref)
    upload = SimpleUploadedFile(f"{item.title}.docx", annual.report_docx(tables))
    attachment_add(actor=actor, item=item, upload=upload)
    return item_transition(item, actor=actor, to=ItemStatus.PUBLISHED, reason="发布年度报告")
