"""Evidence store: write-once, content-addressed recordings (行政处罚法 Art. 47 全过程记录) with chain of custody."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned


class Stage(models.TextChoices):
    PATROL = "patrol", "巡查"
    FILING = "filing", "立案"
    INVESTIGATION = "investigation", "调查取证"
    REVIEW = "review", "审核"
    DECISION = "decision", "决定"
    SERVICE = "service", "文书送达"
    COERCION = "coercion", "行政强制"
    EXECUTION = "execution", "执行"
    HEARING = "hearing", "听证"
    OTHER = "other", "其他"


class Blob(TownshipOwned):
    """The stored bytes, once per township and SHA-256. Never rewritten; removed only when no live
    evidence row refers to it any more (retention job or recorded disposal decision)."""

    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    storage_name = models.CharField("存储位置", max_length=255)
    verified_at = models.DateTimeField("最近校验时间", null=True, blank=True)

    class Meta:
        verbose_name = "证据文件内容"
        constraints = [models.UniqueConstraint(fields=["township", "sha256"], name="evidence_blob_unique")]

    def __str__(self) -> str:
        return self.sha256


KIND_LABELS = {"video": "视频", "audio": "音频", "image": "图片", "text": "文本"}
DOCUMENT_TYPES = {"application/pdf": "PDF", "application/msword": "Word 文档",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档",
                  "application/vnd.ms-excel": "Excel 表格",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格",
                  "application/zip": "压缩包"}


def kind_label(content_type: str) -> str:
    ct = (content_type or "").split(";", 1)[0].strip().lower()
    return DOCUMENT_TYPES.get(ct) or KIND_LABELS.get(ct.split("/", 1)[0]) or "其他文件"


class EvidenceFile(TownshipOwned):
    """One recording or document as evidence of one record (case, inspection, …) at one stage."""

    blob = models.ForeignKey(Blob, verbose_name="文件内容", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="evidence")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    original_name = models.CharField("原始文件名", max_length=255)
    size = models.PositiveBigIntegerField("大小(字节)")
    content_type = models.CharField("文件类型", max_length=100)
    # Generic link to any township-owned record: "app_label.model" + primary key.
    subject_type = models.CharField("关联对象类型", max_length=100, blank=True)
    subject_id = models.CharField("关联对象ID", max_length=64, blank=True)
    subject_repr = models.CharField("关联对象", max_length=200, blank=True)
    stage = models.CharField("执法环节", max_length=32, choices=Stage.choices, default=Stage.OTHER)
    device = models.CharField("记录设备", max_length=120, blank=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="执法人员", blank=True,
                                      related_name="+")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.PROTECT, related_name="+")
    retain_until = models.DateField("保存期限至", null=True, blank=True, help_text="空表示永久保存")
    retention_basis = models.CharField("保存期限依据", max_length=200, blank=True)
    disposed_at = models.DateTimeField("销毁时间", null=True, blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="销毁操作人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    disposal_basis = models.CharField("销毁依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "执法记录证据"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True) | models.Q(started_at__isnull=True)
                                   | models.Q(ended_at__gte=models.F("started_at")),
                                   name="evidence_times_ordered"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None

    @property
    def kind(self) -> str:
        return self.content_type.split("/", 1)[0]

    @property
    def kind_label(self) -> str:
        """视频/音频/图片/PDF/文档 — what a clerk calls the file (not its MIME type)."""
        return kind_label(self.content_type)

    @property
    def is_video(self) -> bool:
        return self.content_type.startswith("video/")


class RetentionRule(models.Model):
    """How long recordings of a stage are kept (years after the recording; empty = permanently).
    Provinces set their own archive periods, so this is a catalogue, not a constant."""

    stage = models.CharField("执法环节", max_length=32, choices=Stage.choices, unique=True)
    years = models.PositiveSmallIntegerField("保存年限", null=True, blank=True, help_text="空表示永久保存")
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "证据保存期限"
        ordering = ["stage"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.years or '永久'}"


class UploadStatus(models.TextChoices):
    RECEIVING = "receiving", "上传中"
    DONE = "done", "已完成"
    FAILED = "failed", "已拒绝"


class UploadSession(TownshipOwned):
    """A resumable (tus 1.0) upload in progress. The bytes live in a temp file under FAZHI_DATA_DIR;
    nothing becomes evidence until the last byte arrived and the file was hashed and stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    length = models.PositiveBigIntegerField("总大小")
    offset = models.PositiveBigIntegerField("已接收", default=0)
    filename = models.CharField("文件名", max_length=255)
    metadata = models.JSONField("登记信息", default=dict)
    status = models.CharField("状态", max_length=16, choices=UploadStatus.choices, default=UploadStatus.RECEIVING)
    error = models.CharField("原因", max_length=200, blank=True)
    evidence = models.ForeignKey(EvidenceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "上传任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
