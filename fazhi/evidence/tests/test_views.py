import csv
import io
import json
import zipfile

import pytest
from django.test import Client

from fazhi.audit.models import AuditEntry
from fazhi.evidence.models import EvidenceFile

from .conftest import mp4_bytes


@pytest.fixture
def ev(ingest, subject_factory):
    return ingest(mp4_bytes(100_000), filename="现场执法.mp4", subject=subject_factory(), place="犁头村",
                  description="调查取证")


def c(login, user):
    return login(user, Client())


def custody(ev):
    return list(AuditEntry.objects.filter(object_type="evidence.evidencefile", object_id=str(ev.pk))
                .values_list("action", flat=True))


def test_list_walks_anonymous_other_township_wrong_role_right_role(ev, login, demo, django_assert_max_num_queries):
    anon = Client().get("/evidence/")
    assert anon.status_code == 302 and "/accounts/login/" in anon["Location"]
    other = c(login, demo.user("demo2_officer")).get("/evidence/")
    assert other.status_code == 200 and "现场执法.mp4" not in other.content.decode()
    assert c(login, demo.user("litou_mediator")).get("/evidence/").status_code == 403
    client = c(login, demo.user("litou_officer"))
    with django_assert_max_num_queries(15):
        r = client.get("/evidence/")
    assert r.status_code == 200 and "现场执法.mp4" in r.content.decode()
    assert c(login, demo.user("county_supervisor")).get("/evidence/").status_code == 200


def test_list_query_count_does_not_grow_with_rows(ingest, login, demo, django_assert_max_num_queries):
    for i in range(12):
        ingest(mp4_bytes(5000, fill=bytes([i + 1])), filename=f"f{i}.mp4")
    client = c(login, demo.user("litou_officer"))
    with django_assert_max_num_queries(15):
        assert client.get("/evidence/").status_code == 200


def test_detail_scope_and_custody_history(ev, login, demo):
    url = f"/evidence/{ev.pk}/"
    assert Client().get(url).status_code == 302
    assert c(login, demo.user("demo2_officer")).get(url).status_code == 404
    assert c(login, demo.user("litou_mediator")).get(url).status_code == 403
    r = c(login, demo.user("litou_legal_staff")).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert ev.sha256 in html and "保管记录" in html and "上传" in html
    assert custody(ev) == ["upload", "view"]


def test_the_subject_permission_applies(ev, login, demo, monkeypatch):
    from fazhi.audit.models import AuditEntry as Subject

    # the subject record is not visible to this user → the evidence is not either
    monkeypatch.setattr(Subject, "evidence_read_roles", {"leader"}, raising=False)
    assert c(login, demo.user("litou_officer")).get(f"/evidence/{ev.pk}/").status_code == 404
    assert c(login, demo.user("litou_leader")).get(f"/evidence/{ev.pk}/").status_code == 200


def test_playback_needs_a_purpose_and_supports_ranges(ev, login, demo):
    client = c(login, demo.user("litou_officer"))
    r = client.get(f"/evidence/{ev.pk}/file/")
    assert r.status_code == 302 and f"/evidence/{ev.pk}/open/" in r["Location"]
    r = client.get(f"/evidence/{ev.pk}/open/", {"mode": "play", "purpose": "其他"})
    assert r.status_code == 200 and "请说明" in r.content.decode()  # 其他 needs a detail
    r = client.get(f"/evidence/{ev.pk}/open/", {"mode": "play", "purpose": "法制审核", "detail": "案件 2024-01"})
    assert r.status_code == 302
    data = mp4_bytes(100_000)
    full = client.get(f"/evidence/{ev.pk}/file/")
    assert full.status_code == 200 and full["Accept-Ranges"] == "bytes"
    assert b"".join(full.streaming_content) == data
    part = client.get(f"/evidence/{ev.pk}/file/", HTTP_RANGE="bytes=1000-1999")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{len(data)}" and part["Content-Length"] == "1000"
    assert b"".join(part.streaming_content) == data[1000:2000]
    tail = client.get(f"/evidence/{ev.pk}/file/", HTTP_RANGE="bytes=-500")
    assert b"".join(tail.streaming_content) == data[-500:]
    open_end = client.get(f"/evidence/{ev.pk}/file/", HTTP_RANGE="bytes=99990-")
    assert b"".join(open_end.streaming_content) == data[99990:]
    bad = client.get(f"/evidence/{ev.pk}/file/", HTTP_RANGE=f"bytes={len(data)}-")
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{len(data)}"
    entries = AuditEntry.objects.filter(object_id=str(ev.pk), action="play")
    assert entries.count() == 1 and entries.get().reason == "法制审核：案件 2024-01"  # seeks are not logged
    # another township never reaches the bytes
    assert c(login, demo.user("demo2_officer")).get(f"/evidence/{ev.pk}/file/").status_code == 404


