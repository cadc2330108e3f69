"""Coercive measures (行政强制措施) and full-process records (全过程记录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord
from fazhi.enforcement.models.cases import Case, CaseStatus
from fazhi.enforcement.models.inspections import Inspection
from fazhi.enforcement.models.registry import Officer
from fazhi.evidence.models import Stage

# --- coercive measures, full-process records -----------------------------------------------------


class MeasureKind(models.TextChoices):
    SEAL = "seal", "查封场所、设施或者财物"
    SEIZE = "seize", "扣押财物"


class MeasureStatus(models.TextChoices):
    OPEN = "open", "实施中"
    CLOSED = "closed", "已解除/已处理"


class CoerciveMeasure(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField("措施", max_length=16, choices=MeasureKind.choices)
    items = models.TextField("查封、扣押的场所、设施或者财物")
    started_on = models.DateField("实施日期")
    approved_by = models.CharField("批准负责人", max_length=64)
    extended = models.BooleanField("已经批准延长", default=False)
    extension_reason = models.CharField("延长理由", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.OPEN)
    closed_on = models.DateField("解除/处理日期", null=True, blank=True)
    closing_note = models.CharField("处理结果", max_length=200, blank=True)

    class Meta:
        verbose_name = "行政强制措施"
        ordering = ["case", "started_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_on:%Y-%m-%d}"


class MeasureTransition(TransitionRecord):
    measure = models.ForeignKey(CoerciveMeasure, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "强制措施流转记录"


# Full-process record stages are the evidence store's stages: one list for records and their files.
RecordStage = Stage


class ProcessRecord(TownshipOwned):
    """A full-process record entry (全过程记录, Art. 47): text, with photos/audio/video attached."""

    case = models.ForeignKey(Case, verbose_name="案件", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="records")
    inspection = models.ForeignKey(Inspection, verbose_name="巡查", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="records")
    measure = models.ForeignKey(CoerciveMeasure, verbose_name="强制措施", null=True, blank=True,
                                on_delete=models.CASCADE, related_name="records")
    coercion = models.ForeignKey("enforcement.CoercionProcedure", verbose_name="强制执行", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="records")
    stage = models.CharField("环节", max_length=16, choices=RecordStage.choices)
    text = models.TextField("文字记录")
    officers = models.ManyToManyField(Officer, verbose_name="执法人员", related_name="records", blank=True)
    device = models.CharField("记录设备", max_length=100, blank=True)
    recorded_at = models.DateTimeField("记录时间")
    place = models.CharField("地点", max_length=200, blank=True)
    file_count = models.PositiveIntegerField("附件数", default=0)
    has_video = models.BooleanField("含视频", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "全过程记录"
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}记录 {self.recorded_at:%Y-%m-%d %H:%M}"

    def evidence_locked(self) -> bool:
        """Evidence of a record stays with it while the case is open (fazhi.evidence asks)."""
        return self.case_id is not None and self.case.status not in {CaseStatus.CLOSED, CaseStatus.ARCHIVED,
                                                                     CaseStatus.NOT_FILED, CaseStatus.REVOKED}
