"""Writes owned by accounts: users and memberships."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from fazhi.accounts.models import Membership, User
from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.writes import clean

ROLE_LEVELS = {
    Role.VILLAGE_CADRE: {RegionLevel.VILLAGE},
    Role.SUPERVISOR: {RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE},
}
DEFAULT_LEVELS = {RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}


def _check_role_region(role: str, region: Region) -> None:
    allowed = ROLE_LEVELS.get(role, DEFAULT_LEVELS | ({RegionLevel.COUNTY} if role == Role.ADMIN else set()))
    if region.level not in allowed:
        raise DomainError(f"“{Role(role).label}”不能设在{region.get_level_display()}级区划“{region.name}”。")


def user_create(*, actor, username: str, full_name: str, password: str, region: Region, role: str,
                phone: str = "", post: str = "") -> User:
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"用户名“{username}”已被使用。")
    _check_role_region(role, region)
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip(), post=post.strip())
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise DomainError("密码不符合要求：" + "；".join(e.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        clean(user)
        user.save()
        # named fields only: the password hash never enters the audit log (so not core.writes.save_audited)
        audit_record(actor=actor, action="create", obj=user, township=_township_of(region),
                     changes={"username": [None, user.username], "full_name": [None, user.full_name]})
        membership_add(actor=actor, user=user, region=region, role=role)
    return user


def _township_of(region: Region) -> Region | None:
    if region.level == RegionLevel.TOWNSHIP:
        return region
    if region.level == RegionLevel.VILLAGE:
        return region.parent
    return None


def membership_add(*, actor, user: User, region: Region, role: str) -> Membership:
    _check_role_region(role, region)
    with transaction.atomic():
        m, created = Membership.objects.get_or_create(user=user, region=region, role=role)
        if not created and m.active:
            raise DomainError("该用户已有此身份。")
        m.active = True
        m.save()
        audit_record(actor=actor, action="create", obj=m, township=_township_of(region),
                     changes={"region": [None, region.name], "role": [None, m.get_role_display()]})
    return m


def membership_deactivate(*, actor, membership: Membership, reason: str = "") -> Membership:
    with transaction.atomic():
        m = Membership.objects.select_for_update().get(pk=membership.pk)
        if not m.active:
            raise DomainError("该身份已停用。")
        m.active = False
        m.save(update_fields=["active"])
        audit_record(actor=actor, action="update", obj=m, township=_township_of(m.region), reason=reason,
                     changes={"active": ["True", "False"]})
    return m


def password_set(*, actor, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise DomainError("密码不符合要求：" + "；".join(e.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="update", obj=user, changes={"password": ["***", "***（已重设）"]})


def two_factor_enable(*, actor: User, device) -> None:
    """The user's authenticator answered a code: confirm it (two-factor is on from now)."""
    with transaction.atomic():
        device.confirmed = True
        device.save()
        audit_record(actor=actor, action="update", obj=actor, changes={"two_factor": ["否", "是"]})


# A mistyped code is common (the phone shows the next code, a digit is slipped): the first few
# mistakes do not lock the device; after that django-otp's doubling delay applies (brute-force guard).
OTP_FREE_MISTAKES = 3


def otp_token_check(device, token: str) -> str | None:
    """Verify a TOTP code; None when accepted, else the Chinese reason shown to the user."""
    if 0 < device.throttling_failure_count < OTP_FREE_MISTAKES:
        device.throttling_failure_timestamp = None  # in memory: this try is not delayed
    allowed, info = device.verify_is_allowed()
    if not allowed:
        from django.utils import timezone

        wait = max(1, int(((info or {}).get("locked_until") or timezone.now()).timestamp()
                          - timezone.now().timestamp()) + 1)
        return f"验证码错误次数过多，请{wait}秒后再试。"
    if device.verify_token(token):
        return None
    return "验证码不正确或已过期，请查看手机上的最新验证码。"


def password_change(*, user: User, old_password: str, new_password: str, new_password2: str) -> None:
    """The user's own password change: the current password, twice the new one, the Argon2 policy
    (settings.AUTH_PASSWORD_VALIDATORS). Other sessions end (Django's session hash changes)."""
    if not user.check_password(old_password or ""):
        raise DomainError("当前密码不正确。")
    if new_password != new_password2:
        raise DomainError("两次输入的新密码不一致。")
    if new_password == old_password:
        raise DomainError("新密码不能与当前密码相同。")
    try:
        validate_password(new_password, user)
    except ValidationError as e:
        raise DomainError("新密码强度不够：" + "；".join(e.messages)) from None
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="update", obj=user, changes={"password": ["***", "***（本人修改）"]},
                     reason="本人修改密码")


# --- my sessions (我的登录会话) ---------------------------------------------------------------------------

def _session_store():
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_for(user):
    """The user's sessions still alive in the session store (expired or ended ones are not shown)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from fazhi.accounts.models import UserSession

    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=live)


def _end(user, rows) -> int:
    store = _session_store()
    n = 0
    for row in rows:
        store(session_key=row.session_key).delete()
        row.delete()
        n += 1
    if n:
        audit_record(actor=user, action="update", obj=user, changes={"sessions": [f"{n}个会话", "已退出"]},
                     reason="本人退出其他登录会话")
    return n


@transaction.atomic
def session_end(*, user: User, pk: int, current_key: str | None) -> None:
    """End one of the user's own other sessions: that browser is signed out on its next request."""
    from fazhi.accounts.models import UserSession

    row = UserSession.objects.filter(user=user, pk=pk).first()
    if row is None:
        raise DomainError("未找到该登录会话，可能已经退出。")
    if row.session_key == current_key:
        raise DomainError("这是您当前使用的会话，请用“退出登录”。")
    _end(user, [row])


@transaction.atomic
def sessions_end_others(*, user: User, current_key: str | None) -> int:
    """End every session of the user except the one in use; returns how many were ended."""
    from fazhi.accounts.models import UserSession

    return _end(user, list(UserSession.objects.filter(user=user).exclude(session_key=current_key or "")))
