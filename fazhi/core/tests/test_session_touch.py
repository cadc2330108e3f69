"""Sessions are saved at most once a minute (sliding idle timeout without a write per request)."""

import datetime as dt

import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(ctx):
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_logged_in_get_writes_the_session_at_most_once_a_minute(demo, login):
    start = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        c = login(demo.user("litou_leader"))
        c.get(reverse("core:home"))
        key = c.session.session_key
        expiry = Session.objects.get(session_key=key).expire_date
        traveller.shift(30)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("core:home")).status_code == 200
        assert _writes(ctx) == []
        assert Session.objects.get(session_key=key).expire_date == expiry
        traveller.shift(40)  # 70 s after the last save: the idle clock restarts
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(reverse("core:home"))
        assert any("django_session" in q for q in _writes(ctx))
        assert Session.objects.get(session_key=key).expire_date > expiry
        assert r.cookies.get("sessionid")  # the cookie's max-age is renewed with it


def test_an_idle_session_still_expires(demo, login):
    start = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        c = login(demo.user("litou_leader"))
        assert c.get(reverse("core:home")).status_code == 200
        traveller.shift(1801 + 60)
        r = c.get(reverse("core:home"))
        assert r.status_code == 302 and "login" in r["Location"]


def test_anonymous_requests_create_no_session(db, client):
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("accounts:login"))
    assert not any("django_session" in q for q in _writes(ctx))
