"""The one "may act, validate, save, audit" helper every service uses (no app keeps its own copy).

    require_role(actor, township, ROLES)          # DomainError if the actor may not write there
    save_audited(obj, actor=actor)                 # new record: full_clean, save, audit "create"
    before = snapshot(obj); ...; save_audited(obj, actor=actor, before=before)   # change: audit the diff

Validation errors come back as one Chinese DomainError naming the fields ("名称：该字段不能为空"), so a
form shows them and nothing was written.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

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
        _full_clean(obj, set(exclude or ()))
    except ValidationError as e:
        raise DomainError(validation_message(obj, e)) from None


def _parents_in_hand(obj) -> set[str]:
    """Foreign keys whose saved parent object is already on `obj` (the service assigned it, or a form's scoped
    queryset chose it) and meets its plain-dict limit_choices_to: re-reading each one to prove it exists was one
    query per key on every write (an eighth of loading the demo); the database's foreign key still refuses a
    parent deleted since. Keys set as bare ids (the API, imports) are checked as before."""
    names = set()
    for f in obj._meta.concrete_fields:
        if not f.many_to_one or not f.is_cached(obj):
            continue
        parent = f.get_cached_value(obj)
        if parent is None or parent._state.adding or getattr(obj, f.attname) != parent.pk:
            continue
        limit = f.remote_field.limit_choices_to
        if limit and not (isinstance(limit, dict) and all("__" not in k and getattr(parent, k, object()) == v
                                                           for k, v in limit.items())):
            continue
        names.add(f.name)
    return names


def _full_clean(obj, exclude: set[str]) -> None:
    """Model.full_clean (Django 5.2), except that keys from _parents_in_hand skip only the existence query: their
    validators, unique checks and constraints run as before."""
    errors: dict = {}
    known = _parents_in_hand(obj) - exclude
    try:
        obj.clean_fields(exclude=exclude | known)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    for name in known:
        f = obj._meta.get_field(name)
        try:
            f.run_validators(getattr(obj, f.attname))
        except ValidationError as e:
            errors.setdefault(name, []).extend(e.error_list)
    try:
        obj.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    for check in (obj.validate_unique, obj.validate_constraints):
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}  # only fields that passed, as Django does
        try:
            check(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


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
