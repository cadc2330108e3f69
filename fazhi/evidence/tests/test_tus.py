import base64
import hashlib

import pytest

from fazhi.evidence import uploads
from fazhi.evidence.models import EvidenceFile, UploadSession, UploadStatus

from .conftest import mp4_bytes

T = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def meta(**kw):
    kw.setdefault("filename", "执法记录.mp4")
    kw.setdefault("stage", "investigation")
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in kw.items())


def create(client, length, **kw):
    return client.post("/evidence/tus/", HTTP_UPLOAD_LENGTH=str(length), HTTP_UPLOAD_METADATA=meta(**kw), **T)


def patch(client, url, offset, body, **extra):
    return client.generic("PATCH", url, body, content_type="application/offset+octet-stream",
                          HTTP_UPLOAD_OFFSET=str(offset), **T, **extra)


@pytest.fixture
def officer_client(client, login, demo):
    return login(demo.user("litou_officer"))


def test_options_advertises_the_protocol(officer_client):
    r = officer_client.options("/evidence/tus/")
    assert r.status_code == 204
    assert r["Tus-Version"] == "1.0.0" and "creation" in r["Tus-Extension"] and int(r["Tus-Max-Size"]) > 0


def test_upload_in_chunks_resume_and_complete(officer_client, demo):
    data = mp4_bytes(300_000)
    r = create(officer_client, len(data), device="DSJ-A8", place="犁头村", officers=demo.user("litou_officer").pk)
    assert r.status_code == 201, r.content.decode()
    url = r["Location"]
    assert r["Tus-Resumable"] == "1.0.0"
    r = patch(officer_client, url, 0, data[:100_000])
    assert r.status_code == 204 and r["Upload-Offset"] == "100000"
    # a reload: the page asks where to continue
    r = officer_client.head(url, **T)
    assert r.status_code == 200 and r["Upload-Offset"] == "100000" and r["Upload-Length"] == str(len(data))
    assert not EvidenceFile.objects.exists()  # nothing is evidence before the last byte
    r = patch(officer_client, url, 100_000, data[100_000:200_000])
    r = patch(officer_client, url, 200_000, data[200_000:])
    assert r.status_code == 204 and r["Upload-Offset"] == str(len(data))
    ev = EvidenceFile.objects.get()
    assert r["Fazhi-Evidence-Url"] == f"/evidence/{ev.pk}/"
    assert ev.sha256 == hashlib.sha256(data).hexdigest()
    assert ev.device == "DSJ-A8" and ev.place == "犁头村" and ev.stage == "investigation"
    assert list(ev.officers.values_list("username", flat=True)) == ["litou_officer"]
    assert UploadSession.objects.get().status == UploadStatus.DONE
    assert not uploads.temp_path(UploadSession.objects.get()).exists()


def test_resume_in_another_process_rehashes_once_on_completion(officer_client):
    data = mp4_bytes(250_000, fill=b"\x42")
    url = create(officer_client, len(data))["Location"]
    patch(officer_client, url, 0, data[:120_000])
    uploads._HASHERS.clear()  # the next chunk reaches a worker that never saw this upload
    r = patch(officer_client, url, 120_000, data[120_000:])
    assert r.status_code == 204
    assert EvidenceFile.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_wrong_offset_is_refused_with_409(officer_client):
    data = mp4_bytes(50_000)
    url = create(officer_client, len(data))["Location"]
    patch(officer_client, url, 0, data[:10_000])
    r = patch(officer_client, url, 5_000, data[5_000:20_000])
    assert r.status_code == 409 and r["Upload-Offset"] == "10000"
    r = patch(officer_client, url, 30_000, data[30_000:])
    assert r.status_code == 409
    assert officer_client.head(url, **T)["Upload-Offset"] == "10000"


def test_bytes_a_killed_request_wrote_past_the_offset_are_dropped(officer_client):
    data = mp4_bytes(40_000)
    url = create(officer_client, len(data))["Location"]
    patch(officer_client, url, 0, data[:10_000])
    upload = UploadSession.objects.get()
    with open(uploads.temp_path(upload), "ab") as fh:  # a worker died after writing, before committing
        fh.write(b"GARBAGE" * 100)
    r = patch(officer_client, url, 10_000, data[10_000:])
    assert r.status_code == 204
    assert EvidenceFile.objects.get().sha256 == hashlib.sha256(data).hexdigest()


