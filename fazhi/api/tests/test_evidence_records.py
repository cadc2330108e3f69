"""Evidence and full-process records through the API: bytes through the evidence store's own tus endpoint with a
token, attached to a case / inspection through the evidence service, process records appended through the
page's form and service; every role allowed or refused in Chinese; a retried request creates nothing twice;
too large or the wrong type is refused as on the page."""

import base64
import datetime as dt
import hashlib
import json

import pytest
from django.test import Client
from django.utils import timezone

from fazhi.api.models import IdempotentRequest
from fazhi.api.services import token_create
from fazhi.audit.models import AuditEntry
from fazhi.enforcement.models import Inspection, ProcessRecord
from fazhi.enforcement.tests.conftest import enf, make_case  # noqa: F401 - the enforcement fixtures
from fazhi.evidence.models import EvidenceFile, UploadSession, UploadStatus
from fazhi.evidence.tests.conftest import mp4_bytes

T = {"HTTP_TUS_RESUMABLE": "1.0.0"}
WRITE = ["general:read", "enforcement:write"]


def client(user, scopes=WRITE):
    _, key = token_create(actor=user, name="测试", scopes=scopes)
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def meta(**kw):
    kw.setdefault("filename", "执法记录.mp4")
    kw.setdefault("stage", "investigation")
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in kw.items())


def tus_create(c, length, HTTP_X_CSRFTOKEN="", **kw):
    extra = {"HTTP_X_CSRFTOKEN": HTTP_X_CSRFTOKEN} if HTTP_X_CSRFTOKEN else {}
    return c.post("/evidence/tus/", HTTP_UPLOAD_LENGTH=str(length), HTTP_UPLOAD_METADATA=meta(**kw), **T, **extra)


def tus_patch(c, url, offset, body):
    return c.generic("PATCH", url, body, content_type="application/offset+octet-stream",
                     HTTP_UPLOAD_OFFSET=str(offset), **T)


def upload(c, data: bytes, **kw) -> str:
    """A whole file through tus with the token; returns the upload id."""
    r = tus_create(c, len(data), **kw)
    assert r.status_code == 201, r.content.decode()
    url = r["Location"]
    r = tus_patch(c, url, 0, data)
    assert r.status_code == 204, r.content.decode()
    return url.rstrip("/").rsplit("/", 1)[-1]


def post(c, url, body, key="k-1"):
    return c.post(url, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)


def chinese(message: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in message)


@pytest.fixture
def case(enf):  # noqa: F811 - the fixture imported above
    return make_case(enf)


