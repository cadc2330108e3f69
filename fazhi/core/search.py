"""Chinese full-text search: rjieba segments the query; every word must match one of the fields."""

from __future__ import annotations

from collections.abc import Iterable

import rjieba
from django.db.models import Q

_PUNCT = set(" \t\r\n,.;:!?，。；：！？、（）()[]【】《》\"'“”‘’")


def words(text: str) -> list[str]:
    """Distinct search words of `text` in order (Chinese segmented, other words kept whole)."""
    seen: list[str] = []
    for token in rjieba.cut(text or ""):
        token = token.strip()
        if token and not set(token) <= _PUNCT and token not in seen:
            seen.append(token)
    return seen[:12]


def search_q(query: str, fields: Iterable[str]) -> Q:
    fields = list(fields)
    q = Q()
    for word in words(query):
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": word})
        q &= any_field
    return q
