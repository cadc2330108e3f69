"""Demo, the living part of legal counsel (犁头瑶族乡): the counsel's two-year contract is renewed
when the last one has run out (signed on its first day), and each month the township asks the
counsel about this month's village works contract, so the counsel's to-do always holds a request."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.decisions.models import LegalCounsel, OpinionRequest
from fazhi.decisions.services.counsel import counsel_save, opinion_request_create

D = dt.date


def load(ctx) -> None:
    town, staff, today = ctx.litou, ctx.user("litou_legal_staff"), ctx.today
    counsel_user = ctx.user("litou_counsel")
    current = (LegalCounsel.objects.filter(township=town, user=counsel_user, contract_start__lte=today,
                                           contract_end__gte=today).first())
    if current is None:
        last = LegalCounsel.objects.filter(township=town, user=counsel_user).order_by("-contract_end").first()
        if last is None:
            return
        start = last.contract_end + dt.timedelta(days=1)
        while D(start.year + 2, start.month, start.day) - dt.timedelta(days=1) < today:
            start = D(start.year + 2, start.month, start.day)
        current = counsel_save(actor=staff, township=town, name=last.name, firm=last.firm,
                               user=counsel_user, phone=last.phone, contract_start=start,
                               contract_end=D(start.year + 2, start.month, start.day) - dt.timedelta(days=1),
                               fee=last.fee or Decimal("30000"))
    label = f"{today.year}年{today.month}月村级小型工程施工合同"
    if OpinionRequest.objects.filter(township=town, subject_label=label).exists():
        return
    asked = max(current.contract_start, today - dt.timedelta(days=2))
    opinion_request_create(actor=staff, township=town, counsel=current, subject_type="other.contract",
                           subject_label=label, asked_on=asked,
                           question="合同中的工程款支付节点和质量保证金条款是否合法、是否存在风险？")
