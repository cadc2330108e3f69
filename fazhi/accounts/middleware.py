from django.shortcuts import redirect
from django.urls import reverse

from fazhi.accounts.roles import Role
from fazhi.core.scope import has_role


class TwoFactorMiddleware:
    """Staff who enrolled a TOTP device must enter a code after the password; admins must enrol."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        access = getattr(view_func, "fazhi_access", None)
        if access is None or access.kind in {"public", "account"}:
            return None
        from django_otp import devices_for_user

        if any(True for _ in devices_for_user(user, confirmed=True)):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        if has_role(user, {Role.ADMIN}):
            return redirect(reverse("accounts:otp_setup"))
        return None
