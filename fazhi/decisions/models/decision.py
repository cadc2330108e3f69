"""Decision records and the facts each statutory step leaves behind (重大行政决策程序暂行条例, 713号令)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord


class DecisionSettings(TownshipOwned):
    """Statutory and local numbers a province or township may change (DESIGN.md §3: settings, not literals)."""

    comment_period_days = models.PositiveSmallIntegerField(
        "征求意见期限（日）", default=30, validators=[MinValueValidator(1)],
        help_text="713号令第十五条：公开征求意见的期限一般不少于30日；少于此期限须说明理由。")
    hearing_notice_days = models.PositiveSmallIntegerField(
        "听证材料提前送达（日）", default=7, validators=[MinValueValidator(1)],
        help_text="本地规则：713号令第十八条只要求提前公布听证时间、地点和决策草案，未规定日数。")
    legality_review_working_days = models.PositiveSmallIntegerField(
        "合法性审查时间（工作日）", default=7, validators=[MinValueValidator(1)],
        help_text="713号令第二十七条：应当保证合法性审查的必要时间，一般不少于7个工作日。")
    reconsideration_reply_days = models.PositiveSmallIntegerField(
        "行政复议答复期限（工作日）", default=10, validators=[MinValueValidator(1)],
        help_text="行政复议法第四十八条：被申请人自收到申请书副本之日起10日内提出书面答复；第八十八条：“十日”为工作日。")
    defence_statement_days = models.PositiveSmallIntegerField(
        "行政应诉答辩期限（日）", default=15, validators=[MinValueValidator(1)],
        help_text="行政诉讼法第六十七条：被告应当在收到起诉状副本之日起15日内提交答辩状。")
    large_fund_threshold = models.DecimalField(
        "大额资金标准（元）", max_digits=14, decimal_places=2, default=Decimal("50000"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="单笔达到此金额的资金使用属于“三重一大”大额资金使用事项，须集体讨论决定。")
    quorum_numerator = models.PositiveSmallIntegerField("到会人数比例（分子）", default=2,
                                                        validators=[MinValueValidator(1)])
    quorum_denominator = models.PositiveSmallIntegerField(
        "到会人数比例（分母）", default=3, validators=[MinValueValidator(1)],
        help_text="集体讨论须达到组成人员的该比例（默认三分之二）方可举行。")
    opinion_default_working_days = models.PositiveSmallIntegerField(
        "法律意见默认回复期限（工作日）", default=5, validators=[MinValueValidator(1), MaxValueValidator(60)])

    class Meta:
        verbose_name = "依法决策设置"
        constraints = [models.UniqueConstraint(fields=["township"], name="decisionsettings_one_per_township")]

    def __str__(self) -> str:
        return f"{self.township}依法决策设置"

    @classmethod
    def for_township(cls, township: Region) -> DecisionSettings:
        """The township's settings, or the defaults (unsaved) when none were entered."""
        return cls.objects.filter(township=township).first() or cls(township=township)

    def quorum_needed(self, members_total: int) -> int:
        return -(-members_total * self.quorum_numerator // self.quorum_denominator)  # ceiling


class DecisionCatalogue(TownshipOwned):
    """年度重大行政决策事项目录: published at the start of each year."""

    year = models.PositiveIntegerField("年度")
    title = models.CharField("目录名称", max_length=200)
    published_on = models.DateField("公布日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "年度重大行政决策目录"
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="decisioncatalogue_one_per_year")]

    def __str__(self) -> str:
        return self.title


class DecisionCategory(models.TextChoices):
    MAJOR_ADMIN = "major_admin", "重大行政决策"
    MAJOR_MATTER = "major_matter", "重大事项决策"
    APPOINTMENT = "appointment", "重要干部任免"
    PROJECT = "project", "重大项目安排"
    LARGE_FUND = "large_fund", "大额资金使用"


THREE_MAJOR_ONE_LARGE = frozenset({DecisionCategory.MAJOR_MATTER, DecisionCategory.APPOINTMENT,
                                   DecisionCategory.PROJECT, DecisionCategory.LARGE_FUND})


class DecisionStatus(models.TextChoices):
    """The last step completed (or skipped with a reason). Steps run in this order (713号令)."""

    STARTED = "started", "决策启动"
    PARTICIPATION = "participation", "公众参与"
    EXPERT_REVIEW = "expert_review", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGALITY_REVIEW = "legality_review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论决定"
    PARTY_REPORT = "party_report", "向党委请示报告"
    PUBLISHED = "published", "决策公布"
    ARCHIVED = "archived", "立卷归档"
    IMPLEMENTATION = "implementation", "执行与后评估"
    TERMINATED = "terminated", "终止"


Step = DecisionStatus  # a step is named by the status it leaves the decision in


