"""我的登录会话: the user's own live sessions, end one other or all others."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from fazhi.accounts.models import UserSession

PROFILE = "/accounts/profile/"
PHONE = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0"


@pytest.fixture
def two_devices(demo, login):
    """The same officer signed in on an office PC (the test client) and on a phone."""
    user = demo.user("litou_officer")
    pc, phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/120.0"), Client(HTTP_USER_AGENT=PHONE)
    for c in (pc, phone):
        login(user, c)
        assert c.get(PROFILE).status_code == 200
    return user, pc, phone


def test_it_lists_my_live_sessions_with_the_current_one_marked(two_devices, demo, login):
    user, pc, phone = two_devices
    other = login(demo.user("demo2_legal_staff"), Client())
    other.get(PROFILE)
    body = pc.get(reverse("accounts:sessions")).content.decode()
    assert body.count("退出此会话") == 1 and "当前会话" in body
    assert "微信 · Android" in body and "Chrome · Windows" in body and "127.0.0.1" in body
    assert UserSession.objects.filter(user=user).count() == 2  # the other user's session is not listed as mine


def test_it_writes_the_last_seen_note_at_most_once_a_minute(two_devices):
    user, pc, _ = two_devices
    row = UserSession.objects.get(user=user, session_key=pc.session.session_key)
    old = row.last_seen - dt.timedelta(hours=1)
    UserSession.objects.filter(pk=row.pk).update(last_seen=old)
    pc.get(PROFILE)  # within the minute: no write
    assert UserSession.objects.get(pk=row.pk).last_seen == old


def test_logging_out_another_session_really_ends_it(two_devices):
    user, pc, phone = two_devices
    row = UserSession.objects.get(user=user, session_key=phone.session.session_key)
    r = pc.post(reverse("accounts:sessions"), {"end": row.pk}, follow=True)
    assert "已退出该登录会话" in r.content.decode()
    assert not Session.objects.filter(session_key=row.session_key).exists()
    assert phone.get(PROFILE).status_code == 302  # the phone must sign in again
    assert pc.get(PROFILE).status_code == 200


def test_log_out_all_others_keeps_the_current_one(two_devices, login):
    user, pc, phone = two_devices
    third = login(user, Client())
    third.get(PROFILE)
    r = pc.post(reverse("accounts:sessions"), {"end_others": "1"}, follow=True)
    assert "已退出其他2个登录会话" in r.content.decode()
    assert phone.get(PROFILE).status_code == 302 and third.get(PROFILE).status_code == 302
    assert pc.get(PROFILE).status_code == 200
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [
        pc.session.session_key]


def test_it_refuses_another_users_session_and_the_current_one(two_devices, demo, login):
    user, pc, phone = two_devices
    stranger = login(demo.user("county_supervisor"), Client())  # read-only, yet may manage its own sessions
    stranger.get(PROFILE)
    row = UserSession.objects.get(user=user, session_key=phone.session.session_key)
    r = stranger.post(reverse("accounts:sessions"), {"end": row.pk}, follow=True)
    assert "未找到该登录会话" in r.content.decode()
    assert phone.get(PROFILE).status_code == 200
    mine = UserSession.objects.get(user=user, session_key=pc.session.session_key)
    r = pc.post(reverse("accounts:sessions"), {"end": mine.pk}, follow=True)
    assert "请用“退出登录”" in r.content.decode()
    r = pc.post(reverse("accounts:sessions"), {"end": "x²"}, follow=True)
    assert "请选择要退出的登录会话" in r.content.decode()
    assert pc.get(PROFILE).status_code == 200


def test_sessions_page_needs_sign_in(client):
    assert client.get(reverse("accounts:sessions")).status_code == 302
    assert client.post(reverse("accounts:sessions"), {"end_others": "1"}).status_code == 302


def test_the_note_and_the_session_save_share_one_beat(demo, login):
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = dt.datetime(2026, 6, 15, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        c = login(demo.user("litou_leader"))
        c.get(PROFILE)
        row = UserSession.objects.get(session_key=c.session.session_key)
        assert row.last_seen == start
        traveller.shift(30)
        with CaptureQueriesContext(connection) as ctx:
            c.get(PROFILE)
        assert not [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
        traveller.shift(40)
        c.get(PROFILE)
        assert UserSession.objects.get(pk=row.pk).last_seen == start + dt.timedelta(seconds=70)
