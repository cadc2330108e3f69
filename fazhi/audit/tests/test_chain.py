import hashlib

import pytest
from django.core.management import call_command

from fazhi.audit.merkle import leaf_hash, node_hash, tree_hash
from fazhi.audit.models import AuditEntry, Checkpoint
from fazhi.audit.services import audit_record, checkpoint_create
from fazhi.audit.verify import verify_chain


def reference_mth(leaves):
    """RFC 6962 §2.1 written as the recursive definition."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(leaves[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(reference_mth(leaves[:k]), reference_mth(leaves[k:]))


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 33])
def test_streaming_tree_hash_matches_rfc6962(n):
    leaves = [bytes([i]) * 3 for i in range(n)]
    assert tree_hash(leaves) == reference_mth(leaves)


def test_single_empty_leaf_vector():
    assert tree_hash([b""]).hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


@pytest.fixture
def chain(demo):
    actor = demo.user("litou_legal_staff")
    for i in range(6):
        audit_record(actor=actor, action="update", obj=demo.litou, changes={"name": [f"v{i}", f"v{i + 1}"]},
                     reason=f"第{i}次")
    return list(AuditEntry.objects.order_by("seq"))


def _verify_exit_code():
    try:
        call_command("audit_verify")
    except SystemExit as e:
        return e.code
    return 0


def test_intact_chain_verifies(chain):
    assert verify_chain().ok
    assert _verify_exit_code() == 0


def test_it_catches_an_altered_entry(chain):
    AuditEntry.objects.filter(seq=3).update(reason="改过的理由")
    result = verify_chain()
    assert not result.ok and result.seq == 3 and "篡改" in result.problem
    assert _verify_exit_code() == 1


def test_it_catches_altered_changes_json(chain):
    AuditEntry.objects.filter(seq=2).update(changes={"name": ["x", "y"]})
    assert verify_chain().seq == 2


def test_it_catches_a_deleted_entry(chain):
    AuditEntry.objects.filter(seq=4).delete()
    result = verify_chain()
    assert not result.ok and result.seq == 4
    assert _verify_exit_code() == 1


def test_it_catches_a_deleted_last_entry(chain):
    AuditEntry.objects.filter(seq=6).delete()
    result = verify_chain()
    assert not result.ok and result.seq == 6


def test_it_catches_swapped_entries(chain):
    a, b = AuditEntry.objects.get(seq=2), AuditEntry.objects.get(seq=5)
    AuditEntry.objects.filter(pk=a.pk).update(seq=1000)
    AuditEntry.objects.filter(pk=b.pk).update(seq=2)
    AuditEntry.objects.filter(pk=a.pk).update(seq=5)
    result = verify_chain()
    assert not result.ok and result.seq == 2


def test_it_catches_a_rewritten_chain_through_the_checkpoint(chain):
    checkpoint_create()
    # Rewrite entry 3 and re-hash everything after it, as a careful forger would.
    from fazhi.audit.models import AuditHead
    from fazhi.audit.services import compute_hash

    prev = AuditEntry.objects.get(seq=2).entry_hash
    for e in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
        if e.seq == 3:
            e.reason = "伪造"
        e.prev_hash = prev
        e.entry_hash = compute_hash(e)
        AuditEntry.objects.filter(pk=e.pk).update(reason=e.reason, prev_hash=e.prev_hash, entry_hash=e.entry_hash)
        prev = e.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=prev)
    result = verify_chain()
    assert not result.ok and "检查点" in result.problem


def test_entries_refuse_update_and_delete_through_the_orm(chain):
    e = chain[0]
    with pytest.raises(RuntimeError):
        e.save()
    with pytest.raises(RuntimeError):
        e.delete()


def test_checkpoint_is_taken_every_n_entries(demo, settings):
    settings.FAZHI_AUDIT_CHECKPOINT_EVERY = 3
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        for _ in range(7):
            audit_record(actor=None, action="update", obj=demo.litou)
    assert sorted(Checkpoint.objects.values_list("tree_size", flat=True)) == [3, 6]
    assert verify_chain().ok


def test_checkpoint_command_exports_json(chain, tmp_path):
    out = tmp_path / "cp.json"
    call_command("audit_checkpoint", export=str(out))
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["checkpoints"][0]["tree_size"] == 6


def test_snapshot_handles_empty_and_filled_file_fields():
    from django.db import models as m
    from django.db.models.fields.files import FieldFile

    from fazhi.audit.services import _text

    field = m.FileField(upload_to="proof")
    assert _text(FieldFile(None, field, "")) is None  # hasattr(empty, "url") would raise
    assert _text(FieldFile(None, field, "proof/a.pdf")) == "proof/a.pdf"
