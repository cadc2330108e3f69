"""Who may do what in the dispute ledger (see README)."""

from fazhi.accounts.roles import Role

# Read the ledger (a village cadre only their village's rows, through scope_village_field).
READ_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.MEDIATOR, Role.VILLAGE_CADRE, Role.SUPERVISOR,
                        Role.ADMIN})
# Record and handle disputes: intake, sessions, agreements, follow-ups, transitions, escalation.
HANDLE_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.MEDIATOR, Role.VILLAGE_CADRE})
# See parties' full ID and phone numbers (on the detail page only): those who contact the parties.
PII_ROLES = HANDLE_ROLES
# Township-wide views (statistics, overdue ledger, screening gaps).
TOWNSHIP_READ_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.MEDIATOR, Role.SUPERVISOR, Role.ADMIN})
# Petitions (信访) are handled by township staff; extensions need a leader's approval.
PETITION_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.MEDIATOR})
APPROVE_ROLES = frozenset({Role.LEADER})
# Committees and mediators (司法所 guides the committees), the type catalogue and the settings.
COMMITTEE_ROLES = frozenset({Role.LEGAL_STAFF, Role.ADMIN})
CATALOGUE_ROLES = frozenset({Role.ADMIN})
