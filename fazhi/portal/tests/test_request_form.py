"""The public request form and status lookup: hostile input is refused or neutralised."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fazhi.disclosure.models import InfoRequest, RequestStatus

LITOU = "431127201000"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)><svg onload=alert(2)>'


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form(**extra):
    return {"applicant_kind": "person", "applicant_name": "李四", "id_type": "居民身份证",
            "id_number": "431127199001011234", "contact_phone": "13812345678", "contact_email": "li@example.cn",
            "contact_address": "犁头村1组", "description": "2024年犁头村低保对象名单", "delivery_form": "electronic",
            "consent": "on", "website": "", **extra}


def submit(client, **extra):
    return client.post(reverse("portal:request", args=[LITOU]), form(**extra))


@pytest.mark.django_db
def test_filing_gives_a_tracking_number_and_lookup_shows_progress_without_personal_data(client, demo):
    r = submit(client)
    assert r.status_code == 302
    r = client.get(r["Location"])
    req = InfoRequest.objects.get()
    assert req.status == RequestStatus.SUBMITTED and req.channel == "online"
    assert req.tracking_no in r.content.decode()
    assert client.get(reverse("portal:request_done", args=[LITOU])).status_code == 302  # shown once
    r = client.post(reverse("portal:status"), {"tracking_no": req.tracking_no.lower().replace("-", " ")})
    body = r.content.decode()
    assert r.status_code == 200 and "待确认收到" in body
    for secret in ("431127199001011234", "13812345678", "li@example.cn", "李四", "犁头村1组"):
        assert secret not in body
    assert "李*" in body


@pytest.mark.django_db
def test_unknown_tracking_number(client, demo):
    r = client.post(reverse("portal:status"), {"tracking_no": "AAAA-BBBB-CCCC"})
    assert r.status_code == 404 and "没有找到" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["applicant_name", "id_type", "contact_address", "description"])
def test_xss_in_every_public_field_is_neutralised(client, demo, staff_client, field):
    value = XSS + ("犁头村低保名单" if field == "description" else "名")
    r = submit(client, **{field: value})
    if r.status_code == 400:  # too long for the field: refused, echoed escaped, nothing stored
        assert "<script>alert" not in r.content.decode() and not InfoRequest.objects.exists()
        r = submit(client, **{field: value[:25]})
    assert r.status_code == 302
    req = InfoRequest.objects.get()
    stored = getattr(req, field)
    assert "<" not in stored and "onerror" not in stored and "alert" not in stored
    staff_page = staff_client.get(reverse("disclosure:request_detail", args=[req.pk])).content.decode()
    assert "<script>alert" not in staff_page and "onerror=" not in staff_page
    r = client.post(reverse("portal:status"), {"tracking_no": req.tracking_no})
    assert "<script>alert" not in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["id_number", "contact_phone", "contact_email"])
def test_markup_in_strict_fields_is_refused(client, demo, field):
    r = submit(client, **{field: XSS})
    assert r.status_code == 400 and not InfoRequest.objects.exists()


@pytest.mark.django_db
def test_search_and_status_fields_echo_escaped(client, demo):
    r = client.get(reverse("portal:search", args=[LITOU]), {"q": XSS[:90]})
    assert "<script>alert" not in r.content.decode()
    r = client.post(reverse("portal:status"), {"tracking_no": "<script>x</script>"})
    assert "<script>x" not in r.content.decode()


@pytest.mark.django_db
def test_rate_limit_per_client(client, demo):
    for i in range(5):
        assert submit(client, description=f"第{i}份需要的政府信息").status_code == 302
    r = submit(client, description="第六份需要的政府信息")
    assert r.status_code == 429 and "过于频繁" in r.content.decode()
    assert InfoRequest.objects.count() == 5
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert submit(other).status_code == 302


@pytest.mark.django_db
def test_honeypot_size_cap_and_missing_consent(client, demo):
    assert submit(client, website="http://spam.example").status_code == 400
    assert submit(client, description="长" * 70_000).status_code == 413
    data = form()
    data.pop("consent")
    assert client.post(reverse("portal:request", args=[LITOU]), data).status_code == 400
    assert not InfoRequest.objects.exists()


@pytest.mark.django_db
def test_csrf_is_enforced(demo):
    c = Client(enforce_csrf_checks=True)
    r = c.post(reverse("portal:request", args=[LITOU]), form())
    assert r.status_code == 403 and not InfoRequest.objects.exists()
    r = c.post(reverse("portal:status"), {"tracking_no": "AAAA-BBBB-CCCC"})
    assert r.status_code == 403


@pytest.mark.django_db
def test_field_errors_are_tied_to_their_inputs(client, demo):
    r = submit(client, contact_phone="")
    body = r.content.decode()
    assert 'aria-invalid="true"' in body and 'aria-describedby="err-contact_phone"' in body
    assert 'id="err-contact_phone"' in body


@pytest.mark.django_db
def test_search_is_rate_limited(client, demo, monkeypatch):
    from fazhi.portal import views

    monkeypatch.setattr(views, "SEARCHES_PER_HOUR", 2)
    url = reverse("portal:search", args=[LITOU])
    assert client.get(url, {"q": "低保"}).status_code == 200
    assert client.get(url, {"q": "低保"}).status_code == 200
    assert client.get(url, {"q": "低保"}).status_code == 429
