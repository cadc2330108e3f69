"""Proofs against the published RFC 6962 test vectors (transparency-dev/merkle testdata, copied as data)."""

import base64
import json
from pathlib import Path

import pytest

from fazhi.audit.merkle import (
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    tree_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS = json.loads((Path(__file__).parent / "rfc6962_vectors.json").read_text())
LEAVES = [bytes.fromhex(h) for h in VECTORS["leaf_inputs_hex"]]
LEAF_HASHES = [leaf_hash(x) for x in LEAVES]


def b64(s):
    return base64.b64decode(s) if s else b""


def _ids(cases):
    return [c["file"] for c in cases]


@pytest.mark.parametrize("n", range(9))
def test_roots_match_the_rfc_vectors(n):
    assert tree_hash(LEAVES[:n]).hex() == VECTORS["root_hashes_hex"][n]


@pytest.mark.parametrize("case", VECTORS["inclusion"], ids=_ids(VECTORS["inclusion"]))
def test_inclusion_vector(case):
    proof = [b64(p) for p in case["proof"] or []]
    args = (case["leafIdx"], case["treeSize"], b64(case["leafHash"]), proof, b64(case["root"]))
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("case", VECTORS["consistency"], ids=_ids(VECTORS["consistency"]))
def test_consistency_vector(case):
    proof = [b64(p) for p in case["proof"] or []]
    args = (case["size1"], case["size2"], b64(case["root1"]), b64(case["root2"]), proof)
    if case["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


HAPPY_INCLUSION = [c for c in VECTORS["inclusion"] if c["file"].endswith("happy-path.json") and c["treeSize"] <= 8]
HAPPY_CONSISTENCY = [c for c in VECTORS["consistency"] if c["file"].endswith("happy-path.json")
                     and c["size1"] < c["size2"] <= 8]


@pytest.mark.parametrize("case", HAPPY_INCLUSION, ids=_ids(HAPPY_INCLUSION))
def test_generated_inclusion_proof_equals_the_vector(case):
    proof = inclusion_proof(case["leafIdx"], LEAF_HASHES[: case["treeSize"]])
    assert proof == [b64(p) for p in case["proof"] or []]


@pytest.mark.parametrize("case", HAPPY_CONSISTENCY, ids=_ids(HAPPY_CONSISTENCY))
def test_generated_consistency_proof_equals_the_vector(case):
    def subtree(a, b):
        return tree_hash(LEAVES[a:b])

    proof = consistency_proof(case["size1"], case["size2"], subtree)
    assert proof == [b64(p) for p in case["proof"]]


def test_generated_proofs_verify_for_every_pair_up_to_40():
    leaves = [bytes([i]) for i in range(40)]
    roots = [tree_hash(leaves[:n]) for n in range(41)]
    hashes = [leaf_hash(x) for x in leaves]
    for n in range(1, 41):
        for i in range(n):
            verify_inclusion(i, n, hashes[i], inclusion_proof(i, hashes[:n]), roots[n])
        for m in range(1, n + 1):
            proof = consistency_proof(m, n, lambda a, b: tree_hash(leaves[a:b]))
            verify_consistency(m, n, roots[m], roots[n], proof)
            if m < n:
                with pytest.raises(ProofError):
                    verify_consistency(m, n, roots[m], roots[n - 1], proof)


def test_compact_range_resumes_from_its_stored_nodes():
    cr = CompactRange()
    for x in LEAVES[:5]:
        cr.append(x)
    resumed = CompactRange(cr.size, list(cr.hashes))
    for x in LEAVES[5:]:
        resumed.append(x)
    assert resumed.root().hex() == VECTORS["root_hashes_hex"][8]
    assert set(cr.nodes()) == {(0, 4), (4, 1)}
