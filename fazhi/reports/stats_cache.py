"""Townships' yearly statistics kept as rows (`TownshipYearStats`) so a county or province roll-up
reads them in a fixed number of queries whatever the number of townships.

The stored figures are exactly what `sources.collect()` returns for the township report (the same code
computes them); JSON keeps Decimals and dates exact through a tagged encoding.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from fazhi.reports.sources import Stats


def _enc(v):
    if isinstance(v, Decimal):
        return {"__d": str(v)}
    if isinstance(v, dt.datetime):
        return {"__dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"__date": v.isoformat()}
    if isinstance(v, tuple):
        return {"__t": [_enc(x) for x in v]}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if isinstance(v, dict):
        return {"__map": [[_enc(k), _enc(x)] for k, x in v.items()]}
    return v


def _dec(v):
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        if "__d" in v:
            return Decimal(v["__d"])
        if "__date" in v:
            return dt.date.fromisoformat(v["__date"])
        if "__dt" in v:
            return dt.datetime.fromisoformat(v["__dt"])
        if "__t" in v:
            return tuple(_dec(x) for x in v["__t"])
        if "__map" in v:
            return {_dec(k): _dec(x) for k, x in v["__map"]}
    return v


def encode(stats: Stats) -> dict:
    return {"sections": _enc(stats.sections), "failed": sorted(stats.failed)}


def digest(data: dict) -> str:
    """Of encoded figures: equal digests, equal figures."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def decode(year: int, data: dict) -> Stats:
    return Stats(year=year, sections=_dec(data.get("sections") or {"__map": []}), failed=set(data.get("failed") or ()),
                 stored=data)
