"""The to-do list (待办): modules register providers that return the signed-in user's items due soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fazhi.core.calendar import Deadline


@dataclass(frozen=True)
class TodoItem:
    module: str  # 中文模块名, e.g. "行政执法"
    title: str
    due: dt.date
    url: str
    explanation: str = ""
    provisional: bool = False

    @classmethod
    def from_deadline(cls, module: str, title: str, deadline: Deadline, url: str) -> TodoItem:
        return cls(module, title, deadline.due, url, deadline.explanation, deadline.provisional)

    def days_left(self, today: dt.date) -> int:
        return (self.due - today).days

    def overdue(self, today: dt.date) -> bool:
        return self.days_left(today) < 0


Provider = Callable[[object, dt.date, int], Iterable[TodoItem]]
_PROVIDERS: list[Provider] = []


def register_provider(provider: Provider) -> None:
    """provider(user, today, horizon_days) -> items due within the horizon (and all overdue ones)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def todo_for(user, today: dt.date | None = None, horizon_days: int = 14) -> list[TodoItem]:
    today = today or dt.date.today()
    items: list[TodoItem] = []
    for provider in _PROVIDERS:
        items.extend(provider(user, today, horizon_days))
    return sorted(items, key=lambda i: (i.due, i.module, i.title))
