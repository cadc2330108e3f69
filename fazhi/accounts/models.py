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
