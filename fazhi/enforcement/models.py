"""Administrative enforcement (行政执法): catalogues, officers, inspections, cases and the three systems
(公示、全过程记录、法制审核). Statutory numbers live in `StatutorySettings`, never as literals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord
from fazhi.evidence.models import Stage

# --- statutory settings (行政处罚法 / 行政强制法 / 国办发〔2018〕118号), per province ---------------------


class StatutorySettings(models.Model):
    """Numbers the statutes fix or leave to provinces. A row for a region applies to every township below
    it; the deepest one wins. With no row at all the defaults below (DESIGN.md §3) apply."""

    region = models.OneToOneField(Region, verbose_name="适用区划", on_delete=models.PROTECT, related_name="+")
    # Art. 51: simplified procedure thresholds; on-the-spot collection (Art. 68)
    simple_fine_person_max = models.DecimalField("简易程序罚款上限（公民，元）", max_digits=12, decimal_places=2,
                                                 default=Decimal("200"))
    simple_fine_org_max = models.DecimalField("简易程序罚款上限（法人或其他组织，元）", max_digits=12, decimal_places=2,
                                              default=Decimal("3000"))
    onspot_collection_max = models.DecimalField("当场收缴罚款上限（元）", max_digits=12, decimal_places=2,
                                                default=Decimal("100"))
    # Art. 60: decide within 90 days of filing; extension with approval
    decide_days = models.PositiveIntegerField("作出决定期限（立案之日起，日）", default=90)
    decide_extension_days = models.PositiveIntegerField("经批准可延长（日）", default=30)
    # Art. 61 / 85: service within 7 working days
    service_working_days = models.PositiveIntegerField("决定书送达期限（工作日）", default=7)
    public_notice_service_days = models.PositiveIntegerField("公告送达期满视为送达（日）", default=30)
    # Art. 44/45/63/64 / 85
    statement_working_days = models.PositiveIntegerField("陈述、申辩期限（告知送达后，工作日）", default=5)
    hearing_request_working_days = models.PositiveIntegerField("申请听证期限（告知送达后，工作日）", default=5)
    hearing_notice_working_days = models.PositiveIntegerField("听证通知提前（工作日）", default=7)
    hearing_fine_person = models.DecimalField("听证：较大数额罚款（公民，元）", max_digits=12, decimal_places=2,
                                              default=Decimal("2000"))
    hearing_fine_org = models.DecimalField("听证：较大数额罚款（法人或其他组织，元）", max_digits=12, decimal_places=2,
                                           default=Decimal("20000"))
    # Art. 58 / 57: amounts from which a case counts as major (法制审核、集体讨论)
    major_fine_person = models.DecimalField("重大案件：罚款数额（公民，元）", max_digits=12, decimal_places=2,
                                            default=Decimal("5000"))
    major_fine_org = models.DecimalField("重大案件：罚款数额（法人或其他组织，元）", max_digits=12, decimal_places=2,
                                         default=Decimal("50000"))
    # Art. 67/72
    payment_days = models.PositiveIntegerField("缴纳罚款期限（送达之日起，日）", default=15)
    late_fee_percent = models.DecimalField("加处罚款（每日按罚款数额的%）", max_digits=5, decimal_places=2,
                                           default=Decimal("3"))
    # 118号 / Art. 48
    publication_working_days = models.PositiveIntegerField("处罚决定公示期限（工作日）", default=7)
    withdrawal_working_days = models.PositiveIntegerField("撤销后撤回公示期限（工作日）", default=3)
    # 行政强制法 Art. 25
    seizure_days = models.PositiveIntegerField("查封、扣押期限（日）", default=30)
    seizure_extension_days = models.PositiveIntegerField("经批准可延长（日）", default=30)
    # Art. 36
    limitation_years = models.PositiveIntegerField("追责时效（年）", default=2)
    limitation_years_extended = models.PositiveIntegerField("涉及生命健康、金融安全且有危害后果的时效（年）", default=5)
    # Art. 59 remedies (行政复议法 / 行政诉讼法)
    reconsideration_days = models.PositiveIntegerField("申请行政复议期限（日）", default=60)
    lawsuit_months = models.PositiveIntegerField("提起行政诉讼期限（月）", default=6)
    certificate_warning_days = models.PositiveIntegerField("执法证件到期预警（日）", default=60)
    basis = models.CharField("依据文件", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "执法法定参数"

    def __str__(self) -> str:
        return f"{self.region}执法法定参数"


# --- catalogues ------------------------------------------------------------------------------------


class BodyKind(models.TextChoices):
    GOVERNMENT = "government", "乡镇人民政府"
    TEAM = "team", "综合行政执法队"
    OTHER = "other", "其他"


class EnforcementBody(TownshipOwned):
    name = models.CharField("执法主体名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=BodyKind.choices, default=BodyKind.GOVERNMENT)
    legal_basis = models.TextField("设立或赋权依据", blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "执法主体"
        ordering = ["township", "name"]

    def __str__(self) -> str:
        return self.name


class PowerCategory(models.TextChoices):
    PLANNING = "planning", "农村建房与规划"
    LAND = "land", "土地管理"
    ENVIRONMENT = "environment", "生态环境"
    FOREST = "forest", "林业与森林防火"
    SAFETY = "safety", "安全生产"
    MARKET = "market", "市场与食品"
    SANITATION = "sanitation", "市容环境卫生"
    WATER = "water", "水利"
    OTHER = "other", "其他"


class PenaltyKind(models.TextChoices):
    """行政处罚法 Art. 9."""

    WARNING = "warning", "警告、通报批评"
    FINE = "fine", "罚款"
    CONFISCATION = "confiscation", "没收违法所得、没收非法财物"
    LICENSE = "license", "暂扣许可证件、降低资质等级、吊销许可证件"
    RESTRICT = "restrict", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业"
    OTHER = "other", "其他行政处罚"


# Art. 63: these kinds always allow a hearing; fines and confiscation only from the configured amount.
HEARING_KINDS = frozenset({PenaltyKind.LICENSE, PenaltyKind.RESTRICT})


class Power(TownshipOwned):
    """A delegated enforcement power (职权事项) on the township's list."""

    body = models.ForeignKey(EnforcementBody, verbose_name="执法主体", on_delete=models.PROTECT, related_name="powers")
    code = models.CharField("事项编码", max_length=40, blank=True)
    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("类别", max_length=16, choices=PowerCategory.choices, default=PowerCategory.OTHER)
    violation_basis = models.TextField("违法依据")
    penalty_basis = models.TextField("处罚依据")
    penalty_range = models.TextField("处罚种类和幅度")
    fine_min = models.DecimalField("罚款下限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    hearing_triggered = models.BooleanField("一律告知听证权利", default=False)
    legal_review_required = models.BooleanField("一律须法制审核", default=False)
    collective_required = models.BooleanField("一律须集体讨论", default=False)
    life_health_or_finance = models.BooleanField("涉及公民生命健康安全、金融安全（时效5年）", default=False)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "职权事项"
        ordering = ["township", "code", "name"]

    def __str__(self) -> str:
        return self.name


class BandLevel(models.TextChoices):
    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    SEVERE = "severe", "严重"


class DiscretionBand(TownshipOwned):
    """裁量基准: a band of circumstances and the fine range within the power's statutory range."""

    power = models.ForeignKey(Power, verbose_name="职权事项", on_delete=models.CASCADE, related_name="bands")
    level = models.CharField("违法程度", max_length=16, choices=BandLevel.choices)
    circumstances = models.TextField("情节")
    fine_min = models.DecimalField("罚款下限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    other_penalty = models.CharField("其他处罚", max_length=200, blank=True)

    class Meta:
        verbose_name = "裁量基准"
        ordering = ["power", "fine_min", "id"]

    def __str__(self) -> str:
        return f"{self.power} · {self.get_level_display()}"


# --- officers ---------------------------------------------------------------------------------------


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class Officer(TownshipOwned):
    """A person on the enforcement roster: certified officers (Art. 42) and legal-review staff (Art. 58)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="系统账号", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("姓名", max_length=64)
    post = models.CharField("职务", max_length=64, blank=True)
    body = models.ForeignKey(EnforcementBody, verbose_name="所属执法主体", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="officers")
    cert_no = models.CharField("执法证件号", max_length=40, blank=True)
    cert_issuer = models.CharField("发证机关", max_length=100, blank=True)
    cert_valid_from = models.DateField("证件有效期起", null=True, blank=True)
    cert_valid_until = models.DateField("证件有效期至", null=True, blank=True)
    cert_status = models.CharField("证件状态", max_length=16, choices=CertificateStatus.choices, blank=True)
    legal_qualified = models.BooleanField("具有法律职业资格", default=False)
    legal_qualification_no = models.CharField("法律职业资格证书编号", max_length=40, blank=True)
    # Art. 58 ¶2: only those doing legal review for the first time must hold the qualification
    first_review_on = models.DateField("首次从事法制审核日期", null=True, blank=True,
                                       help_text="2021年7月15日前已从事法制审核的人员，可不具有法律职业资格（行政处罚法第五十八条第二款）")
    affiliation = models.CharField("所在单位类别", max_length=16, choices=[
        ("township", "本乡镇"), ("sifasuo", "司法所"), ("county", "县级司法行政或法制审核机构")], default="township")
    active = models.BooleanField("在岗", default=True)

    class Meta:
        verbose_name = "执法人员"
        ordering = ["township", "name"]

    def __str__(self) -> str:
        return self.name

    def certified_on(self, day: dt.date) -> bool:
        return bool(self.active and self.cert_no and self.cert_status == CertificateStatus.VALID
                    and self.cert_valid_from and self.cert_valid_until
                    and self.cert_valid_from <= day <= self.cert_valid_until)


def certified_q(day: dt.date, prefix: str = "") -> models.Q:
    """Officers holding a valid certificate on `day` (as a filter, for counting in SQL)."""
    p = prefix
    return (models.Q(**{f"{p}active": True, f"{p}cert_status": CertificateStatus.VALID,
                        f"{p}cert_valid_from__lte": day, f"{p}cert_valid_until__gte": day})
            & ~models.Q(**{f"{p}cert_no": ""}))


# --- inspections -----------------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    PLANNED = "planned", "计划巡查"
    ADHOC = "adhoc", "临时检查"


class InspectionResult(models.TextChoices):
    NONE = "none", "未发现问题"
    CORRECTED = "corrected", "当场责令改正"
    CASE = "case", "发现违法行为，已立案"
    REFERRED = "referred", "移交有关部门"


class Inspection(TownshipOwned):
    kind = models.CharField("类型", max_length=16, choices=InspectionKind.choices, default=InspectionKind.PLANNED)
    date = models.DateField("日期")
    village = models.ForeignKey(Region, verbose_name="村", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"level": "village"})
    place = models.CharField("地点", max_length=200)
    subject = models.CharField("检查内容", max_length=200)
    findings = models.TextField("发现情况", blank=True)
    result = models.CharField("处理结果", max_length=16, choices=InspectionResult.choices,
                              default=InspectionResult.NONE)
    officers = models.ManyToManyField(Officer, verbose_name="执法人员", related_name="inspections")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "日常巡查"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place} {self.subject}"


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

    class Meta:
        verbose_name = "行政处罚案件"
        ordering = ["-year", "-seq"]
        constraints = [models.UniqueConstraint(fields=["township", "year", "seq"], name="enf_case_seq_unique")]
        indexes = [models.Index(fields=["township", "year"]), models.Index(fields=["township", "status"])]

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


# --- hearing, legal review, collective discussion ------------------------------------------------


class Hearing(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="hearings")
    notice_served_on = models.DateField("听证通知送达日期")
    scheduled_on = models.DateField("听证日期")
    place = models.CharField("地点", max_length=200)
    public = models.BooleanField("公开举行", default=True)
    presiding = models.ForeignKey(Officer, verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    recorder = models.ForeignKey(Officer, verbose_name="记录员", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    held_on = models.DateField("举行日期", null=True, blank=True)
    transcript = models.TextField("听证笔录摘要", blank=True)
    opinion = models.TextField("主持人意见", blank=True)

    class Meta:
        verbose_name = "听证"
        ordering = ["case", "scheduled_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 听证 {self.scheduled_on:%Y-%m-%d}"


class ReviewOutcome(models.TextChoices):
    PENDING = "pending", "审核中"
    PASSED = "passed", "审核通过"
    RETURNED = "returned", "退回补正"
    FAILED = "failed", "审核不通过"


# DESIGN.md §3: the legal-review checklist (法制审核要点)
CHECKLIST = [
    ("body", "执法主体合法、执法人员具备资格"),
    ("facts", "案件事实清楚"),
    ("evidence", "证据合法充分"),
    ("law", "适用法律依据准确，裁量在基准范围内"),
    ("procedure", "程序合法"),
    ("powers", "未超越法定职权"),
    ("documents", "执法文书完备、规范"),
    ("crime", "是否涉嫌犯罪需移送司法机关"),
]


class LegalReview(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveIntegerField("审核轮次")
    reviewer = models.ForeignKey(Officer, verbose_name="审核人员", on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("送审日期")
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    outcome = models.CharField("审核结论", max_length=16, choices=ReviewOutcome.choices, default=ReviewOutcome.PENDING)
    opinion = models.TextField("审核意见", blank=True)
    crime_suspected = models.BooleanField("涉嫌犯罪，建议移送", default=False)

    class Meta:
        verbose_name = "法制审核"
        ordering = ["case", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="enf_review_round_unique")]

    def __str__(self) -> str:
        return f"{self.case.number} 第{self.round}轮法制审核"


class LegalReviewItem(TownshipOwned):
    review = models.ForeignKey(LegalReview, on_delete=models.CASCADE, related_name="items")
    key = models.CharField("审核要点", max_length=16, choices=CHECKLIST)
    passed = models.BooleanField("符合")
    comment = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "法制审核要点"
        ordering = ["review", "id"]


class Stance(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    OTHER = "other", "其他意见"


class CollectiveDiscussion(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="discussions")
    held_on = models.DateField("讨论日期")
    place = models.CharField("地点", max_length=200, blank=True)
    chair = models.CharField("主持人", max_length=64)
    attendees = models.TextField("出席人员")
    conclusion = models.TextField("讨论决定")
    minutes = models.TextField("会议纪要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "集体讨论"
        ordering = ["case", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} 集体讨论 {self.held_on:%Y-%m-%d}"


class DiscussionOpinion(TownshipOwned):
    discussion = models.ForeignKey(CollectiveDiscussion, on_delete=models.CASCADE, related_name="opinions")
    person = models.CharField("发言人", max_length=64)
    stance = models.CharField("表态", max_length=16, choices=Stance.choices, default=Stance.AGREE)
    opinion = models.TextField("意见")
    order = models.PositiveIntegerField("发言顺序", default=0)

    class Meta:
        verbose_name = "集体讨论意见"
        ordering = ["discussion", "order", "id"]


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


class ProcessFile(TownshipOwned):
    """Fallback store used only while fazhi.evidence is not installed: Django storage + SHA-256."""

    record = models.ForeignKey(ProcessRecord, on_delete=models.CASCADE, related_name="files")
    file = models.FileField("文件", upload_to="enforcement/records/%Y/")
    name = models.CharField("文件名", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    is_video = models.BooleanField("视频", default=False)

    class Meta:
        verbose_name = "全过程记录附件"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return self.name


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
