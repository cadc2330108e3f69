"""Online mediation applications from the public portal (申请调解)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord
from fazhi.mediation.models.disputes import Dispute
from fazhi.mediation.models.validators import VILLAGE_LIMIT


class Application(TownshipOwned):
    """A resident's online application for mediation (申请调解) from the township's portal. It becomes a
    dispute when a mediator accepts it, or is declined with the reason (人民调解法 Art. 17: voluntary)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ACCEPTED = "accepted", "已受理"
        DECLINED = "declined", "不予受理"

    tracking_code = models.CharField("查询码", max_length=14, unique=True)
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=VILLAGE_LIMIT)
    applicant_name = models.CharField("申请人姓名", max_length=64)
    applicant_phone = models.CharField("联系电话", max_length=20)
    applicant_address = models.CharField("住址", max_length=200, blank=True)
    other_party = models.CharField("对方当事人", max_length=64)
    other_party_phone = models.CharField("对方联系电话", max_length=20, blank=True)
    facts = models.TextField("纠纷经过")
    wish = models.TextField("调解请求")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    dispute = models.OneToOneField(Dispute, verbose_name="登记的纠纷", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="application")
    decline_reason = models.TextField("不予受理理由", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_on = models.DateField("处理日期", null=True, blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "网上调解申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return f"调解申请{self.tracking_code}"


class ApplicationPhoto(TownshipOwned):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="mediation/applications/%Y/", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("文件类型", max_length=32)

    class Meta:
        verbose_name = "申请照片"


class ApplicationTransition(TransitionRecord):
    """An application's history: accepted into the ledger, or declined with the reason."""

    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "调解申请状态变更"

    def save(self, *args, **kwargs):
        self.township_id = self.township_id or self.application.township_id  # the distribution key, copied
        super().save(*args, **kwargs)
