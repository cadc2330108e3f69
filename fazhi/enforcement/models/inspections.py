"""Inspections (日常巡查)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned
from fazhi.enforcement.models.registry import Officer

# --- inspections -----------------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    PLANNED = "planned", "计划巡查"
    ADHOC = "adhoc", "临时检查"


class InspectionResult(models.TextChoices):
    NONE = "none", "未发现问题"
    CORRECTED = "corrected", "当场责令改正"
    CASE = "case", "发现违法行为，已立案"
    REFERRED = "referred", "移交有关部门"


class Inspection(TownshipOwned):
    kind = models.CharField("类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.PLANNED)
    date = models.DateField("日期")
    village = models.ForeignKey(Region, verbose_name="村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"level": "village"})
    place = models.CharField("地点", max_length=200)
    subject = models.CharField("检查内容", max_length=200)
    findings = models.TextField("发现情况", blank=True)
    result = models.CharField("处理结果", max_length=16, choices=InspectionResult.choices,
                              default=InspectionResult.NONE)
    officers = models.ManyToManyField(Officer, verbose_name="执法人员", related_name="inspections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "日常巡查"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place} {self.subject}"
