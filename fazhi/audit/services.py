"""The one function every service calls to record a change or an access (DESIGN.md §5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from fazhi.audit.merkle import tree_hash
from fazhi.audit.models import GENESIS, AuditEntry, AuditHead, Checkpoint


def canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "township_id": entry.township_id,
        "changes": entry.changes,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, FieldFile):  # hasattr(value, "url") raises on an empty file field
        return value.name or None
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, str | None]:
    """Field values as text, for before/after comparison."""
    out = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in {"created_at", "updated_at"}:
            continue
        out[f.name] = _text(getattr(obj, f.attname))
    return out


def diff(before: dict, after: dict) -> dict[str, list]:
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def _normalise(changes) -> dict:
    return json.loads(json.dumps(changes or {}, ensure_ascii=False, default=_text))


def audit_record(*, actor, action: str, obj: models.Model | None = None, changes: dict | None = None,
                 reason: str = "", township=None, object_type: str = "", object_id: str = "",
                 object_repr: str = "") -> AuditEntry:
    """Append one entry to the chain. Runs inside the caller's transaction, so a rolled-back change
    leaves no entry behind."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
        if township is None:
            from fazhi.core.models import Region

            township = obj if isinstance(obj, Region) and obj.is_township else getattr(obj, "township", None)
    township_id = getattr(township, "pk", township)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_name=(getattr(actor, "display_name", None) or getattr(actor, "username", "") or "系统")[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            township_id=township_id,
            changes=_normalise(changes),
            reason=reason or "",
            prev_hash=head.entry_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.seq, head.entry_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["seq", "entry_hash"])
        every = settings.FAZHI_AUDIT_CHECKPOINT_EVERY
        if every and entry.seq % every == 0:
            size = entry.seq
            transaction.on_commit(lambda: _enqueue_checkpoint(size))
    return entry


def _enqueue_checkpoint(size: int) -> None:
    from fazhi.audit.tasks import audit_checkpoint_task

    audit_checkpoint_task.enqueue(size)


def audit_create(*, actor, obj: models.Model, reason: str = "") -> AuditEntry:
    return audit_record(actor=actor, action="create", obj=obj, reason=reason,
                        changes={k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")})


def audit_update(*, actor, obj: models.Model, before: dict, reason: str = "") -> AuditEntry | None:
    changes = diff(before, snapshot(obj, list(before)))
    if not changes:
        return None
    return audit_record(actor=actor, action="update", obj=obj, changes=changes, reason=reason)


def audit_delete(*, actor, obj: models.Model, reason: str = "") -> AuditEntry:
    return audit_record(actor=actor, action="delete", obj=obj, reason=reason,
                        changes={k: [v, None] for k, v in snapshot(obj).items() if v not in (None, "")})


def checkpoint_create(tree_size: int | None = None) -> Checkpoint:
    """Merkle tree head over the first `tree_size` entries (default: the whole chain)."""
    if tree_size is None:
        tree_size = AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    existing = Checkpoint.objects.filter(tree_size=tree_size).first()
    if existing:
        return existing
    hashes = (bytes.fromhex(h) for h in AuditEntry.objects.filter(seq__lte=tree_size).order_by("seq")
              .values_list("entry_hash", flat=True).iterator(chunk_size=2000))
    root = tree_hash(hashes).hex()
    checkpoint, _ = Checkpoint.objects.get_or_create(tree_size=tree_size, defaults={"root_hash": root})
    return checkpoint


__all__ = ["audit_record", "audit_create", "audit_update", "audit_delete", "snapshot", "diff", "checkpoint_create",
           "GENESIS"]
