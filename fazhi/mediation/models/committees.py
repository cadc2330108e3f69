"""People's mediation committees (人民调解委员会), their mediators by term, screening rounds."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned
from fazhi.mediation.models.catalogue import Level
from fazhi.mediation.models.validators import VILLAGE_LIMIT


class Committee(TownshipOwned):
    """人民调解委员会 (人民调解法第八条：委员三至九人；第九条：每届任期三年)."""

    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices[:2], default=Level.VILLAGE)
    village = models.ForeignKey(Region, verbose_name="所在村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to=VILLAGE_LIMIT)
    established_on = models.DateField("成立日期", null=True, blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "人民调解委员会"
        ordering = ["township", "-level", "name"]

    def __str__(self) -> str:
        return self.name


class Mediator(TownshipOwned):
    class Position(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE = "vice", "副主任"
        MEMBER = "member", "委员"

    committee = models.ForeignKey(Committee, verbose_name="调委会", on_delete=models.PROTECT, related_name="members")
    name = models.CharField("姓名", max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    position = models.CharField("职务", max_length=16, choices=Position.choices, default=Position.MEMBER)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    phone = models.CharField("联系电话", max_length=20, blank=True)

    scope_village_field = "committee__village"

    class Meta:
        verbose_name = "人民调解员"
        ordering = ["committee", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.committee.name}{self.get_position_display()}）"

    def in_term(self, day: dt.date) -> bool:
        return self.term_start <= day <= self.term_end


class ScreeningRound(TownshipOwned):
    """排查: one round per village per period (monthly by default)."""

    village = models.ForeignKey(Region, verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=VILLAGE_LIMIT)
    period_start = models.DateField("排查期间（月份）", help_text="该期间的第一天")
    held_on = models.DateField("排查日期")
    screeners = models.CharField("排查人员", max_length=200)
    findings = models.TextField("排查情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "village"

    class Meta:
        verbose_name = "矛盾纠纷排查"
        ordering = ["-period_start", "village__code"]
        constraints = [models.UniqueConstraint(fields=["village", "period_start"], name="screening_once_per_period")]

    def __str__(self) -> str:
        return f"{self.village}{self.period_start.year}年{self.period_start.month}月排查"
