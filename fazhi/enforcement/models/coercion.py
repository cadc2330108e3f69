"""行政强制执行 (行政强制法第四章, 第五章): a procedure on a case whose decision the party did not perform.

One `CoercionProcedure` per attempt: 催告 → 陈述申辩 → 强制执行决定 → 送达 → (公告, for an illegal building) →
执行 / 执行协议 / 中止 / 终结, or 申请人民法院强制执行 where the township has no power of its own."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from fazhi.core.models import TownshipOwned, TransitionRecord
from fazhi.enforcement.models.cases import Case, ServiceMethod


class CoercionStatus(models.TextChoices):
    PENDING = "pending", "待催告"
    URGED = "urged", "已催告"
    HEARD = "heard", "已听取陈述申辩"
    DECIDED = "decided", "已作出强制执行决定"
    SERVED = "served", "决定已送达"
    ANNOUNCED = "announced", "已公告（限期自行拆除）"
    AGREED = "agreed", "执行协议履行中"
    SUSPENDED = "suspended", "中止执行"
    EXECUTED = "executed", "执行完毕"
    TERMINATED = "terminated", "终结执行"
    APPLIED = "applied", "已申请人民法院强制执行"
    # 代履行 (Arts. 50–52)
    PROXY_DECIDED = "proxy_decided", "已作出代履行决定"
    PROXY_SERVED = "proxy_served", "代履行决定已送达"
    PROXY_URGED = "proxy_urged", "已于代履行前催告"
    PROXY_DONE = "proxy_done", "已立即代履行（待通知当事人）"


class CoercionRoute(models.TextChoices):
    DIRECT = "direct", "行政机关强制执行（法律授权）"
    COURT = "court", "申请人民法院强制执行"
    PROXY = "proxy", "代履行（行政强制法第五十条、第五十一条）"
    PROXY_NOW = "proxy_now", "立即代履行（行政强制法第五十二条）"



class ProxyGround(models.TextChoices):
    """Art. 50: the consequences that allow 代履行; Art. 52: what must be cleared at once."""

    TRAFFIC = "traffic", "其后果已经或者将危害交通安全"
    POLLUTION = "pollution", "其后果已经或者将造成环境污染"
    RESOURCES = "resources", "其后果已经或者将破坏自然资源"
    CLEAR_NOW = "clear_now", "需要立即清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物"


class CoercionProcedure(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="coercions")
    status = models.CharField("状态", max_length=16, choices=CoercionStatus.choices, default=CoercionStatus.PENDING)
    route = models.CharField("执行途径", max_length=12, choices=CoercionRoute.choices, default=CoercionRoute.DIRECT)
    demolition = models.BooleanField("强制拆除违法建筑物、构筑物、设施", default=False)
    obligation = models.TextField("当事人应履行的义务")
    # 催告 (Art. 35)
    urged_on = models.DateField("催告书送达日期", null=True, blank=True)
    performance_days = models.PositiveIntegerField("履行期限（日）", null=True, blank=True)
    perform_method = models.CharField("履行方式", max_length=200, blank=True)
    amount = models.DecimalField("涉及金钱给付的金额（元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(Decimal("0"))])
    # 陈述申辩 (Art. 36)
    statement_on = models.DateField("听取陈述申辩日期", null=True, blank=True)
    statement = models.TextField("当事人陈述、申辩意见", blank=True)
    statement_response = models.TextField("记录、复核意见", blank=True)
    # 强制执行决定 (Art. 37) and its service (Art. 38)
    decided_on = models.DateField("强制执行决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="批准负责人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    means = models.CharField("强制执行方式", max_length=200, blank=True)
    decision_reason = models.TextField("强制执行的理由和依据", blank=True)
    decision_served_on = models.DateField("决定书送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=16, choices=ServiceMethod.choices, blank=True)
    service_recipient = models.CharField("受送达人/签收人", max_length=100, blank=True)
    # 公告 (Art. 44)
    announced_on = models.DateField("公告日期", null=True, blank=True)
    self_removal_days = models.PositiveIntegerField("自行拆除期限（日）", null=True, blank=True)
    remedy_pending = models.BooleanField("当事人已申请行政复议或提起行政诉讼、尚未审结", default=False)
    remedy_note = models.CharField("复议、诉讼情况", max_length=300, blank=True)
    # 执行 (Art. 43)
    executed_at = models.DateTimeField("实施时间", null=True, blank=True)
    emergency = models.BooleanField("情况紧急", default=False)
    emergency_reason = models.CharField("紧急情况说明", max_length=300, blank=True)
    execution_note = models.TextField("执行情况", blank=True)
    # 执行协议 (Art. 42)
    agreement_on = models.DateField("执行协议日期", null=True, blank=True)
    agreement_terms = models.TextField("协议内容", blank=True)
    # 中止、终结 (Arts. 39, 40)
    suspended_on = models.DateField("中止日期", null=True, blank=True)
    suspend_reason = models.CharField("中止理由", max_length=300, blank=True)
    terminated_on = models.DateField("终结日期", null=True, blank=True)
    terminate_reason = models.CharField("终结理由", max_length=300, blank=True)
    # 申请人民法院强制执行 (Arts. 53–55)
    applied_on = models.DateField("申请日期", null=True, blank=True)
    court = models.CharField("受理法院", max_length=100, blank=True)
    # 代履行 (Arts. 50–52): the decision (Art. 51(1)(一)) reuses decided_on/means/decision_reason and its service
    # decision_served_on…; the performance reuses executed_at/emergency/execution_note.
    proxy_ground = models.CharField("代履行的情形", max_length=16, choices=ProxyGround.choices, blank=True)
    proxy_object = models.CharField("代履行标的", max_length=200, blank=True)
    proxy_performer = models.CharField("代履行人", max_length=100, blank=True)
    proxy_third_party = models.BooleanField("委托第三人代履行", default=False)
    proxy_no_interest = models.BooleanField("第三人与当事人没有利害关系", default=False)
    proxy_planned_on = models.DateField("代履行时间", null=True, blank=True)
    proxy_budget = models.DecimalField("代履行费用预算（元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(Decimal("0"))])
    proxy_urged_on = models.DateField("代履行前催告日期", null=True, blank=True)
    proxy_supervisor = models.CharField("到场监督的工作人员", max_length=100, blank=True)
    proxy_staff_signed = models.BooleanField("监督人员已在执行文书上签名", default=False)
    proxy_performer_signed = models.BooleanField("代履行人已在执行文书上签名或者盖章", default=False)
    proxy_party_signed = models.BooleanField("当事人在场并签名", default=False)
    proxy_witness = models.CharField("见证人", max_length=100, blank=True)
    proxy_cost = models.DecimalField("代履行费用（元）", max_digits=12, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(Decimal("0"))])
    proxy_cost_basis = models.TextField("费用计算（按照成本合理确定）", blank=True)
    proxy_notified_on = models.DateField("事后通知当事人日期", null=True, blank=True)
    proxy_notice_method = models.CharField("通知方式", max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "行政强制执行"
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["township", "status"])]

    def __str__(self) -> str:
        return f"{self.case.number} 强制执行（{self.get_status_display()}）"


class CoercionTransition(TransitionRecord):
    coercion = models.ForeignKey(CoercionProcedure, on_delete=models.CASCADE, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        verbose_name = "强制执行流转记录"


class CoercionInstalment(TownshipOwned):
    """One instalment of an 执行协议 (Art. 42: 执行协议可以约定分阶段履行)."""

    coercion = models.ForeignKey(CoercionProcedure, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField("约定履行日期")
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    paid_on = models.DateField("实际履行日期", null=True, blank=True)

    class Meta:
        verbose_name = "执行协议分期"
        ordering = ["coercion", "due_on", "id"]
