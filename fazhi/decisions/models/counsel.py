"""Retained legal counsel (政府法律顾问) and the opinion requests any module sends them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord


class LegalCounsel(TownshipOwned):
    name = models.CharField("律师姓名", max_length=64)
    firm = models.CharField("律师事务所", max_length=120)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="counsel_posts",
                             help_text="法律顾问登录后只能看到发给本人的征求意见。")
    phone = models.CharField("联系电话", max_length=20, blank=True)
    contract_start = models.DateField("聘用开始日期")
    contract_end = models.DateField("聘用结束日期")
    fee = models.DecimalField("年度顾问费（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    scope = models.TextField("服务范围", blank=True)

    class Meta:
        verbose_name = "法律顾问"
        ordering = ["-contract_start", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.firm}）"

    def in_contract(self, day) -> bool:
        return self.contract_start <= day <= self.contract_end


class OpinionStatus(models.TextChoices):
    SENT = "sent", "待回复"
    ANSWERED = "answered", "已出具意见"
    WITHDRAWN = "withdrawn", "已撤回"


class OpinionRequest(TownshipOwned):
    """A question to counsel about any record: subject_type is "app_label.model", subject_id its pk."""

    counsel = models.ForeignKey(LegalCounsel, verbose_name="法律顾问", on_delete=models.PROTECT,
                                related_name="requests")
    subject_type = models.CharField("事项类型", max_length=60)
    subject_id = models.PositiveBigIntegerField("事项编号", null=True, blank=True)
    subject_label = models.CharField("事项名称", max_length=200)
    question = models.TextField("征求意见的问题")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", null=True,
                                 on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField("提出日期")
    due_on = models.DateField("要求回复日期")
    status = models.CharField("状态", max_length=10, choices=OpinionStatus.choices, default=OpinionStatus.SENT)
    answer = models.TextField("法律意见", blank=True)
    answered_on = models.DateField("出具日期", null=True, blank=True)

    class Meta:
        verbose_name = "法律意见征询"
        ordering = ["-asked_on", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["township", "asked_on"])]

    def __str__(self) -> str:
        return f"关于“{self.subject_label}”的法律意见"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decisions:opinion_detail", args=[self.pk])

    @property
    def turnaround_days(self) -> int | None:
        return (self.answered_on - self.asked_on).days if self.answered_on else None


class OpinionTransition(TransitionRecord):
    opinion = models.ForeignKey(OpinionRequest, on_delete=models.CASCADE, related_name="transitions")
