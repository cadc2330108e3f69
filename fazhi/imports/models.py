from django.db import models

from fazhi.core.models import TownshipOwned


class ImportedRow(TownshipOwned):
    """A row already imported into a ledger: re-importing the same file creates nothing twice."""

    ledger = models.CharField("台账", max_length=32)
    fingerprint = models.CharField("行指纹（SHA-256）", max_length=64)
    object_type = models.CharField("记录类型", max_length=64)
    object_id = models.CharField("记录编号", max_length=32)

    class Meta:
        verbose_name = "已导入行"
        constraints = [models.UniqueConstraint(fields=["township", "ledger", "fingerprint"],
                                               name="imports_row_unique")]
