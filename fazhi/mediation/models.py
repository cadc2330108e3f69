"""Dispute ledger (矛盾纠纷排查调处) under 人民调解法, and petitions (信访工作条例 2022) as a source."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord

VILLAGE_LIMIT = {"level": "village"}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


def validate_id_number(value: str) -> None:
    """18-digit 居民身份证号码 with its GB 11643 check digit."""
    v = (value or "").upper()
    if len(v) != 18 or not v[:17].isdigit() or not (v[17].isdigit() or v[17] == "X"):
        raise ValidationError("身份证号码应为18位（最后一位可为X）。")
    check = "10X98765432"[sum(int(c) * w for c, w in zip(v[:17], ID_WEIGHTS, strict=True)) % 11]
    if v[17] != check:
        raise ValidationError("身份证号码校验位不正确，请核对。")


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value):
        raise ValidationError("联系电话应为11位手机号或带区号的固定电话。")


class MediationSettings(models.Model):
    """Statutory and working periods a province (or county/township) may change; the deepest region wins.
    Rows are optional: without one the defaults below (the national rules) apply."""

    region = models.OneToOneField(Region, verbose_name="适用区划", on_delete=models.CASCADE, related_name="+")
    target_months = models.PositiveSmallIntegerField("调解工作目标期限（月）", default=1,
                                                     validators=[MinValueValidator(1), MaxValueValidator(12)])
    confirmation_days = models.PositiveSmallIntegerField(
        "申请司法确认期限（日）", default=30, help_text="人民调解法第三十三条：自调解协议生效之日起三十日内")
    followup_days = models.PositiveSmallIntegerField("调解成功后回访期限（日）", default=30)
    petition_receipt_days = models.PositiveSmallIntegerField(
        "信访事项书面告知期限（日）", default=15, help_text="信访工作条例第三十一条：收到之日起15日内告知是否受理")
    petition_conclude_days = models.PositiveSmallIntegerField(
        "信访事项办结期限（日）", default=60, help_text="信访工作条例第三十五条：自受理之日起60日内办结")
    petition_extension_max_days = models.PositiveSmallIntegerField(
        "信访办理延期上限（日）", default=30, help_text="经批准可延长，但不得超过30日")
    screening_period_months = models.PositiveSmallIntegerField("排查周期（月）", default=1,
                                                               validators=[MinValueValidator(1), MaxValueValidator(12)])
    committee_min_members = models.PositiveSmallIntegerField("调委会最少委员数", default=3)
    committee_max_members = models.PositiveSmallIntegerField("调委会最多委员数", default=9)
    committee_term_years = models.PositiveSmallIntegerField("调解委员任期（年）", default=3)

    class Meta:
        verbose_name = "矛盾纠纷调处参数"

    def __str__(self) -> str:
        return f"{self.region}调处参数"


class DisputeType(models.Model):
    """纠纷类型目录 (admin-editable)."""

    name = models.CharField("类型名称", max_length=32, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "纠纷类型"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    VILLAGE = "village", "村级"
    TOWNSHIP = "township", "乡镇级"
    COUNTY = "county", "县级"


LEVEL_RANK = {Level.VILLAGE: 0, Level.TOWNSHIP: 1, Level.COUNTY: 2}


class Committee(TownshipOwned):
    """人民调解委员会 (人民调解法第八条：委员三至九人；第九条：每届任期三年)."""

    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=16, choices=Level.choices[:2], default=Level.VILLAGE)
    village = models.ForeignKey(Region, verbose_name="所在村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to=VILLAGE_LIMIT)
    established_on = models.DateField("成立日期", null=True, blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "人民调解委员会"
        ordering = ["township", "-level", "name"]

    def __str__(self) -> str:
        return self.name


class Mediator(TownshipOwned):
    class Position(models.TextChoices):
        CHAIR = "chair", "主任"
        VICE = "vice", "副主任"
        MEMBER = "member", "委员"

    committee = models.ForeignKey(Committee, verbose_name="调委会", on_delete=models.PROTECT, related_name="members")
    name = models.CharField("姓名", max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="平台账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    position = models.CharField("职务", max_length=16, choices=Position.choices, default=Position.MEMBER)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    phone = models.CharField("联系电话", max_length=20, blank=True)

    scope_village_field = "committee__village"

    class Meta:
        verbose_name = "人民调解员"
        ordering = ["committee", "position", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.committee.name}{self.get_position_display()}）"

    def in_term(self, day: dt.date) -> bool:
        return self.term_start <= day <= self.term_end


class ScreeningRound(TownshipOwned):
    """排查: one round per village per period (monthly by default)."""

    village = models.ForeignKey(Region, verbose_name="村", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=VILLAGE_LIMIT)
    period_start = models.DateField("排查期间（月份）", help_text="该期间的第一天")
    held_on = models.DateField("排查日期")
    screeners = models.CharField("排查人员", max_length=200)
    findings = models.TextField("排查情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "village"

    class Meta:
        verbose_name = "矛盾纠纷排查"
        ordering = ["-period_start", "village__code"]
        constraints = [models.UniqueConstraint(fields=["village", "period_start"], name="screening_once_per_period")]

    def __str__(self) -> str:
        return f"{self.village}{self.period_start.year}年{self.period_start.month}月排查"


class Petition(TownshipOwned):
    """信访事项: written notice of acceptance within 15 days; conclude within 60 days of acceptance,
    one extension of at most 30 days with approval (信访工作条例 第三十一、三十五条)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "已登记"
        ACCEPTED = "accepted", "已受理"
        REJECTED = "rejected", "不予受理"
        CONCLUDED = "concluded", "已办结"

    class Form(models.TextChoices):
        VISIT = "visit", "来访"
        LETTER = "letter", "来信"
        ONLINE = "online", "网上信访"
        PHONE = "phone", "电话"

    number = models.CharField("编号", max_length=32, blank=True)
    village = models.ForeignKey(Region, verbose_name="所涉村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to=VILLAGE_LIMIT)
    petitioner = models.CharField("信访人", max_length=64)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    form = models.CharField("信访形式", max_length=16, choices=Form.choices, default=Form.VISIT)
    content = models.TextField("信访事项")
    received_on = models.DateField("收到日期")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    notice_on = models.DateField("书面告知日期", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延长天数", default=0)
    extension_reason = models.TextField("延期理由", blank=True)
    extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="延期批准人", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    conclusion = models.TextField("处理意见", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "village"

    class Meta:
        verbose_name = "信访事项"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], condition=~models.Q(number=""),
                                               name="petition_number_unique")]

    def __str__(self) -> str:
        return f"信访{self.number}（{self.petitioner}）"


