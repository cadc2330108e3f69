"""Settings and catalogues: the township's mediation settings, dispute types, levels."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region


class MediationSettings(models.Model):
    """Statutory and working periods a province (or county/township) may change; the deepest region wins.
    Rows are optional: without one the defaults below (the national rules) apply."""

    region = models.OneToOneField(Region, verbose_name="适用区划", on_delete=models.CASCADE, related_name="+")
    target_months = models.PositiveSmallIntegerField("调解工作目标期限（月）", default=1,
                                                     validators=[MinValueValidator(1), MaxValueValidator(12)])
    confirmation_days = models.PositiveSmallIntegerField(
        "申请司法确认期限（日）", default=30, help_text="人民调解法第三十三条：自调解协议生效之日起三十日内")
    followup_days = models.PositiveSmallIntegerField("调解成功后回访期限（日）", default=30)
    petition_receipt_days = models.PositiveSmallIntegerField(
        "信访事项书面告知期限（日）", default=15, help_text="信访工作条例第三十一条：收到之日起15日内告知是否受理")
    petition_conclude_days = models.PositiveSmallIntegerField(
        "信访事项办结期限（日）", default=60, help_text="信访工作条例第三十五条：自受理之日起60日内办结")
    petition_extension_max_days = models.PositiveSmallIntegerField(
        "信访办理延期上限（日）", default=30, help_text="经批准可延长，但不得超过30日")
    screening_period_months = models.PositiveSmallIntegerField("排查周期（月）", default=1,
                                                               validators=[MinValueValidator(1), MaxValueValidator(12)])
    committee_min_members = models.PositiveSmallIntegerField("调委会最少委员数", default=3)
    committee_max_members = models.PositiveSmallIntegerField("调委会最多委员数", default=9)
    committee_term_years = models.PositiveSmallIntegerField("调解委员任期（年）", default=3)

    class Meta:
        verbose_name = "矛盾纠纷调处参数"

    def __str__(self) -> str:
        return f"{self.region}调处参数"


class DisputeType(models.Model):
    """纠纷类型目录 (admin-editable)."""

    name = models.CharField("类型名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "纠纷类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    VILLAGE = "village", "村级"
    TOWNSHIP = "township", "乡镇级"
    COUNTY = "county", "县级"


LEVEL_RANK = {Level.VILLAGE: 0, Level.TOWNSHIP: 1, Level.COUNTY: 2}
