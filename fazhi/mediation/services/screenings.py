"""Writes for screening rounds (矛盾纠纷排查): one round per village and period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core.errors import DomainError
from fazhi.core.writes import save_audited
from fazhi.mediation.models import ScreeningRound
from fazhi.mediation.permissions import require_handler
from fazhi.mediation.services.disputes import check_date


@transaction.atomic
def screening_create(*, actor, township, village, period_start: dt.date, held_on: dt.date, screeners: str,
                     findings: str = "") -> ScreeningRound:
    require_handler(actor, township, village)
    if village is None or village.parent_id != township.pk:
        raise DomainError("请选择本乡镇的村。")
    period_start = period_start.replace(day=1)
    check_date(held_on, "排查日期")
    if ScreeningRound.objects.filter(village=village, period_start=period_start).exists():
        raise DomainError(f"{village.name}{period_start.year}年{period_start.month}月已登记排查。")
    rnd = ScreeningRound(township=township, village=village, period_start=period_start, held_on=held_on,
                         screeners=screeners.strip(), findings=findings.strip(), recorded_by=actor)
    return save_audited(rnd, actor=actor)
