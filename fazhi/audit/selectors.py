from fazhi.accounts.roles import READERS, Role
from fazhi.audit.models import AuditEntry, Checkpoint

AUDIT_READERS = {Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER, Role.SUPERVISOR}
HISTORY_READERS = READERS | {Role.VILLAGE_CADRE}


def entry_list_for(user):
    return AuditEntry.objects.visible_to(user, roles=AUDIT_READERS).select_related("township")


def history_for(obj):
    """Every audit entry about `obj`, oldest first (the caller has already checked access to obj)."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


def checkpoint_list():
    return Checkpoint.objects.order_by("-tree_size")


def history_lines_for(obj):
    """The history of `obj` in words (field labels, choice labels, names): see audit/words.py."""
    from fazhi.audit.words import history_lines

    return history_lines(type(obj), history_for(obj))
