"""Reading numbers from query parameters without ever raising: `str.isdigit()` accepts "²" and
"99999999999999999999", which int() refuses or the database cannot hold."""

from __future__ import annotations

MAX_ID = 2**63 - 1
MIN_YEAR, MAX_YEAR = 2000, 2100


def int_param(raw, *, lo: int = 0, hi: int = MAX_ID) -> int | None:
    """The value as an int when it is plain ASCII digits within [lo, hi], else None."""
    raw = str(raw or "").strip()
    if not raw or len(raw) > 19 or not raw.isascii() or not raw.isdigit():
        return None
    value = int(raw)
    return value if lo <= value <= hi else None


def year_param(raw, default: int, *, lo: int = MIN_YEAR, hi: int = MAX_YEAR) -> int:
    """A year from ?year=, or `default` when it is missing, not a number or out of range."""
    value = int_param(raw, lo=lo, hi=hi)
    return default if value is None else value
