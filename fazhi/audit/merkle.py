"""RFC 6962 / RFC 9162 Merkle trees over a stream of leaves, in O(log n) memory.

`CompactRange` is the stack of perfect subtrees covering leaves [0, n): appending a leaf and taking the root
cost O(log n), so verifying a log is one linear pass. Inclusion and consistency proofs follow RFC 9162 §2.1.3
and §2.1.4 (generation: RFC 6962 §2.1.1–2.1.2 PATH / SUBPROOF; verification: RFC 9162 §2.1.3.2 / §2.1.4.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


class ProofError(ValueError):
    """A proof that does not verify, or whose shape does not fit the tree sizes."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class CompactRange:
    """Perfect subtrees covering leaves [0, size), largest first (sizes are the set bits of `size`)."""

    __slots__ = ("size", "hashes")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()):
        if len(hashes) != size.bit_count():
            raise ValueError("compact range does not fit its size")
        self.size, self.hashes = size, list(hashes)

    def append_leaf_hash(self, h: bytes) -> None:
        size, hashes = self.size, self.hashes
        while size & 1:  # merge with every equal-sized subtree on the right edge
            h = node_hash(hashes.pop(), h)
            size >>= 1
        hashes.append(h)
        self.size += 1

    def append(self, data: bytes) -> None:
        self.append_leaf_hash(leaf_hash(data))

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root

    def nodes(self) -> dict[tuple[int, int], bytes]:
        """{(start, width): hash} of the perfect subtrees held."""
        out, start = {}, 0
        widths = [1 << b for b in range(self.size.bit_length() - 1, -1, -1) if self.size >> b & 1]
        for width, h in zip(widths, self.hashes, strict=True):
            out[(start, width)] = h
            start += width
        return out

    def copy(self) -> CompactRange:
        return CompactRange(self.size, self.hashes)


def tree_hash(leaves: Iterable[bytes]) -> bytes:
    """MTH(D[n]); the empty tree hashes to SHA-256 of the empty string."""
    cr = CompactRange()
    for leaf in leaves:
        cr.append(leaf)
    return cr.root()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _mth(leaf_hashes: Sequence[bytes]) -> bytes:
    cr = CompactRange()
    for h in leaf_hashes:
        cr.append_leaf_hash(h)
    return cr.root()


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1, from the leaf hashes of the tree."""
    n = len(leaf_hashes)
    if not 0 <= index < n:
        raise ProofError("叶子序号超出树的大小")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaf_hashes[:k]) + [_mth(leaf_hashes[k:])]
    return inclusion_proof(index - k, leaf_hashes[k:]) + [_mth(leaf_hashes[:k])]


def consistency_proof(old_size: int, new_size: int, subtree: Callable[[int, int], bytes]) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2. `subtree(start, end)` returns MTH(D[start:end]); every range it is
    asked for lies either inside [0, m) (then it is one of the old tree's compact-range nodes) or inside [m, n)."""
    if not 0 < old_size <= new_size:
        raise ProofError("一致性证明要求 0 < 旧树大小 ≤ 新树大小")

    def sub(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [subtree(start, end)]
        k = _split(n)
        if m <= k:
            return sub(m, start, start + k, whole) + [subtree(start + k, end)]
        return sub(m - k, start + k, end, False) + [subtree(start, start + k)]

    return sub(old_size, 0, new_size, True)


def _check_hash(h: bytes, what: str) -> None:
    if len(h) != 32:
        raise ProofError(f"{what}的长度不是32字节")


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2: the root that `proof` implies for leaf hash `leaf` at `index` in a tree of `size`."""
    if index >= size:
        raise ProofError("叶子序号超出树的大小")
    _check_hash(leaf, "叶子哈希")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        _check_hash(p, "证明节点")
        if sn == 0:
            raise ProofError("证明节点多于树的高度")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("证明节点少于树的高度")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError("包含性证明算出的根与给定的根不符")


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> None:
    """RFC 9162 §2.1.4.2: raises ProofError unless the tree of `new_size` extends the tree of `old_size`."""
    if new_size < old_size:
        raise ProofError("新树小于旧树：日志被截短")
    if old_size == 0:
        raise ProofError("从空树出发的一致性证明没有意义")
    if old_size == new_size:
        if proof:
            raise ProofError("两棵树大小相同，证明却不为空")
        if old_root != new_root:
            raise ProofError("两棵树大小相同而根不同")
        return
    if not proof:
        raise ProofError("证明为空")
    for p in proof:
        _check_hash(p, "证明节点")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # old tree is a perfect subtree: its root is the first node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("证明节点多于所需")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("证明节点少于所需")
    if fr != old_root:
        raise ProofError("一致性证明算出的旧根与已知的旧根不符")
    if sr != new_root:
        raise ProofError("一致性证明算出的新根与给定的新根不符")
