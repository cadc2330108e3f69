"""The county's oversight records: 案卷评查 rounds scored against an editable standard, 督办 / 整改 notices
with the township's answers, and the 考评 scheme computed from the data. None of these rows is a
township's own record: the county writes them, the township reads its results and answers notices."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord


class Section(models.TextChoices):
    """The sections the provincial standards share (一卷一表)."""

    SUBJECT = "subject", "执法主体与权限"
    FACTS = "facts", "事实与证据"
    LAW = "law", "法律适用与裁量"
    PROCEDURE = "procedure", "执法程序"
    DOCUMENTS = "documents", "文书制作"
    ARCHIVE = "archive", "立卷归档"


class Standard(models.Model):
    """A scoring standard (评查标准). Editable until a finished round has used it, then frozen."""

    region = models.ForeignKey(Region, verbose_name="制定区划", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("标准名称", max_length=200)
    basis = models.CharField("依据", max_length=200, blank=True)
    excellent_score = models.DecimalField("优秀分数线", max_digits=5, decimal_places=1, default=Decimal("90"),
                                          validators=[MinValueValidator(0), MaxValueValidator(100)])
    pass_score = models.DecimalField("合格分数线", max_digits=5, decimal_places=1, default=Decimal("70"),
                                     validators=[MinValueValidator(0), MaxValueValidator(100)])
    frozen = models.BooleanField("已冻结（已用于完成的评查）", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "案卷评查标准"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name

    def total_points(self) -> Decimal:
        return sum((i.points for i in self.items.all()), Decimal("0"))


class StandardItem(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items")
    section = models.CharField("评查项目", max_length=16, choices=Section.choices)
    text = models.CharField("评查内容", max_length=300)
    points = models.DecimalField("分值", max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    veto = models.BooleanField("否决项（存在即不合格）", default=False)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "评查项目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    DRAWN = "drawn", "评查中"
    FINISHED = "finished", "已完成"


class ReviewRound(models.Model):
    """One county's 案卷评查 for one year: scope, sample, the reproducible draw and its result."""

    county = models.ForeignKey(Region, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("评查年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField("评查名称", max_length=200)
    standard = models.ForeignKey(Standard, verbose_name="评查标准", on_delete=models.PROTECT, related_name="rounds")
    sample_rate = models.PositiveIntegerField("抽取比例（%）", default=20,
                                              validators=[MinValueValidator(1), MaxValueValidator(100)])
    min_per_township = models.PositiveIntegerField("每乡镇至少抽取（件）", default=1,
                                                   validators=[MinValueValidator(0), MaxValueValidator(100)])
    include_coercion = models.BooleanField("同时抽取已办结的行政强制执行案卷", default=False)
    double_review = models.BooleanField("每卷两名评查人", default=True)
    tolerance = models.DecimalField("两评差异容许（分）", max_digits=4, decimal_places=1, default=Decimal("5"),
                                    validators=[MinValueValidator(0), MaxValueValidator(100)])
    seed = models.CharField("抽取种子", max_length=64, blank=True)
    candidates = models.JSONField("候选案卷", default=list, blank=True)
    drawn = models.JSONField("抽中案卷", default=list, blank=True)
    status = models.CharField("状态", max_length=16, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "案卷评查"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class RoundTransition(TransitionRecord):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "评查流转记录"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class FileStatus(models.TextChoices):
    PENDING = "pending", "待评查"
    DISPUTED = "disputed", "两评差异待合议"
    FINAL = "final", "已定分"


class ReviewFile(TownshipOwned):
    """A drawn case file. It carries the township so the township sees its own results (read only)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="files")
    case = models.ForeignKey("enforcement.Case", verbose_name="案卷", on_delete=models.PROTECT, related_name="+")
    coercion = models.ForeignKey("enforcement.CoercionProcedure", verbose_name="行政强制执行案卷", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="抽中的是该案件的强制执行案卷（只读）；为空则为行政处罚案卷")
    status = models.CharField("状态", max_length=16, choices=FileStatus.choices, default=FileStatus.PENDING)
    final_score = models.DecimalField("最终得分", max_digits=5, decimal_places=1, null=True, blank=True)
    grade = models.CharField("等次", max_length=16, choices=Grade.choices, blank=True)
    resolution = models.TextField("合议意见", blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "评查案卷"
        ordering = ["township__code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "case"], condition=models.Q(coercion__isnull=True),
                                    name="oversight_file_unique"),
            models.UniqueConstraint(fields=["round", "coercion"], condition=models.Q(coercion__isnull=False),
                                    name="oversight_file_coercion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round.title}：{self.label}"

    @property
    def label(self) -> str:
        """The file's name in lists: the case number, marked when it is the case's 强制执行 file."""
        return f"{self.case.number}（强制执行）" if self.coercion_id else self.case.number

    @property
    def kind_label(self) -> str:
        return "行政强制执行" if self.coercion_id else "行政处罚"


class FileTransition(TransitionRecord):
    """A drawn file's status change by scoring: 待评查 → 已定分, or → 两评差异待合议 → 已定分 (合议)."""

    file = models.ForeignKey(ReviewFile, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "评查案卷流转记录"


class Sheet(models.Model):
    """One reviewer's score sheet for one file (一卷一表)."""

    file = models.ForeignKey(ReviewFile, on_delete=models.CASCADE, related_name="sheets")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评查人", on_delete=models.PROTECT,
                                 related_name="+")
    total = models.DecimalField("得分", max_digits=5, decimal_places=1)
    veto_hit = models.BooleanField("触及否决项", default=False)
    opinion = models.TextField("评查意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "评查表"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["file", "reviewer"], name="oversight_sheet_unique")]


class SheetScore(models.Model):
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT, related_name="+")
    deducted = models.DecimalField("扣分", max_digits=5, decimal_places=1, default=Decimal("0"))
    failed = models.BooleanField("否决", default=False)
    comment = models.CharField("问题说明", max_length=500, blank=True)

    class Meta:
        ordering = ["item__order", "item_id"]


class NoticeKind(models.TextChoices):
    SUPERVISE = "supervise", "督办通知"
    RECTIFY = "rectify", "整改通知"


class NoticeSource(models.TextChoices):
    REVIEW = "review", "案卷评查问题"
    CASE = "case", "执法案件"
    OVERDUE = "overdue", "逾期事项"
    OTHER = "other", "其他事项"


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", "待乡镇答复"
    ANSWERED = "answered", "乡镇已答复，待县级审核"
    RETURNED = "returned", "退回重新整改"
    ACCEPTED = "accepted", "已通过，办结"


class Notice(TownshipOwned):
    """A 督办通知 / 整改通知 from the county to one township, answered with the measures taken."""

    county = models.ForeignKey(Region, verbose_name="发文县", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices)
    number = models.CharField("文号", max_length=60, blank=True)
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    title = models.CharField("标题", max_length=200)
    content = models.TextField("督办/整改事项")
    source = models.CharField("来源", max_length=16, choices=NoticeSource.choices, default=NoticeSource.OTHER)
    review_file = models.ForeignKey(ReviewFile, verbose_name="评查案卷", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="notices")
    case = models.ForeignKey("enforcement.Case", verbose_name="案件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    subject_label = models.CharField("事项", max_length=200, blank=True)
    issued_on = models.DateField("发出日期")
    period_working_days = models.PositiveIntegerField(
        "答复期限（工作日）", validators=[MinValueValidator(1), MaxValueValidator(120)])
    status = models.CharField("状态", max_length=16, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED)
    answer = models.TextField("整改措施及结果", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    proof = models.FileField("整改佐证材料", upload_to="oversight/proof/%Y/", blank=True, max_length=200)
    proof_sha256 = models.CharField("佐证材料SHA-256", max_length=64, blank=True)
    review_opinion = models.TextField("审核意见", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "督办整改通知"
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["county", "year", "seq"], name="oversight_notice_seq")]
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class NoticeTransition(TransitionRecord):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "督办整改流转记录"


class IndicatorSource(models.TextChoices):
    """How an indicator is computed from Fazhi's figures (or entered by hand with proof)."""

    REVIEW_PASS = "review_pass", "案卷评查合格率"
    LEGAL_REVIEW = "legal_review", "法制审核率（须审核的决定）"
    RECONSIDERATION_UPHELD = "reconsideration_upheld", "复议诉讼未被纠错率"
    DISCLOSURE_ON_TIME = "disclosure_on_time", "信息公开按期答复率"
    MEDIATION_SUCCESS = "mediation_success", "矛盾纠纷化解率"
    VILLAGE_COVERAGE = "village_coverage", "普法活动覆盖村比例"
    NOTICES_ON_TIME = "notices_on_time", "督办整改按期答复率"
    MANUAL = "manual", "人工评分（附佐证）"


class Scheme(models.Model):
    """The county's 法治政府建设考评 scheme for a year: weighted indicators."""

    county = models.ForeignKey(Region, verbose_name="县（市、区）", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("考评年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField("方案名称", max_length=200)

    class Meta:
        verbose_name = "考评方案"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="oversight_scheme_unique")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("指标", max_length=100)
    source = models.CharField("计算方式", max_length=32, choices=IndicatorSource.choices)
    weight = models.DecimalField("权重（分）", max_digits=5, decimal_places=1,
                                 validators=[MinValueValidator(0), MaxValueValidator(100)])
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "考评指标"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ManualScore(TownshipOwned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="manual_scores")
    value = models.DecimalField("得分率（%）", max_digits=5, decimal_places=1,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    proof = models.TextField("评分依据")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "人工评分"
        constraints = [models.UniqueConstraint(fields=["indicator", "township"], name="oversight_manual_unique")]
