"""Rotating the checkpoint signing key (issue 14): the old key vouches for the new one at a checkpoint both sign,
older checkpoints keep verifying with the retired public key, and a checkpoint signed by an unknown key, or by a
key outside its window, is refused."""

import base64
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.test import TestCase

from fazhi.audit import signing
from fazhi.audit.models import AuditEntry, AuditHead, Checkpoint
from fazhi.audit.observe import extension_problem
from fazhi.audit.services import (
    audit_record,
    audit_rotate_key,
    checkpoint_create,
    checkpoint_export,
    compute_hash,
)
from fazhi.audit.verify import verify_chain
from fazhi.core.errors import DomainError


@pytest.fixture
def key(tmp_path, settings):
    """A signing key of this test alone (a rotation must not leak into other tests' key)."""
    settings.FAZHI_AUDIT_KEY_FILE = tmp_path / "keys" / "audit.key"
    signing.ensure_key()
    return settings.FAZHI_AUDIT_KEY_FILE


@pytest.fixture
def log(key, demo, settings):
    settings.FAZHI_AUDIT_CHECKPOINT_EVERY = 4
    actor = demo.user("litou_legal_staff")
    _append(actor, 10)
    return actor


def _append(actor, n):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for i in range(n):
            audit_record(actor=actor, action="update", object_type="x", object_id=str(i), reason=f"第{i}次")


def _verify(*args, **kwargs):
    try:
        call_command("audit_verify", *args, **kwargs)
    except SystemExit as e:
        return e.code
    return 0


def _sign_with(pem: bytes, size: int, root: str) -> str:
    key = serialization.load_pem_private_key(pem, password=None)
    return base64.b64encode(key.sign(signing.message(size, root))).decode()


def test_rotation_signs_a_checkpoint_with_both_keys_and_older_checkpoints_still_verify(log, key, capsys):
    old_fp, old_pem = signing.fingerprint(), key.read_bytes()
    call_command("audit_rotate_key")
    out = capsys.readouterr().out
    new_fp = signing.fingerprint()
    assert new_fp != old_fp and old_fp in out and new_fp in out and "前10条" in out
    assert key.read_bytes() != old_pem and not key.with_name("audit.key.new").exists()  # old private key destroyed
    ring = signing.keyring()
    assert [(r.fingerprint, r.from_size, r.until_size) for r in ring] == [(old_fp, 0, 10), (new_fp, 10, None)]
    assert not signing.keyring_problems(ring)
    cp = Checkpoint.objects.get(tree_size=10)
    assert cp.key_fingerprint == new_fp and signing.verify(10, cp.root_hash, cp.signature)
    [cosig] = cp.cosignatures
    assert cosig["key_fingerprint"] == old_fp and signing.verify_signature(
        ring[0].public_key, cosig["signature"], signing.rotation_message(10, cp.root_hash, ring[1].public_key))
    assert {c.key_fingerprint for c in Checkpoint.objects.filter(tree_size__lt=10)} == {old_fp}
    _append(log, 6)  # checkpoints at 12 and 16, by the new key
    assert Checkpoint.objects.get(tree_size=16).key_fingerprint == new_fp
    result = verify_chain()
    assert result.ok and result.checked == 16, result.problem
    assert _verify() == 0
    assert extension_problem(4, Checkpoint.objects.get(tree_size=4).root_hash)[1] == ""  # the county's view
    exported = checkpoint_export()
    assert [k["key_fingerprint"] for k in exported["keys"]] == [old_fp, new_fp]


def test_a_root_exported_before_the_rotation_still_anchors_the_log(log, tmp_path):
    before = tmp_path / "before.json"
    before.write_text(json.dumps(checkpoint_export(), ensure_ascii=False), encoding="utf-8")
    audit_rotate_key()
    _append(log, 3)
    checkpoint_create()
    assert _verify(against=str(before)) == 0
    after = tmp_path / "after.json"
    after.write_text(json.dumps(checkpoint_export(), ensure_ascii=False), encoding="utf-8")
    assert _verify(against=str(after)) == 0


def test_a_checkpoint_signed_by_an_unknown_key_is_refused(log, capsys):
    stranger = Ed25519PrivateKey.generate()
    pem = stranger.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    cp = Checkpoint.objects.get(tree_size=8)
    fp = signing.fingerprint(stranger.public_key().public_bytes(serialization.Encoding.Raw,
                                                                serialization.PublicFormat.Raw))
    Checkpoint.objects.filter(pk=cp.pk).update(signature=_sign_with(pem, 8, cp.root_hash), key_fingerprint=fp)
    result = verify_chain()
    assert not result.ok and "未知的密钥" in result.problem and fp[:16] in result.problem
    assert _verify() == 1 and "未知的密钥" in capsys.readouterr().err


