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


def rules_for_many(townships) -> dict[int, MediationSettings]:
    """`rules_for` of several townships in one query (a county ledger page spans up to 25 townships)."""
    towns = {t.pk: t for t in townships if t is not None}
    paths = {pk: [c for c in (t.path or "").split("/") if c] for pk, t in towns.items()}
    codes = {c for cs in paths.values() for c in cs}
    rows = {r.region.code: r for r in MediationSettings.objects.filter(region__code__in=codes).select_related("region")}
    return {pk: next((rows[c] for c in reversed(cs) if c in rows), None) or MediationSettings()
            for pk, cs in paths.items()}


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


# --- the stored to-do due date (derived: recomputed on every write that changes an input) ---------------

def dispute_todo_deadline(dispute: Dispute, rules: MediationSettings, *, has_followup: bool | None = None):
    """(kind, Deadline) the dispute owes the to-do now, or None: the mediation target while open, the
    follow-up visit once resolved and not yet visited."""
    if dispute.status in Dispute.OPEN:
        return "调解期限", mediation_target(dispute, rules)
    if dispute.status == Dispute.Status.RESOLVED and dispute.closed_on is not None:
        if has_followup is None:
            has_followup = dispute.pk is not None and dispute.followups.exists()
        if not has_followup:
            return "回访", followup_due(dispute, rules)
    return None


def petition_todo_deadline(petition: Petition, rules: MediationSettings):
    if petition.status == Petition.Status.RECEIVED:
        return "信访告知", petition_receipt_due(petition, rules)
    if petition.status == Petition.Status.ACCEPTED:
        dl = petition_conclude_due(petition, rules)
        return ("信访办结", dl) if dl is not None else None
    return None


def dispute_todo_due(dispute: Dispute, rules: MediationSettings | None = None) -> dt.date | None:
    found = dispute_todo_deadline(dispute, rules or rules_for(dispute.township))
    return found[1].due if found else None


def petition_todo_due(petition: Petition, rules: MediationSettings | None = None) -> dt.date | None:
    found = petition_todo_deadline(petition, rules or rules_for(petition.township))
    return found[1].due if found else None


def derive_todo_due(obj) -> None:
    """The flows' `derive` hook: set the record's stored due date from its current facts (before save)."""
    obj.todo_due = dispute_todo_due(obj) if isinstance(obj, Dispute) else petition_todo_due(obj)


def todo_due_refresh(*, townships) -> int:
    """Recompute the stored due dates of every record that owes one in `townships` (after a settings
    change there); returns how many rows changed."""
    from django.db.models import Exists, OuterRef

    from fazhi.mediation.models import FollowUp

    changed = 0
    for town in townships:
        rules = rules_for(town)
        disputes = (Dispute.objects.filter(township=town).exclude(todo_due=None, status__in=Dispute.CLOSED)
                    .annotate(has_followup=Exists(FollowUp.objects.filter(dispute=OuterRef("pk")))))
        batch = []
        for d in disputes.iterator(chunk_size=1000):
            found = dispute_todo_deadline(d, rules, has_followup=d.has_followup)
            due = found[1].due if found else None
            if due != d.todo_due:
                d.todo_due = due
                batch.append(d)
        Dispute.objects.bulk_update(batch, ["todo_due"], batch_size=500)
        petitions = Petition.objects.filter(township=town, status__in=[Petition.Status.RECEIVED,
                                                                       Petition.Status.ACCEPTED])
        pbatch = []
        for p in petitions.iterator(chunk_size=1000):
            due = petition_todo_due(p, rules)
            if due != p.todo_due:
                p.todo_due = due
                pbatch.append(p)
        Petition.objects.bulk_update(pbatch, ["todo_due"], batch_size=500)
        changed += len(batch) + len(pbatch)
    return changed
