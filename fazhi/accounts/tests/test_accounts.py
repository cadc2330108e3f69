import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.accounts.models import User
from fazhi.accounts.services import membership_add, user_create
from fazhi.core.errors import DomainError

PASSWORD = "fazhi-demo-2024"


def test_production_hashes_passwords_with_argon2():
    import importlib

    import fazhi.settings as s

    importlib.reload(s)
    assert s.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from fazhi.accounts.hashers import FazhiArgon2PasswordHasher

    encoded = FazhiArgon2PasswordHasher().encode("a-long-password-123", FazhiArgon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$") and "m=19456" in encoded
    assert "fazhi.core.middleware.SessionTouchMiddleware" in s.MIDDLEWARE and s.SESSION_COOKIE_AGE <= 3600


@pytest.mark.django_db
def test_login_then_home(demo):
    c = Client()
    r = c.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD})
    assert r.status_code == 302
    assert c.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_shows_a_chinese_error(demo):
    r = Client().post(reverse("accounts:login"), {"username": "litou_leader", "password": "nope"})
    assert r.status_code == 200
    assert "请输入一个正确的" in r.content.decode() or "用户名" in r.content.decode()


@pytest.mark.django_db
def test_failed_logins_are_throttled(demo, settings):
    c = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        c.post(reverse("accounts:login"), {"username": "litou_leader", "password": "wrong"})
    r = c.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD})
    assert r.status_code == 429
    assert "暂时锁定" in r.content.decode()


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_admin_must_enrol_two_factor_before_using_the_site(demo):
    c = Client()
    c.post(reverse("accounts:login"), {"username": "litou_admin", "password": PASSWORD})
    r = c.get(reverse("accounts:user_list"))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:otp_setup")
    assert c.get(reverse("accounts:otp_setup")).status_code == 200
    device = TOTPDevice.objects.get(user__username="litou_admin")
    r = c.post(reverse("accounts:otp_setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "验证码不正确" in r.content.decode()
    r = c.post(reverse("accounts:otp_setup"), {"token": _code(device)})
    assert r.status_code == 302
    assert c.get(reverse("accounts:user_list")).status_code == 200


@pytest.mark.django_db
def test_enrolled_staff_must_enter_a_code_after_the_password(demo):
    user = demo.user("litou_legal_staff")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    c = Client()
    c.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    r = c.get(reverse("core:home"))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:otp_verify"))
    r = c.post(reverse("accounts:otp_verify"), {"token": _code(device), "next": "/todo/"})
    assert r.status_code == 302 and r["Location"] == "/todo/"
    assert c.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_staff_without_device_are_not_forced(demo):
    c = Client()
    c.post(reverse("accounts:login"), {"username": "litou_officer", "password": PASSWORD})
    assert c.get(reverse("core:home")).status_code == 200


@pytest.mark.django_db
def test_admin_creates_a_user_in_own_township_only(demo, login):
    admin = demo.user("litou_admin")
    c = login(admin)
    r = c.post(reverse("accounts:user_create"), {
        "username": "litou_new", "full_name": "新同志", "region": demo.litou.pk, "role": "officer",
        "password": "a-long-password-123"})
    assert r.status_code == 302
    assert User.objects.get(username="litou_new").memberships.get().region == demo.litou
    r = c.post(reverse("accounts:user_create"), {
        "username": "spy", "full_name": "外乡", "region": demo.demo2.pk, "role": "officer",
        "password": "a-long-password-123"})
    assert r.status_code == 200 and not User.objects.filter(username="spy").exists()


@pytest.mark.django_db
def test_admin_cannot_open_users_of_another_township(demo, login):
    c = login(demo.user("litou_admin"))
    other = demo.user("demo2_officer")
    assert c.get(reverse("accounts:user_detail", kwargs={"pk": other.pk})).status_code == 404


@pytest.mark.django_db
def test_role_region_rules_are_enforced(demo):
    admin = demo.user("litou_admin")
    with pytest.raises(DomainError, match="村干部"):
        membership_add(actor=admin, user=demo.user("litou_officer"), region=demo.litou, role="village_cadre")
    with pytest.raises(DomainError, match="密码"):
        user_create(actor=admin, username="weak", full_name="弱", password="123", region=demo.litou, role="officer")
    assert not User.objects.filter(username="weak").exists()


@pytest.mark.django_db
def test_user_changes_are_audited(demo):
    from fazhi.audit.models import AuditEntry

    admin = demo.user("litou_admin")
    u = user_create(actor=admin, username="audited", full_name="审计", password="a-long-password-123",
                    region=demo.litou, role="officer")
    assert AuditEntry.objects.filter(object_type="accounts.user", object_id=str(u.pk), action="create").exists()
    assert AuditEntry.objects.filter(object_type="accounts.membership", township=demo.litou).exists()


@pytest.mark.django_db
def test_behind_a_proxy_an_attacker_locks_only_their_own_address(demo, settings):
    """FAZHI_TRUSTED_PROXY_COUNT=1: every request comes from the proxy (REMOTE_ADDR); the client is in X-Forwarded-For."""
    settings.FAZHI_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.66", **proxy)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post(reverse("accounts:login"), {"username": "litou_leader", "password": "wrong"})
    assert attacker.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD}).status_code == 429
    real = Client(HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    r = real.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD})
    assert r.status_code == 302 and real.get(reverse("core:home")).status_code == 200
    # a spoofed header cannot pick another client's address: only the hop the proxy appended counts
    spoof = Client(HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.66", **proxy)
    assert spoof.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD}).status_code == 429
    assert attacker.post(reverse("accounts:login"), {"username": "litou_leader", "password": PASSWORD}).status_code == 429


