"""Administrative reconsideration and litigation register (行政复议 / 行政应诉)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord


class LitigationKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", "行政复议"
    LITIGATION = "litigation", "行政诉讼"


class LitigationStatus(models.TextChoices):
    RECEIVED = "received", "已收到副本"
    ANSWERED = "answered", "已提交答复/答辩"
    CLOSED = "closed", "已结案"


class LitigationOutcome(models.TextChoices):
    PENDING = "", "审理中"
    UPHELD = "upheld", "维持/驳回请求"
    REVOKED = "revoked", "撤销"
    CHANGED = "changed", "变更"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "确认违法"
    ORDERED = "ordered", "责令履行"
    WITHDRAWN = "withdrawn", "撤回申请/撤诉"
    MEDIATED = "mediated", "调解/和解结案"
    OTHER = "other", "其他"


class Litigation(TownshipOwned):
    kind = models.CharField("类型", max_length=16, choices=LitigationKind.choices)
    case_no = models.CharField("案号", max_length=60)
    organ = models.CharField("复议机关/人民法院", max_length=100)
    claimant = models.CharField("申请人/原告", max_length=100)
    subject = models.CharField("被申请/被诉行为", max_length=200)
    subject_type = models.CharField("关联事项类型", max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField("关联事项编号", null=True, blank=True)
    received_on = models.DateField("收到申请书/起诉状副本日期")
    reply_submitted_on = models.DateField("提交答复/答辩状日期", null=True, blank=True)
    hearing_on = models.DateField("开庭/听证日期", null=True, blank=True)
    head_appeared = models.BooleanField("负责人出庭应诉", null=True, blank=True)
    head_name = models.CharField("出庭负责人", max_length=64, blank=True)
    head_absence_reason = models.CharField("负责人未出庭的理由", max_length=200, blank=True)
    counsel = models.ForeignKey("decisions.LegalCounsel", verbose_name="代理法律顾问", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    status = models.CharField("状态", max_length=10, choices=LitigationStatus.choices,
                              default=LitigationStatus.RECEIVED)
    outcome = models.CharField("结果", max_length=20, choices=LitigationOutcome.choices, blank=True)
    outcome_on = models.DateField("结案日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "行政复议/应诉案件"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["township", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_no}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decisions:litigation_detail", args=[self.pk])


class LitigationTransition(TransitionRecord):
    litigation = models.ForeignKey(Litigation, on_delete=models.CASCADE, related_name="transitions")