def test_a_token_uploads_through_tus_and_attaches_to_a_case_once_per_key(enf, case):  # noqa: F811
    c = client(enf.officer_user)
    data = mp4_bytes(50_000)
    upload_id = upload(c, data)
    ev = EvidenceFile.objects.get()
    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.subject_type == ""
    url = f"/api/v1/cases/{case.pk}/evidence"
    r = post(c, url, {"upload": upload_id, "stage": "filing"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["sha256"] == ev.sha256 and body["subject"] == f"enforcement.case:{case.pk}"
    assert body["stage"] == "filing" and body["size"] == len(data)
    ev.refresh_from_db()
    assert (ev.subject_type, ev.subject_id, ev.stage) == ("enforcement.case", str(case.pk), "filing")
    audits = AuditEntry.objects.filter(object_type="evidence.evidencefile", object_id=str(ev.pk)).count()
    again = post(c, url, {"upload": upload_id, "stage": "filing"})  # the retry of a lost answer
    assert again.status_code == 201 and again.json() == body and again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(object_type="evidence.evidencefile", object_id=str(ev.pk)).count() == audits
    assert IdempotentRequest.objects.count() == 1 and EvidenceFile.objects.count() == 1
    listed = c.get(url).json()
    assert [e["sha256"] for e in listed["items"]] == [ev.sha256] and listed["next_cursor"] is None
    # the legal officer reads it too; another township's officer does not see the case at all
    assert client(enf.legal_user).get(url).json()["items"][0]["id"] == ev.pk
    other = client(enf.demo.user("demo2_officer"))
    r = other.get(url)
    assert r.status_code == 404 and chinese(r.json()["error"]["message"])
    assert post(other, url, {"upload": upload_id}, key="o-1").status_code == 404


def test_evidence_attached_to_another_record_or_unfinished_is_refused_in_chinese(enf, case):  # noqa: F811
    c = client(enf.officer_user)
    ins = Inspection.objects.create(township=enf.town, kind="adhoc", date=dt.date.today(), place="集市",
                                    subject="食品安全", result="none")
    upload_id = upload(c, mp4_bytes(20_000))
    assert post(c, f"/api/v1/inspections/{ins.pk}/evidence", {"upload": upload_id}).status_code == 201
    r = post(c, f"/api/v1/cases/{case.pk}/evidence", {"upload": upload_id}, key="k-2")
    assert r.status_code == 422 and r.json()["error"]["code"] == "refused" and "其他记录" in r.json()["error"]["message"]
    assert EvidenceFile.objects.get().subject_type == "enforcement.inspection"
    half = tus_create(c, 30_000)["Location"].rstrip("/").rsplit("/", 1)[-1]
    r = post(c, f"/api/v1/cases/{case.pk}/evidence", {"upload": half}, key="k-3")
    assert r.status_code == 422 and "尚未完成" in r.json()["error"]["message"]
    # a colleague cannot attach my upload; an unknown id is the same answer
    r = post(client(enf.legal_user), f"/api/v1/cases/{case.pk}/evidence", {"upload": upload_id}, key="k-4")
    assert r.status_code == 422 and r.json()["error"]["fields"] == {"upload": ["未找到该上传。"]}


def test_each_role_and_scope_is_allowed_or_refused_in_chinese(enf, case, login):  # noqa: F811
    demo = enf.demo
    url = f"/api/v1/cases/{case.pk}/evidence"
    read_only = client(enf.officer_user, scopes=["enforcement:read"])
    r = tus_create(read_only, 10_000)
    assert r.status_code == 403 and "写权限" in r.content.decode()
    assert read_only.get(url).status_code == 200
    r = post(read_only, url, {"upload": "00000000-0000-0000-0000-000000000000"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "scope" and chinese(r.json()["error"]["message"])
    # a mediation token may upload, but not for a case (the upload names the case: its module's scope)
    med_token = client(enf.officer_user, scopes=["mediation:write"])
    assert tus_create(med_token, 10_000, subject=f"enforcement.case:{case.pk}").status_code == 403
    assert post(med_token, url, {"upload": "00000000-0000-0000-0000-000000000000"}).status_code == 403
    # the county supervisor reads nothing of the evidence store through tus and writes nothing
    supervisor = client(demo.user("county_supervisor"))
    r = tus_create(supervisor, 10_000)
    assert r.status_code == 403 and chinese(r.content.decode())
    r = post(supervisor, url, {"upload": "00000000-0000-0000-0000-000000000000"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "role"
    # a mediator has no evidence role; the 法制员 and the leader have
    assert tus_create(client(demo.user("litou_mediator"), scopes=["mediation:write"]), 10_000).status_code == 403
    assert tus_create(client(enf.legal_user), 10_000).status_code == 201
    assert tus_create(client(enf.leader), 10_000).status_code == 201
    # a bad token: 401 with the tus headers; a signed-in session still needs its CSRF token
    r = Client(HTTP_AUTHORIZATION="Bearer fz_nope").post("/evidence/tus/", HTTP_UPLOAD_LENGTH="10", **T)
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer") and chinese(r.content.decode())
    session = login(enf.officer_user, Client(enforce_csrf_checks=True))
    assert tus_create(session, 10_000).status_code == 403
    session.get("/evidence/upload/")  # the page sets the CSRF cookie its uploader sends back
    r = tus_create(session, 10_000, HTTP_X_CSRFTOKEN=session.cookies["csrftoken"].value)
    assert r.status_code == 201
    UploadSession.objects.filter(user=enf.officer_user).delete()
    assert session.get(url).status_code == 200  # a session reads the API, never writes it
    assert post(session, url, {"upload": "00000000-0000-0000-0000-000000000000"}).status_code == 403
    assert UploadSession.objects.filter(user=enf.officer_user).count() == 0


def test_too_large_or_the_wrong_type_is_refused_as_on_the_page(enf, case, settings):  # noqa: F811
    c = client(enf.officer_user)
    settings.FAZHI_EVIDENCE_MAX_BYTES = 100_000
    r = tus_create(c, 100_001)
    assert r.status_code == 413 and "大小上限" in r.content.decode()
    r = tus_create(c, 10_000, filename="tool.exe")
    assert r.status_code == 415 and "可执行" in r.content.decode()
    exe = b"MZ\x90\x00" + b"\x00" * 20_000
    url = tus_create(c, len(exe), filename="记录.mp4")["Location"]
    r = tus_patch(c, url, 0, exe)
    assert r.status_code == 415 and "可执行" in r.content.decode()
    upload_id = url.rstrip("/").rsplit("/", 1)[-1]
    assert UploadSession.objects.get(pk=upload_id).status == UploadStatus.FAILED
    r = post(c, f"/api/v1/cases/{case.pk}/evidence", {"upload": upload_id})
    assert r.status_code == 422 and "已被拒绝" in r.json()["error"]["message"] and "可执行" in r.json()["error"]["message"]
    assert not EvidenceFile.objects.exists() and not IdempotentRequest.objects.exists()


def test_process_records_read_and_appended_through_the_page_service(enf, case):  # noqa: F811
    c = client(enf.officer_user)
    url = f"/api/v1/cases/{case.pk}/records"
    assert c.get(url).json() == {"items": [], "next_cursor": None}
    data = mp4_bytes(30_000)
    upload_id = upload(c, data, stage="other")
    body = {"stage": "investigation", "recorded_at": f"{dt.date.today().isoformat()}T09:30:00+08:00",
            "place": "犁头村", "device": "DSJ-1", "text": "现场勘验，当事人在场。", "officers": [enf.o1.pk, enf.o2.pk],
            "evidence_uploads": [upload_id]}
    r = post(c, url, body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["file_count"] == 1 and out["has_video"] and out["officers"] == ["李执法", "赵队员"]
    assert out["evidence"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    rec = ProcessRecord.objects.get()
    assert rec.case_id == case.pk and rec.created_by == enf.officer_user
    ev = EvidenceFile.objects.get()
    assert (ev.subject_type, ev.subject_id, ev.stage) == ("enforcement.processrecord", str(rec.pk), "investigation")
    again = post(c, url, body)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == out
    assert ProcessRecord.objects.count() == 1
    assert [x["id"] for x in client(enf.legal_user).get(url).json()["items"]] == [rec.pk]
    # text only, by the legal officer
    r = post(client(enf.legal_user), url, {**body, "evidence_uploads": [], "text": "法制审核意见已送达。"}, key="l-1")
    assert r.status_code == 201 and r.json()["file_count"] == 0


def test_bad_process_records_are_refused_in_chinese_and_write_nothing(enf, case):  # noqa: F811
    c = client(enf.officer_user)
    url = f"/api/v1/cases/{case.pk}/records"
    good = {"stage": "investigation", "recorded_at": f"{dt.date.today().isoformat()}T09:30:00+08:00",
            "text": "现场勘验。"}
    r = post(c, url, {**good, "text": ""}, key="b-1")
    assert r.status_code == 422 and "text" in r.json()["error"]["fields"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    r = post(c, url, {**good, "recorded_at": f"{tomorrow.isoformat()}T09:00:00+08:00"}, key="b-2")
    assert r.status_code == 422 and "晚于今天" in r.json()["error"]["message"]
    other_officer = enf.demo.user("demo2_officer")
    r = post(c, url, {**good, "officers": [999999]}, key="b-3")
    assert r.status_code == 422 and "officers" in r.json()["error"]["fields"]
    r = post(c, url, {**good, "measure": 12345}, key="b-4")
    assert r.status_code == 422 and chinese(r.json()["error"]["message"])
    # an upload someone else made, or one still running: nothing written, not even the record
    foreign = upload(client(enf.legal_user), mp4_bytes(10_000))
    r = post(c, url, {**good, "evidence_uploads": [foreign]}, key="b-5")
    assert r.status_code == 422 and r.json()["error"]["fields"] == {"upload": ["未找到该上传。"]}
    assert not ProcessRecord.objects.exists() and not IdempotentRequest.objects.exists()
    # roles and scopes: a read token, the supervisor, another township
    assert post(client(enf.officer_user, scopes=["enforcement:read"]), url, good).status_code == 403
    assert post(client(enf.demo.user("county_supervisor")), url, good).status_code == 403
    assert post(client(other_officer), url, good).status_code == 404
    assert client(enf.demo.user("litou_mediator"), scopes=["enforcement:read"]).get(url).status_code == 403
    assert not ProcessRecord.objects.exists()


def test_an_expired_idempotency_key_is_a_new_request(enf, case, settings):  # noqa: F811
    settings.FAZHI_API_IDEMPOTENCY_HOURS = 1
    c = client(enf.officer_user)
    url = f"/api/v1/cases/{case.pk}/records"
    body = {"stage": "investigation", "recorded_at": f"{dt.date.today().isoformat()}T09:30:00+08:00",
            "text": "现场勘验。"}
    assert post(c, url, body).status_code == 201
    assert post(c, url, body)["Idempotent-Replayed"] == "true"
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    r = post(c, url, body)
    assert r.status_code == 201 and not r.has_header("Idempotent-Replayed")
    assert ProcessRecord.objects.count() == 2 and IdempotentRequest.objects.count() == 1


def test_a_dispute_takes_evidence_with_a_mediation_token(demo):
    from fazhi.api.tests.test_records import dispute_body
    from fazhi.mediation.demo import ensure_committees

    ensure_committees(demo, demo.litou, demo.villages["litou"], mediator_user=demo.user("litou_mediator"))
    r = post(client(demo.user("litou_mediator"), scopes=["mediation:write"]), "/api/v1/disputes", dispute_body(demo))
    assert r.status_code == 201, r.content
    url = f"/api/v1/disputes/{r.json()['id']}/evidence"
    legal = client(demo.user("litou_legal_staff"), scopes=["mediation:write"])
    upload_id = upload(legal, mp4_bytes(12_000), stage="other")
    r = post(legal, url, {"upload": upload_id})
    assert r.status_code == 201 and r.json()["subject"].startswith("mediation.dispute:")
    assert [e["id"] for e in legal.get(url).json()["items"]] == [r.json()["id"]]
    # the mediator handles the dispute but holds no evidence role: neither reads nor attaches evidence
    mediator = client(demo.user("litou_mediator"), scopes=["mediation:write"])
    assert mediator.get(url).status_code == 403
    assert post(mediator, url, {"upload": upload_id}, key="m-2").json()["error"]["code"] == "role"
    # an enforcement token cannot attach to a dispute
    r = post(client(demo.user("litou_legal_staff"), scopes=["enforcement:write"]), url, {"upload": upload_id}, key="e-1")
    assert r.status_code == 403 and r.json()["error"]["code"] == "scope"
