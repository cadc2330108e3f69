"""Who may do what in the reports, written once (views, selectors and services read these)."""

from __future__ import annotations

from fazhi.accounts.roles import READERS, Role
from fazhi.core.scope import can_act_in
from fazhi.core.writes import require_role

# township staff and the county supervisor read a township's figures, dashboards and annual report
READ_ROLES = READERS
# who writes a township's annual report draft (paragraphs, 落款日期)
EDIT_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF})
# memberships at county level (or above) that oversee the county's townships: their counties' roll-ups
COUNTY_ROLES = frozenset({Role.SUPERVISOR, Role.COUNTY_LEGAL, Role.ADMIN, Role.LEADER, Role.LEGAL_STAFF})
# the county dashboard and the county roll-up export
COUNTY_VIEW_ROLES = frozenset({Role.SUPERVISOR, Role.COUNTY_LEGAL})
# who sees 全县看板 in the menu
COUNTY_NAV_ROLES = frozenset({Role.SUPERVISOR})


def may_edit(user, township) -> bool:
    return can_act_in(user, township, EDIT_ROLES)


def require_edit(actor, township) -> None:
    require_role(actor, township, EDIT_ROLES, "您无权编辑该乡镇的年度报告。")