def test_a_lost_temp_file_lowers_the_offset(officer_client):
    data = mp4_bytes(40_000)
    url = create(officer_client, len(data))["Location"]
    patch(officer_client, url, 0, data[:10_000])
    uploads.temp_path(UploadSession.objects.get()).unlink()
    assert officer_client.head(url, **T)["Upload-Offset"] == "0"


def test_an_executable_is_refused_at_its_first_chunk(officer_client):
    exe = b"MZ\x90\x00" + b"\x00" * 20_000
    url = create(officer_client, len(exe) * 10)["Location"]
    r = patch(officer_client, url, 0, exe)
    assert r.status_code == 415 and "可执行" in r.content.decode()
    upload = UploadSession.objects.get()
    assert upload.status == UploadStatus.FAILED and not uploads.temp_path(upload).exists()
    assert officer_client.head(url, **T).status_code == 410
    assert not EvidenceFile.objects.exists()


def test_an_executable_name_is_refused_before_any_byte(officer_client):
    r = create(officer_client, 1000, filename="setup.exe")
    assert r.status_code == 415


def test_protocol_errors(officer_client, settings):
    assert officer_client.post("/evidence/tus/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA=meta()).status_code == 412
    assert officer_client.post("/evidence/tus/", HTTP_UPLOAD_METADATA=meta(), **T).status_code == 400
    assert officer_client.post("/evidence/tus/", HTTP_UPLOAD_LENGTH="10", HTTP_UPLOAD_METADATA="filename ***", **T).status_code == 400
    r = create(officer_client, 10, stage="nonsense")
    assert r.status_code == 400 and "执法环节" in r.content.decode()
    settings.FAZHI_EVIDENCE_MAX_BYTES = 1000
    assert create(officer_client, 1001).status_code == 413
    settings.FAZHI_EVIDENCE_MAX_BYTES = 10**9
    url = create(officer_client, 20_000)["Location"]
    r = officer_client.generic("PATCH", url, b"x", content_type="text/plain", HTTP_UPLOAD_OFFSET="0", **T)
    assert r.status_code == 415
    r = patch(officer_client, url, 0, mp4_bytes(20_001))
    assert r.status_code == 400  # more than declared
    assert not UploadSession.objects.exclude(offset=0).exists()


def test_scope_other_township_gets_404_and_other_user_cannot_continue(officer_client, login, demo, client):
    from django.test import Client

    url = create(officer_client, 20_000)["Location"]
    other_town = login(demo.user("demo2_officer"), Client())
    assert other_town.head(url, **T).status_code == 404
    assert patch(other_town, url, 0, mp4_bytes(20_000)).status_code == 404
    colleague = login(demo.user("litou_legal_staff"), Client())
    assert patch(colleague, url, 0, mp4_bytes(20_000)).status_code == 403
    mediator = login(demo.user("litou_mediator"), Client())
    assert mediator.head(url, **T).status_code == 403
    assert UploadSession.objects.get().offset == 0


def test_subject_must_be_visible(officer_client, subject_factory, demo):
    other = subject_factory(township=demo.demo2)
    r = create(officer_client, 10_000, subject=f"audit.auditentry:{other.pk}")
    assert r.status_code == 400
    mine = subject_factory()
    r = create(officer_client, 10_000, subject=f"audit.auditentry:{mine.pk}")
    assert r.status_code == 201


def test_termination(officer_client):
    url = create(officer_client, 20_000)["Location"]
    upload = UploadSession.objects.get()
    assert officer_client.delete(url, **T).status_code == 204
    assert not UploadSession.objects.exists() and not uploads.temp_path(upload).exists()


def test_abandoned_uploads_are_cleaned_up(officer_client):
    from django.utils import timezone

    url = create(officer_client, 20_000)["Location"]
    patch(officer_client, url, 0, mp4_bytes(20_000)[:5000])
    upload = UploadSession.objects.get()
    assert uploads.uploads_cleanup(now=timezone.now() + timezone.timedelta(days=10)) == 1
    assert not UploadSession.objects.exists() and not uploads.temp_path(upload).exists()
