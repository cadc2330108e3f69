"""Role-aware navigation. Each app registers its menu entries in its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from fazhi.core.scope import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset | set = field(default_factory=frozenset)  # empty: any signed-in user
    group: str = ""
    order: int = 500


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)


def items_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    mine = roles_of(user)
    group_rank: dict[str, int] = {}
    for item in _ITEMS:  # a group sits where its first item would
        group_rank[item.group] = min(group_rank.get(item.group, item.order), item.order)
    out = []
    for item in sorted(_ITEMS, key=lambda i: (group_rank[i.group] if i.group else -1, i.group, i.order, i.label)):
        if item.roles and not (set(item.roles) & mine):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": gettext(item.label), "url": url, "group": item.group, "url_name": item.url_name})
    return out
