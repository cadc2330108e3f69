"""The catalogues and the roster: enforcement bodies, powers (职权清单), discretion bands, officers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from fazhi.core.models import TownshipOwned

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
