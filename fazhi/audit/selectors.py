from django.db.models import Max, Q

from fazhi.accounts.roles import READERS, Role
from fazhi.audit.models import AuditEntry, AuditHead, Checkpoint, TownshipRootSeen

AUDIT_READERS = {Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER, Role.SUPERVISOR}
HISTORY_READERS = READERS | {Role.VILLAGE_CADRE}


def entry_list_for(user):
    return AuditEntry.objects.visible_to(user, roles=AUDIT_READERS).select_related("township")


def history_for(obj):
    """Every audit entry about `obj`, oldest first (the caller has already checked access to obj)."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


def checkpoint_list():
    return Checkpoint.objects.order_by("-tree_size")


def signed_root() -> dict | None:
    """The newest signed root as published (portal, annual report appendix): the chain is global, so every
    township publishes the same root. None while nothing has been signed."""
    from fazhi.audit import signing

    cp = Checkpoint.objects.exclude(signature="").order_by("-tree_size").first()
    if cp is None:
        return None
    return {"tree_size": cp.tree_size, "root_hash": cp.root_hash, "signature": cp.signature,
            "key_fingerprint": cp.key_fingerprint, "public_key": signing.public_key_b64(), "created_at": cp.created_at}


def county_roots(townships) -> dict[int, TownshipRootSeen]:
    return {r.township_id: r for r in TownshipRootSeen.objects.filter(township__in=townships)}


# Actions that only read (chain of custody): they change no statistic.
READ_ACTIONS = ("view", "download", "access", "export", "play")
# Records outside any township that feed no township's statistics (accounts, tokens, the log itself).
NO_STATS_TYPES = ("accounts.", "api.", "audit.", "otp_", "axes.")


def head_seq() -> int:
    return AuditHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def last_change_by_township(township_ids, since_seq: int) -> tuple[dict[int, int], int]:
    """Changes after `since_seq`: {township_id: last seq} for those townships, and the last seq of a
    change outside any township (a catalogue or calendar edit, which may move every township's figures;
    0 when none). One query over the entries since `since_seq` (the `seq` index), not the whole log."""
    rows = (AuditEntry.objects.filter(seq__gt=since_seq)
            .filter(Q(township_id__in=list(township_ids)) | Q(township__isnull=True))
            .exclude(action__in=READ_ACTIONS)
            .values("township_id", "object_type").annotate(last=Max("seq")).order_by())
    per_township: dict[int, int] = {}
    shared = 0
    for r in rows:
        if r["township_id"] is None:
            if not r["object_type"].startswith(NO_STATS_TYPES):
                shared = max(shared, r["last"])
        else:
            per_township[r["township_id"]] = max(per_township.get(r["township_id"], 0), r["last"])
    return per_township, shared


def history_lines_for(obj):
    """The history of `obj` in words (field labels, choice labels, names): see audit/words.py."""
    from fazhi.audit.words import history_lines

    return history_lines(type(obj), history_for(obj))
