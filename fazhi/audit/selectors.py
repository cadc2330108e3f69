from fazhi.accounts.roles import READERS, Role
from fazhi.audit.models import AuditEntry, Checkpoint, TownshipRootSeen

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