def test_a_direct_link_may_state_its_purpose(ev, login, demo):
    client = c(login, demo.user("litou_officer"))
    r = client.get(f"/evidence/{ev.pk}/file/", {"purpose": "庭审举证"}, HTTP_RANGE="bytes=0-9")
    assert r.status_code == 206 and b"".join(r.streaming_content) == mp4_bytes(100_000)[:10]
    client.get(f"/evidence/{ev.pk}/file/", HTTP_RANGE="bytes=10-19")
    assert custody(ev).count("play") == 1


def test_download_is_logged_with_purpose_and_sent_as_attachment(ev, login, demo):
    client = c(login, demo.user("county_supervisor"))  # the county reviews evidence (reads only)
    r = client.get(f"/evidence/{ev.pk}/open/", {"mode": "download", "purpose": "执法监督检查"})
    assert r.status_code == 302 and r["Location"].endswith("?download=1")
    r = client.get(r["Location"])
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert "download" in custody(ev)


def test_export_zip_holds_files_manifest_and_custody(ev, ingest, login, demo):
    second = ingest(b"%PDF-1.4\n" + b"%" * 500 + b"\n%%EOF", filename="送达回证.pdf")
    client = c(login, demo.user("litou_legal_staff"))
    r = client.get("/evidence/export/", {"ids": f"{ev.pk},{second.pk}"})
    assert r.status_code == 200 and "导出" in r.content.decode()
    r = client.get("/evidence/export/", {"ids": f"{ev.pk},{second.pk}", "purpose": "行政复议、诉讼举证",
                                         "detail": "蓝政复〔2024〕3号"})
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = z.namelist()
    assert {"manifest.json", "SHA256SUMS", "custody.csv", "VERIFY.txt"} <= set(names)
    manifest = json.loads(z.read("manifest.json"))
    assert manifest["purpose"] == "行政复议、诉讼举证：蓝政复〔2024〕3号"
    items = {i["sha256"]: i for i in manifest["items"]}
    assert z.read(items[ev.sha256]["file"]) == mp4_bytes(100_000)
    assert items[ev.sha256]["place"] == "犁头村"
    rows = list(csv.reader(io.StringIO(z.read("custody.csv").decode("utf-8-sig"))))
    assert any(row[3] == "导出" for row in rows[1:]) and any(row[3] == "上传" for row in rows[1:])
    assert "一致" in z.read("VERIFY.txt").decode() and "不一致" not in z.read("VERIFY.txt").decode()
    assert "export" in custody(ev) and "export" in custody(second)


def test_export_of_another_townships_evidence_is_404(ev, login, demo):
    r = c(login, demo.user("demo2_legal_staff")).get("/evidence/export/", {"ids": ev.pk, "purpose": "案件办理"})
    assert r.status_code == 404
    assert "export" not in custody(ev)


def test_edit_metadata_is_audited(ev, login, demo):
    client = c(login, demo.user("litou_officer"))
    r = client.post(f"/evidence/{ev.pk}/edit/", {"stage": "service", "device": "DSJ-A8", "place": "山背村",
                                                "description": "送达", "officers": [demo.user("litou_officer").pk]})
    assert r.status_code == 302
    ev.refresh_from_db()
    assert ev.stage == "service" and ev.place == "山背村" and ev.sha256 == EvidenceFile.objects.get(pk=ev.pk).sha256
    assert custody(ev).count("update") == 2  # fields, officers
    assert c(login, demo.user("county_supervisor")).post(f"/evidence/{ev.pk}/edit/", {}).status_code == 403
    assert c(login, demo.user("demo2_officer")).get(f"/evidence/{ev.pk}/edit/").status_code == 404


