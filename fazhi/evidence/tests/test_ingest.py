import hashlib
import io
import os
import tracemalloc

import pytest
from django.core.files.storage import default_storage

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.evidence import conf
from fazhi.evidence.models import Blob, EvidenceFile, Stage
from fazhi.evidence.selectors import evidence_for, has_video
from fazhi.evidence.storage import CHUNK, safe_filename

from .conftest import mp4_head


def test_it_hashes_while_streaming_and_stores_once(ingest, mp4, subject_factory):
    subject = subject_factory()
    data = mp4(3 * CHUNK + 123)
    first = ingest(data, subject=subject)
    second = ingest(data, filename="副本.mp4", subject=subject)
    assert first.sha256 == second.sha256 == hashlib.sha256(data).hexdigest()
    assert first.size == len(data)
    assert first.content_type == "video/mp4"
    assert Blob.objects.count() == 1
    assert first.blob_id == second.blob_id
    assert list(evidence_for(subject)) == [first, second]
    assert has_video(subject) and has_video(subject, Stage.INVESTIGATION) and not has_video(subject, Stage.COERCION)
    uploads = AuditEntry.objects.filter(action="upload", object_type="evidence.evidencefile")
    assert uploads.count() == 2
    assert uploads.last().changes["deduplicated"] is True
    with default_storage.open(first.blob.storage_name) as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == first.sha256


def test_the_stored_file_is_content_addressed_and_read_only(ingest, mp4, demo):
    ev = ingest(mp4(5000))
    assert ev.blob.storage_name == f"evidence/{demo.litou.code}/{ev.sha256[:2]}/{ev.sha256}"
    mode = os.stat(default_storage.path(ev.blob.storage_name)).st_mode
    assert not mode & 0o222


def test_same_content_in_another_township_is_stored_separately(ingest, mp4, demo):
    data = mp4(5000)
    ingest(data)
    ingest(data, actor=demo.user("demo2_officer"), township=demo.demo2)
    assert Blob.objects.count() == 2


class _Generated(io.RawIOBase):
    """A large stream produced on the fly: the test never holds the whole file either."""

    def __init__(self, size):
        self.left = size
        self.size = size
        self.first = True

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.left if n < 0 else min(n, self.left)
        if n <= 0:
            return b""
        self.left -= n
        if self.first:
            self.first = False
            return (mp4_head(self.size) + b"\x22" * n)[:n]
        return b"\x22" * n


def test_memory_stays_constant_whatever_the_size(ingest):
    size = 64 * CHUNK
    tracemalloc.start()
    ev = ingest(_Generated(size), filename="大文件.mp4")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert ev.size == size
    assert peak < 8 * CHUNK  # a few chunk buffers, not 64 MB


def test_it_refuses_an_executable_renamed_mp4_and_stores_nothing(ingest):
    with pytest.raises(DomainError, match="可执行"):
        ingest(b"MZ\x90\x00" + b"\x00" * 5000, filename="视频.mp4")
    assert not EvidenceFile.objects.exists() and not Blob.objects.exists()
    assert not list(conf.temp_dir().glob("ingest-*"))


def test_it_refuses_content_that_contradicts_the_extension(ingest):
    with pytest.raises(DomainError, match="不符"):
        ingest(b"%PDF-1.4\n" + b"x" * 100, filename="录像.mp4")


def test_it_refuses_unknown_content(ingest):
    with pytest.raises(DomainError, match="无法识别"):
        ingest(b"hello world, plain text" * 10, filename="说明.txt")


def test_filenames_with_path_separators_are_harmless(ingest, mp4):
    ev = ingest(mp4(3000), filename="../../etc/passwd/..\\..\\窗口\\录像..mp4")
    assert "/" not in ev.original_name and "\\" not in ev.original_name and ".." not in ev.original_name
    assert ev.original_name.endswith(".mp4")
    assert ev.blob.storage_name.startswith("evidence/")
    assert safe_filename("..") == "未命名文件"
    assert safe_filename("a\x00b\n.mp4") == "ab.mp4"


def test_size_limit_is_configurable(ingest, mp4, settings):
    settings.FAZHI_EVIDENCE_MAX_BYTES = 4000
    with pytest.raises(DomainError, match="上限"):
        ingest(mp4(5000))
    assert not EvidenceFile.objects.exists()


class _Crash(io.RawIOBase):
    def __init__(self):
        self.calls = 0

    def readable(self):
        return True

    def read(self, n=-1):
        self.calls += 1
        if self.calls > 2:
            raise ConnectionResetError("connection lost")
        return (mp4_head(10 * n) + b"\x00" * n)[:n]


def test_a_crash_mid_upload_leaves_no_evidence_and_no_temp_file(ingest):
    with pytest.raises(ConnectionResetError):
        ingest(_Crash())
    assert not EvidenceFile.objects.exists() and not Blob.objects.exists()
    assert not list(conf.temp_dir().glob("ingest-*"))


def test_guards_refuse_and_change_nothing(ingest, mp4, demo, subject_factory):
    with pytest.raises(DomainError, match="无权"):
        ingest(mp4(), actor=demo.user("litou_mediator"))
    with pytest.raises(DomainError, match="无权"):
        ingest(mp4(), actor=demo.user("demo2_officer"))
    with pytest.raises(DomainError, match="无权"):
        ingest(mp4(), actor=demo.user("county_supervisor"))
    with pytest.raises(DomainError, match="关联对象不属于"):
        ingest(mp4(), subject=subject_factory(township=demo.demo2))
    with pytest.raises(DomainError, match="执法人员"):
        ingest(mp4(), officers=[demo.user("demo2_officer")])
    with pytest.raises(DomainError, match="执法人员"):
        ingest(mp4(), officers=[demo.user("county_supervisor")])
    with pytest.raises(DomainError, match="结束时间"):
        from django.utils import timezone

        now = timezone.now()
        ingest(mp4(), started_at=now, ended_at=now - timezone.timedelta(minutes=1))
    with pytest.raises(DomainError, match="环节"):
        ingest(mp4(), stage="nonsense")
    assert not EvidenceFile.objects.exists()


def test_metadata_and_retention_are_recorded(ingest, mp4, demo):
    from django.utils import timezone

    start = timezone.make_aware(timezone.datetime(2024, 3, 12, 9, 30))
    officer = demo.user("litou_officer")
    ev = ingest(mp4(), stage=Stage.PATROL, device="DSJ-A8", officers=[officer], started_at=start,
                ended_at=start + timezone.timedelta(minutes=20), place="犁头村", description="巡查")
    assert list(ev.officers.all()) == [officer]
    assert ev.retain_until.isoformat() == "2026-03-12"  # patrol: 2 years by default
    assert ev.uploaded_by == officer
