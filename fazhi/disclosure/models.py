"""政府信息公开: proactive items, requests for information (依申请公开) and their statutory settings.

Statutory periods (政府信息公开条例 2019) live in `DisclosureSettings` with the national defaults;
deadlines are derived from stored facts by `fazhi.disclosure.deadlines` and cached on the row
(`publish_due`, `answer_due`) only so that annual statistics aggregate in SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned, TownshipQuerySet, TransitionRecord

# --- settings -------------------------------------------------------------------------------------


class DisclosureSettings(TownshipOwned):
    """Periods a province may change; a township without a row uses the statute's defaults."""

    publish_working_days = models.PositiveSmallIntegerField(
        "主动公开期限（工作日）", default=20, help_text="条例第二十六条：信息形成或变更之日起20个工作日内公开")
    correction_working_days = models.PositiveSmallIntegerField(
        "一次性告知补正期限（工作日）", default=7, help_text="条例第三十条：收到申请之日起7个工作日内")
    third_party_working_days = models.PositiveSmallIntegerField(
        "第三方提出意见期限（工作日）", default=15, help_text="条例第三十二条：第三方自收到征求意见书之日起15个工作日内")
    answer_working_days = models.PositiveSmallIntegerField(
        "答复期限（工作日）", default=20, help_text="条例第三十三条：收到申请之日起20个工作日内")
    extension_max_working_days = models.PositiveSmallIntegerField(
        "延期上限（工作日）", default=20, help_text="条例第三十三条：经负责人同意可延长，延长期限最长不超过20个工作日")
    public_requests_per_hour = models.PositiveSmallIntegerField(
        "门户每IP每小时可提交申请数", default=5)
    public_lookups_per_hour = models.PositiveSmallIntegerField(
        "门户每IP每小时可查询次数", default=60)
    office_name = models.CharField("政府信息公开工作机构", max_length=100, blank=True,
                                   help_text="答复书落款，如“犁头瑶族乡人民政府党政综合办公室”")
    office_contact = models.CharField("联系电话及地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "政务公开设置"
        constraints = [models.UniqueConstraint(fields=["township"], name="disclosure_settings_one_per_township")]

    def __str__(self) -> str:
        return f"{self.township}政务公开设置"


# --- proactive disclosure --------------------------------------------------------------------------


class CategoryGroup(models.TextChoices):
    PROFILE = "profile", "机构概况"
    PLANS = "plans", "规划计划"
    NEWS = "news", "工作动态"
    FIVE = "five", "五公开"
    ART21 = "art21", "乡镇重点公开事项（条例第二十一条）"
    OTHER = "other", "其他"


class Category(models.Model):
    """A catalogue heading (公开目录). Shared by every township; admins edit it."""

    name = models.CharField("类目名称", max_length=60, unique=True)
    group = models.CharField("类别", max_length=16, choices=CategoryGroup.choices, default=CategoryGroup.OTHER)
    basis = models.CharField("依据", max_length=120, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "公开类目"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已公开"
    UNPUBLISHED = "unpublished", "已撤回"
    EXEMPT = "exempt", "依法不予公开"


class ItemExemptGround(models.TextChoices):
    """政府信息公开条例 Arts. 14–16: what may end the duty to publish proactively."""

    SECRET = "secret", "依法确定为国家秘密，或法律、行政法规禁止公开，或公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）"
    THIRD_PARTY = "third_party", "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害（第十五条）"
    INTERNAL = "internal", "人事管理、后勤管理、内部工作流程等内部事务信息（第十六条第一款）"
    PROCESS = "process", "讨论记录、过程稿、磋商信函、请示报告等过程性信息以及行政执法案卷信息（第十六条第二款）"


class ItemQuerySet(TownshipQuerySet):
    def public(self, now=None):
        """What the portal may show: published, or scheduled with its time come (no cron needed:
        scheduling sets `published_at` to the planned time)."""
        from django.utils import timezone

        now = now or timezone.now()
        return self.filter(status__in=[ItemStatus.PUBLISHED, ItemStatus.SCHEDULED], published_at__lte=now)


class DisclosureItem(TownshipOwned):
    category = models.ForeignKey(Category, verbose_name="公开类目", on_delete=models.PROTECT, related_name="items")
    title = models.CharField("标题", max_length=200)
    summary = models.CharField("摘要", max_length=300, blank=True)
    body = models.TextField("正文", blank=True, help_text="可用简单排版（段落、加粗、列表、表格、链接），不安全的标记会被清除")
    formed_on = models.DateField("信息形成（变更）日期", help_text="条例第二十六条的起算日")
    doc_number = models.CharField("文号", max_length=60, blank=True)
    source_module = models.CharField("来源", max_length=40, blank=True, help_text="由其他模块推送时填写")
    source_ref = models.CharField("来源记录", max_length=80, blank=True)
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    publish_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    # Derived from formed_on and the township's period (services recompute it); kept for SQL statistics.
    publish_due = models.DateField("公开期限", null=True, blank=True, editable=False)
    published_late = models.BooleanField("超期公开", default=False, editable=False)
    unpublish_reason = models.TextField("撤回理由", blank=True)
    unpublished_at = models.DateTimeField("撤回时间", null=True, blank=True)
    exempt_ground = models.CharField("不予公开的依据", max_length=16, choices=ItemExemptGround.choices, blank=True)
    exempt_note = models.TextField("不予公开的理由", blank=True)
    exempt_on = models.DateField("不予公开决定日期", null=True, blank=True)
    exempt_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="不予公开批准人", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "主动公开信息"
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["township", "status", "published_at"]),
                   models.Index(fields=["township", "formed_on"], name="discitem_h16_town_formed"),
                   models.Index(fields=["formed_on", "id"], name="discitem_h16_formed_id")]

    def __str__(self) -> str:
        return self.title

    def is_public(self, now=None) -> bool:
        from django.utils import timezone

        now = now or timezone.now()
        return self.status in (ItemStatus.PUBLISHED, ItemStatus.SCHEDULED) and bool(self.published_at) \
            and self.published_at <= now