class PetitionTransition(TransitionRecord):
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "信访状态变更"

    def save(self, *args, **kwargs):
        self.township_id = self.township_id or self.petition.township_id  # the distribution key, copied
        super().save(*args, **kwargs)


class Dispute(TownshipOwned):
    class Status(models.TextChoices):
        RECEIVED = "received", "已受理登记"
        MEDIATING = "mediating", "调解中"
        RESOLVED = "resolved", "调解成功"
        NOT_RESOLVED = "not_resolved", "调解不成（终止调解）"
        NOT_ACCEPTED = "not_accepted", "不予调解（当事人拒绝）"

    class Source(models.TextChoices):
        APPLICATION = "application", "当事人申请"
        SCREENING = "screening", "排查发现"
        VILLAGE = "village", "村级移送"
        PETITION = "petition", "信访转办"
        POLICE = "police", "公安移送"
        COURT = "court", "法院委派"
        INITIATIVE = "initiative", "调解组织主动调解"
        ONLINE = "online", "网上申请"

    class Risk(models.TextChoices):
        LOW = "low", "一般"
        MEDIUM = "medium", "较大"
        HIGH = "high", "重大（可能激化）"

    class AgreementForm(models.TextChoices):
        WRITTEN = "written", "书面协议"
        ORAL = "oral", "口头协议"

    OPEN = (Status.RECEIVED, Status.MEDIATING)
    CLOSED = (Status.RESOLVED, Status.NOT_RESOLVED, Status.NOT_ACCEPTED)

    number = models.CharField("编号", max_length=32, blank=True)
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=VILLAGE_LIMIT)
    source = models.CharField("来源", max_length=16, choices=Source.choices, default=Source.SCREENING)
    dispute_type = models.ForeignKey(DisputeType, verbose_name="纠纷类型", on_delete=models.PROTECT,
                                     related_name="+")
    summary = models.TextField("纠纷简要情况")
    received_on = models.DateField("受理日期")
    risk_level = models.CharField("风险等级", max_length=16, choices=Risk.choices, default=Risk.LOW)
    level = models.CharField("调处层级", max_length=16, choices=Level.choices, default=Level.VILLAGE)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    committee = models.ForeignKey(Committee, verbose_name="调委会", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="disputes")
    mediators = models.ManyToManyField(Mediator, verbose_name="调解员", blank=True, related_name="disputes")
    screening_round = models.ForeignKey(ScreeningRound, verbose_name="排查轮次", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="disputes")
    petition = models.ForeignKey(Petition, verbose_name="信访事项", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="disputes")
    # Outcome (set by dispute_transition)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    agreement_form = models.CharField("协议形式", max_length=16, choices=AgreementForm.choices, blank=True)
    refused_by = models.CharField("拒绝调解的当事人", max_length=64, blank=True)
    routes_told = models.BooleanField("已告知其他救济途径", default=False)
    referral = models.CharField("移送/引导去向", max_length=200, blank=True)
    reopened_count = models.PositiveSmallIntegerField("重新调解次数", default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "village"

    class Meta:
        verbose_name = "矛盾纠纷"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], condition=~models.Q(number=""),
                                               name="dispute_number_unique")]
        # township ledgers use the first, county ledgers (township_id IN …, newest first) the second
        indexes = [models.Index(fields=["township", "received_on"]),
                   models.Index(fields=["received_on", "id"], name="dispute_h16_received_id")]

    def __str__(self) -> str:
        return f"纠纷{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class DisputeTransition(TransitionRecord):
    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "纠纷状态变更"

    def save(self, *args, **kwargs):
        self.township_id = self.township_id or self.dispute.township_id  # the distribution key, copied
        super().save(*args, **kwargs)


