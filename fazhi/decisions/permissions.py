"""Who may do what in 依法决策 (see README)."""

from fazhi.accounts.roles import READERS, Role

READ_ROLES = READERS  # township staff and the county supervisor read decisions and the register
WRITE_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.ADMIN})  # run the steps
DISCUSSION_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF})  # record the meeting
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.LEGAL_STAFF})
# Anyone on township staff may ask counsel (a dispute, an enforcement case, a contract, ...).
ASK_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.MEDIATOR, Role.ADMIN})
OPINION_READ_ROLES = READERS | {Role.COUNSEL}
COUNSEL_ROLES = frozenset({Role.COUNSEL})
