"""The to-do list (待办): modules register providers that return the signed-in user's items due soon.

“My to-do” (issue 20): an item is the user's own when it is assigned to them (`assignee_id`), or, when
nobody is named, when the user holds one of the roles that act on it (`roles`) in its township; the rest
of what the user can see is the team's, listed after. An officer therefore never finds a 司法所 task
(legal review, an information request's answer) among his own. Each item links to the step that does it
(`action` names the step). Overdue and due-soon are disjoint: “14日内到期” counts only items not yet due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fazhi.core.calendar import Deadline


@dataclass(frozen=True)
class TodoItem:
    module: str  # 中文模块名, e.g. "行政执法"
    title: str
    due: dt.date
    url: str  # the page of the step that does it (one click), else the record's page
    explanation: str = ""
    provisional: bool = False
    township_id: int | None = None
    assignee_id: int | None = None  # the user who must act; None: whoever holds `roles` in the township
    roles: frozenset[str] = frozenset()  # roles that act on it; empty: anyone who sees it
    action: str = ""  # the step's name on the button, e.g. "送达决定书"

    @classmethod
    def from_deadline(cls, module: str, title: str, deadline: Deadline, url: str, **kw) -> TodoItem:
        return cls(module, title, deadline.due, url, deadline.explanation, deadline.provisional, **kw)

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def overdue(self, today: dt.date) -> bool:
        return self.days_left(today) < 0

    def is_mine(self, user) -> bool:
        if self.assignee_id is not None:
            return self.assignee_id == getattr(user, "pk", None)
        if not self.roles:
            return True
        return any(m.role in self.roles and _covers(m.region, self.township_id) for m in _memberships(user))


def _memberships(user):
    from fazhi.core.scope import memberships

    return memberships(user)


def _covers(region, township_id) -> bool:
    """Does a membership in `region` act in the township (its own, its parent's for a village, or above)?"""
    if township_id is None:
        return True
    from fazhi.core.models import RegionLevel

    if region.level == RegionLevel.TOWNSHIP:
        return region.pk == township_id
    if region.level == RegionLevel.VILLAGE:
        return region.parent_id == township_id
    return True


Provider = Callable[[object, dt.date, int], Iterable[TodoItem]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    """provider(user, today, horizon_days) -> items due within the horizon (and all overdue ones)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def _key(i: TodoItem):
    return (i.due, i.module, i.title)


CACHE_SECONDS = 600


def todo_for(user, today: dt.date | None = None, horizon_days: int = 14) -> list[TodoItem]:
    """Every item, the user's own first, each group by due date.

    Kept per user and day while nothing was written in the user's townships (nor outside any township)
    since: every write leaves an audit entry, so one indexed look at the log since the stored list says
    whether it still holds — as the dashboards' stored figures do (reports.selectors.townships_stats). The
    providers compute every open record's deadlines, which a township with years of open cases pays on
    every view of the to-do, the home page and the dashboard otherwise."""
    today = today or dt.date.today()
    if not getattr(user, "is_authenticated", False):
        return []
    key, towns = _cache_key(user, today, horizon_days)
    found, hit = _kept(key, towns)
    if found:
        return list(hit)
    # the chain's tip, read before computing: a write during the computation makes the stored list stale
    seq, tip = _tip()
    items: list[TodoItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user, today, horizon_days))
    items.sort(key=lambda i: (not i.is_mine(user), *_key(i)))
    _keep(key, seq, tip, items)
    return items


def overdue_for(user, today: dt.date | None = None, limit: int = 20) -> list[TodoItem]:
    """The first `limit` overdue items of `todo_for(user, today, 0)`, in its order, kept apart under the same
    rule: the dashboard shows 20, while the whole list grows with every open record of the township's years
    (≈ 450 items, a 220 KB pickle read on every view of a township at a fifth of the bench's size)."""
    today = today or dt.date.today()
    if not getattr(user, "is_authenticated", False):
        return []
    key, towns = _cache_key(user, today, 0)
    key = f"{key}:overdue:{limit}"
    found, hit = _kept(key, towns)
    if found:
        return list(hit)
    seq, tip = _tip()
    items = [i for i in todo_for(user, today, 0) if i.overdue(today)][:limit]
    _keep(key, seq, tip, items)
    return items


def page_html(user, today: dt.date, horizon_days: int, render: Callable[[TodoBoard], str]) -> str:
    """The to-do page's lists as `render(todo_board(...))` returned them, kept under the to-do list's own key
    and rule (nothing written in the user's townships since; per language): a township's years of open
    records make a list of hundreds of items, unpickled and rendered on every view otherwise."""
    from django.utils.translation import get_language

    key, towns = _cache_key(user, today, horizon_days)
    key = f"{key}:page:{get_language()}"
    found, hit = _kept(key, towns)
    if found:
        return hit
    seq, tip = _tip()
    html = render(todo_board(user, today, horizon_days))
    _keep(key, seq, tip, html)
    return html


def _kept(key: str, towns: list[int]) -> tuple[bool, object]:
    """(True, what was kept: a list or a page) while the log is still the one it was computed on (the chain's
    hash at its seq: a restored or replaced database is another log) and nothing was written since in `towns`."""
    from django.core.cache import cache
    from django.db import DatabaseError

    from fazhi.audit.models import AuditEntry
    from fazhi.audit.selectors import last_change_by_township

    try:
        hit = cache.get(key)
        if hit is not None and (not hit[0] or AuditEntry.objects.filter(seq=hit[0], entry_hash=hit[1]).exists()):
            changes, shared = last_change_by_township(towns, hit[0])
            if not changes and not shared:
                return True, hit[2]
    except DatabaseError:  # the cache is an optimisation: a locked or missing cache table computes afresh
        pass
    return False, []


def _tip() -> tuple[int, str]:
    from fazhi.audit.models import AuditHead

    return AuditHead.objects.filter(pk=1).values_list("seq", "entry_hash").first() or (0, "")


def _keep(key: str, seq: int, tip: str, items: object) -> None:
    from django.core.cache import cache
    from django.db import DatabaseError

    try:
        cache.set(key, (seq, tip, items), CACHE_SECONDS)
    except DatabaseError:
        pass


def _cache_key(user, today: dt.date, horizon_days: int) -> tuple[str, list[int]]:
    """The key names the memberships (a changed role is another list) and the townships they reach."""
    import hashlib

    from fazhi.core.search_index import scope_townships

    sig = ",".join(sorted(f"{m.role}@{m.region_id}" for m in _memberships(user)))
    digest = hashlib.sha256(sig.encode()).hexdigest()[:16]
    return f"fazhi:todo:{user.pk}:{today.isoformat()}:{horizon_days}:{digest}", scope_townships(user)


@dataclass
class TodoBoard:
    mine: list[TodoItem] = field(default_factory=list)
    team: list[TodoItem] = field(default_factory=list)
    overdue_count: int = 0  # past their due date
    due_soon_count: int = 0  # due today or within the horizon, not overdue (disjoint from overdue_count)
    mine_overdue_count: int = 0
    mine_due_soon_count: int = 0


def todo_board(user, today: dt.date | None = None, horizon_days: int = 14) -> TodoBoard:
    today = today or dt.date.today()
    board = TodoBoard()
    for i in todo_for(user, today, horizon_days):
        mine = i.is_mine(user)
        (board.mine if mine else board.team).append(i)
        if i.overdue(today):
            board.overdue_count += 1
            board.mine_overdue_count += mine
        else:
            board.due_soon_count += 1
            board.mine_due_soon_count += mine
    return board
