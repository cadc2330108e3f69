"""A publicity event with photos from the field outbox: education's form and services, once per key."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.audit.models import AuditEntry
from fazhi.education.models import EventPhoto, PublicityEvent, Topic
from fazhi.field.make_icons import png
from fazhi.field.models import FieldSubmission

URL = "/field/events/submit/"


@pytest.fixture
def event_data(demo):
    def _make(**kw):
        data = {"date": dt.date.today().isoformat(), "village": demo.villages["litou"][0].pk, "place": "犁头村文化广场",
                "theme": "民法典进村入户", "topics": [Topic.objects.get(name="民法典").pk], "format": "campaign",
                "organizer": "犁头村委会", "audience": "30", "aud_under18": "0", "aud_18_39": "10", "aud_40_59": "10",
                "aud_60_plus": "10", "posters": "2", "leaflets": "50", "venue": "", "summary": ""}
        data.update(kw)
        return data
    return _make


def photo(name="p1.png"):
    return SimpleUploadedFile(name, png(8), content_type="image/png")


def post(client, data, key="ev-0001-abcdef"):
    return client.post(URL, data, HTTP_X_IDEMPOTENCY_KEY=key)


def test_it_records_the_event_with_its_photos_once(client, login, demo, event_data):
    login(demo.user("litou_village_cadre"))
    first = post(client, {**event_data(), "photos": [photo(), photo("p2.png")]})
    assert first.status_code == 201, first.content.decode()
    again = post(client, {**event_data(), "photos": [photo(), photo("p2.png")]})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    e = PublicityEvent.objects.get()
    assert e.photos.count() == 2 and FieldSubmission.objects.get().kind == "event"
    assert AuditEntry.objects.filter(action="create", object_type="education.publicityevent",
                                     object_id=str(e.pk)).exists()
    assert AuditEntry.objects.filter(action="create", object_type="education.eventphoto").count() == 2


def test_a_refused_event_writes_nothing(client, login, demo, event_data):
    login(demo.user("litou_village_cadre"))
    r = post(client, {**event_data(audience="31"), "photos": [photo()]})  # age bands add up to 30
    assert r.status_code == 400 and "不一致" in r.json()["message"]
    r = post(client, {**event_data(), "photos": [photo("notes.txt")]})
    assert r.status_code == 400 and r.json()["message"] == "照片仅支持 JPG、PNG、WEBP、HEIC 格式。"
    r = post(client, {**event_data(), "photos": [photo(f"p{i}.png") for i in range(10)]})
    assert r.status_code == 400 and "最多上传9张" in r.json()["message"]
    assert not PublicityEvent.objects.exists() and not EventPhoto.objects.exists()
    assert not FieldSubmission.objects.exists()


def test_event_access_walk(client, login, demo, event_data):
    assert post(client, event_data()).status_code == 302
    login(demo.user("litou_mediator"))  # not a publicity role
    assert post(client, event_data()).status_code == 403
    login(demo.user("demo2_village_cadre"))  # another township's cadre: 犁头村 is not theirs
    r = post(client, event_data())
    assert r.status_code == 400 and r.json()["message"].startswith("村（居）：")
    assert not PublicityEvent.objects.exists()
