import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.i18n import set_language as django_set_language
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.accounts import selectors, services
from fazhi.accounts.forms import (
    MembershipForm,
    PasswordChangeForm,
    PasswordResetForm,
    TokenForm,
    UserCreateForm,
)
from fazhi.accounts.middleware import before_second_factor
from fazhi.accounts.models import Membership, User
from fazhi.accounts.roles import Role
from fazhi.core.access import account_view, login_view, role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Ledger
from fazhi.core.params import int_param

login = before_second_factor(account_view(auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)))
logout = before_second_factor(account_view(auth_views.LogoutView.as_view()))
set_language = before_second_factor(account_view(django_set_language))


def _next_url(request, default="core:home"):
    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return nxt
    return default


@before_second_factor
@account_view
def otp_verify(request):
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = "验证码不正确或已过期，请查看手机上的最新验证码。"
        for device in devices_for_user(request.user, confirmed=True):
            error = services.otp_token_check(device, form.cleaned_data["token"])
            if error is None:
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", error)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


@before_second_factor
@account_view
def otp_setup(request):
    """Enrol a TOTP authenticator (required for admins, available to all staff)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if request.user.is_verified():
        messages.info(request, "您已启用两步验证。")
        return redirect("core:home")
    if any(True for _ in devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:otp_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="手机验证器", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = services.otp_token_check(device, form.cleaned_data["token"])
        if error is None:
            services.two_factor_enable(actor=request.user, device=device)
            otp_login(request, device)
            messages.success(request, "两步验证已启用。")
            return redirect("core:home")
        form.add_error("token", error)
    qr_svg = segno.make(device.config_url, micro=False).svg_inline(scale=4)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret})


@login_view
def profile(request):
    return render(request, "accounts/profile.html", {})


@account_view  # self-service: a read-only 县级督查 changes its own password too
def password_change(request):
    """Change one's own password (the session stays signed in; other devices are signed out)."""
    from django.contrib.auth import update_session_auth_hash

    if not request.user.is_authenticated:
        return redirect("accounts:login")
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改，其他设备上的登录已退出。")
            return redirect("accounts:profile")
    return render(request, "accounts/password_change.html", {"form": form})


@account_view  # self-service, like the password: a read-only 县级督查 ends its own sessions too
def my_sessions(request):
    """我的登录会话: the user's live sessions; end one other session, or all others (POST, confirmed)."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    current = request.session.session_key
    if request.method == "POST":
        try:
            if request.POST.get("end_others"):
                n = services.sessions_end_others(user=request.user, current_key=current)
                messages.success(request, f"已退出其他{n}个登录会话。" if n else "没有其他登录会话。")
            else:
                pk = int_param(request.POST.get("end"))
                if pk is None:
                    raise DomainError("请选择要退出的登录会话。")
                services.session_end(user=request.user, pk=pk, current_key=current)
                messages.success(request, "已退出该登录会话，那台设备需要重新登录。")
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("accounts:sessions")
    rows = list(services.sessions_for(request.user))
    for row in rows:
        row.is_current = row.session_key == current
    rows.sort(key=lambda r: not r.is_current)
    return render(request, "accounts/sessions.html", {"rows": rows, "others": sum(not r.is_current for r in rows)})


users_ledger = Ledger(
    title="用户",
    columns=[
        Column("用户名", "username", sort="username", link=True),
        Column("姓名", "full_name", sort="full_name"),
        Column("职务", "post"),
        Column("身份", lambda u: "；".join(f"{m.region.name}·{m.get_role_display()}" for m in u.memberships.all()
                                        if m.active)),
        Column("启用", "is_active"),
    ],
    search_fields=["username", "full_name", "post"],
    default_sort="username",
    row_url=lambda u: f"/accounts/users/{u.pk}/",
    actions=[("新建用户", "/accounts/users/new/")],
)


@role_view(read={Role.ADMIN}, write={Role.ADMIN})
def user_list(request):
    return users_ledger.respond(request, selectors.user_list_for(request.user))


@role_view(read={Role.ADMIN}, write={Role.ADMIN})
def user_create(request):
    form = UserCreateForm(request.POST or None, regions=selectors.regions_managed_by(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已创建用户 {user.username}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


def _user_sample(township):
    m = Membership.objects.filter(region=township).exclude(role=Role.ADMIN).first()
    return m.user if m else None


@role_view(read={Role.ADMIN}, write={Role.ADMIN}, model=User)
def user_detail(request, pk):
    user = get_object_or_404(selectors.user_list_for(request.user), pk=pk)
    regions = selectors.regions_managed_by(request.user)
    membership_form = MembershipForm(regions=regions)
    password_form = PasswordResetForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_membership":
                membership_form = MembershipForm(request.POST, regions=regions)
                if membership_form.is_valid():
                    services.membership_add(actor=request.user, user=user, **membership_form.cleaned_data)
                    messages.success(request, "已添加身份。")
                    return redirect("accounts:user_detail", pk=pk)
            elif action == "deactivate":
                m = get_object_or_404(Membership.objects.filter(selectors.admin_regions_q(request.user, "region__")),
                                      pk=request.POST.get("membership"), user=user)
                services.membership_deactivate(actor=request.user, membership=m, reason=request.POST.get("reason", ""))
                messages.success(request, "已停用该身份。")
                return redirect("accounts:user_detail", pk=pk)
            elif action == "password":
                password_form = PasswordResetForm(request.POST)
                if password_form.is_valid():
                    services.password_set(actor=request.user, user=user, password=password_form.cleaned_data["password"])
                    messages.success(request, "已重设密码。")
                    return redirect("accounts:user_detail", pk=pk)
        except DomainError as e:
            messages.error(request, e.message)
    return render(request, "accounts/user_detail.html", {
        "u": user, "membership_form": membership_form, "password_form": password_form,
        "memberships": user.memberships.select_related("region").order_by("-active", "region__code"),
    })


user_detail.fazhi_sample = _user_sample

