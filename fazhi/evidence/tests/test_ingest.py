import hashlib

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.evidence.models import Blob, EvidenceFile
from fazhi.evidence.selectors import evidence_for, has_video
from fazhi.evidence.storage import CHUNK


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
    assert has_video(subject)
    uploads = AuditEntry.objects.filter(action="upload", object_type="evidence.evidencefile")
    assert uploads.count() == 2
    assert uploads.last().changes["deduplicated"] is True


def test_it_refuses_an_executable_renamed_mp4_and_stores_nothing(ingest):
    with pytest.raises(DomainError, match="可执行"):
        ingest(b"MZ\x90\x00" + b"\x00" * 5000, filename="视频.mp4")
    assert not EvidenceFile.objects.exists() and not Blob.objects.exists()
