"""Who may do what in 政务公开, written once and read by views, selectors and services alike."""

from __future__ import annotations

from fazhi.accounts.roles import Role
from fazhi.core.scope import can_act_in

# Read: 乡镇领导, 法治办/司法所, 系统管理员 and the read-only 县级督查.
READ_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.ADMIN, Role.SUPERVISOR})
# Write (items, requests, the annual report) in their own township.
WRITE_ROLES = frozenset({Role.LEGAL_STAFF, Role.LEADER, Role.ADMIN})
# The statutory periods and the reply letter's office of a township.
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.LEGAL_STAFF})
# The catalogue is shared by every township: admins only.
CATALOGUE_ROLES = frozenset({Role.ADMIN})
# An extension needs the approval of the office's head (条例第三十三条第二款): a 乡镇领导.
EXTENSION_APPROVER_ROLES = frozenset({Role.LEADER})
# A recorded 依法不予公开 decision on a proactive item ends its publication duty: the office's head decides.
EXEMPT_ROLES = frozenset({Role.LEADER})
# Whose to-do a disclosure deadline is: 法治办/司法所 handles disclosure; others see it as the team's.
TODO_OWNER_ROLES = frozenset({Role.LEGAL_STAFF})

REFUSED = "您无权在该乡镇办理政务公开事项。"
REFUSED_REQUEST = "您无权办理该乡镇的政府信息公开申请。"


def may_write(user, township) -> bool:
    return can_act_in(user, township, WRITE_ROLES)


def may_approve_extension(user, township) -> bool:
    return user is not None and can_act_in(user, township, EXTENSION_APPROVER_ROLES)
