"""An inspection record with photos from the field outbox: enforcement's form and service, photos as evidence."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.audit.models import AuditEntry
from fazhi.enforcement.models import Inspection
from fazhi.evidence.models import EvidenceFile
from fazhi.field.make_icons import png
from fazhi.field.models import FieldSubmission

URL = "/field/inspections/submit/"


@pytest.fixture
def ins_data(enf):
    def _make(**kw):
        data = {"kind": "planned", "date": dt.date.today().isoformat(), "village": enf.demo.villages["litou"][0].pk,
                "place": "犁头村三组", "subject": "违法建设巡查", "findings": "未发现违法建设", "result": "none",
                "officers": [enf.o1.pk, enf.o2.pk]}
        data.update(kw)
        return data
    return _make


def photo(name="p1.png"):
    return SimpleUploadedFile(name, png(8), content_type="image/png")


def post(client, data, key="in-0001-abcdef"):
    return client.post(URL, data, HTTP_X_IDEMPOTENCY_KEY=key)


def test_it_records_the_inspection_with_its_photos_as_evidence_once(client, login, enf, ins_data):
    login(enf.officer_user)
    page = client.get("/field/inspections/")
    assert page.status_code == 200 and "现场照片" in page.content.decode()
    first = post(client, {**ins_data(), "photos": [photo(), photo("p2.png")]})
    assert first.status_code == 201, first.content.decode()
    again = post(client, {**ins_data(), "photos": [photo(), photo("p2.png")]})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    ins = Inspection.objects.get()
    assert set(ins.officers.all()) == {enf.o1, enf.o2} and FieldSubmission.objects.get().kind == "inspection"
    files = EvidenceFile.objects.filter(subject_type="enforcement.inspection", subject_id=str(ins.pk))
    assert files.count() == 2 and {f.stage for f in files} == {"patrol"}
    assert {u.pk for u in files.first().officers.all()} == {enf.officer_user.pk}  # 李执法's account; 赵队员 has none
    assert AuditEntry.objects.filter(action="create", object_type="enforcement.inspection",
                                     object_id=str(ins.pk)).exists()


def test_a_refused_inspection_writes_nothing(client, login, enf, ins_data):
    login(enf.officer_user)
    r = post(client, {**ins_data(officers=[enf.o1.pk]), "photos": [photo()]})  # one officer: Art. 42 needs two
    assert r.status_code == 400 and r.json()["message"], r.content.decode()
    r = post(client, {**ins_data(), "photos": [photo(f"p{i}.png") for i in range(10)]})
    assert r.status_code == 400 and "最多上传9张" in r.json()["message"]
    r = post(client, ins_data(date=""))
    assert r.status_code == 400 and "巡查日期" in r.json()["message"]
    assert not Inspection.objects.exists() and not EvidenceFile.objects.exists()
    assert not FieldSubmission.objects.exists()


def test_inspection_access(client, login, enf, ins_data):
    assert client.get("/field/inspections/").status_code == 302  # anonymous → sign in
    assert post(client, ins_data()).status_code in (302, 403)
    login(enf.demo.user("demo2_officer"))  # another township: 犁头's village and officers are not its choices
    assert post(client, ins_data()).status_code == 400
    for name in ("litou_village_cadre", "county_supervisor"):
        login(enf.demo.user(name))
        assert client.get("/field/inspections/").status_code == 403, name
        assert post(client, ins_data()).status_code == 403, name
    assert not Inspection.objects.exists()
