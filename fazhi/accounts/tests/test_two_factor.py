"""The second factor cannot be skipped: a password-only session of a user who must use two-factor (an admin,
or anyone with a confirmed device) reaches no page but login/verify/logout/enrolment/language/public, cannot
mint an API token, and tokens minted without verification do not work."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.api.models import ApiToken
from fazhi.api.services import hash_key, token_create
from fazhi.core.errors import DomainError
from fazhi.core.tests.test_url_scope import _targets, world  # noqa: F401  (the module-scoped demo fixture)

PASSWORD = "fazhi-demo-2024"
VERIFY = "/accounts/2fa/"


def _password_only(user) -> Client:
    c = Client()
    c.force_login(user)  # the password step only: no otp_device_id in the session
    return c


@pytest.fixture
def _db(world, db):  # noqa: F811
    """Each test runs in a savepoint inside the module's transaction."""


@pytest.mark.usefixtures("_db")
def test_every_staff_url_sends_a_password_only_session_to_the_verify_page(world):  # noqa: F811
    user = world.user("litou_legal_staff")
    TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    c = _password_only(user)
    leaks = []
    checked = 0
    for name, p, a, url in _targets(world):
        if a.kind == "public" or getattr(p.callback, "fazhi_before_second_factor", False):
            continue
        checked += 1
        for method in ("get", "post"):
            r = getattr(c, method)(url, {})
            if not (r.status_code == 302 and r["Location"].startswith(VERIFY)):
                leaks.append((name, method, r.status_code))
    assert checked > 100
    assert not leaks, f"reachable without the second factor: {leaks}"


@pytest.mark.usefixtures("_db")
def test_an_admin_without_a_device_is_sent_to_enrolment_everywhere(world):  # noqa: F811
    c = _password_only(world.user("litou_admin"))
    for url in (reverse("api:tokens"), reverse("api:me"), reverse("accounts:profile"), reverse("core:home")):
        r = c.get(url)
        assert r.status_code == 302 and r["Location"] == reverse("accounts:otp_setup"), url
    assert c.get(reverse("accounts:otp_setup")).status_code == 200


@pytest.mark.django_db
def test_admin_with_a_password_only_session_cannot_create_a_token(demo):
    admin = demo.user("litou_admin")
    TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    c = Client()
    c.post(reverse("accounts:login"), {"username": admin.username, "password": PASSWORD})
    r = c.post(reverse("api:tokens"), {"name": "攻击"})
    assert r.status_code == 302 and r["Location"].startswith(VERIFY)
    assert not ApiToken.objects.filter(user=admin).exists()
    with pytest.raises(DomainError, match="两步验证"):
        token_create(actor=admin, name="攻击")


@pytest.mark.django_db
def test_a_verified_admin_creates_a_token_that_works_and_is_marked(demo, login):
    admin = demo.user("litou_admin")
    c = login(admin)
    html = c.post(reverse("api:tokens"), {"name": "县级平台"}).content.decode()
    key = html.split('id="new-token">')[1].split("<")[0]
    token = ApiToken.objects.get(key_hash=hash_key(key))
    assert token.verified_at is not None
    r = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200


@pytest.mark.django_db
def test_tokens_minted_without_verification_do_not_work_for_users_who_must_use_two_factor(demo):
    user = demo.user("litou_leader")
    _, key = token_create(actor=user, name="外勤")  # not enrolled yet: allowed, but not marked verified
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    TOTPDevice.objects.create(user=user, name="手机", confirmed=True)  # enrols: the old token stops working
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
    admin = demo.user("litou_admin")
    ApiToken.objects.create(user=admin, name="旧", prefix="fz_x", key_hash=hash_key("fz_old_admin_key"))
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION="Bearer fz_old_admin_key").status_code == 401
