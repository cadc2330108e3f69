from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal access token for integration (county/provincial systems, the field app).
    Only its SHA-256 is stored; the token itself is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=64)
    prefix = models.CharField("前缀", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    # Set when the token was created from a session that passed two-factor verification: a user who must use
    # two-factor can only use tokens that carry it (a password-only session cannot mint a way around 2FA).
    verified_at = models.DateTimeField("两步验证后创建", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