def test_the_retired_key_cannot_sign_after_its_window(log, key):
    old_pem, old_fp = key.read_bytes(), signing.fingerprint()
    audit_rotate_key()
    _append(log, 2)
    cp = Checkpoint.objects.get(tree_size=12)  # a stolen old key re-signs a newer checkpoint
    Checkpoint.objects.filter(pk=cp.pk).update(signature=_sign_with(old_pem, 12, cp.root_hash), key_fingerprint=old_fp)
    result = verify_chain()
    assert not result.ok and "只对前0条起至前10条的检查点有效" in result.problem
    # and the new key cannot have signed before its window
    cp4 = Checkpoint.objects.get(tree_size=4)
    Checkpoint.objects.filter(pk=cp.pk).update(signature=signing.sign(12, cp.root_hash),
                                               key_fingerprint=signing.fingerprint())
    Checkpoint.objects.filter(pk=cp4.pk).update(signature=signing.sign(4, cp4.root_hash),
                                                key_fingerprint=signing.fingerprint())
    result = verify_chain()
    assert not result.ok and "前4条" in result.problem and "前10条起至今" in result.problem


def test_a_rewrite_before_the_rotation_is_caught_at_the_rotation_point_even_when_resigned(log):
    audit_rotate_key()
    prev = AuditEntry.objects.get(seq=2).entry_hash
    for e in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):  # rewrite #3, recompute every later hash
        if e.seq == 3:
            e.reason = "伪造"
        e.prev_hash = prev
        e.entry_hash = compute_hash(e)
        AuditEntry.objects.filter(pk=e.pk).update(reason=e.reason, prev_hash=e.prev_hash, entry_hash=e.entry_hash)
        prev = e.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=prev)
    Checkpoint.objects.all().delete()  # the insider holds the current key and re-signs what it can
    checkpoint_create(10)
    result = verify_chain()
    assert not result.ok and "签名密钥轮换时（前10条）旧密钥认可的根与现有记录不符" in result.problem


def test_a_tampered_keyring_or_a_swapped_key_file_is_named(log, key):
    audit_rotate_key()
    path = signing.keyring_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    intact = path.read_text(encoding="utf-8")
    data["keys"][1]["endorsement"] = data["keys"][0]["endorsement"] or base64.b64encode(b"\x00" * 64).decode()
    path.write_text(json.dumps(data), encoding="utf-8")
    result = verify_chain()
    assert not result.ok and "交接签名" in result.problem
    path.write_text(intact, encoding="utf-8")
    assert verify_chain().ok
    key.write_bytes(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    result = verify_chain()
    assert not result.ok and "密钥文件" in result.problem and "不符" in result.problem
    with pytest.raises(DomainError, match="不符"):
        audit_rotate_key()


def test_two_rotations_and_a_rotation_of_an_empty_log(key, demo, settings):
    settings.FAZHI_AUDIT_CHECKPOINT_EVERY = 4
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    Checkpoint.objects.all().delete()
    checkpoint, rotation = audit_rotate_key()
    assert checkpoint is None and rotation.new.from_size == 0 and rotation.new.root_hash == signing.EMPTY_ROOT
    actor = demo.user("litou_legal_staff")
    _append(actor, 5)
    audit_rotate_key()
    _append(actor, 4)
    ring = signing.keyring()
    assert [(r.from_size, r.until_size) for r in ring] == [(0, 0), (0, 5), (5, None)]
    assert verify_chain().ok and verify_chain().checked == 9


def test_a_failed_rotation_leaves_the_old_key_in_force(log, key, monkeypatch):
    old_pem = key.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("数据库写入失败")

    monkeypatch.setattr(Checkpoint, "save", boom)
    with pytest.raises(RuntimeError):
        audit_rotate_key()
    monkeypatch.undo()
    assert key.read_bytes() == old_pem and not signing.keyring_path().exists()
    assert not key.with_name("audit.key.new").exists()
    assert verify_chain().ok


def test_a_rotation_interrupted_after_the_keyring_was_written_is_finished_by_the_next_signature(log, key):
    old_fp = signing.fingerprint()
    root = Checkpoint.objects.get(tree_size=8).root_hash
    AuditEntry.objects.filter(seq__gt=8).delete()
    AuditHead.objects.filter(pk=1).update(seq=8, entry_hash=AuditEntry.objects.get(seq=8).entry_hash)
    rotation, _previous = signing.rotate(8, root)  # the process dies here: key.new on disk, keyring names it
    assert key.with_name("audit.key.new").exists()
    assert signing.fingerprint() == rotation.new.fingerprint != old_fp  # finished on next use
    assert not key.with_name("audit.key.new").exists()
    assert verify_chain().ok  # the checkpoint at 8 is still the old key's, valid up to 8


def test_the_keyring_lives_where_FAZHI_AUDIT_KEYRING_FILE_says(log, key, settings, tmp_path):
    settings.FAZHI_AUDIT_KEYRING_FILE = str(tmp_path / "shared" / "ring.json")
    (tmp_path / "shared").mkdir()
    call_command("audit_rotate_key")
    assert signing.keyring_path() == tmp_path / "shared" / "ring.json"
    assert (tmp_path / "shared" / "ring.json").exists()
    assert not key.with_name(key.name + ".keyring.json").exists()
    assert len(signing.keyring()) == 2 and _verify() == 0
