"""One row per accepted field submission: the idempotency key a phone's outbox gave it, unique per user,
so a resend (flaky network, two tabs, a retry after a lost answer) returns the first result."""

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned


class FieldSubmission(TownshipOwned):
    class Kind(models.TextChoices):
        DISPUTE = "dispute", "纠纷登记"
        EVENT = "event", "普法活动"
        SCREENING = "screening", "矛盾纠纷排查"
        INSPECTION = "inspection", "日常巡查"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT,
                             related_name="+")
    key = models.CharField("幂等键", max_length=64)
    kind = models.CharField("表单", max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField("登记记录ID")
    label = models.CharField("登记编号", max_length=64, blank=True)
    url = models.CharField("记录地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "离线提交"
        verbose_name_plural = verbose_name
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="field_submission_user_key")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.label}"

    def result(self) -> dict:
        return {"ok": True, "kind": self.kind, "id": self.object_id, "number": self.label, "url": self.url}
