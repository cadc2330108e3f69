from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned


class ReportDraft(TownshipOwned):
    """A township's annual report being written: the edited narrative paragraphs only. Figures are
    never stored as text in the report; each paragraph keeps the figure values it was edited against,
    so the draft can show which figures changed since."""

    year = models.PositiveIntegerField("年度")
    # paragraph key -> {"text": template with {figure} placeholders, "figures": {key: text at save}}
    paragraphs = models.JSONField("已编辑段落", default=dict, blank=True)
    figures = models.JSONField("保存时的数据快照", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    signed_on = models.DateField("落款日期", null=True, blank=True)  # empty: the year's end
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后编辑人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "年度报告草稿"
        ordering = ["-year", "township__code"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="reportdraft_township_year")]

    def __str__(self) -> str:
        return f"{self.year}年{self.township.name}法治政府建设年度报告（草稿）"


class ReportRevision(TownshipOwned):
    """One save of one paragraph: the history of the draft (who, when, before, after, figures then)."""

    draft = models.ForeignKey(ReportDraft, verbose_name="草稿", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField("版本")
    paragraph = models.CharField("段落", max_length=64)
    before = models.TextField("修改前", blank=True)
    after = models.TextField("修改后", blank=True)
    figures = models.JSONField("当时的数据", default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="编辑人", null=True, on_delete=models.PROTECT,
                              related_name="+")

    class Meta:
        verbose_name = "年度报告修订记录"
        ordering = ["-version", "-id"]
        constraints = [models.UniqueConstraint(fields=["draft", "version"], name="reportrevision_draft_version")]

    def __str__(self) -> str:
        return f"{self.draft} 第{self.version}版"


class TownshipYearStats(TownshipOwned):
    """One township's statistics for a year as `sources.collect()` returned them: the county roll-up
    reads these rows in one query instead of ~50 queries per township. Derived, never edited: a row is
    stale when the township's audit log moved past `audit_seq` or the day changed (overdue counts
    depend on today), and is then recomputed by the same code the township report runs."""

    year = models.PositiveIntegerField("年度")
    data = models.JSONField("统计数据", default=dict)  # {"sections": ..., "failed": [...]}
    audit_seq = models.PositiveBigIntegerField("计算时审计序号", default=0)
    computed_on = models.DateField("计算日期")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "乡镇年度统计（汇总缓存）"
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="townshipyearstats_township_year")]
        indexes = [models.Index(fields=["year", "township"], name="reports_tys_year_township")]

    def __str__(self) -> str:
        return f"{self.township_id} {self.year}"
