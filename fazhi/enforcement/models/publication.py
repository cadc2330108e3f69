"""The case's numbered documents and the publication (公示) of decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned
from fazhi.enforcement.models.cases import Case

# --- documents and publication ---------------------------------------------------------------------


class DocKind(models.TextChoices):
    FILING = "filing", "立案审批表"
    INQUIRY = "inquiry", "询问笔录"
    NOTICE = "notice", "行政处罚事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    DECISION = "decision", "行政处罚决定书"
    ONSITE = "onsite", "当场行政处罚决定书"
    RECEIPT = "receipt", "送达回证"


DOC_PREFIX = {
    DocKind.FILING: "立字", DocKind.INQUIRY: "询字", DocKind.NOTICE: "罚告字", DocKind.HEARING_NOTICE: "听通字",
    DocKind.DECISION: "罚决字", DocKind.ONSITE: "当罚字", DocKind.RECEIPT: "送字",
}


class CaseDocument(TownshipOwned):
    """An issued document's number (〔2024〕第3号), assigned once per township, kind and year."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("文书", max_length=16, choices=DocKind.choices)
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文号", max_length=60)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "执法文书"
        ordering = ["case", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["township", "kind", "year", "seq"], name="enf_doc_seq_unique"),
            models.UniqueConstraint(fields=["case", "kind"], name="enf_doc_case_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PublicationStatus(models.TextChoices):
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"


class Publication(TownshipOwned):
    """公示 of a penalty decision (118号): masked text, withdrawn within 3 working days of revocation."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="publication")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("公示内容")
    published_on = models.DateField("公示日期")
    status = models.CharField("状态", max_length=16, choices=PublicationStatus.choices,
                              default=PublicationStatus.PUBLISHED)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回说明", blank=True)

    class Meta:
        verbose_name = "行政处罚决定公示"
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return self.title
