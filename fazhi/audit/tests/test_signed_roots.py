"""Signed checkpoints and `audit_verify --against`: a rewrite with every hash recomputed (even re-signed), a cut
tail and a wiped log are all caught against a root exported earlier."""

import json
import os
import stat

import pytest
from django.core.management import call_command
from django.test import TestCase

from fazhi.audit import signing
from fazhi.audit.merkle import verify_consistency
from fazhi.audit.models import AuditEntry, AuditHead, Checkpoint
from fazhi.audit.services import audit_record, checkpoint_create, checkpoint_export, compute_hash
from fazhi.audit.verify import verify_chain


@pytest.fixture
def log(demo, settings):
    settings.FAZHI_AUDIT_CHECKPOINT_EVERY = 4
    actor = demo.user("litou_legal_staff")
    with TestCase.captureOnCommitCallbacks(execute=True):
        for i in range(10):
            audit_record(actor=actor, action="update", obj=demo.litou, changes={"name": [f"v{i}", f"v{i + 1}"]},
                         reason=f"第{i}次")
    return actor


def _export(tmp_path, name="roots.json"):
    path = tmp_path / name
    path.write_text(json.dumps(checkpoint_export(), ensure_ascii=False), encoding="utf-8")
    return path


def _verify(*args, **kwargs):
    try:
        call_command("audit_verify", *args, **kwargs)
    except SystemExit as e:
        return e.code
    return 0


def _rewrite_from(seq, reason="伪造"):
    """What a careful insider does: change one entry, recompute every later hash and the head."""
    prev = AuditEntry.objects.get(seq=seq - 1).entry_hash if seq > 1 else "0" * 64
    for e in AuditEntry.objects.filter(seq__gte=seq).order_by("seq"):
        if e.seq == seq:
            e.reason = reason
        e.prev_hash = prev
        e.entry_hash = compute_hash(e)
        AuditEntry.objects.filter(pk=e.pk).update(reason=e.reason, prev_hash=e.prev_hash, entry_hash=e.entry_hash)
        prev = e.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=prev)


def test_the_signing_key_is_created_outside_the_database_with_mode_0600(tmp_path, settings):
    settings.FAZHI_AUDIT_KEY_FILE = tmp_path / "k" / "audit.key"
    assert signing.ensure_key() is True
    assert stat.S_IMODE(os.stat(settings.FAZHI_AUDIT_KEY_FILE).st_mode) == 0o600
    assert signing.ensure_key() is False
    sig = signing.sign(5, "ab" * 32)
    assert signing.verify(5, "ab" * 32, sig) and not signing.verify(6, "ab" * 32, sig)


def test_checkpoints_are_signed_and_chained_by_consistency_proofs(log):
    cps = list(Checkpoint.objects.order_by("tree_size"))
    assert [c.tree_size for c in cps] == [4, 8]
    for c in cps:
        assert signing.verify(c.tree_size, c.root_hash, c.signature)
        assert c.key_fingerprint == signing.fingerprint()
    assert cps[1].prev_size == 4
    verify_consistency(4, 8, bytes.fromhex(cps[0].root_hash), bytes.fromhex(cps[1].root_hash),
                       [bytes.fromhex(h) for h in cps[1].consistency_proof])
    last = checkpoint_create()
    assert last.tree_size == 10 and last.prev_size == 8
    result = verify_chain()
    assert result.ok and result.checked == 10


def test_a_recomputed_but_unsigned_checkpoint_is_caught(log):
    _rewrite_from(3)
    for c in Checkpoint.objects.all():  # the forger recomputes the roots but has no key
        from fazhi.audit.merkle import tree_hash

        hashes = [bytes.fromhex(h) for h in AuditEntry.objects.filter(seq__lte=c.tree_size).order_by("seq")
                  .values_list("entry_hash", flat=True)]
        Checkpoint.objects.filter(pk=c.pk).update(root_hash=tree_hash(hashes).hex())
    result = verify_chain()
    assert not result.ok and "签名无效" in result.problem


def test_against_an_intact_export_passes_and_later_entries_extend_it(log, tmp_path):
    path = _export(tmp_path)
    audit_record(actor=log, action="update", object_type="x", object_id="1")
    checkpoint_create()
    assert _verify(against=str(path)) == 0


def test_against_catches_a_rewrite_even_when_every_hash_and_checkpoint_is_recomputed_and_resigned(log, tmp_path,
                                                                                                    capsys):
    path = _export(tmp_path)
    _rewrite_from(6)
    Checkpoint.objects.all().delete()  # an insider who can also read the key re-signs everything
    checkpoint_create(4)
    checkpoint_create(8)
    assert verify_chain().ok  # the log alone looks intact
    assert _verify(against=str(path)) == 1
    err = capsys.readouterr().err
    assert "被改写" in err and "第5条至第8条之间" in err


def test_against_catches_a_truncated_tail(log, tmp_path, capsys):
    path = _export(tmp_path)
    AuditEntry.objects.filter(seq__gt=5).delete()
    AuditHead.objects.filter(pk=1).update(seq=5, entry_hash=AuditEntry.objects.get(seq=5).entry_hash)
    Checkpoint.objects.filter(tree_size__gt=5).delete()
    assert verify_chain().ok
    assert _verify(against=str(path)) == 1
    err = capsys.readouterr().err
    assert "末尾被截去" in err and "第6条起缺失" in err


def test_against_catches_a_wiped_log(log, tmp_path, capsys):
    path = _export(tmp_path)
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    Checkpoint.objects.all().delete()
    assert verify_chain().ok
    assert _verify(against=str(path)) == 1
    assert "已被清空" in capsys.readouterr().err


def test_against_the_root_as_printed_in_the_annual_report(log, tmp_path, capsys):
    cp = checkpoint_create()
    printed = tmp_path / "appendix.txt"
    printed.write_text(f"附：审计日志签名根\n条目数：{cp.tree_size}\n根哈希：{cp.root_hash}\n签名：{cp.signature}\n"
                       f"公钥指纹：{signing.fingerprint()}\n", encoding="utf-8")
    assert _verify(against=str(printed)) == 0
    _rewrite_from(2)
    assert _verify(against=str(printed)) == 1
    assert "被改写" in capsys.readouterr().err


def test_against_refuses_a_root_whose_signature_does_not_verify(log, tmp_path, capsys):
    cp = checkpoint_create()
    forged = tmp_path / "forged.txt"
    forged.write_text(f"条目数：{cp.tree_size}\n根哈希：{'0' * 64}\n签名：{cp.signature}\n", encoding="utf-8")
    assert _verify(against=str(forged)) == 1
    assert "签名无效" in capsys.readouterr().err
    junk = tmp_path / "junk.txt"
    junk.write_text("随便写的内容", encoding="utf-8")
    assert _verify(against=str(junk)) == 1
    assert _verify(against=str(tmp_path / "missing.json")) == 1


def test_unsigned_checkpoints_from_before_signing_only_warn_but_a_stripped_signature_fails(log):
    Checkpoint.objects.filter(tree_size=4).update(signature="", key_fingerprint="")  # a pre-upgrade checkpoint
    result = verify_chain()
    assert result.ok and "没有签名" in result.warnings[0]
    Checkpoint.objects.filter(tree_size=8).update(signature="")
    Checkpoint.objects.filter(tree_size=4).update(signature=signing.sign(4, Checkpoint.objects.get(tree_size=4)
                                                                         .root_hash),
                                                  key_fingerprint=signing.fingerprint())
    result = verify_chain()
    assert not result.ok and "签名被去掉" in result.problem
