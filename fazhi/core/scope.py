"""The one place that turns a user's memberships into a query filter (DESIGN.md §1: no query may
reach data outside the user's scope)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from fazhi.core.models import Region, RegionLevel
from fazhi.core.rowread import fetch_all

_NOTHING = Q(pk__in=[])


def memberships(user) -> list:
    """Active memberships with their regions, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_fazhi_memberships", None)
    if cached is None:
        from fazhi.accounts.models import Membership  # accounts imports core: not at the top

        # every signed-in page asks (menus, scope): read without building the ORM query (core.rowread)
        cached = fetch_all(Membership, (("user", "="), ("active", "=")), [user.pk, True], related="region")
        for m in cached:  # as the related manager would: m.user is this user, not another query
            Membership.user.field.set_cached_value(m, user)
        user._fazhi_memberships = cached
    return cached


def roles_of(user) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role(user, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(m.role in wanted for m in memberships(user))


def _membership_q(m, model) -> Q:
    region: Region = m.region
    if region.level == RegionLevel.VILLAGE:
        field = getattr(model, "scope_village_field", None)
        if not field:
            return _NOTHING  # village members only see village-tagged records
        return Q(township_id=region.parent_id, **{f"{field}_id": region.id})
    if region.level == RegionLevel.TOWNSHIP:
        return Q(township_id=region.id)
    ids = _townships_below(m)
    return Q(township_id__in=ids) if ids else _NOTHING


def _townships_below(m) -> list[int]:
    """Ids of the townships under a county/city/province membership, looked up once per request (cached
    on the membership): the scope then compiles to `township_id IN (…)`, which the township index
    serves, instead of a join on the region path with LIKE on every row."""
    ids = getattr(m, "_fazhi_township_ids", None)
    if ids is None:
        ids = list(Region.objects.filter(path__startswith=m.region.path, level=RegionLevel.TOWNSHIP)
                   .order_by("id").values_list("id", flat=True))
        m._fazhi_township_ids = ids
    return ids


def scope_q(user, model, roles: Iterable[str] | None = None) -> Q:
    wanted = set(roles) if roles is not None else None
    q = _NOTHING
    for m in memberships(user):
        if wanted is None or m.role in wanted:
            q |= _membership_q(m, model)
    return q


def townships_for(user, roles: Iterable[str] | None = None):
    """Townships the user may see (through memberships with `roles`, if given)."""
    wanted = set(roles) if roles is not None else None
    q = _NOTHING
    for m in memberships(user):
        if wanted is not None and m.role not in wanted:
            continue
        r = m.region
        if r.level == RegionLevel.VILLAGE:
            q |= Q(pk=r.parent_id)
        elif r.level == RegionLevel.TOWNSHIP:
            q |= Q(pk=r.pk)
        else:
            q |= Q(path__startswith=r.path, level=RegionLevel.TOWNSHIP)
    return Region.objects.filter(q, level=RegionLevel.TOWNSHIP).order_by("code")


def villages_for(user, roles: Iterable[str] | None = None):
    """Villages the user may record for: their own village, or every village of their townships."""
    wanted = set(roles) if roles is not None else None
    q = _NOTHING
    for m in memberships(user):
        if wanted is not None and m.role not in wanted:
            continue
        r = m.region
        if r.level == RegionLevel.VILLAGE:
            q |= Q(pk=r.pk)
        else:
            q |= Q(path__startswith=r.path, level=RegionLevel.VILLAGE)
    return Region.objects.filter(q, level=RegionLevel.VILLAGE).order_by("code")


def default_township(user, roles: Iterable[str] | None = None) -> Region | None:
    """The township a new record belongs to when the user works in exactly one."""
    towns = list(townships_for(user, roles)[:2])
    return towns[0] if len(towns) == 1 else None


def can_act_in(user, township: Region, roles: Iterable[str]) -> bool:
    """May the user write in `township` through one of `roles` (read-only roles never write)?"""
    from fazhi.accounts.roles import READ_ONLY_ROLES

    wanted = set(roles) - READ_ONLY_ROLES
    return townships_for(user, wanted).filter(pk=township.pk).exists()
