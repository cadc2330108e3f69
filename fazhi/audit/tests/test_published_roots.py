"""The signed root as published: each township's portal page, the annual report's appendix, and the county's
last-seen root per township (the chain is global, so every township publishes the same root)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from fazhi.audit import signing
from fazhi.audit.models import AuditEntry, AuditHead, Checkpoint, TownshipRootSeen
from fazhi.audit.observe import county_roots_observe
from fazhi.audit.services import audit_record, checkpoint_create, compute_hash


@pytest.fixture
def signed(demo):
    for i in range(5):
        audit_record(actor=None, action="update", obj=demo.litou, reason=f"第{i}次")
    return checkpoint_create()


def _grow(demo, n=3):
    for _ in range(n):
        audit_record(actor=None, action="update", obj=demo.demo2)
    return checkpoint_create()


def test_the_portal_page_publishes_the_signed_root(signed, demo, client):
    r = client.get(reverse("portal:township", args=[demo.litou.code]))
    assert r.status_code == 200
    text = r.content.decode()
    assert "审计日志签名根" in text and signed.root_hash in text and signed.signature in text
    assert signing.public_key_b64() in text and signing.fingerprint() in text


def test_the_annual_report_appendix_prints_the_root_and_verifies_against_the_log(signed, demo, monkeypatch,
                                                                                 tmp_path):
    from fazhi.reports import documents, selectors
    from fazhi.reports.tests.fakes import patch_sources

    patch_sources(monkeypatch)
    report = selectors.township_report(demo.litou, 2024)
    doc = Document(io.BytesIO(documents.render_docx(report)))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("附：审计日志签名根")
    appendix = "\n".join(texts[start:])
    assert f"条目数：{signed.tree_size}" in appendix and signed.root_hash in appendix
    assert signed.signature in appendix and signing.fingerprint() in appendix
    copy = tmp_path / "appendix.txt"
    copy.write_text(appendix, encoding="utf-8")
    call_command("audit_verify", against=str(copy))  # exits 0: the log extends the printed root


def test_the_county_keeps_the_last_root_and_follows_consistent_extensions(signed, demo):
    towns = [demo.litou, demo.demo2]
    assert county_roots_observe(towns) == []
    assert set(TownshipRootSeen.objects.values_list("tree_size", flat=True)) == {signed.tree_size}
    _grow(demo)
    newer = _grow(demo)
    assert county_roots_observe(towns) == []
    assert set(TownshipRootSeen.objects.values_list("tree_size", flat=True)) == {newer.tree_size}


def test_the_county_warns_when_a_new_root_rewrites_what_it_saw(signed, demo, client, login):
    towns = [demo.litou, demo.demo2]
    county_roots_observe(towns)
    # An insider with the key rewrites entry 2, recomputes the chain and re-signs every checkpoint.
    prev = AuditEntry.objects.get(seq=1).entry_hash
    for e in AuditEntry.objects.filter(seq__gte=2).order_by("seq"):
        if e.seq == 2:
            e.reason = "伪造"
        e.prev_hash, e.entry_hash = prev, None
        e.entry_hash = compute_hash(e)
        AuditEntry.objects.filter(pk=e.pk).update(reason=e.reason, prev_hash=e.prev_hash, entry_hash=e.entry_hash)
        prev = e.entry_hash
    AuditHead.objects.filter(pk=1).update(entry_hash=prev)
    Checkpoint.objects.all().delete()
    checkpoint_create()
    _grow(demo)
    warnings = county_roots_observe(towns)
    assert len(warnings) == 1 and "记录被改写" in warnings[0] and "犁头瑶族乡" in warnings[0]
    row = TownshipRootSeen.objects.get(township=demo.litou)
    assert row.root_hash == signed.root_hash and row.problem  # the old root is kept as the evidence
    login(demo.user("county_supervisor"))
    r = client.get(reverse("reports:county") + "?year=2024")
    assert r.status_code == 200 and "审计日志签名根异常" in r.content.decode()


def test_the_county_warns_when_the_log_was_cut(signed, demo):
    county_roots_observe([demo.litou])
    Checkpoint.objects.all().delete()
    AuditEntry.objects.filter(seq__gt=3).delete()
    AuditHead.objects.filter(pk=1).update(seq=3, entry_hash=AuditEntry.objects.get(seq=3).entry_hash)
    checkpoint_create()
    warnings = county_roots_observe([demo.litou])
    assert warnings and "截去" in warnings[0]
