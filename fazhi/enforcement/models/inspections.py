"""Inspections (日常巡查)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned
from fazhi.enforcement.models.inspection_plans import InspectionDraw, InspectionObject, PlanItem
from fazhi.enforcement.models.registry import Officer

# --- inspections -----------------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    PLANNED = "planned", "计划巡查"
    ADHOC = "adhoc", "临时检查"
    RANDOM = "random", "双随机抽查"


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
    # 双随机一公开: the object checked, the plan item, the draw that chose it, and the result's publication
    target = models.ForeignKey(InspectionObject, verbose_name="检查对象", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="inspections")
    plan_item = models.ForeignKey(PlanItem, verbose_name="抽查事项", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="inspections")
    draw = models.ForeignKey(InspectionDraw, verbose_name="随机抽取", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="inspections")
    result_on = models.DateField("结果录入日期", null=True, blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)

    class Meta:
        verbose_name = "日常巡查"
        ordering = ["-date", "-id"]
        # the ledger's default order, township and county scope (EXPLAIN test)
        indexes = [models.Index(fields=["township", "date", "id"], name="insp_h16l_town_date_id"),
                   models.Index(fields=["date", "id"], name="insp_h16l_date_id")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place} {self.subject}"
