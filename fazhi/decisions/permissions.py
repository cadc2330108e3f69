"""Who may do what in 依法决策 (see README), written once and read by views, selectors and services."""

from fazhi.accounts.roles import READERS, Role

READ_ROLES = READERS  # township staff and the county supervisor read decisions and the register
WRITE_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.ADMIN})  # run the steps
DISCUSSION_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF})  # record the meeting
SETTINGS_ROLES = frozenset({Role.ADMIN, Role.LEGAL_STAFF})
# Anyone on township staff may ask counsel (a dispute, an enforcement case, a contract, ...).
ASK_ROLES = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.MEDIATOR, Role.ADMIN})
COUNSEL_ROLES = frozenset({Role.COUNSEL})
OPINION_READ_ROLES = READERS | COUNSEL_ROLES

# What an actor without the role is told.
REFUSED_DECISION = "您无权在该乡镇办理重大决策事项。"
REFUSED_CASE = "您无权办理该案件。"
REFUSED_ANSWER = "只有受托的法律顾问本人才能出具该法律意见。"


def is_assigned_counsel(user, opinion) -> bool:
    """Only the counsel an opinion request was sent to may answer it (and sees it)."""
    return opinion.counsel.user_id is not None and opinion.counsel.user_id == getattr(user, "pk", None)
