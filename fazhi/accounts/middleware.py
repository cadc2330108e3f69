from django.shortcuts import redirect
from django.urls import reverse

from fazhi.accounts.roles import Role
from fazhi.core.scope import has_role


def two_factor_required(user) -> bool:
    """Admins must use a second factor; any staff member who enrolled a TOTP device must use it too."""
    if not user.is_authenticated:
        return False
    return has_confirmed_device(user) or has_role(user, {Role.ADMIN})


def has_confirmed_device(user) -> bool:
    """Has the user a confirmed device of any kind? One query (a UNION over the device models), not
    django_otp's one per model: it runs on every page of a signed-in user who has not used a second factor."""
    from django_otp import device_classes

    ids = [model.objects.devices_for_user(user, confirmed=True).values("pk") for model in device_classes()]
    if not ids:
        return False
    return ids[0].union(*ids[1:], all=True).exists()


def before_second_factor(view):
    """Views a password-only session may reach: login, logout, language, two-factor verify and enrolment."""
    view.fazhi_before_second_factor = True
    return view


class TwoFactorMiddleware:
    """A password-only session of a user who must use two-factor reaches nothing but the public pages and the
    views marked `before_second_factor`: every other page (API tokens and session API use included) sends it
    to the verify page (or enrolment for an admin without a device). Deny by default: a view without an
    access declaration is treated like a staff page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record_session(request)  # 我的登录会话: after the view, so a fresh login is noted under its new key
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        access = getattr(view_func, "fazhi_access", None)
        if (access is not None and access.kind == "public") or getattr(view_func, "fazhi_before_second_factor", False):
            return None
        if has_confirmed_device(user):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        if has_role(user, {Role.ADMIN}):
            return redirect(reverse("accounts:otp_setup"))
        return None


def record_session(request) -> None:
    """Note the session's device, address and time at most once every FAZHI_SESSION_TOUCH_SECONDS (60): the
    beat of core's SessionTouchMiddleware, whose mark it shares, so a GET saves the session at most once a
    minute. Best effort: a lost race or a locked database skips the note, never fails the page."""
    import time

    from django.conf import settings
    from django.db import DatabaseError
    from django.utils import timezone

    from fazhi.accounts.models import UserSession
    from fazhi.core.middleware import SessionTouchMiddleware
    from fazhi.core.ratelimit import client_ip

    user, session = getattr(request, "user", None), getattr(request, "session", None)
    if user is None or not user.is_authenticated or session is None or not session.session_key:
        return
    every = getattr(settings, "FAZHI_SESSION_TOUCH_SECONDS", 60)
    now, last = int(time.time()), session.get(SessionTouchMiddleware.KEY, 0)
    if isinstance(last, int) and now - last < every:
        return
    ip = client_ip(request)
    fields = {"user": user, "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
              "ip": None if ip == "0.0.0.0" else ip, "last_seen": timezone.now()}
    try:  # one UPDATE a minute; the first request of a session adds one INSERT (a racing twin is ignored)
        if not UserSession.objects.filter(session_key=session.session_key).update(**fields):
            UserSession.objects.bulk_create([UserSession(session_key=session.session_key, **fields)],
                                            ignore_conflicts=True)
    except DatabaseError:
        return
    session[SessionTouchMiddleware.KEY] = now  # the touch is done: the outer middleware leaves the session be
