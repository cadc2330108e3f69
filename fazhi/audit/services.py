"""The one function every service calls to record a change or an access (DESIGN.md §5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from fazhi.audit.merkle import CompactRange, consistency_proof, leaf_hash
from fazhi.audit.models import GENESIS, AuditEntry, AuditHead, Checkpoint
from fazhi.core.errors import DomainError

if TYPE_CHECKING:
    from fazhi.audit.signing import Rotation

CANONICAL_FIELDS = ("seq", "created_at", "actor_id", "actor_name", "action", "object_type", "object_id",
                    "object_repr", "township_id", "changes", "reason", "prev_hash")


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # reused: verify is hot


def canonical_values(seq, created_at, actor_id, actor_name, action, object_type, object_id, object_repr,
                     township_id, changes, reason, prev_hash) -> bytes:
    """The hashed bytes of one entry, from its values in CANONICAL_FIELDS order (verify reads tuples).
    `created_at` may already be its UTC ISO text (verify passes it so, to skip a parse)."""
    body = {
        "seq": seq,
        "created_at": created_at if isinstance(created_at, str) else created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "township_id": township_id,
        "changes": changes,
        "reason": reason,
        "prev_hash": prev_hash,
    }
    return _ENCODER.encode(body).encode()


def canonical(entry: AuditEntry) -> bytes:
    return canonical_values(*(getattr(entry, f) for f in CANONICAL_FIELDS))


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


def audit_create_many(*, actor, objs, reason: str = "") -> int:
    """Append a "create" entry for each of `objs` (records just bulk-created), in order, as `audit_create`
    would one by one: the head is locked once, the chain links each entry to the one before, the entries are
    inserted together and indexed for search, and the checkpoints fall due at the same sizes. Returns the
    number appended."""
    from fazhi.core import search_index
    from fazhi.core.bulk import insert_rows

    objs = list(objs)
    if not objs:
        return 0
    actor_id = getattr(actor, "pk", None)
    actor_name = (getattr(actor, "display_name", None) or getattr(actor, "username", "") or "系统")[:150]
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        start, prev, now = head.seq, head.entry_hash, timezone.now()
        stamp, sha256, rows = now.astimezone(dt.UTC).isoformat(), hashlib.sha256, []
        for seq, obj in enumerate(objs, start=start + 1):
            # snapshot values are text already: the JSON round trip of _normalise would change nothing
            values = (seq, stamp, actor_id, actor_name, "create", obj._meta.label_lower, str(obj.pk),
                      str(obj)[:200], _township_id(obj),
                      {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")}, reason or "", prev)
            prev = sha256(canonical_values(*values)).hexdigest()
            rows.append((*values[:1], now, *values[2:], prev))
        insert_rows(AuditEntry, [*CANONICAL_FIELDS, "entry_hash"], rows)  # township_id: the FK's column
        head.seq, head.entry_hash = start + len(rows), prev
        head.save(update_fields=["seq", "entry_hash"])
        # the search box finds audit entries too (post_save is not sent for these rows)
        if search_index.registered_fields(AuditEntry):
            ids = AuditEntry.objects.filter(seq__gt=start, seq__lte=head.seq).order_by("seq").values_list("pk", flat=True)
            names = [*CANONICAL_FIELDS, "entry_hash"]
            search_index.index_new(AuditEntry, (SimpleNamespace(pk=pk, **dict(zip(names, r, strict=True)))
                                                for pk, r in zip(ids, rows, strict=True)))
        every = settings.FAZHI_AUDIT_CHECKPOINT_EVERY
        if every:
            for size in range((start // every + 1) * every, head.seq + 1, every):
                transaction.on_commit(lambda size=size: _enqueue_checkpoint(size))
    return len(rows)


def _township_id(obj: models.Model):
    """What `audit_record` files the entry under, read without fetching the township row."""
    from fazhi.core.models import Region

    if isinstance(obj, Region):
        return obj.pk if obj.is_township else None
    try:
        return getattr(obj, obj._meta.get_field("township").attname)
    except Exception:  # a record with no township field
        return None


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


def entry_hashes(after: int, upto: int, chunk_size: int = 5000):
    """Leaf data (entry hash bytes) of entries after+1 .. upto, read in keyset pages (constant memory)."""
    last = after
    while last < upto:
        rows = list(AuditEntry.objects.filter(seq__gt=last, seq__lte=upto).order_by("seq")
                    .values_list("seq", "entry_hash")[:chunk_size])
        if not rows:
            return
        for seq, h in rows:
            yield seq, bytes.fromhex(h)
        last = rows[-1][0]


def _head_size() -> int:
    return AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def checkpoint_create(tree_size: int | None = None) -> Checkpoint:
    """Signed Merkle tree head over the first `tree_size` entries (default: the whole chain), with the consistency
    proof from the previous checkpoint. Starts from that checkpoint's compact range, so it reads only new entries."""
    from fazhi.audit import signing

    if tree_size is None:
        tree_size = _head_size()
    if tree_size <= 0:
        raise DomainError("审计日志还没有记录，无法生成检查点。")
    existing = Checkpoint.objects.filter(tree_size=tree_size).first()
    if existing and existing.signature:
        return existing
    prev = (Checkpoint.objects.filter(tree_size__lt=tree_size).exclude(signature="").order_by("-tree_size").first())
    if prev is not None and len(prev.compact_range) == prev.tree_size.bit_count():
        cr = CompactRange(prev.tree_size, [bytes.fromhex(h) for h in prev.compact_range])
    else:
        prev, cr = None, CompactRange()
    old = cr.copy()
    new_leaves: list[bytes] = []
    for seq, data in entry_hashes(cr.size, tree_size):
        if seq != cr.size + 1:
            raise DomainError(f"第{cr.size + 1}条审计记录缺失，无法生成检查点。")
        new_leaves.append(leaf_hash(data))
        cr.append_leaf_hash(new_leaves[-1])
    if cr.size != tree_size:
        raise DomainError(f"审计日志只有{cr.size}条记录，无法生成前{tree_size}条的检查点。")
    root = cr.root().hex()
    if prev is not None and prev.root_hash != old.root().hex():
        raise DomainError(f"上一检查点（前{prev.tree_size}条）的根与其保存的子树不符：检查点被改动。")
    proof: list[str] = []
    if prev is not None:
        m, old_nodes = prev.tree_size, old.nodes()

        def subtree(a: int, b: int) -> bytes:
            return old_nodes[(a, b - a)] if b <= m else merkle_root_of_leaf_hashes(new_leaves[a - m:b - m])

        proof = [h.hex() for h in consistency_proof(m, tree_size, subtree)]
    if existing is not None and existing.root_hash != root:
        raise DomainError(f"已有检查点（前{tree_size}条）的根与现有记录不符：记录被改写，拒绝签名。")
    fields = {"root_hash": root, "signature": signing.sign(tree_size, root), "key_fingerprint": signing.fingerprint(),
              "prev_size": prev.tree_size if prev else None, "consistency_proof": proof,
              "compact_range": [h.hex() for h in cr.hashes]}
    checkpoint, _ = Checkpoint.objects.update_or_create(tree_size=tree_size, defaults=fields)
    return checkpoint