class ReviewResult(models.TextChoices):
    LAWFUL = "lawful", "合法"
    LAWFUL_WITH_CHANGES = "lawful_with_changes", "修改后合法（已按审查意见修改）"
    UNLAWFUL = "unlawful", "不合法"


class RiskLevel(models.TextChoices):
    LOW = "low", "低风险（可控）"
    MEDIUM = "medium", "中风险（采取措施后可控）"
    HIGH = "high", "高风险（不可控）"


class Decision(TownshipOwned):
    catalogue = models.ForeignKey(DecisionCatalogue, verbose_name="所属年度目录", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="decisions")
    year = models.PositiveIntegerField("年度")
    number = models.CharField("编号", max_length=40)
    title = models.CharField("决策事项", max_length=200)
    category = models.CharField("类别", max_length=20, choices=DecisionCategory.choices)
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    description = models.TextField("事项说明", blank=True)
    lead_unit = models.CharField("决策承办单位", max_length=100)
    lead_person = models.CharField("承办负责人", max_length=64, blank=True)
    status = models.CharField("当前进度", max_length=20, choices=DecisionStatus.choices,
                              default=DecisionStatus.STARTED)

    # Public participation (713号令 第三章第一节)
    draft_text = models.TextField("征求意见稿（公开内容）", blank=True)
    comment_start = models.DateField("征求意见开始日期", null=True, blank=True)
    comment_end = models.DateField("征求意见截止日期", null=True, blank=True)
    comment_short_reason = models.TextField("征求意见期限少于法定期限的理由", blank=True)
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    hearing_materials_on = models.DateField("听证材料公布/送达日期", null=True, blank=True)
    comment_summary = models.TextField("意见采纳情况说明", blank=True)
    comment_summary_published_on = models.DateField("采纳情况公布日期", null=True, blank=True)

    # Risk assessment and legality review
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, blank=True)
    review_submitted_on = models.DateField("送请合法性审查日期", null=True, blank=True)
    reviewer = models.CharField("审查机构/人员", max_length=100, blank=True)
    review_result = models.CharField("审查结论", max_length=24, choices=ReviewResult.choices, blank=True)
    review_concluded_on = models.DateField("审查意见出具日期", null=True, blank=True)
    review_opinion = models.TextField("审查意见", blank=True)
    review_short_reason = models.TextField("审查时间少于7个工作日的理由", blank=True)

    published_on = models.DateField("公布日期", null=True, blank=True)
    archive_no = models.CharField("档案号", max_length=60, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "重大决策"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], name="decision_number_unique")]
        indexes = [models.Index(fields=["township", "year"]),
                   models.Index(fields=["township", "id"], name="decision_h16l_town_id")]  # the ledger's -id

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("decisions:detail", args=[self.pk])

    @property
    def is_three_major(self) -> bool:
        return self.category in THREE_MAJOR_ONE_LARGE


class DecisionStep(TownshipOwned):
    """What one step did: who, when, what; or why it was skipped (it does not apply to the category)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField("环节", max_length=20, choices=DecisionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", null=True,
                              on_delete=models.PROTECT, related_name="+")
    performed_on = models.DateField("办理日期")
    summary = models.TextField("办理情况", blank=True)
    skipped = models.BooleanField("未履行（不适用）", default=False)
    skip_reason = models.TextField("不适用理由", blank=True)

    class Meta:
        verbose_name = "决策环节记录"
        ordering = ["performed_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision.number} · {self.get_step_display()}"


class DecisionTransition(TransitionRecord):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="transitions")


def _attachment_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"decisions/{instance.sha256[:2]}/{instance.sha256}.{ext}"


class Attachment(TownshipOwned):
    """A file attached to a decision step, an opinion request or a litigation case. Write-once; the
    SHA-256 is computed while streaming the upload and printed in the archive index."""

    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="attachments")
    step = models.CharField("环节", max_length=20, choices=DecisionStatus.choices, blank=True)
    opinion = models.ForeignKey("decisions.OpinionRequest", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    litigation = models.ForeignKey("decisions.Litigation", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="attachments")
    file = models.FileField("文件", upload_to=_attachment_path, max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "附件"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class CommentStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "不予公开"


class PublicComment(TownshipOwned):
    """A comment from the public on a decision open for consultation; shown only after moderation."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField("署名", max_length=40, blank=True)
    contact = models.CharField("联系方式（不公开）", max_length=60, blank=True)
    body = models.TextField("意见内容")
    client_hash = models.CharField(max_length=64, blank=True)  # salted hash of the client IP, never the IP
    status = models.CharField("审核状态", max_length=10, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    handling = models.TextField("处理情况（采纳/部分采纳/未采纳及理由）", blank=True)

    class Meta:
        verbose_name = "公众意见"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision.number} 公众意见 #{self.pk}"
