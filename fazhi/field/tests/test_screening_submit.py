"""The field outbox's screening endpoint: mediation's ScreeningForm and screening_create, once per key, and a
round recorded by someone else meanwhile is a conflict (409), never overwritten."""
import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.field.models import FieldSubmission
from fazhi.field.views import screening_version
from fazhi.mediation.models import ScreeningRound
from fazhi.mediation.services.screenings import screening_create

URL = "/field/screenings/submit/"


@pytest.fixture
def payload(med):
    def _make(village=None, **kw):
        village = village or med.villages["litou"][0]
        today = dt.date.today()
        data = {"village": village.pk, "period": f"{today:%Y-%m}", "held_on": today.isoformat(),
                "screeners": "盘春花、赵石生", "findings": "未发现矛盾纠纷", "base_version": "none"}
        data.update(kw)
        return data
    return _make


def post(client, data, key="s-0001-abcdef"):
    return client.post(URL, data, HTTP_X_IDEMPOTENCY_KEY=key)


def server_round(med, user="litou_mediator", village=None):
    village = village or med.villages["litou"][0]
    return screening_create(actor=med.user(user), township=village.parent, village=village,
                            period_start=dt.date.today().replace(day=1), held_on=dt.date.today(),
                            screeners="乡调委会", findings="排查发现一起宅基地纠纷")


def test_url_is_the_one_the_page_posts_to():
    assert reverse("field:screening_submit") == URL


def test_a_resent_submission_creates_one_round(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    first = post(client, payload())
    assert first.status_code == 201 and first.json()["ok"] and first.json()["created"]
    again = post(client, payload())  # the answer was lost, the phone sends again: the same result, no conflict
    assert again.status_code == 200 and not again.json()["created"] and again.json()["id"] == first.json()["id"]
    rnd = ScreeningRound.objects.get()
    assert rnd.village == med.villages["litou"][0] and rnd.recorded_by == med.user("litou_village_cadre")
    assert rnd.period_start == dt.date.today().replace(day=1) and rnd.screeners == "盘春花、赵石生"
    assert FieldSubmission.objects.get().kind == "screening"
    assert AuditEntry.objects.filter(action="create", object_type="mediation.screeninground",
                                     object_id=str(rnd.pk)).exists()


def test_a_round_recorded_meanwhile_is_a_conflict_and_stays_as_it_is(client, login, med, payload):
    rnd = server_round(med)
    before = (rnd.screeners, rnd.findings, rnd.updated_at)
    audit_before = AuditEntry.objects.count()
    login(med.user("litou_village_cadre"))
    r = post(client, payload())  # filled in offline before the mediator's round existed: based on "none"
    assert r.status_code == 409
    body = r.json()
    assert body["ok"] is False and body["conflict"] is True
    assert body["message"].startswith("冲突：") and "未被覆盖" in body["message"]
    assert med.user("litou_mediator").display_name in body["message"]
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", body["message"])
    assert f"{rnd.period_start.year}年{rnd.period_start.month}月" in body["message"]
    assert body["url"].startswith(reverse("mediation:screening"))
    rnd.refresh_from_db()
    assert (rnd.screeners, rnd.findings, rnd.updated_at) == before and ScreeningRound.objects.count() == 1
    assert not FieldSubmission.objects.exists() and AuditEntry.objects.count() == audit_before
    # a resend of the same entry is still a conflict: nothing was kept for its key
    assert post(client, payload()).status_code == 409


def test_a_round_changed_after_the_form_was_filled_is_a_conflict(client, login, med, payload):
    rnd = server_round(med)
    seen = screening_version(rnd)
    ScreeningRound.objects.filter(pk=rnd.pk).update(updated_at=rnd.updated_at + dt.timedelta(minutes=5))
    login(med.user("litou_village_cadre"))
    assert post(client, payload(base_version=seen)).status_code == 409
    # based on the current version (the cadre saw the round): the service's own refusal, a 400
    rnd.refresh_from_db()
    r = post(client, payload(base_version=screening_version(rnd)))
    assert r.status_code == 400 and "已登记排查" in r.json()["message"]
    assert ScreeningRound.objects.count() == 1 and not FieldSubmission.objects.exists()


def test_another_village_or_month_is_no_conflict(client, login, med, payload):
    server_round(med, village=med.villages["litou"][1])
    login(med.user("litou_mediator"))
    assert post(client, payload()).status_code == 201
    assert ScreeningRound.objects.count() == 2


def test_a_refused_submission_gives_the_reason_and_writes_nothing(client, login, med, payload):
    login(med.user("litou_village_cadre"))
    audit_before = AuditEntry.objects.count()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    r = post(client, payload(held_on=future))
    assert r.status_code == 400 and r.json()["message"] == "排查日期不能晚于今天。"
    r = post(client, payload(screeners=""))
    assert r.status_code == 400 and r.json()["message"].startswith("排查人员：") and "screeners" in r.json()["errors"]
    r = post(client, payload(period="2026-13"))
    assert r.status_code == 400 and r.json()["message"].startswith("排查月份：")
    assert not ScreeningRound.objects.exists() and not FieldSubmission.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert post(client, payload()).status_code == 201  # corrected, the same key is accepted


def test_access_walk(client, login, med, payload):
    r = post(client, payload())
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]  # anonymous
    login(med.user("litou_officer"))  # wrong role
    assert post(client, payload()).status_code == 403
    login(med.user("demo2_mediator"))  # another township: 犁头村 is not among their villages
    r = post(client, payload())
    assert r.status_code == 400 and r.json()["message"].startswith("村：")
    login(med.user("litou_village_cadre"))  # a village cadre: only their own village
    r = post(client, payload(village=med.villages["litou"][1]))
    assert r.status_code == 400 and r.json()["message"].startswith("村：")
    login(med.user("county_supervisor"))  # read-only county role never writes
    assert post(client, payload()).status_code == 403
    assert not ScreeningRound.objects.exists() and not FieldSubmission.objects.exists()


def test_screening_page_carries_the_versions_it_knows(client, login, med):
    url = reverse("field:screening")
    assert client.get(url).status_code == 302
    login(med.user("litou_officer"))
    assert client.get(url).status_code == 403
    rnd = server_round(med)
    server_round(med, user="demo2_mediator", village=med.villages["demo2"][0])
    login(med.user("litou_village_cadre"))
    body = client.get(url).content.decode()
    assert "立即同步" in body and "犁头村" in body and "山背村" not in body
    versions = json.loads(re.search(r'<script id="field-versions" type="application/json">(.*?)</script>',
                                    body).group(1))
    assert versions == {f"{rnd.village_id}|{rnd.period_start:%Y-%m}": screening_version(rnd)}