def attachment_path(instance, filename):
    import uuid

    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"disclosure/{instance.township.code}/{uuid.uuid4().hex}.{ext}"


class Attachment(TownshipOwned):
    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField("文件名", max_length=200)
    file = models.FileField("文件", upload_to=attachment_path)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "附件"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ItemTransition(TransitionRecord):
    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="transitions")


# --- requests (依申请公开) ---------------------------------------------------------------------------


class ApplicantKind(models.TextChoices):
    PERSON = "person", "公民"
    ORG = "org", "法人或其他组织"


class Channel(models.TextChoices):
    """How the request arrived; decides the receipt date (条例第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_PLAIN = "post_plain", "平常信函"
    ONLINE = "online", "互联网（门户网站）"
    FAX = "fax", "传真"


CHANNEL_RECEIPT_RULE = {
    Channel.IN_PERSON: "当面提交的，以提交之日为收到申请之日（条例第三十一条第一项）",
    Channel.POST_SIGNED: "邮寄提交的，以行政机关签收之日为收到申请之日（条例第三十一条第二项）",
    Channel.POST_PLAIN: "以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构与申请人确认之日为收到申请之日（第三十一条第二项）",
    Channel.ONLINE: "通过互联网渠道提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）",
    Channel.FAX: "通过传真提交的，以双方确认之日为收到申请之日（条例第三十一条第三项）",
}


class DeliveryForm(models.TextChoices):
    PAPER = "paper", "纸质文本"
    ELECTRONIC = "electronic", "电子文档（电子邮件）"
    PICKUP = "pickup", "当面领取"
    POST = "post", "邮寄"


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待确认收到"
    RECEIVED = "received", "办理中"
    CORRECTION = "correction", "待申请人补正"
    CONSULTING = "consulting", "征求第三方意见（暂停计时）"
    ANSWERED = "answered", "已答复"
    WITHDRAWN = "withdrawn", "已撤回/视为放弃"


class ReplyType(models.TextChoices):
    """条例第三十六条、第三十七条 (and 第三十九条 for the repeat case)."""

    ALREADY_PUBLIC = "already_public", "已主动公开，告知获取途径"
    PROVIDED = "provided", "予以提供"
    NOT_DISCLOSED = "not_disclosed", "不予公开"
    NOT_EXIST = "not_exist", "信息不存在"
    NOT_OURS = "not_ours", "非本机关负责公开"
    REPEAT = "repeat", "重复申请，不予重复处理"
    SPECIAL_CHANNEL = "special_channel", "按特别规定的渠道获取"
    PARTIAL = "partial", "部分公开"


class ExemptReason(models.TextChoices):
    """Grounds for not disclosing, as in the annual report table (条例第十四、十五、十六条)."""

    STATE_SECRET = "state_secret", "属于国家秘密"
    LAW_FORBIDS = "law_forbids", "其他法律行政法规禁止公开"
    SAFETY = "safety", "危及“三安全一稳定”"
    THIRD_PARTY = "third_party", "保护第三方合法权益"
    INTERNAL = "internal", "属于三类内部事务信息"
    PROCESS = "process", "属于四类过程性信息"
    CASE_FILE = "case_file", "属于行政执法案卷"
    QUERY = "query", "属于行政查询事项"


DESCRIPTION_MAX = 4000  # what an applicant may type to describe the information (public input is capped)


class InfoRequest(TownshipOwned):
    tracking_no = models.CharField("查询码", max_length=20, unique=True, editable=False)
    applicant_kind = models.CharField("申请人类型", max_length=10, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField("申请人姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=30, default="居民身份证")
    id_number = models.CharField("证件号码", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_email = models.EmailField("电子邮箱", blank=True)
    contact_address = models.CharField("通信地址", max_length=200, blank=True)
    description = models.TextField("所需政府信息的名称、文号或便于查询的其他特征性描述")
    delivery_form = models.CharField("获取信息方式", max_length=12, choices=DeliveryForm.choices,
                                     default=DeliveryForm.ELECTRONIC)
    channel = models.CharField("提交渠道", max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    received_on = models.DateField("收到申请日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    # 补正 (Art. 30): asked once; the clock restarts on the day the corrected request is received.
    correction_requested_on = models.DateField("告知补正日期", null=True, blank=True)
    correction_note = models.TextField("需补正的事项", blank=True)
    corrected_on = models.DateField("收到补正日期", null=True, blank=True)
    corrected_description = models.TextField("补正后的申请内容", blank=True)
    # 延期 (Art. 33): once, up to the configured maximum, with the responsible leader's approval.
    extension_days = models.PositiveSmallIntegerField("延长工作日数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准人", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    extension_on = models.DateField("延期告知日期", null=True, blank=True)
    # 答复
    reply_type = models.CharField("答复类型", max_length=20, choices=ReplyType.choices, blank=True)
    reply_on = models.DateField("答复日期", null=True, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    where_public = models.CharField("已公开信息的获取途径", max_length=300, blank=True)
    exempt_reason = models.CharField("不予公开理由", max_length=20, choices=ExemptReason.choices, blank=True)
    legal_basis = models.CharField("法律依据", max_length=300, blank=True)
    right_agency = models.CharField("负责公开的机关及联系方式", max_length=200, blank=True)
    special_channel = models.CharField("特别规定的获取渠道", max_length=200, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, editable=False)
    fee_amount = models.DecimalField("信息处理费（元）", max_digits=9, decimal_places=2, default=0)
    # Derived (services recompute; see deadlines.answer_deadline) and kept for SQL statistics.
    answer_due = models.DateField("答复期限", null=True, blank=True, editable=False)
    answered_late = models.BooleanField("超期答复", default=False, editable=False)
    # Derived, never typed: the due date of what the request owes the to-do now (confirmation, answer, the
    # third party's period; disclosure.deadlines.request_todo_due), recounted on every step and settings
    # change, so the to-do selects in SQL.
    todo_due = models.DateField("待办到期日", null=True, blank=True, editable=False, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "政府信息公开申请"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["township", "status"]), models.Index(fields=["township", "received_on"]),
                   models.Index(fields=["received_on", "id"], name="inforeq_h16_received_id"),
                   models.Index(fields=["township", "received_on", "id"], name="inforeq_h16l_town_recv_id")]

    def __str__(self) -> str:
        return f"{self.tracking_no} {self.description[:20]}"

    @property
    def clock_start(self):
        """The day the 20 working days run from: receipt, or receipt of the corrected request."""
        return self.corrected_on or self.received_on


class ClockStop(TownshipOwned):
    """A period the answer clock does not run (third-party consultation, 条例第三十三条第三款)."""

    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="clock_stops")
    reason = models.CharField("原因", max_length=200, default="征求第三方意见")
    # Art. 32 gives a third party 15 working days; consulting another agency (Art. 33) has no cap, only the record
    kind = models.CharField("征求对象", max_length=12, default="third_party", choices=[
        ("third_party", "第三方（条例第三十二条）"), ("agency", "其他机关（条例第三十三条第三款）")])
    third_party = models.CharField("第三方", max_length=100)
    started_on = models.DateField("发出征求意见日期")
    ended_on = models.DateField("收到意见/期满日期", null=True, blank=True)
    opinion = models.TextField("第三方意见", blank=True)

    class Meta:
        verbose_name = "暂停计时"
        ordering = ["started_on", "id"]


class RequestTransition(TransitionRecord):
    request = models.ForeignKey(InfoRequest, on_delete=models.CASCADE, related_name="transitions")


class AnnualReportExtra(TownshipOwned):
    """Figures for the Art. 50 report that this module does not hold itself (entered by staff)."""

    year = models.PositiveIntegerField("年度")
    reconsideration = models.JSONField("行政复议（维持/纠正/其他/尚未审结）", default=dict, blank=True)
    litigation_direct = models.JSONField("未经复议直接起诉", default=dict, blank=True)
    litigation_after = models.JSONField("复议后起诉", default=dict, blank=True)
    problems = models.TextField("存在的主要问题及改进情况", blank=True)
    other = models.TextField("其他需要报告的事项", blank=True)

    class Meta:
        verbose_name = "年度报告补充数据"
        constraints = [models.UniqueConstraint(fields=["township", "year"], name="disclosure_report_extra_unique")]
