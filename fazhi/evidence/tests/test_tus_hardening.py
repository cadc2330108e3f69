"""tus PATCH/POST edge cases found by an attacker's test: chunked bodies, signed or spaced numbers, and a
worker killed mid-PATCH (the fsync'ed slices survive, the upload resumes from them)."""

from __future__ import annotations

import hashlib
import io

import pytest

from fazhi.evidence import uploads
from fazhi.evidence.models import EvidenceFile, UploadSession

from .conftest import mp4_bytes
from .test_tus import T, create, patch


@pytest.fixture
def officer_client(client, login, demo):
    return login(demo.user("litou_officer"))


@pytest.mark.parametrize("value", ["+10", "-10", " 10", "10 ", "1_0", "١٠", "0x10", "1e3", ""])
def test_upload_length_accepts_digits_only(officer_client, value):
    r = officer_client.post("/evidence/tus/", HTTP_UPLOAD_LENGTH=value, **T)
    assert r.status_code == 400 and "Upload-Length" in r.content.decode()
    assert not UploadSession.objects.exists()


@pytest.mark.parametrize("value", ["+0", "-0", " 0", "0 ", "٠"])
def test_upload_offset_accepts_digits_only(officer_client, value):
    data = mp4_bytes(5000)
    url = create(officer_client, len(data))["Location"]
    r = officer_client.generic("PATCH", url, data, content_type="application/offset+octet-stream",
                               HTTP_UPLOAD_OFFSET=value, **T)
    assert r.status_code == 400 and "Upload-Offset" in r.content.decode()
    assert UploadSession.objects.get().offset == 0


def test_a_chunked_patch_is_refused_when_the_server_cannot_read_it(officer_client):
    data = mp4_bytes(5000)
    url = create(officer_client, len(data))["Location"]
    r = patch(officer_client, url, 0, data, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert r.status_code == 411 and "Content-Length" in r.content.decode()
    assert UploadSession.objects.get().offset == 0 and not EvidenceFile.objects.exists()


def test_a_chunked_patch_is_read_fully_when_the_server_decodes_it(officer_client):
    """gunicorn decodes chunked bodies and marks wsgi.input as ending with the body (wsgi.input_terminated)."""
    data = mp4_bytes(300_000)
    url = create(officer_client, len(data))["Location"]
    r = patch(officer_client, url, 0, b"", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
              CONTENT_TYPE="application/offset+octet-stream", **{"wsgi.input": io.BytesIO(data[:120_000]), "wsgi.input_terminated": True})
    assert r.status_code == 204 and r["Upload-Offset"] == "120000"
    r = patch(officer_client, url, 120_000, b"", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
              CONTENT_TYPE="application/offset+octet-stream", **{"wsgi.input": io.BytesIO(data[120_000:]), "wsgi.input_terminated": True})
    assert r.status_code == 204 and r["Upload-Offset"] == str(len(data))
    assert EvidenceFile.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_a_chunked_body_longer_than_the_upload_is_refused(officer_client):
    data = mp4_bytes(5000)
    url = create(officer_client, len(data))["Location"]
    r = patch(officer_client, url, 0, b"", CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked",
              CONTENT_TYPE="application/offset+octet-stream", **{"wsgi.input": io.BytesIO(data + b"extra"), "wsgi.input_terminated": True})
    assert r.status_code == 400 and "超出" in r.content.decode()
    assert not EvidenceFile.objects.exists() and UploadSession.objects.get().offset == 0


class _KilledWorker(BaseException):
    """Stands in for the worker being killed (SIGKILL on timeout, OOM): nothing after it runs."""


class _DyingBody:
    def __init__(self, data: bytes, die_after: int):
        self.stream, self.die_after, self.sent = io.BytesIO(data), die_after, 0

    def read(self, n=-1):
        if self.sent >= self.die_after:
            raise _KilledWorker()
        chunk = self.stream.read(min(n, 50_000, self.die_after - self.sent))  # the network's pace
        self.sent += len(chunk)
        return chunk


def test_a_worker_killed_mid_patch_keeps_the_durable_slices(officer_client, demo, settings):
    settings.FAZHI_EVIDENCE_DURABLE_SLICE_BYTES = 64 * 1024
    data = mp4_bytes(400_000)
    url = create(officer_client, len(data))["Location"]
    upload = UploadSession.objects.get()
    with pytest.raises(_KilledWorker):
        uploads.upload_append(actor=demo.user("litou_officer"), upload=upload, offset=0,
                              stream=_DyingBody(data, die_after=300_000), content_length=len(data))
    r = officer_client.head(url, **T)
    durable = int(r["Upload-Offset"])
    assert 64 * 1024 <= durable <= 300_000, durable  # was 0: the whole in-flight chunk was lost
    r = patch(officer_client, url, durable, data[durable:])
    assert r.status_code == 204 and r["Upload-Offset"] == str(len(data))
    assert EvidenceFile.objects.get().sha256 == hashlib.sha256(data).hexdigest()
