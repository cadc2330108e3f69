"""The shared catalogue (公开类目, admins) and a township's statutory settings (DisclosureSettings)."""

from __future__ import annotations

from django.db import transaction

from fazhi.audit.services import snapshot
from fazhi.core.errors import DomainError
from fazhi.core.scope import has_role
from fazhi.core.writes import require_role, save_audited
from fazhi.disclosure.deadlines import DEFAULTS, answer_deadline, publish_deadline, request_todo_due
from fazhi.disclosure.models import (
    Category,
    DisclosureItem,
    DisclosureSettings,
    InfoRequest,
    ItemStatus,
    RequestStatus,
)
from fazhi.disclosure.permissions import CATALOGUE_ROLES, REFUSED, SETTINGS_ROLES
from fazhi.disclosure.sanitize import plain_text


@transaction.atomic
def category_save(*, actor, category: Category | None = None, name: str, group: str, basis: str = "",
                  order: int = 100, active: bool = True) -> Category:
    if not has_role(actor, CATALOGUE_ROLES):
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
    return save_audited(category, actor=actor, before=before)


@transaction.atomic
def settings_save(*, actor, township, **values) -> DisclosureSettings:
    require_role(actor, township, SETTINGS_ROLES, REFUSED)
    conf = DisclosureSettings.objects.select_for_update().filter(township=township).first()
    before = snapshot(conf) if conf else None
    conf = conf or DisclosureSettings(township=township, **DEFAULTS)
    for key, value in values.items():
        setattr(conf, key, plain_text(value, 200, multiline=False) if isinstance(value, str) else value)
    if conf.extension_max_working_days > 20:
        raise DomainError("条例第三十三条规定延长期限最长不超过20个工作日。")
    if conf.answer_working_days > 20:
        raise DomainError("条例第三十三条第二款规定不能当场答复的，应当自收到申请之日起20个工作日内答复，答复期限不能设为更长。")
    if conf.correction_working_days > 7:
        raise DomainError("条例第三十条规定应当自收到申请之日起7个工作日内一次性告知补正，该期限不能设为更长。")
    save_audited(conf, actor=actor, before=before)
    _recompute_open_items(township, conf)
    return conf


def _recompute_open_items(township, conf) -> None:
    """New periods apply to what is still pending: draft items and requests being handled."""
    for item in DisclosureItem.objects.filter(township=township, status=ItemStatus.DRAFT):
        item.publish_due = publish_deadline(item, conf).due
        item.save(update_fields=["publish_due"])
    for req in InfoRequest.objects.filter(township=township, status=RequestStatus.RECEIVED).prefetch_related(
            "clock_stops"):
        req.answer_due = answer_deadline(req, conf=conf).due
        req.todo_due = request_todo_due(req, conf)
        req.save(update_fields=["answer_due", "todo_due"])
    # the open consultations' third-party periods are counted with these settings too (the to-do's date)
    for req in InfoRequest.objects.filter(township=township, status=RequestStatus.CONSULTING):
        req.todo_due = request_todo_due(req, conf)
        req.save(update_fields=["todo_due"])
