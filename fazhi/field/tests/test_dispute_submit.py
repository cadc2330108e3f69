"""The field outbox's submit endpoint: the same form and service as mediation:create, once per key."""
import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.field.models import FieldSubmission
from fazhi.mediation.models import Dispute, DisputeType

URL = "/field/disputes/submit/"


@pytest.fixture
def payload(med):
    def _make(village=None, **kw):
        village = village or med.villages["litou"][0]
        data = {"village": village.pk, "dispute_type": DisputeType.objects.get(name="邻里").pk, "source": "screening",
                "summary": "两户因屋檐滴水发生争执", "party1_name": "盘春花", "party1_phone": "13800001111",
                "party1_id": "", "party2_name": "赵石生", "party2_phone": "", "risk_level": "low",
                "received_on": dt.date.today().isoformat()}
        data.update(kw)
        return data
    return _make


def post(client, data, key="k-0001-abcdef"):
    headers = {"HTTP_X_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, data, **headers)


def test_url_is_the_one_the_page_posts_to():
    assert reverse("field:dispute_submit") == URL


def test_it_creates_one_record_for_a_resent_submission(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    first = post(client, payload())
    assert first.status_code == 201 and first.json()["ok"] and first.json()["created"]
    again = post(client, payload())
    assert again.status_code == 200 and not again.json()["created"]
    assert again.json()["number"] == first.json()["number"] and again.json()["id"] == first.json()["id"]
    d = Dispute.objects.get()
    assert d.parties.count() == 2 and d.village.name == "犁头村" and d.recorded_by == med.user("litou_village_cadre")
    assert FieldSubmission.objects.get().object_id == d.pk
    assert post(client, payload(), key="k-0002-abcdef").status_code == 201  # a new key is a new entry
    assert Dispute.objects.count() == 2


def test_the_same_key_of_another_user_is_their_own(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    post(client, payload())
    login(med.user("litou_mediator"))
    assert post(client, payload()).status_code == 201
    assert Dispute.objects.count() == 2


def test_it_writes_the_audit_entries(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    d_id = post(client, payload()).json()["id"]
    sub = FieldSubmission.objects.get()
    assert AuditEntry.objects.filter(action="create", object_type="mediation.dispute", object_id=str(d_id)).exists()
    assert AuditEntry.objects.filter(action="create", object_type="field.fieldsubmission",
                                     object_id=str(sub.pk)).exists()


def test_a_refused_submission_gives_the_reason_and_writes_nothing(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    audit_before = AuditEntry.objects.count()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    r = post(client, payload(received_on=future))
    assert r.status_code == 400 and r.json() == {"ok": False, "message": "受理日期不能晚于今天。", "errors": {}}
    r = post(client, payload(party1_name=""))
    assert r.status_code == 400 and r.json()["message"].startswith("申请人（当事人一）姓名：")
    assert "party1_name" in r.json()["errors"]
    assert not Dispute.objects.exists() and not FieldSubmission.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    # corrected, the same key is accepted: nothing was kept for it
    assert post(client, payload()).status_code == 201


def test_it_requires_an_idempotency_key(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    for key in ("", "short", "bad key with spaces!"):
        r = post(client, payload(), key=key)
        assert r.status_code == 400 and "幂等键" in r.json()["message"]
    assert not Dispute.objects.exists()


def test_access_walk(client, login, med, payload):
    r = post(client, payload())
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]  # anonymous
    login(med.user("litou_officer"))  # wrong role
    assert post(client, payload()).status_code == 403
    login(med.user("demo2_mediator"))  # another township: 犁头村 is not among their villages
    r = post(client, payload())
    assert r.status_code == 400 and r.json()["message"].startswith("所在村：")
    login(med.user("litou_village_cadre"))  # a village cadre: only their own village
    r = post(client, payload(village=med.villages["litou"][1]))
    assert r.status_code == 400 and r.json()["message"].startswith("所在村：")
    assert not Dispute.objects.exists()
    login(med.user("county_supervisor"))  # read-only county role never writes
    assert post(client, payload()).status_code == 403
    assert not Dispute.objects.exists()


def test_csrf_still_holds(login, med, payload):
    c = login(med.user("litou_village_cadre"), Client(enforce_csrf_checks=True))
    assert post(c, payload()).status_code == 403 and not Dispute.objects.exists()
    token = c.get(reverse("field:token")).json()["csrf"]
    assert c.post(URL, payload(), HTTP_X_IDEMPOTENCY_KEY="k-0001-abcdef", HTTP_X_CSRFTOKEN=token).status_code == 201


def test_intake_page_access(client, login, med):
    url = reverse("field:dispute")
    assert client.get(url).status_code == 302
    login(med.user("litou_officer"))
    assert client.get(url).status_code == 403
    login(med.user("litou_village_cadre"))
    body = client.get(url).content.decode()
    assert "立即同步" in body and "犁头村" in body and "山背村" not in body