def _wrong(device):
    return "000000" if _code(device) != "000000" else "111111"


@pytest.mark.django_db
def test_a_correct_code_right_after_a_wrong_one_is_accepted(demo):
    user = demo.user("litou_legal_staff")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    c = Client()
    c.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    r = c.post(reverse("accounts:otp_verify"), {"token": _wrong(device)})
    assert "验证码不正确" in r.content.decode() and "手机时间" not in r.content.decode()
    r = c.post(reverse("accounts:otp_verify"), {"token": _code(device), "next": "/todo/"})
    assert r.status_code == 302 and r["Location"] == "/todo/"


@pytest.mark.django_db
def test_repeated_wrong_codes_are_delayed_with_a_clear_message(demo):
    user = demo.user("litou_legal_staff")
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    c = Client()
    c.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    for _ in range(4):
        c.post(reverse("accounts:otp_verify"), {"token": _wrong(device)})
    r = c.post(reverse("accounts:otp_verify"), {"token": _code(device)})
    assert r.status_code == 200 and "错误次数过多" in r.content.decode() and "秒后再试" in r.content.decode()


@pytest.mark.django_db
def test_staff_change_their_own_password(demo, login):
    url = reverse("accounts:password_change")
    assert Client().get(url).status_code == 302
    user = demo.user("county_supervisor")  # read-only everywhere, but its own password is its own
    c = login(user, Client())
    assert c.get(url).status_code == 200
    r = c.post(url, {"old_password": "wrong", "new_password": "x", "new_password2": "x"})
    assert "当前密码不正确" in r.content.decode()
    r = c.post(url, {"old_password": PASSWORD, "new_password": "12345678901", "new_password2": "12345678901"})
    body = r.content.decode()
    assert "新密码强度不够" in body and "数字" in body
    r = c.post(url, {"old_password": PASSWORD, "new_password": "蓝山县督查-2026-春", "new_password2": "不一样的"})
    assert "两次输入的新密码不一致" in r.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    r = c.post(url, {"old_password": PASSWORD, "new_password": "蓝山县督查-2026-春", "new_password2": "蓝山县督查-2026-春"})
    assert r.status_code == 302 and c.get(reverse("core:home")).status_code == 200  # this session stays
    user.refresh_from_db()
    assert user.check_password("蓝山县督查-2026-春")