def test_dispose_by_decision(ev, login, demo, monkeypatch):
    from fazhi.audit.models import AuditEntry as Subject

    url = f"/evidence/{ev.pk}/dispose/"
    assert c(login, demo.user("litou_officer")).post(url, {"basis": "x"}).status_code == 403
    monkeypatch.setattr(Subject, "evidence_locked", lambda self: True, raising=False)
    leader = c(login, demo.user("litou_leader"))
    leader.post(url, {"basis": "犁政决〔2025〕1号"})
    ev.refresh_from_db()
    assert ev.disposed_at is None  # open case: refused
    monkeypatch.setattr(Subject, "evidence_locked", lambda self: False, raising=False)
    leader.post(url, {"basis": "犁政决〔2025〕1号"})
    ev.refresh_from_db()
    assert ev.disposed_at is not None and ev.blob_id is None
    r = leader.get(f"/evidence/{ev.pk}/")
    assert "已于" in r.content.decode()
    assert leader.get(f"/evidence/{ev.pk}/open/", {"mode": "play", "purpose": "案件办理"}).status_code == 200


def test_upload_page_and_retention_page(login, demo, subject_factory):
    officer = c(login, demo.user("litou_officer"))
    r = officer.get("/evidence/upload/")
    assert r.status_code == 200 and "evidence/uploader.js" in r.content.decode()
    s = subject_factory(township=demo.demo2)
    assert officer.get("/evidence/upload/", {"subject": f"audit.auditentry:{s.pk}"}).status_code == 404
    assert c(login, demo.user("county_supervisor")).get("/evidence/upload/").status_code == 403
    assert officer.get("/evidence/retention/").status_code == 200
    assert officer.post("/evidence/retention/", {"stage": "patrol", "years": 3}).status_code == 403
    legal = c(login, demo.user("litou_legal_staff"))
    assert legal.post("/evidence/retention/", {"stage": "patrol", "years": 3, "basis": "省办法"}).status_code == 302
    import datetime as dt

    from fazhi.evidence.services import retention_for
    assert retention_for("patrol", dt.date(2024, 2, 29))[0] == dt.date(2027, 2, 28)


def test_subject_partial_upload_link_and_subject_export(ev, login, demo, rf):
    from django.template.loader import render_to_string

    from fazhi.evidence.selectors import evidence_for, subject_of

    subject = subject_of(ev)
    key = f"audit.auditentry:{subject.pk}"
    request = rf.get("/enforcement/cases/1/")
    html = render_to_string("evidence/_for_subject.html", {
        "evidence": evidence_for(subject), "subject_key": key, "stage": "investigation", "request": request})
    assert "现场执法.mp4" in html and "/evidence/upload/?subject=audit.auditentry%3A" in html
    client = c(login, demo.user("litou_officer"))
    r = client.get("/evidence/upload/", {"subject": key, "stage": "coercion"})
    assert r.status_code == 200 and "检查记录" in r.content.decode()
    r = client.get("/evidence/export/", {"subject": key, "purpose": "案件办理"})
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    b"".join(r.streaming_content)
    assert "export" in custody(ev)


def test_evidence_shows_its_kind_in_chinese_and_every_officer(ingest, subject_factory, login, demo):
    from fazhi.evidence.models import kind_label

    assert [kind_label(t) for t in ("video/mp4", "audio/mpeg", "image/jpeg", "application/pdf", "x/y")] == [
        "视频", "音频", "图片", "PDF", "其他文件"]
    two = [demo.user("litou_officer"), demo.user("litou_leader")]
    ev = ingest(mp4_bytes(20_000), filename="两人执法.mp4", subject=subject_factory(), officers=two)
    html = c(login, demo.user("litou_legal_staff")).get(f"/evidence/{ev.pk}/").content.decode()
    assert "视频" in html and "video/mp4" not in html
    assert all(u.display_name in html for u in two)
    from django.template.loader import render_to_string

    table = render_to_string("evidence/_for_subject.html", {"evidence": [ev]})
    assert "视频" in table and all(u.display_name in table for u in two)
