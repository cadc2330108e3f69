"""Derived deadlines (never typed in): each comes from a stored fact and the settings in force,
counted by fazhi.core.calendar (calendar days; a period ending on a rest day moves to the next working day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from fazhi.core.calendar import Deadline, fmt_date
from fazhi.core.periods import count, within_statute
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
    # the parties' period is the statute's own 30 days: a local number may neither shorten nor lengthen it
    return count("med.confirmation", effective_on)


def followup_due(dispute: Dispute, rules: MediationSettings) -> Deadline:
    return count("med.followup", dispute.closed_on, rules.followup_days, note="（自调解成功之日起）")


def petition_receipt_due(petition: Petition, rules: MediationSettings) -> Deadline:
    return count("med.petition_receipt", petition.received_on,
                 within_statute("med.petition_receipt", rules.petition_receipt_days))


def petition_conclude_due(petition: Petition, rules: MediationSettings) -> Deadline | None:
    """60 days from acceptance (the written notice date), plus an approved extension (≤ 30 days)."""
    if petition.notice_on is None or petition.status == Petition.Status.REJECTED:
        return None
    note = ""
    if petition.extension_days:
        when = f"于{fmt_date(petition.extension_approved_on)}" if petition.extension_approved_on else ""
        note = f"延长经本机关负责人{when}批准（{petition.extension_reason}）。"
    return count("med.petition_conclude", petition.notice_on,
                 within_statute("med.petition_conclude", rules.petition_conclude_days),
                 extended=petition.extension_days, extension="med.petition_extension", note=note)
