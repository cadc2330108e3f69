"""Online mediation applications: a resident applies on the portal, a mediator accepts or declines,
the applicant follows the status by tracking code; hostile input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.mediation import selectors
from fazhi.mediation.models import Application, Dispute, DisputeType

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def med(demo):
    from fazhi.mediation.demo import ensure_dispute_types

    ensure_dispute_types()
    return demo


def _form(med, **kw):
    return {"village": med.villages["litou"][0].pk, "applicant_name": "赵桂兰", "applicant_phone": "13907460001",
            "other_party": "赵某林", "facts": "邻居砌墙占地", "wish": "拆除占地部分", "consent": "on", "website": "",
            **kw}


def _apply(med, client=None, **kw):
    c = client or Client()
    return c.post(reverse("portal:mediation_apply", args=[med.litou.code]), _form(med, **kw))


def test_a_resident_applies_and_gets_a_tracking_code(med):
    c = Client()
    r = _apply(med, c, facts="<script>alert(1)</script>邻居砌墙占地", photos=SimpleUploadedFile("a.png", PNG))
    assert r.status_code == 302
    app = Application.objects.get()
    assert "<script>" not in app.facts and "邻居砌墙占地" in app.facts
    assert app.photos.count() == 1 and app.status == Application.Status.SUBMITTED
    done = c.get(r["Location"]).content.decode()
    assert app.tracking_code in done
    assert AuditEntry.objects.filter(object_type="mediation.application", object_id=str(app.pk)).exists()


def test_the_status_page_shows_the_stage_and_no_personal_data(med):
    _apply(med)
    app = Application.objects.get()
    r = Client().post(reverse("portal:mediation_status"), {"code": app.tracking_code.replace("-", "").lower()})
    body = r.content.decode()
    assert "等待调解组织受理" in body and "赵*" in body
    assert "赵桂兰" not in body and "13907460001" not in body and "砌墙" not in body
    assert Client().post(reverse("portal:mediation_status"), {"code": "XXXX-XXXX-XXXX"}).status_code == 404


@pytest.mark.parametrize("bad", [
    {"applicant_phone": "12"}, {"village": "999999"}, {"facts": ""}, {"consent": ""},
    {"photos": SimpleUploadedFile("a.png", b"MZ\x90\x00 not an image")},
    {"applicant_name": "x" * 5000},
])
def test_bad_input_is_refused_in_chinese_and_changes_nothing(med, bad):
    r = _apply(med, **bad)
    assert r.status_code == 400 and Application.objects.count() == 0
    assert "请" in r.content.decode() or "不" in r.content.decode()


def test_a_bot_filling_the_honeypot_creates_nothing(med):
    assert _apply(med, website="http://spam").status_code == 400 and not Application.objects.exists()


def test_it_rate_limits_each_client(med):
    c = Client()
    codes = [_apply(med, c, facts=f"第{i}次").status_code for i in range(7)]
    assert codes[:5] == [302] * 5 and codes[5] == 429 and Application.objects.count() == 5


def test_a_mediator_accepts_into_the_ledger_with_source_online(med, login):
    _apply(med)
    app = Application.objects.get()
    today = dt.date.today()
    titles = [i.title for i in selectors_todo(med.user("litou_mediator"), today)]
    assert any("网上调解申请待受理" in t for t in titles)
    assert not any("网上调解申请待受理" in t for t in selectors_todo(med.user("demo2_mediator"), today))
    c = login(med.user("litou_mediator"))
    t = DisputeType.objects.get(name="邻里")
    r = c.post(reverse("mediation:application_accept", args=[app.pk]), {"dispute_type": t.pk, "risk_level": "low"})
    app.refresh_from_db()
    d = app.dispute
    assert r.status_code == 302 and d.source == Dispute.Source.ONLINE and d.parties.count() == 2
    assert d.number and app.status == Application.Status.ACCEPTED
    stats = selectors.annual_stats(med.litou, today.year)
    assert stats["by_source"]["网上申请"] == 1
    again = c.post(reverse("mediation:application_accept", args=[app.pk]), {"dispute_type": t.pk, "risk_level": "low"},
                   follow=True)
    assert "已被他人处理" in again.content.decode() and Dispute.objects.count() == 1
    status = selectors.public_status(app.tracking_code)
    assert status["stage"] == "已受理"


def test_a_decline_gives_the_lawful_reason_and_the_routes(med, login):
    _apply(med)
    app = Application.objects.get()
    c = login(med.user("litou_mediator"))
    c.post(reverse("mediation:application_decline", args=[app.pk]), {"reason_key": "refused", "note": "对方不同意"})
    app.refresh_from_db()
    assert app.status == Application.Status.DECLINED and "第十七条" in app.decline_reason
    status = selectors.public_status(app.tracking_code)
    assert status["stage"] == "不予受理" and "向人民法院提起诉讼" in status["note"]


def test_other_townships_and_roles_cannot_see_applications(med, login):
    _apply(med)
    app = Application.objects.get()
    assert login(med.user("demo2_mediator"), Client()).get(
        reverse("mediation:application_detail", args=[app.pk])).status_code == 404
    assert login(med.user("litou_officer"), Client()).get(
        reverse("mediation:application_detail", args=[app.pk])).status_code == 403
    assert login(med.user("litou_mediator"), Client()).get(
        reverse("mediation:application_detail", args=[app.pk])).status_code == 200


def selectors_todo(user, today):
    from fazhi.core.todo import todo_for

    return todo_for(user, today=today)
