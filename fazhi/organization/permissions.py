"""Who may do what in 组织领导, written once: read by views, selectors and services alike."""

from __future__ import annotations

from fazhi.accounts.roles import READERS, Role
from fazhi.core.scope import can_act_in

ORG_READ = frozenset(READERS)
ORG_WRITE = frozenset({Role.LEADER, Role.LEGAL_STAFF})
# Anyone on the township staff who owns a task may report its progress and close a meeting follow-up.
PROGRESS_WRITE = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.MEDIATOR})


def may_write(user, township) -> bool:
    return can_act_in(user, township, ORG_WRITE)
