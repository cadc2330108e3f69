"""Petitions (信访工作条例 2022) as a source of disputes."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fazhi.core.models import Region, TownshipOwned, TransitionRecord
from fazhi.mediation.models.validators import VILLAGE_LIMIT, validate_id_number, validate_phone


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
    # Derived, never typed: the receipt notice's or the conclusion's due date while one is owed
    # (mediation.deadlines.petition_todo_due), recomputed on every write, so the to-do selects in SQL.
    todo_due = models.DateField("待办到期日", null=True, blank=True, editable=False, db_index=True)

    scope_village_field = "village"

    class Meta:
        verbose_name = "信访事项"
        ordering = ["-received_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["township", "number"], condition=~models.Q(number=""),
                                               name="petition_number_unique")]
        # the ledger's default order, township and county scope (EXPLAIN test)
        indexes = [models.Index(fields=["township", "received_on", "id"], name="petition_h16l_town_recv_id"),
                   models.Index(fields=["received_on", "id"], name="petition_h16l_recv_id")]

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
