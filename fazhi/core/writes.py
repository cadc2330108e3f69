"""The one "may act, validate, save, audit" helper every service uses (no app keeps its own copy).

    require_role(actor, township, ROLES)          # DomainError if the actor may not write there
    save_audited(obj, actor=actor)                 # new record: full_clean, save, audit "create"
    before = snapshot(obj); ...; save_audited(obj, actor=actor, before=before)   # change: audit the diff

Validation errors come back as one Chinese DomainError naming the fields ("名称：该字段不能为空"), so a
form shows them and nothing was written.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from fazhi.audit.services import audit_create, audit_delete, audit_update, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.scope import can_act_in

__all__ = ["require_role", "clean", "save_audited", "delete_audited", "snapshot", "set_fields"]


def require_role(actor, township, roles: Iterable[str], message: str = "您无权在该乡镇进行此操作。") -> None:
    if not can_act_in(actor, township, roles):
        raise DomainError(message)


def validation_message(obj, error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    msgs = []
    for name, errors in error.message_dict.items():
        label = ""
        if name != "__all__":
            try:
                label = str(obj._meta.get_field(name).verbose_name)
            except Exception:  # a non-field key
                label = name
        msgs.extend(f"{label}：{m}" if label else m for m in errors)
    return "；".join(msgs)


def clean(obj, exclude: Iterable[str] | None = None) -> None:
    """full_clean, as a DomainError in Chinese."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as e:
        raise DomainError(validation_message(obj, e)) from None


def set_fields(obj, values: dict, allowed: Iterable[str]) -> None:
    """Copy `values` onto obj, refusing any field the caller may not set."""
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise DomainError(f"不能填写：{'、'.join(sorted(unknown))}。")
    for k, v in values.items():
        setattr(obj, k, v)


def save_audited(obj, *, actor, before: dict | None = None, reason: str = "", validate: bool = True):
    """Validate, save and write the audit entry: "create" when `before` is None, else the changed fields."""
    if validate:
        clean(obj)
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj, reason=reason)
    else:
        audit_update(actor=actor, obj=obj, before=before, reason=reason)
    return obj


def delete_audited(obj, *, actor, reason: str = "") -> None:
    audit_delete(actor=actor, obj=obj, reason=reason)
    obj.delete()
