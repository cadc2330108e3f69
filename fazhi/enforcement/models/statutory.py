"""The statutory numbers (行政处罚法 / 行政强制法 / 国办发〔2018〕118号), per province or township."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from fazhi.core.models import Region

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
    # 行政处罚法 sets no statement/defence period (Arts. 44/45): a local rule; the hearing request is Art. 64(1)
    statement_working_days = models.PositiveIntegerField(
        "陈述、申辩期限（本地规则，法律未规定；告知送达后，工作日）", default=5)
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
