"""The reproducible random draw of 双随机一公开 — the county 评查 round's method (`fazhi.oversight.draw`):
rank by SHA-256 of "<seed>|<key>" as hexadecimal text, lowest first.

Anyone can redo a draw by hand from what is stored on it (seed, candidates, counts):
1. objects: rank every candidate object by SHA-256("<seed>|<object id>") and take the first N;
2. for each drawn object, in that order: leave out the officers who declared a conflict of interest with it
   (the reason is kept in the result), rank the others by SHA-256("<seed>|<object id>|<officer id>") and take
   the first `team_size` (at least 2, 行政处罚法第四十二条).
Pure: no database, so the check (复核) recomputes exactly what the draw computed."""

from __future__ import annotations

from fazhi.core.errors import DomainError
from fazhi.oversight.draw import new_seed, rank

__all__ = ["compute", "new_seed", "rank", "verify"]


def compute(seed: str, candidates: dict, object_count: int, team_size: int) -> list[dict]:
    """candidates: {"objects": [{"id", "name"}], "officers": [{"id", "name"}], "conflicts": [{"officer",
    "object", "reason"}]} (eligible ones only) → [{"object", "name", "rank", "officers", "recused"}]."""
    objects = candidates.get("objects", [])
    officers = candidates.get("officers", [])
    conflicts = {(c["officer"], c["object"]): c.get("reason", "") for c in candidates.get("conflicts", [])}
    if object_count < 1:
        raise DomainError("抽取对象数至少为1。")
    if team_size < 2:
        raise DomainError("每组执法人员不得少于2名（行政处罚法第四十二条）。")
    if len(officers) < team_size:
        raise DomainError(f"抽取日持有效执法证件的执法人员只有{len(officers)}名，少于每组{team_size}名"
                          "（行政处罚法第四十二条：执法人员不得少于两人），不能抽取。")
    if len(objects) < object_count:
        raise DomainError(f"符合条件的检查对象只有{len(objects)}个，少于拟抽取的{object_count}个，请减少抽取数量。")
    drawn = sorted(objects, key=lambda o: rank(seed, str(o["id"])))[:object_count]
    out = []
    for o in drawn:
        recused = [{"officer": f["id"], "name": f["name"], "reason": conflicts[(f["id"], o["id"])]}
                   for f in officers if (f["id"], o["id"]) in conflicts]
        free = [f for f in officers if (f["id"], o["id"]) not in conflicts]
        if len(free) < team_size:
            raise DomainError(f"检查对象“{o['name']}”排除回避人员后可抽取的执法人员只有{len(free)}名，"
                              f"少于每组{team_size}名，不能抽取。")
        team = sorted(free, key=lambda f: rank(seed, f"{o['id']}|{f['id']}"))[:team_size]
        out.append({"object": o["id"], "name": o["name"], "rank": rank(seed, str(o["id"])),
                    "officers": [f["id"] for f in team], "recused": recused})
    return out


def verify(draw) -> tuple[bool, list[dict], str]:
    """复核: recompute from the stored seed and candidates; (matches, recomputed, what differs)."""
    try:
        again = compute(draw.seed, draw.candidates, draw.object_count, draw.team_size)
    except DomainError as e:
        return False, [], f"按记录的种子和候选名单无法重新抽取：{e.message}"
    if again == draw.result:
        return True, again, ""
    stored = {r.get("object"): r for r in draw.result}
    diffs = []
    for i, r in enumerate(again, 1):
        s = stored.get(r["object"])
        if s is None:
            diffs.append(f"第{i}个对象应为“{r['name']}”，记录中没有")
        elif s.get("officers") != r["officers"]:
            diffs.append(f"“{r['name']}”的执法人员与重算结果不同")
    extra = set(stored) - {r["object"] for r in again}
    if extra:
        diffs.append(f"记录中多出{len(extra)}个未被抽中的对象")
    return False, again, "；".join(diffs) or "记录的结果与重算结果不一致"
