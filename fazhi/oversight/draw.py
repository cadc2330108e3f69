"""The reproducible random draw (随机抽取) used by 案卷评查.

Anyone can redo a draw by hand: for each township, rank its candidate files by
SHA-256("<seed>|<案号>") as hexadecimal text, lowest first, and take the first n, where
n = max(min_per_township, ceil(count × rate / 100)), never more than count. The seed, the candidate list
and the result are recorded on the round, so the draw is verifiable without trusting the software.
"""

from __future__ import annotations

import hashlib
import math
import secrets


def new_seed() -> str:
    return secrets.token_hex(8)


def rank(seed: str, key: str) -> str:
    return hashlib.sha256(f"{seed}|{key}".encode()).hexdigest()


def sample_size(count: int, rate_percent: int, minimum: int) -> int:
    return min(count, max(minimum, math.ceil(count * rate_percent / 100)))


def draw(seed: str, candidates: list[dict], rate_percent: int, minimum: int) -> list[dict]:
    """candidates: [{"id", "number", "township"}, ...] → the drawn ones, with their rank hash."""
    by_town: dict[str, list[dict]] = {}
    for c in candidates:
        by_town.setdefault(c["township"], []).append(c)
    out = []
    for town in sorted(by_town):
        pool = sorted(by_town[town], key=lambda c: rank(seed, c["number"]))
        n = sample_size(len(pool), rate_percent, minimum)
        out.extend({**c, "rank": rank(seed, c["number"])} for c in pool[:n])
    return out
