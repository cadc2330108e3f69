"""The case's hearing, legal review (法制审核) rounds and collective discussion (集体讨论)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned
from fazhi.enforcement.models.cases import Case
from fazhi.enforcement.models.registry import Officer

# --- hearing, legal review, collective discussion ------------------------------------------------


class Hearing(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="hearings")
    notice_served_on = models.DateField("听证通知送达日期")
    scheduled_on = models.DateField("听证日期")
    place = models.CharField("地点", max_length=200)
    public = models.BooleanField("公开举行", default=True)
    presiding = models.ForeignKey(Officer, verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    recorder = models.ForeignKey(Officer, verbose_name="记录员", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    held_on = models.DateField("举行日期", null=True, blank=True)
    transcript = models.TextField("听证笔录摘要", blank=True)
    opinion = models.TextField("主持人意见", blank=True)

    class Meta:
        verbose_name = "听证"
        ordering = ["case", "scheduled_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 听证 {self.scheduled_on:%Y-%m-%d}"


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", "审核中"
    PASSED = "passed", "审核通过"
    RETURNED = "returned", "退回补正"
    FAILED = "failed", "审核不通过"


# DESIGN.md §3: the legal-review checklist (法制审核要点)
CHECKLIST = [
    ("body", "执法主体合法、执法人员具备资格"),
    ("facts", "案件事实清楚"),
    ("evidence", "证据合法充分"),
    ("law", "适用法律依据准确，裁量在基准范围内"),
    ("procedure", "程序合法"),
    ("powers", "未超越法定职权"),
    ("documents", "执法文书完备、规范"),
    ("crime", "是否涉嫌犯罪需移送司法机关"),
]


class LegalReview(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField("审核轮次")
    reviewer = models.ForeignKey(Officer, verbose_name="审核人员", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("送审日期")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    outcome = models.CharField("审核结论", max_length=16, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING)
    opinion = models.TextField("审核意见", blank=True)
    crime_suspected = models.BooleanField("涉嫌犯罪，建议移送", default=False)

    class Meta:
        verbose_name = "法制审核"
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="enf_review_round_unique")]

    def __str__(self) -> str:
        return f"{self.case.number} 第{self.round}轮法制审核"


class LegalReviewItem(TownshipOwned):
    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="items")
    key = models.CharField("审核要点", max_length=16, choices=CHECKLIST)
    passed = models.BooleanField("符合")
    comment = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "法制审核要点"
        ordering = ["review", "id"]


class Stance(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    OTHER = "other", "其他意见"


class CollectiveDiscussion(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField("讨论日期")
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=64)
    attendees = models.TextField("出席人员")
    conclusion = models.TextField("讨论决定")
    minutes = models.TextField("会议纪要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "集体讨论"
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 集体讨论 {self.held_on:%Y-%m-%d}"


class DiscussionOpinion(TownshipOwned):
    discussion = models.ForeignKey(CollectiveDiscussion, on_delete=models.CASCADE, related_name="opinions")
    person = models.CharField("发言人", max_length=64)
    stance = models.CharField("表态", max_length=16, choices=Stance.choices, default=Stance.AGREE)
    opinion = models.TextField("意见")
    order = models.PositiveIntegerField("发言顺序", default=0)

    class Meta:
        verbose_name = "集体讨论意见"
        ordering = ["discussion", "order", "id"]
