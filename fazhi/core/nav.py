"""Role-aware navigation. Each app registers its menu entries in its AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from fazhi.core.scope import roles_of


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset | set = field(default_factory=frozenset)  # empty: any signed-in user
    group: str = ""
    order: int = 500


_ITEMS: list[NavItem] = []

# What each role does daily (from its work in DESIGN.md §1), shown first; everything else it may open
# sits under 更多功能 (by module), and rarely changed settings and catalogues under 设置.
DAILY_MAX = 10  # + 更多功能 + 设置 = at most 12 top-level entries
DAILY: dict[str, list[str]] = {
    "officer": ["core:home", "core:todo", "enforcement:inspections", "enforcement:cases", "evidence:upload",
                "evidence:list", "enforcement:overdue", "enforcement:publications", "education:hours",
                "core:deadline"],
    "mediator": ["core:home", "core:todo", "mediation:ledger", "mediation:create", "mediation:screening",
                 "mediation:overdue", "mediation:petitions", "mediation:committees", "mediation:stats",
                 "core:deadline"],
    "legal_staff": ["core:home", "core:todo", "organization:tasks", "disclosure:requests", "disclosure:items",
                    "enforcement:cases", "decisions:list", "decisions:opinions", "education:events",
                    "reports:annual_index"],
    "leader": ["core:home", "core:todo", "reports:dashboard", "decisions:list", "organization:plans",
               "enforcement:cases", "mediation:ledger", "disclosure:overdue", "education:sessions",
               "reports:annual_index"],
    "supervisor": ["core:home", "core:todo", "reports:county", "reports:dashboard", "enforcement:cases",
                   "mediation:ledger", "disclosure:requests", "decisions:list", "audit:entries",
                   "reports:annual_index"],
    "village_cadre": ["core:home", "core:todo", "mediation:ledger", "mediation:create", "mediation:screening",
                      "mediation:overdue", "education:events", "education:venues", "field:dispute", "field:event"],
    "counsel": ["core:home", "core:todo", "decisions:opinions"],
    "admin": ["core:home", "core:todo", "accounts:user_list", "core:regions", "core:calendar_years",
              "audit:entries", "reports:dashboard"],
}
SETTINGS = {"decisions:settings", "decisions:catalogues", "disclosure:settings", "disclosure:categories",
            "mediation:catalogue", "evidence:retention", "enforcement:settings", "education:catalogue",
            "core:calendar_years", "core:regions", "accounts:user_list", "api:tokens"}
SETTINGS_GROUP = "设置"
MORE_GROUP = "更多功能"


def daily_names(roles) -> list[str]:
    names: list[str] = []
    for role in DAILY:  # a fixed order, so a person with two roles sees a stable menu
        if role in roles:
            names += [n for n in DAILY[role] if n not in names]
    return names[:DAILY_MAX]


def register(*items: NavItem) -> None:
    for item in items:
        if item not in _ITEMS:
            _ITEMS.append(item)


_BUILT: dict[tuple, list[dict]] = {}  # the menu of a set of roles, per language and URLconf (a few dozen at most)


def _key(user) -> tuple:
    return (frozenset(roles_of(user)), get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF,
            len(_ITEMS))


def _built(key: tuple) -> list[dict]:
    built = _BUILT.get(key)
    if built is None:
        if len(_BUILT) > 256:
            _BUILT.clear()
        built = _BUILT[key] = _build(key[0])
    return built


def items_for(user) -> list[dict]:
    """The user's menu. It depends only on the roles, the language and the URLconf, so it is built once per
    process for each of them (≈ 100 reverse() calls), not on every page."""
    if not user.is_authenticated:
        return []
    return [dict(entry) for entry in _built(_key(user))]


_HTML: dict[tuple, str] = {}  # the rendered <nav> of a menu and the entry it marks current (a few hundred at most)


def menu_html(user, path: str) -> str:
    """The <nav> of base.html. Rendering its loops cost ≈ 5 ms a page, more than the rest of a signed-in trivial
    page; the HTML depends only on the menu and on which entry (if any) is the current page, so it is rendered
    once per process for each pair."""
    if not user.is_authenticated:
        return ""
    key = _key(user)
    built = _built(key)
    current = path if any(entry["url"] == path for entry in built) else ""
    html = _HTML.get((key, current))
    if html is None:
        from django.template.loader import render_to_string

        if len(_HTML) > 4096:
            _HTML.clear()
        html = _HTML[(key, current)] = render_to_string("core/_nav.html", {"nav_items": built, "current": current})
    return mark_safe(html)  # noqa: S308 - rendered from the autoescaping template core/_nav.html


def _build(mine: frozenset) -> list[dict]:
    group_rank: dict[str, int] = {}
    for item in _ITEMS:  # a group sits where its first item would
        group_rank[item.group] = min(group_rank.get(item.group, item.order), item.order)
    daily = daily_names(mine)
    first, more, setting_items = [], [], []
    for item in sorted(_ITEMS, key=lambda i: (group_rank[i.group] if i.group else -1, i.group, i.order, i.label)):
        if item.roles and not (set(item.roles) & mine):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entry = {"label": gettext(item.label), "url": url, "group": item.group, "url_name": item.url_name}
        if item.url_name in daily:
            first.append({**entry, "section": "daily", "group": ""})
        elif item.url_name in SETTINGS:
            setting_items.append({**entry, "section": "settings", "group": SETTINGS_GROUP})
        else:
            more.append({**entry, "section": "more"})
    first.sort(key=lambda e: daily.index(e["url_name"]))
    return first + more + setting_items
