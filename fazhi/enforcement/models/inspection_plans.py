"""双随机一公开: the inspection-object library (检查对象名录), the annual plan (抽查事项清单), declared
conflicts of interest (回避) and the recorded random draws (随机抽取)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned
from fazhi.enforcement.models.registry import Officer


class ObjectKind(models.TextChoices):
    BUSINESS = "business", "企业、个体工商户"
    SITE = "site", "场所、工地"
    HOUSEHOLD = "household", "农户（自建房等）"
    OTHER = "other", "其他"


class RiskLevel(models.TextChoices):
    LOW = "low", "低风险"
    MEDIUM = "medium", "中风险"
    HIGH = "high", "高风险"


class InspectionObject(TownshipOwned):
    """One entry of the township's inspection-object library."""

    name = models.CharField("名称（户主）", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=ObjectKind.choices, default=ObjectKind.BUSINESS)
    village = models.ForeignKey(Region, verbose_name="村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"level": "village"})
    address = models.CharField("地址", max_length=200, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    risk = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, blank=True)
    active = models.BooleanField("纳入抽查", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "检查对象"
        ordering = ["township", "kind", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def public_name(self) -> str:
        """What the portal may show: a household is a private person — only the surname stays."""
        if self.kind == ObjectKind.HOUSEHOLD:
            return f"{self.name[:1]}某某户" if self.name else "某户"
        return self.name


class PlanItem(TownshipOwned):
    """One item of the township's annual random-inspection plan (抽查事项清单)."""

    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("抽查事项", max_length=200)
    basis = models.TextField("检查依据")
    object_kind = models.CharField("抽查对象类别", max_length=16, choices=ObjectKind.choices, blank=True,
                                   help_text="留空表示名录中全部类别")
    frequency = models.CharField("抽查频次、比例", max_length=100, blank=True)
    yearly_limit = models.PositiveSmallIntegerField(
        "同一对象每年检查次数上限", default=1,
        help_text="涉企检查“无事不扰”：同一对象本年度按本事项受检达到上限后，不再对其检查（投诉举报、转办交办的除外）")
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "抽查事项"
        ordering = ["township", "-year", "item", "id"]

    def __str__(self) -> str:
        return f"{self.year}年 {self.item}"


class Conflict(TownshipOwned):
    """An officer's declared conflict of interest with an object (回避): he is never drawn for it."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="conflicts")
    target = models.ForeignKey(InspectionObject, verbose_name="检查对象", on_delete=models.CASCADE,
                               related_name="conflicts")
    reason = models.TextField("回避事由")

    class Meta:
        verbose_name = "回避声明"
        ordering = ["officer", "target"]
        constraints = [models.UniqueConstraint(fields=["officer", "target"], name="enf_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.officer} · {self.target}"


class InspectionDraw(TownshipOwned):
    """A recorded random draw: seed, both candidate lists, exclusions and the result, so anyone can redo it."""

    plan_item = models.ForeignKey(PlanItem, verbose_name="抽查事项", on_delete=models.PROTECT, related_name="draws")
    draw_date = models.DateField("抽取日期")
    inspection_date = models.DateField("计划检查日期")
    object_count = models.PositiveSmallIntegerField("抽取对象数")
    team_size = models.PositiveSmallIntegerField("每组执法人员数", default=2)
    seed = models.CharField("随机种子", max_length=64)
    candidates = models.JSONField("候选名单", default=dict)  # {"objects": [...], "officers": [...], "conflicts": [...]}
    excluded = models.JSONField("排除名单及理由", default=list)
    result = models.JSONField("抽取结果", default=list)  # [{"object": id, "rank": hex, "officers": [id, ...]}]
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "随机抽取"
        ordering = ["-draw_date", "-id"]

    def __str__(self) -> str:
        return f"{self.draw_date:%Y-%m-%d} {self.plan_item.item}"
