from django.db.models import Prefetch, Q

from fazhi.accounts.models import Membership, User
from fazhi.accounts.roles import Role
from fazhi.core.scope import memberships


def admin_regions_q(admin, prefix: str = "") -> Q:
    """Regions an admin manages: the subtree under each of their admin memberships."""
    q = Q(pk__in=[])
    for m in memberships(admin):
        if m.role == Role.ADMIN:
            q |= Q(**{f"{prefix}path__startswith": m.region.path})
    return q


def user_list_for(admin):
    region_ids = Membership.objects.filter(admin_regions_q(admin, "region__")).values("user_id")
    return (User.objects.filter(pk__in=region_ids)
            .prefetch_related(Prefetch("memberships", queryset=Membership.objects.select_related("region"))))


def regions_managed_by(admin):
    from fazhi.core.models import Region

    return Region.objects.filter(admin_regions_q(admin)).order_by("path")
