"""Collective discussion (集体讨论决定, 713号令第三十条): attendance and quorum, each member's opinion in
speaking order with the head speaking last, the head's reason when departing from the majority."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned
from fazhi.decisions.models.decision import Decision


class DiscussionConclusion(models.TextChoices):
    ADOPTED = "adopted", "通过"
    REVISE = "revise", "修改后再次讨论"
    DEFERRED = "deferred", "暂缓决策"
    REJECTED = "rejected", "不予通过"


class Discussion(TownshipOwned):
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="discussions")
    meeting = models.CharField("会议名称", max_length=120, help_text="如：乡党委会议、乡政府常务会议")
    held_on = models.DateField("会议日期")
    place = models.CharField("地点", max_length=100, blank=True)
    members_total = models.PositiveSmallIntegerField("应到组成人员数")
    head_name = models.CharField("主持人（行政首长）", max_length=64)
    recorder = models.CharField("记录人", max_length=64, blank=True)
    conclusion = models.CharField("会议结论", max_length=10, choices=DiscussionConclusion.choices, blank=True)
    conclusion_text = models.TextField("决定事项", blank=True)
    head_departure_reason = models.TextField("行政首长决定与多数意见不一致的理由", blank=True)
    finalized = models.BooleanField("已定稿", default=False)
    finalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "集体讨论"
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.meeting}（{self.held_on:%Y-%m-%d}）"


class DiscussionAttendee(TownshipOwned):
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("姓名", max_length=64)
    post = models.CharField("职务", max_length=64, blank=True)
    is_member = models.BooleanField("组成人员", default=True, help_text="列席人员不计入到会人数，不发表表决意见。")
    present = models.BooleanField("出席", default=True)
    absence_reason = models.CharField("缺席原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "参会人员"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["discussion", "name"], name="attendee_once")]

    def __str__(self) -> str:
        return self.name


class Stance(models.TextChoices):
    AGREE = "agree", "同意"
    CONDITIONAL = "conditional", "原则同意（附意见）"
    DISAGREE = "disagree", "不同意"
    ABSTAIN = "abstain", "弃权"


class DiscussionOpinion(TownshipOwned):
    """One member's opinion, in speaking order. The head (主持人) speaks last (713号令第三十条)."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="opinions")
    order = models.PositiveSmallIntegerField("发言顺序")
    attendee = models.ForeignKey(DiscussionAttendee, on_delete=models.PROTECT, related_name="opinions")
    is_head = models.BooleanField("行政首长", default=False)
    stance = models.CharField("表态", max_length=12, choices=Stance.choices)
    text = models.TextField("发言要点")

    class Meta:
        verbose_name = "发言意见"
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "order"], name="opinion_order_unique"),
            models.UniqueConstraint(fields=["discussion", "attendee"], name="opinion_once_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.attendee.name}"

    @property
    def dissent(self) -> bool:
        return self.stance == Stance.DISAGREE
