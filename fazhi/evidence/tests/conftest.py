"""Evidence test helpers: media bytes with real magic numbers and a stand-in subject record."""

from __future__ import annotations

import io

import pytest

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free"


def mp4_head(n: int) -> bytes:
    """ftyp + free + the header of an mdat box running to byte `n`: boxes tile the file, as in a real MP4."""
    return MP4_HEAD + (n - len(MP4_HEAD)).to_bytes(4, "big") + b"mdat"


def mp4_bytes(n: int = 10_000, fill: bytes = b"\x11") -> bytes:
    return mp4_head(n) + fill * (n - len(MP4_HEAD) - 8)


@pytest.fixture
def mp4():
    return mp4_bytes


@pytest.fixture
def subject_factory(demo):
    """A township-owned record to attach evidence to. Any model with `township` and `visible_to` works;
    the audit entry is such a model and exists in every test database (enforcement's Case may not)."""
    from fazhi.audit.services import audit_record

    def make(township=None, locked=False):
        entry = audit_record(actor=None, action="test", township=township or demo.litou,
                             object_type="test.subject", object_id="1", object_repr="检查记录")
        return entry

    return make


@pytest.fixture
def ingest(demo):
    from fazhi.evidence.models import Stage
    from fazhi.evidence.services import evidence_ingest

    def _ingest(data: bytes, filename="记录.mp4", actor=None, township=None, **kw):
        kw.setdefault("stage", Stage.INVESTIGATION)
        return evidence_ingest(actor=actor or demo.user("litou_officer"), township=township or demo.litou,
                               fileobj=io.BytesIO(data) if isinstance(data, bytes) else data, filename=filename, **kw)

    return _ingest
