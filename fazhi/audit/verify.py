"""Walk the chain and name the first entry that was altered, deleted or reordered."""

from __future__ import annotations

from dataclasses import dataclass

from fazhi.audit.merkle import tree_hash
from fazhi.audit.models import GENESIS, AuditEntry, AuditHead, Checkpoint
from fazhi.audit.services import compute_hash


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify_chain() -> VerifyResult:
    expected_seq, prev, checked = 1, GENESIS, 0
    hashes: list[bytes] = []
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, f"第{expected_seq}条审计记录缺失（被删除或序号被改动），"
                                                f"其后出现的是第{entry.seq}条。", expected_seq)
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, f"第{entry.seq}条审计记录的前序哈希与上一条不符："
                                                f"之前的记录被删除、替换或顺序被调换。", entry.seq)
        if compute_hash(entry) != entry.entry_hash:
            return VerifyResult(False, checked, f"第{entry.seq}条审计记录的内容被篡改（哈希不符）。", entry.seq)
        prev = entry.entry_hash
        hashes.append(bytes.fromhex(entry.entry_hash))
        checked += 1
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.entry_hash != prev):
        return VerifyResult(False, checked, f"审计链末尾的记录缺失：链头记录为第{head.seq}条，"
                                            f"实际只有{checked}条完整记录。", checked + 1)
    for cp in Checkpoint.objects.order_by("tree_size"):
        if cp.tree_size > len(hashes) or tree_hash(hashes[: cp.tree_size]).hex() != cp.root_hash:
            return VerifyResult(False, checked, f"检查点（前{cp.tree_size}条）的默克尔根与现有记录不符：记录被改写。",
                                None)
    return VerifyResult(True, checked)