def merkle_root_of_leaf_hashes(leaf_hashes) -> bytes:
    cr = CompactRange()
    for h in leaf_hashes:
        cr.append_leaf_hash(h)
    return cr.root()


def latest_checkpoint() -> Checkpoint | None:
    """The newest signed checkpoint (what the portal and the annual report publish)."""
    return Checkpoint.objects.exclude(signature="").order_by("-tree_size").first()


def checkpoint_export() -> dict:
    """Every signed checkpoint with the public key (and every key that signed, with its window and endorsement):
    the file `audit_verify --against` checks later."""
    from fazhi.audit import signing

    return {"algorithm": "RFC6962-SHA256", "leaf": "entry_hash", "origin": signing.ORIGIN,
            "public_key": signing.public_key_b64(), "key_fingerprint": signing.fingerprint(),
            "keys": signing.keyring_export(),
            "checkpoints": [c.as_dict() for c in Checkpoint.objects.exclude(signature="").order_by("tree_size")]}


def audit_rotate_key() -> tuple[Checkpoint | None, Rotation]:
    """Replace the checkpoint signing key (a key rollover). Appends wait while it runs (the head is locked). The
    checkpoint over the whole log is signed by the new key and cosigned by the old one, whose signature is also
    its endorsement of the new key in the keyring; the old private key is destroyed, its public key kept so
    older checkpoints still verify. When a step fails the old key and keyring stay in force."""
    from fazhi.audit import signing

    rotation = previous = None
    try:
        with transaction.atomic():
            head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
            size = head.seq
            checkpoint = checkpoint_create(size) if size else None  # over the whole log, by the old key first
            root = checkpoint.root_hash if checkpoint else signing.EMPTY_ROOT
            rotation, previous = signing.rotate(size, root)
            if checkpoint is not None:
                checkpoint.signature = rotation.checkpoint_signature
                checkpoint.key_fingerprint = rotation.new.fingerprint
                checkpoint.cosignatures = [{"key_fingerprint": rotation.old.fingerprint, "statement": "key-rotation",
                                            "signature": rotation.new.endorsement}]
                checkpoint.save(update_fields=["signature", "key_fingerprint", "cosignatures"])
    except signing.KeyringError as e:
        raise DomainError(str(e)) from None
    except BaseException:
        if rotation is not None:
            signing.abort_rotation(previous)
        raise
    signing.finish_rotation()
    return checkpoint, rotation


__all__ = ["audit_record", "audit_create", "audit_create_many", "audit_update", "audit_delete", "snapshot", "diff", "checkpoint_create",
           "checkpoint_export", "latest_checkpoint", "audit_rotate_key", "GENESIS"]
