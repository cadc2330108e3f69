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


class CoercionRoute(models.TextChoices):
    DIRECT = "direct", "行政机关强制执行（法律授权）"
    COURT = "court", "申请人民法院强制执行"


class CoercionProcedure(TownshipOwned):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="coercions")
    status = models.CharField("状态", max_length=16, choices=CoercionStatus.choices, default=CoercionStatus.PENDING)
    route = models.CharField("执行途径", max_length=8, choices=CoercionRoute.choices, default=CoercionRoute.DIRECT)
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
