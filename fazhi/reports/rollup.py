"""County roll-up: the townships' statistics summed into one, rates recomputed from the sums (a
rate is never averaged: 30 townships' success rates say nothing about the county's)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from fazhi.reports.sources import MODULE_KEYS, Stats

# rate key -> (numerator key, denominator key): recomputed from the summed counts.
RATES = {
    ("mediation", "success_rate"): ("resolved", "received"),
}
# weighted values -> weight key: a per-township average or share weighted by its own count.
WEIGHTED = {
    ("mediation", "avg_days_to_close"): "resolved",
    ("enforcement", "avg_days_to_decision"): "decisions",
    ("decisions", "avg_opinion_days"): "counsel_opinions",
    ("decisions", "head_appearance_rate"): "litigation_cases",
    ("education", "elderly_share"): "audience",
}
# lists naming villages: prefixed with their township so the county reader knows where they are.
VILLAGE_LISTS = {("education", "villages_without_events"), ("mediation", "villages_without_screening")}
VILLAGE_DICTS = {("mediation", "by_village")}
# facts of one township that have no county equivalent.
DROPPED = {("organization", "plan_title"), ("organization", "leading_group"), ("decisions", "counsel")}


def percent(part, whole) -> int | None:
    if not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _is_number(v) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def merge(named: list[tuple[str, Stats]], year: int) -> Stats:
    """Sum the stats of several townships: [(township name, Stats)] -> Stats."""
    out = Stats(year=year)
    for module in MODULE_KEYS:
        parts = [(name, s.get(module)) for name, s in named if s.connected(module)]
        if not parts:
            out.failed.add(module)  # every township's figures failed
            continue
        merged: dict = {}
        weights: dict[str, list] = {}
        for name, data in parts:
            for key, value in data.items():
                mk = (module, key)
                if mk in DROPPED:
                    continue
                if mk in WEIGHTED:
                    if value is not None:
                        w = data.get(WEIGHTED[mk]) or 0
                        weights.setdefault(key, []).append((Decimal(str(value)), w))
                    continue
                if mk in RATES:
                    continue
                if _is_number(value):
                    merged[key] = merged.get(key, 0) + value
                elif isinstance(value, list):
                    if mk in VILLAGE_LISTS:
                        value = [f"{name}{v}" for v in value]
                    acc = merged.setdefault(key, [])
                    for v in value:
                        if isinstance(v, dict) or v not in acc:
                            acc.append(v)
                elif isinstance(value, dict):
                    acc = merged.setdefault(key, {})
                    for k, v in value.items():
                        k = f"{name}{k}" if mk in VILLAGE_DICTS else k
                        if _is_number(v):
                            acc[k] = acc.get(k, 0) + v
                elif value is not None and key not in merged:
                    merged[key] = value
        for key, pairs in weights.items():
            total_w = sum(w for _, w in pairs)
            if total_w:
                avg = sum(v * w for v, w in pairs) / total_w
                merged[key] = avg.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                if key.endswith(("rate", "share")):
                    merged[key] = int(avg.quantize(Decimal(1), rounding=ROUND_HALF_UP))
            else:
                merged[key] = None
        for (mod, key), (num, den) in RATES.items():
            if mod == module:
                merged[key] = percent(merged.get(num, 0), merged.get(den, 0))
        out.sections[module] = merged
    return out
