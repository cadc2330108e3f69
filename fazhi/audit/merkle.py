"""RFC 6962 §2.1 Merkle Tree Hash over a stream of leaves, in O(log n) memory."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def tree_hash(leaves: Iterable[bytes]) -> bytes:
    """MTH(D[n]); the empty tree hashes to SHA-256 of the empty string."""
    stack: list[tuple[int, bytes]] = []  # (size, hash) of perfect subtrees, sizes strictly decreasing
    for leaf in leaves:
        size, h = 1, leaf_hash(leaf)
        while stack and stack[-1][0] == size:
            left_size, left = stack.pop()
            size, h = left_size + size, node_hash(left, h)
        stack.append((size, h))
    if not stack:
        return hashlib.sha256(b"").digest()
    _, root = stack.pop()
    while stack:  # fold the smaller right subtrees into the larger left ones
        _, left = stack.pop()
        root = node_hash(left, root)
    return root
