"""Bulk writes a clerk does for many records at once. Each record goes through the same workflow step
as the single action, all in one transaction: one refusal and nothing is written."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from fazhi.core.errors import DomainError
from fazhi.mediation.workflow import dispute_transition


class BulkRefused(DomainError):
    """Some records were refused: `refused` lists (record label, Chinese reason); nothing was written."""

    def __init__(self, refused: list[tuple[str, str]]):
        self.refused = refused
        text = "；".join(f"{label}：{reason}" for label, reason in refused)
        super().__init__(f"未作任何更改，以下{len(refused)}件不能办理：{text}")


def disputes_start_many(*, actor, disputes, mediators, started_on: dt.date | None = None, reason: str = "",
                        today: dt.date | None = None) -> list:
    """Assign the mediators to every dispute and start mediating (the 开始调解 step, the single assign's
    guards and checks); every dispute is tried so the refusal lists them all, then rolled back."""
    disputes, mediators = list(disputes), list(mediators)
    if not disputes:
        raise DomainError("请至少选择一件纠纷。")
    data = {"mediators": mediators, "started_on": started_on, "reason": reason or "批量指定调解员，开始调解"}
    done, refused = [], []
    with transaction.atomic():
        for d in disputes:
            try:
                with transaction.atomic():  # a savepoint: a refused dispute leaves no half-written rows
                    done.append(dispute_transition(actor=actor, dispute=d, step="start", data=dict(data),
                                                   today=today))
            except DomainError as e:
                refused.append((f"纠纷{d.number or d.pk}", e.message))
        if refused:
            raise BulkRefused(refused)  # leaves the outer atomic: everything above is rolled back
    return done


def screenings_create_many(*, actor, villages, period_start: dt.date, held_on: dt.date, screeners: str,
                           findings: str = "") -> list:
    """Mark one period's screening done for several villages (each through `screening_create`: the
    handler check, own township, the date, one round per village and period); all or nothing."""
    from fazhi.mediation.services.screenings import screening_create

    villages = list(villages)
    if not villages:
        raise DomainError("请至少选择一个村。")
    done, refused = [], []
    with transaction.atomic():
        for v in villages:
            try:
                with transaction.atomic():
                    done.append(screening_create(actor=actor, township=v.parent, village=v, period_start=period_start,
                                                 held_on=held_on, screeners=screeners, findings=findings))
            except DomainError as e:
                refused.append((v.name, e.message))
        if refused:
            raise BulkRefused(refused)
    return done
