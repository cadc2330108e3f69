"""The dispute ledger (人民调解法): disputes, parties, escalations, sessions, agreements, signatures, follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord
from fazhi.mediation.models.catalogue import DisputeType, Level
from fazhi.mediation.models.committees import Committee, Mediator, ScreeningRound
from fazhi.mediation.models.petitions import Petition
from fazhi.mediation.models.validators import (
    VILLAGE_LIMIT,
    mask_id,
    mask_phone,
    validate_id_number,
    validate_phone,
)


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
    # Derived, never typed: the due date of what the dispute owes the to-do now (the mediation target while
    # open, the follow-up visit once resolved), recomputed by the services and the flow whenever an input
    # changes (mediation.deadlines.dispute_todo_due), so the to-do selects due items in SQL.
    todo_due = models.DateField("待办到期日", null=True, blank=True, editable=False, db_index=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "矛盾纠纷"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], condition=~models.Q(number=""),
                                               name="dispute_number_unique")]
        # township ledgers use the first, county ledgers (township_id IN …, newest first) the second
        indexes = [models.Index(fields=["township", "received_on"]),
                   models.Index(fields=["received_on", "id"], name="dispute_h16_received_id"),
                   # a township's page in the default order straight from the index, no sort (EXPLAIN test)
                   models.Index(fields=["township", "received_on", "id"], name="dispute_h16l_town_recv_id")]

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
