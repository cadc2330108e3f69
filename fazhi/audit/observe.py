"""The county keeps the last signed root it saw for each township and checks that each new one extends it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fazhi.audit import signing
from fazhi.audit.merkle import ProofError, verify_consistency
from fazhi.audit.models import Checkpoint, TownshipRootSeen


def extension_problem(old_size: int, old_root: str) -> tuple[Checkpoint | None, str]:
    """(latest signed checkpoint, "" or the reason in Chinese it is not a consistent extension of the old root).
    Walks the checkpoints after `old_size`, checking each signature and each consistency proof."""
    checkpoints = list(Checkpoint.objects.exclude(signature="").filter(tree_size__gte=old_size)
                       .order_by("tree_size"))
    latest = Checkpoint.objects.exclude(signature="").order_by("-tree_size").first()
    if latest is None:
        return None, f"审计日志已没有任何签名根：县里上次看到的是前{old_size}条的签名根。日志可能已被清空。"
    if latest.tree_size < old_size:
        return latest, (f"新的签名根只含{latest.tree_size}条记录，少于县里上次看到的{old_size}条：日志末尾被截去。")
    if not checkpoints or checkpoints[0].tree_size != old_size or checkpoints[0].root_hash != old_root:
        return latest, (f"现有日志前{old_size}条的签名根与县里上次看到的不同：记录被改写。")
    roots = {old_size: bytes.fromhex(old_root)}
    try:
        ring = signing.keyring()
    except signing.KeyringError as e:
        return latest, str(e)
    for cp in checkpoints[1:]:
        if problem := signing.verify_checkpoint(ring, cp.tree_size, cp.root_hash, cp.signature, cp.key_fingerprint):
            return latest, problem
        if cp.prev_size not in roots:
            continue  # proves from a checkpoint before the one the county saw; covered by audit_verify
        try:
            verify_consistency(cp.prev_size, cp.tree_size, roots[cp.prev_size], bytes.fromhex(cp.root_hash),
                               [bytes.fromhex(h) for h in cp.consistency_proof])
        except (ProofError, ValueError):
            return latest, (f"检查点（前{cp.tree_size}条）不是前{cp.prev_size}条的一致延伸：一致性证明不成立。")
        roots[cp.tree_size] = bytes.fromhex(cp.root_hash)
    if latest.tree_size not in roots:
        return latest, f"无法用一致性证明把前{old_size}条的签名根连到最新的签名根（前{latest.tree_size}条）。"
    return latest, ""


@transaction.atomic
def county_roots_observe(townships) -> list[str]:
    """Update each township's last-seen root when the new one extends it; keep the old one and record the
    problem when not. Returns the warnings to show (one per distinct problem)."""
    townships = list(townships)
    seen = {r.township_id: r for r in TownshipRootSeen.objects.select_for_update().filter(township__in=townships)}
    latest = Checkpoint.objects.exclude(signature="").order_by("-tree_size").first()
    now, checked = timezone.now(), {}
    warnings: list[tuple[str, str]] = []
    if latest is not None:  # first sight of a township: one insert for all of them, not one query each
        TownshipRootSeen.objects.bulk_create([
            TownshipRootSeen(township=t, tree_size=latest.tree_size, root_hash=latest.root_hash,
                             signature=latest.signature, seen_at=now) for t in townships if t.pk not in seen])
    advance: list[int] = []
    for t in townships:
        row = seen.get(t.pk)
        if row is None:
            continue
        if latest is not None and (row.tree_size, row.root_hash) == (latest.tree_size, latest.root_hash):
            problem = ""
        else:
            key = (row.tree_size, row.root_hash)
            if key not in checked:
                checked[key] = extension_problem(row.tree_size, row.root_hash)[1]
            problem = checked[key]
        if problem:
            if row.problem != problem:
                TownshipRootSeen.objects.filter(pk=row.pk).update(problem=problem)
            warnings.append((t.name, problem))
        elif latest is not None and (row.tree_size != latest.tree_size or row.problem):
            advance.append(row.pk)
    if advance:  # one update for every township whose new root extends the old one
        TownshipRootSeen.objects.filter(pk__in=advance).update(
            tree_size=latest.tree_size, root_hash=latest.root_hash, signature=latest.signature, seen_at=now,
            problem="")
    by_problem: dict[str, list[str]] = {}
    for name, problem in warnings:
        by_problem.setdefault(problem, []).append(name)
    return [f"审计日志签名根异常（{'、'.join(names)}）：{problem}" for problem, names in by_problem.items()]
