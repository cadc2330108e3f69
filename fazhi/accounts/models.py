from django.contrib.auth.models import AbstractUser
from django.db import models

from fazhi.accounts.roles import Role
from fazhi.core.models import Region


class User(AbstractUser):
    full_name = models.CharField("姓名", max_length=64, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    post = models.CharField("职务", max_length=64, blank=True)

    class Meta:
        verbose_name = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """(user, region, role): what a user may do where. A county-level membership covers its townships."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "成员身份"
        constraints = [models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"


class UserSession(models.Model):
    """What the user sees on 我的登录会话: one row per signed-in session (the session store's key), with the
    device and address it was last used from. Written at most once a minute (accounts middleware)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    session_key = models.CharField("会话标识", max_length=40, unique=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)
    last_seen = models.DateTimeField("最近使用")

    class Meta:
        verbose_name = "登录会话"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} · {self.last_seen:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        """「微信 · Android」 from the user agent: enough to recognise one's own phone or office PC."""
        ua = self.user_agent
        browser = next((name for key, name in _BROWSERS if key in ua), "浏览器")
        system = next((name for key, name in _SYSTEMS if key in ua), "")
        return f"{browser} · {system}" if system else (browser if ua else "未知设备")


_BROWSERS = [("MicroMessenger", "微信"), ("DingTalk", "钉钉"), ("Edg/", "Edge"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium", "Chromium"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("Linux", "Linux")]
