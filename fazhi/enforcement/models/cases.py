"""Administrative penalty cases (行政处罚案件) and their status history."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord
from fazhi.enforcement.models.inspections import Inspection
from fazhi.enforcement.models.registry import DiscretionBand, Officer, PenaltyKind, Power

# --- cases -------------------------------------------------------------------------------------------


class Procedure(models.TextChoices):
    SIMPLIFIED = "simplified", "简易程序"
    ORDINARY = "ordinary", "普通程序"


class PartyKind(models.TextChoices):
    PERSON = "person", "公民"
    ORG = "org", "法人或其他组织"


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "日常巡查发现"
    COMPLAINT = "complaint", "群众投诉举报"
    REFERRAL = "referral", "上级交办或部门移送"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    ONSITE = "onsite", "当场处罚（待决定）"
    FILING = "filing", "待立案审批"
    NOT_FILED = "not_filed", "不予立案"
    INVESTIGATING = "investigating", "调查取证"
    NOTIFIED = "notified", "已告知（陈述申辩期）"
    HEARING = "hearing", "听证"
    LEGAL_REVIEW = "legal_review", "法制审核"
    COLLECTIVE = "collective", "集体讨论"
    DECIDED = "decided", "已作出决定"
    SERVED = "served", "已送达"
    EXECUTING = "executing", "执行中"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    REVOKED = "revoked", "决定已撤销"


OPEN_STATUSES = frozenset({CaseStatus.FILING, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
                           CaseStatus.LEGAL_REVIEW, CaseStatus.COLLECTIVE, CaseStatus.ONSITE})


class Outcome(models.TextChoices):
    PENALTY = "penalty", "给予行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    TRANSFER = "transfer", "移送司法机关"


class ServiceMethod(models.TextChoices):
    ONSITE = "onsite", "当场交付"
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达（经当事人同意）"
    ENTRUSTED = "entrusted", "委托送达"
    PUBLIC = "public", "公告送达"


class Case(TownshipOwned):
    number = models.CharField("案号", max_length=60, blank=True)
    year = models.PositiveIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    procedure = models.CharField("程序", max_length=16, choices=Procedure.choices, default=Procedure.ORDINARY)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILING)
    title = models.CharField("案由", max_length=200)
    power = models.ForeignKey(Power, verbose_name="职权事项", on_delete=models.PROTECT, related_name="cases")
    source = models.CharField("案件来源", max_length=16, choices=CaseSource.choices, default=CaseSource.INSPECTION)
    inspection = models.ForeignKey(Inspection, verbose_name="来源巡查", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="cases")
    # party (当事人)
    party_kind = models.CharField("当事人类型", max_length=8, choices=PartyKind.choices, default=PartyKind.PERSON)
    party_name = models.CharField("当事人", max_length=100)
    party_id_no = models.CharField("身份证号/统一社会信用代码", max_length=30, blank=True)
    party_phone = models.CharField("联系电话", max_length=20, blank=True)
    party_address = models.CharField("住址/住所", max_length=200, blank=True)
    party_representative = models.CharField("法定代表人/负责人", max_length=64, blank=True)
    # facts
    violation_date = models.DateField("违法行为发生日", null=True, blank=True)
    violation_continuing = models.BooleanField("违法行为有连续或继续状态", default=False)
    violation_ended_on = models.DateField("连续或继续状态终了日", null=True, blank=True,
                                          help_text="有连续或者继续状态的，追责时效从行为终了之日起计算（行政处罚法第三十六条第二款）")
    harm_occurred = models.BooleanField("违法行为造成危害后果", default=False)
    discovered_on = models.DateField("发现日期")
    place = models.CharField("违法行为地点", max_length=200, blank=True)
    facts = models.TextField("违法事实", blank=True)
    evidence_summary = models.TextField("证据", blank=True)
    officers = models.ManyToManyField(Officer, verbose_name="承办执法人员", related_name="cases", blank=True)
    # triggers that make a case major (Art. 57/58)
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)
    complex_case = models.BooleanField("案件情况疑难复杂、涉及多个法律关系", default=False)
    serious_violation = models.BooleanField("情节复杂或重大违法行为（须集体讨论）", default=False)
    # filing (立案)
    filing_opinion = models.TextField("立案意见", blank=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    filing_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案审批人", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    extension_days = models.PositiveIntegerField("经批准延长办案期限（日）", default=0)
    extension_reason = models.CharField("延长理由", max_length=200, blank=True)
    extension_approved_on = models.DateField("延长批准日期", null=True, blank=True)
    # proposed / decided penalty
    penalty_kind = models.CharField("处罚种类", max_length=16, choices=PenaltyKind.choices, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    confiscation_amount = models.DecimalField("没收违法所得/非法财物价值（元）", max_digits=12, decimal_places=2,
                                              null=True, blank=True, validators=[MinValueValidator(Decimal("0"))])
    penalty_detail = models.TextField("处罚内容", blank=True)
    reasons = models.TextField("处罚理由", blank=True)
    band = models.ForeignKey(DiscretionBand, verbose_name="适用裁量基准", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    # notice before decision (Art. 44/45)
    notice_served_on = models.DateField("事先告知书送达日期", null=True, blank=True)
    notice_waived = models.BooleanField("当事人书面放弃陈述、申辩和听证权利", default=False)
    notice_waiver_note = models.CharField("放弃权利说明", max_length=200, blank=True)
    statement = models.TextField("当事人陈述、申辩意见", blank=True)
    statement_response = models.TextField("对陈述、申辩的复核意见", blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    # decision (Art. 59)
    outcome = models.CharField("处理结果", max_length=16, choices=Outcome.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    payment_place = models.CharField("缴纳罚款地点/账户", max_length=200, blank=True)
    # service (Art. 61)
    service_method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    service_recipient = models.CharField("受送达人/签收人", max_length=100, blank=True)  # as long as party_name
    # execution (Art. 67/72)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    paid_amount = models.DecimalField("实缴罚款（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    late_fee_paid = models.DecimalField("实缴加处罚款（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    onspot_ground = models.CharField("当场收缴依据", max_length=16, blank=True, choices=[
        ("small", "一百元以下（第六十八条第一项）"), ("hard", "不当场收缴事后难以执行（第六十八条第二项）"),
        ("remote", "边远、水上、交通不便地区，当事人提出（第六十九条）")])
    onspot_receipt_no = models.CharField("专用票据号码", max_length=40, blank=True)
    onspot_reason = models.CharField("当场收缴的具体情形", max_length=200, blank=True)
    # Art. 48 / 118号: a recorded decision not to publish ends the publication duty
    party_minor = models.BooleanField("当事人为未成年人", default=False)
    publication_mask_names = models.TextField("公示时须隐去的其他自然人姓名（每行一个）", blank=True,
                                              help_text="证人、被侵害人、其他相关自然人；未成年人的信息一律隐去")
    publication_exempt_ground = models.CharField("依法不予公开的情形", max_length=16, blank=True, choices=[
        ("state_secret", "涉及国家秘密"), ("trade_secret", "涉及商业秘密"), ("privacy", "涉及个人隐私"),
        ("minor", "涉及未成年人"), ("no_impact", "不具有一定社会影响"), ("other_law", "法律、行政法规规定不予公开")])
    publication_exempt_reason = models.CharField("不予公开的理由", max_length=300, blank=True)
    publication_exempt_on = models.DateField("不予公开决定日期", null=True, blank=True)
    publication_exempt_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="不予公开批准人", null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+")
    execution_note = models.TextField("执行情况", blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    revoked_on = models.DateField("撤销日期", null=True, blank=True)
    revocation_reason = models.TextField("撤销理由", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    # Derived, never typed: the nearest open statutory deadline the to-do shows (enforcement.deadlines.
    # case_todo_due), recounted by the case and measure flows, publication and settings changes, so the
    # to-do selects due cases in SQL instead of counting every open case's deadlines.
    todo_due = models.DateField("待办到期日", null=True, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name = "行政处罚案件"
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["township", "year", "seq"], name="enf_case_seq_unique")]
        indexes = [models.Index(fields=["township", "year"]), models.Index(fields=["township", "status"]),
                   models.Index(fields=["township", "id"], name="case_h16l_town_id")]  # the ledger's -id, one township

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_simplified(self) -> bool:
        return self.procedure == Procedure.SIMPLIFIED

    @property
    def has_fine(self) -> bool:
        return self.outcome == Outcome.PENALTY and bool(self.fine_amount)


class CaseTransition(TransitionRecord):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "案件流转记录"
