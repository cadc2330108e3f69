from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord


class ImportedRow(TownshipOwned):
    """A row already imported into a ledger: re-importing the same file creates nothing twice."""

    ledger = models.CharField("台账", max_length=32)
    fingerprint = models.CharField("行指纹（SHA-256）", max_length=64)
    object_type = models.CharField("记录类型", max_length=64)
    object_id = models.CharField("记录编号", max_length=32)

    class Meta:
        verbose_name = "已导入行"
        constraints = [models.UniqueConstraint(fields=["township", "ledger", "fingerprint"],
                                               name="imports_row_unique")]


class ImportJob(TownshipOwned):
    """A large file imported in the background (django-tasks): the page polls its progress. The job is a
    technical record; each record it creates carries its own audit entry, written by the module's service."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "正在导入"
        DONE = "done", "已完成"
        REJECTED = "rejected", "有错误，未导入"
        FAILED = "failed", "导入失败"

    ledger = models.CharField("台账", max_length=32)
    actor = models.ForeignKey("accounts.User", verbose_name="导入人", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("文件名", max_length=200)
    upload = models.CharField("上传文件（存储路径）", max_length=300, blank=True)
    dry_run = models.BooleanField("仅检查", default=False)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows = models.PositiveIntegerField("行数", default=0)
    created_count = models.PositiveIntegerField("新建记录数", default=0)
    duplicate_count = models.PositiveIntegerField("跳过的重复行", default=0)
    errors = models.JSONField("错误（前500处）", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    report_name = models.CharField("错误报告", max_length=100, blank=True)
    message = models.CharField("说明", max_length=500, blank=True)
    seconds = models.JSONField("耗时（秒）", default=dict, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台导入任务"
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REJECTED, self.Status.FAILED}


class ImportJobTransition(TransitionRecord):
    """A background import's status change (排队中 → 正在导入 → 已完成 | 有错误，未导入 | 导入失败), one row each."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "后台导入状态记录"
