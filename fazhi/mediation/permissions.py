"""Who may do what in the dispute ledger, petitions, committees and applications (see README) — written
once, read by views, selectors, services and the workflow steps."""

from fazhi.accounts.roles import Role
from fazhi.core.errors import DomainError
from fazhi.core.models import RegionLevel
from fazhi.core.scope import memberships, villages_for
from fazhi.core.writes import require_role

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
# Whose own task a dispute's deadline is (others who see it find it among the team's to-do).
MEDIATORS = frozenset({Role.MEDIATOR, Role.VILLAGE_CADRE})

HANDLE_REFUSED = "您无权在该乡镇办理矛盾纠纷。"


def require_handler(user, township, village, roles=HANDLE_ROLES) -> None:
    """Write check: the user acts in the township, and a village member only in their own village."""
    require_role(user, township, roles, HANDLE_REFUSED)
    if village is not None and not villages_for(user, roles).filter(pk=village.pk).exists():
        raise DomainError(f"您无权办理{village.name}的矛盾纠纷。")


def may_handle(user, dispute) -> bool:
    try:
        require_handler(user, dispute.township, dispute.village)
    except DomainError:
        return False
    return True


def acts_at_township_level(user, township, roles=HANDLE_ROLES) -> bool:
    """A township (or county) member, not only a village's: records at 乡镇级 and may escalate to 县."""
    return any(m.role in roles and m.region.level != RegionLevel.VILLAGE and township.path.startswith(m.region.path)
               for m in memberships(user))


def admin_over(user, region) -> bool:
    """An admin of the region or above: may change its settings."""
    return any(m.role in CATALOGUE_ROLES and region.path.startswith(m.region.path) for m in memberships(user))

