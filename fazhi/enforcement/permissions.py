"""Who may do what in enforcement, written once and read by views, selectors and services alike."""

from __future__ import annotations

from fazhi.accounts.roles import Role
from fazhi.core.scope import memberships

# Everyone who reads the township's enforcement records (the county supervisor reads, never writes).
READ = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.ADMIN, Role.SUPERVISOR})
# Case handling: register, investigate, notify, serve, record (承办).
CASE_WRITE = frozenset({Role.OFFICER, Role.LEGAL_STAFF, Role.LEADER})
# Signed by a leader (负责人): filing approval, decisions, revocation, extensions.
LEADERS = frozenset({Role.LEADER})
# The catalogues: enforcement bodies, powers, discretion bands, the officer roster.
CATALOGUE_WRITE = frozenset({Role.ADMIN, Role.LEGAL_STAFF, Role.LEADER})
# 法制审核 is concluded by the township's legal staff.
REVIEWERS = frozenset({Role.LEGAL_STAFF})
# 集体讨论 is recorded by a leader or the legal staff.
DISCUSSION_WRITE = frozenset({Role.LEADER, Role.LEGAL_STAFF})
# Publication (公示) and its withdrawal: case handlers and the township admin.
PUBLISH = CASE_WRITE | {Role.ADMIN}
# The statutory settings are changed by an admin only.
SETTINGS_WRITE = frozenset({Role.ADMIN})
# Reminders of certificates about to expire go to the admin and the legal staff.
ROSTER_TODO = frozenset({Role.ADMIN, Role.LEGAL_STAFF})
# Whose to-do a case deadline is: the step that meets it and the roles whose task it is.
TODO_DECIDE = LEADERS
TODO_HANDLE = frozenset({Role.OFFICER})


def may_set_settings(user, region) -> bool:
    """Only an admin whose own region contains `region` sets its statutory numbers: a township admin
    changes its township's row, never the province's (that would change every other township's deadlines)."""
    return any(m.role == Role.ADMIN and region.path.startswith(m.region.path) for m in memberships(user))
# 双随机一公开: the object library, the annual plan and conflict declarations (the draw itself: CASE_WRITE).
PLAN_WRITE = CATALOGUE_WRITE | {Role.OFFICER}
