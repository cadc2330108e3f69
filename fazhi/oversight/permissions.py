"""Who may do what in oversight, written once and read by views and services alike."""

from __future__ import annotations

from django.db.models import Q

from fazhi.accounts.roles import Role
from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import memberships

# County 司法局 oversight staff write oversight records (never a township's own records).
WRITE = frozenset({Role.COUNTY_LEGAL})
# County readers: oversight staff and the read-only county supervisor.
COUNTY_READ = frozenset({Role.COUNTY_LEGAL, Role.SUPERVISOR})
# Township staff who see their own results and notices, and who answer notices.
TOWNSHIP_READ = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER, Role.ADMIN})
TOWNSHIP_ANSWER = frozenset({Role.LEADER, Role.LEGAL_STAFF, Role.OFFICER})
ANY_READ = COUNTY_READ | TOWNSHIP_READ


def counties_for(user, roles=COUNTY_READ):
    """Counties the user oversees through a county-or-above membership with one of `roles`."""
    q = Q(pk__in=[])
    for m in memberships(user):
        if m.role in roles and m.region.level in {RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE}:
            q |= Q(path__startswith=m.region.path)
    return Region.objects.filter(q, level=RegionLevel.COUNTY).order_by("code")


def may_oversee(user, county: Region, roles=WRITE) -> bool:
    return counties_for(user, roles).filter(pk=county.pk).exists()


def county_of(township: Region) -> Region | None:
    parent = township.parent
    while parent is not None and parent.level != RegionLevel.COUNTY:
        parent = parent.parent
    return parent
