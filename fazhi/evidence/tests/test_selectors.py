import datetime as dt

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.evidence.models import EvidenceFile, Stage
from fazhi.evidence.selectors import annual_stats, evidence_for, has_video
from fazhi.evidence.services import evidence_update

from .conftest import mp4_bytes


def test_evidence_for_and_has_video(ingest, subject_factory):
    s = subject_factory()
    assert not has_video(s) and not evidence_for(s).exists()
    ingest(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 9 + b"\xff\xda\x00\x02" + b"\x00" * 3000 + b"\xff\xd9",
           filename="照片.jpg", subject=s, stage=Stage.COERCION)
    assert not has_video(s, Stage.COERCION)
    ingest(mp4_bytes(), subject=s, stage=Stage.COERCION)
    assert has_video(s, Stage.COERCION) and evidence_for(s).count() == 2


def test_evidence_by_subject_in_one_query(ingest, subject_factory, django_assert_num_queries):
    from fazhi.evidence.selectors import evidence_by_subject

    a, b = subject_factory(), subject_factory()
    ingest(mp4_bytes(), subject=a)
    ingest(mp4_bytes(fill=b"\x07"), subject=a)
    with django_assert_num_queries(1):
        found = evidence_by_subject([a, b])
    assert len(found[a.pk]) == 2 and found[b.pk] == []


def test_annual_stats_in_constant_queries(ingest, demo, django_assert_num_queries):
    start = timezone.make_aware(dt.datetime(2024, 6, 1, 9))
    ingest(mp4_bytes(), started_at=start)
    ingest(b"%PDF-1.4\n" + b"x" * 300 + b"\n%%EOF\n", filename="a.pdf", started_at=start, stage=Stage.SERVICE)
    ingest(mp4_bytes(fill=b"\x09"), started_at=timezone.make_aware(dt.datetime(2023, 6, 1, 9)))
    with django_assert_num_queries(2):
        stats = annual_stats(demo.litou, 2024)
    assert stats["evidence_files"] == 2 and stats["video_files"] == 1
    assert stats["by_stage"] == {"investigation": 1, "service": 1}
    assert annual_stats(demo.demo2, 2024)["evidence_files"] == 0


def test_evidence_cannot_leave_an_open_case(ingest, subject_factory, demo, monkeypatch):
    from fazhi.audit.models import AuditEntry as Subject

    s = subject_factory()
    ev = ingest(mp4_bytes(), subject=s)
    monkeypatch.setattr(Subject, "evidence_locked", lambda self: True, raising=False)
    with pytest.raises(DomainError, match="未办结"):
        evidence_update(actor=demo.user("litou_officer"), evidence=ev, subject=subject_factory())
    ev.refresh_from_db()
    assert ev.subject_id == str(s.pk)


def test_demo_is_idempotent(demo):
    from fazhi.evidence import demo as evidence_demo

    evidence_demo.load(demo)
    n = EvidenceFile.objects.count()
    evidence_demo.load(demo)
    assert EvidenceFile.objects.count() == n == 4
    assert EvidenceFile.objects.filter(township=demo.litou, content_type="audio/wav").exists()
