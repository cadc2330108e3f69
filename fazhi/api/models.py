from django.conf import settings
from django.db import models

# Token scopes: "<module>:read" / "<module>:write" (write implies read of that module). Tokens made before
# scopes existed could only read, so the default is every module's read scope.
SCOPE_MODULES = {
    "general": "基础信息（用户、乡镇、统计、待办）",
    "mediation": "矛盾纠纷",
    "education": "普法宣传",
    "enforcement": "行政执法",
    "disclosure": "政务公开",
}
WRITE_MODULES = ("mediation", "education", "enforcement", "disclosure")


def read_scopes() -> list[str]:
    return [f"{m}:read" for m in SCOPE_MODULES]


def scope_label(scope: str) -> str:
    module, _, level = scope.partition(":")
    return f"{SCOPE_MODULES.get(module, module)}·{'读写' if level == 'write' else '只读'}"


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
    scopes = models.JSONField("权限范围", default=read_scopes, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    def allows(self, module: str, write: bool) -> bool:
        wanted = {f"{module}:write"} if write else {f"{module}:read", f"{module}:write"}
        return bool(wanted & set(self.scopes or ()))

    def scope_labels(self) -> list[str]:
        return [scope_label(s) for s in self.scopes or ()]


class IdempotentRequest(models.Model):
    """A write taken through the API under an Idempotency-Key: a retry with the same key and body gets the
    stored response and creates nothing; the same key with another body is refused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField("幂等键", max_length=200)
    request_hash = models.CharField("请求摘要", max_length=64)
    status_code = models.PositiveSmallIntegerField("响应状态码")
    body = models.JSONField("响应内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "接口幂等请求"
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotent_user_key")]
