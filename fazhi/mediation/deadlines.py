"""Derived deadlines (never typed in): each comes from a stored fact and the settings in force,
counted by fazhi.core.calendar (calendar days; a period ending on a rest day moves to the next working day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fazhi.core.calendar import Deadline
from fazhi.core.periods import count
from fazhi.mediation.models import Agreement, Dispute, MediationSettings, Petition


def rules_for(township) -> MediationSettings:
    """The settings row of the deepest region above (or at) `township`; the national defaults if none."""
    codes = [c for c in (township.path or "").split("/") if c] if township is not None else []
    rows = {r.region.code: r for r in MediationSettings.objects.filter(region__code__in=codes).select_related("region")}
    for code in reversed(codes):
        if code in rows:
            return rows[code]
    return MediationSettings()


def _labelled(deadline: Deadline, label: str) -> Deadline:
    return replace(deadline, explanation=f"{label}：{deadline.explanation}")


def mediation_target(dispute: Dispute, rules: MediationSettings) -> Deadline:
    return count("med.target", dispute.received_on, rules.target_months, note="（自受理之日起）")


def confirmation_window(agreement: Agreement, effective_on: dt.date, rules: MediationSettings) -> Deadline:
    """人民调解法第三十三条：自调解协议生效之日起三十日内共同申请司法确认。"""
    return count("med.confirmation", effective_on, rules.confirmation_days)


def followup_due(dispute: Dispute, rules: MediationSettings) -> Deadline:
    return count("med.followup", dispute.closed_on, rules.followup_days, note="（自调解成功之日起）")


def petition_receipt_due(petition: Petition, rules: MediationSettings) -> Deadline:
    return count("med.petition_receipt", petition.received_on, rules.petition_receipt_days)


def petition_conclude_due(petition: Petition, rules: MediationSettings) -> Deadline | None:
    """60 days from acceptance (the written notice date), plus an approved extension (≤ 30 days)."""
    if petition.notice_on is None or petition.status == Petition.Status.REJECTED:
        return None
    days = rules.petition_conclude_days + petition.extension_days
    note = f"含经负责人批准延长的{petition.extension_days}日（信访工作条例第三十五条）。" if petition.extension_days else ""
    return count("med.petition_conclude", petition.notice_on, days, note=note)
