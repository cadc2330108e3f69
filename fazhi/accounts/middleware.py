from django.shortcuts import redirect
from django.urls import reverse

from fazhi.accounts.roles import Role
from fazhi.core.scope import has_role


def two_factor_required(user) -> bool:
    """Admins must use a second factor; any staff member who enrolled a TOTP device must use it too."""
    if not user.is_authenticated:
        return False
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True)) or has_role(user, {Role.ADMIN})


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
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        access = getattr(view_func, "fazhi_access", None)
        if (access is not None and access.kind == "public") or getattr(view_func, "fazhi_before_second_factor", False):
            return None
        from django_otp import devices_for_user

        if any(True for _ in devices_for_user(user, confirmed=True)):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        if has_role(user, {Role.ADMIN}):
            return redirect(reverse("accounts:otp_setup"))
        return None