def mask_id(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(len(value) - 7, 0) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value[:2] + "*" * max(len(value) - 2, 0)


class Party(TownshipOwned):
    class Side(models.TextChoices):
        APPLICANT = "applicant", "申请人"
        RESPONDENT = "respondent", "被申请人"
        OTHER = "other", "其他当事人"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField("当事人身份", max_length=16, choices=Side.choices, default=Side.APPLICANT)
    name = models.CharField("姓名/名称", max_length=64)
    id_number = models.CharField("身份证号码", max_length=18, blank=True, validators=[validate_id_number])
    phone = models.CharField("联系电话", max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField("住址", max_length=200, blank=True)

    scope_village_field = "dispute__village"

    class Meta:
        verbose_name = "当事人"
        ordering = ["dispute", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_masked(self) -> str:
        return mask_id(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Escalation(TownshipOwned):
    """Escalation history (村 → 乡镇 → 县); the dispute keeps every step."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="escalations")
    from_level = models.CharField("原层级", max_length=16, choices=Level.choices)
    to_level = models.CharField("上报至", max_length=16, choices=Level.choices)
    risk_level = models.CharField("风险等级", max_length=16, choices=Dispute.Risk.choices)
    reason = models.TextField("上报理由")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "dispute__village"

    class Meta:
        verbose_name = "纠纷上报"
        ordering = ["created_at", "id"]


class MediationSession(TownshipOwned):
    """调解笔录: one per sitting (人民调解法第二十七条：人民调解员应当记录调解情况)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("调解日期")
    place = models.CharField("调解地点", max_length=100)
    participants = models.CharField("参加人员", max_length=300)
    record = models.TextField("调解情况（各方陈述及调解经过）")
    next_step = models.CharField("下一步安排", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "dispute__village"

    class Meta:
        verbose_name = "调解记录"
        ordering = ["held_on", "id"]


class Agreement(TownshipOwned):
    """调解协议 (人民调解法第二十八、二十九条). A written agreement takes effect when every party has signed
    (签名、盖章或按指印), the mediator has signed and the committee has sealed; an oral one on the day agreed."""

    class Performance(models.TextChoices):
        PENDING = "pending", "待履行"
        PERFORMED = "performed", "已履行"
        PARTIAL = "partial", "部分履行"
        NOT_PERFORMED = "not_performed", "未履行"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="agreements")
    form = models.CharField("协议形式", max_length=16, choices=Dispute.AgreementForm.choices,
                            default=Dispute.AgreementForm.WRITTEN)
    facts = models.TextField("纠纷主要事实、争议事项及各方当事人的责任")
    terms = models.TextField("当事人达成调解协议的内容")
    performance_method = models.CharField("履行方式", max_length=200)
    performance_due = models.DateField("履行期限")
    agreed_on = models.DateField("达成日期")
    copies = models.PositiveSmallIntegerField("协议书份数", default=3,
                                              help_text="当事人各执一份，调解委员会留存一份")
    performance = models.CharField("履行情况", max_length=16, choices=Performance.choices,
                                   default=Performance.PENDING)
    confirmation_applied_on = models.DateField("申请司法确认日期", null=True, blank=True)
    superseded = models.BooleanField("已失效（重新调解）", default=False)

    scope_village_field = "dispute__village"

    class Meta:
        verbose_name = "调解协议"
        ordering = ["dispute", "-id"]

    def __str__(self) -> str:
        return f"{self.dispute}调解协议"


class Signature(TownshipOwned):
    class Kind(models.TextChoices):
        PARTY = "party", "当事人签名"
        MEDIATOR = "mediator", "调解员签名"
        SEAL = "seal", "调委会盖章"

    class Method(models.TextChoices):
        SIGN = "sign", "签名"
        STAMP = "stamp", "盖章"
        FINGERPRINT = "fingerprint", "按指印"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    kind = models.CharField("签署类型", max_length=16, choices=Kind.choices)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mediator = models.ForeignKey(Mediator, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    method = models.CharField("方式", max_length=16, choices=Method.choices, default=Method.SIGN)
    signed_on = models.DateField("签署日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "agreement__dispute__village"

    class Meta:
        verbose_name = "协议签署"
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], name="signature_party_once"),
            models.UniqueConstraint(fields=["agreement", "kind"], condition=models.Q(kind__in=["mediator", "seal"]),
                                    name="signature_mediator_seal_once"),
        ]

    def __str__(self) -> str:
        who = self.party or self.mediator or "调委会"
        return f"{who}{self.get_kind_display()}"


class FollowUp(TownshipOwned):
    """回访: whether the agreement is being performed (人民调解法第三十一条：督促当事人履行)."""

    class Method(models.TextChoices):
        VISIT = "visit", "上门回访"
        PHONE = "phone", "电话回访"

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="followups")
    visited_on = models.DateField("回访日期")
    method = models.CharField("回访方式", max_length=16, choices=Method.choices, default=Method.VISIT)
    visitor = models.CharField("回访人", max_length=64)
    performance = models.CharField("协议履行情况", max_length=16, choices=Agreement.Performance.choices)
    note = models.TextField("回访情况", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    scope_village_field = "dispute__village"

    class Meta:
        verbose_name = "回访记录"
        ordering = ["visited_on", "id"]


class Application(TownshipOwned):
    """A resident's online application for mediation (申请调解) from the township's portal. It becomes a
    dispute when a mediator accepts it, or is declined with the reason (人民调解法 Art. 17: voluntary)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "待受理"
        ACCEPTED = "accepted", "已受理"
        DECLINED = "declined", "不予受理"

    tracking_code = models.CharField("查询码", max_length=14, unique=True)
    village = models.ForeignKey(Region, verbose_name="所在村", on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=VILLAGE_LIMIT)
    applicant_name = models.CharField("申请人姓名", max_length=64)
    applicant_phone = models.CharField("联系电话", max_length=20)
    applicant_address = models.CharField("住址", max_length=200, blank=True)
    other_party = models.CharField("对方当事人", max_length=64)
    other_party_phone = models.CharField("对方联系电话", max_length=20, blank=True)
    facts = models.TextField("纠纷经过")
    wish = models.TextField("调解请求")
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    dispute = models.OneToOneField(Dispute, verbose_name="登记的纠纷", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="application")
    decline_reason = models.TextField("不予受理理由", blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    handled_on = models.DateField("处理日期", null=True, blank=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "网上调解申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return f"调解申请{self.tracking_code}"


class ApplicationPhoto(TownshipOwned):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="mediation/applications/%Y/", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("文件类型", max_length=32)

    class Meta:
        verbose_name = "申请照片"


class ApplicationTransition(TransitionRecord):
    """An application's history: accepted into the ledger, or declined with the reason."""

    township = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "调解申请状态变更"

    def save(self, *args, **kwargs):
        self.township_id = self.township_id or self.application.township_id  # the distribution key, copied
        super().save(*args, **kwargs)
