"""Bulk writes a clerk does for many records at once. Each record goes through the same workflow step
as the single action, all in one transaction: one refusal and nothing is written."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
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


class RowsRefused(BulkRefused):
    """Rows of a batch refused: `rows` lists (index in the batch, Chinese reason); nothing was written."""

    def __init__(self, rows: list[tuple[int, str]]):
        self.rows = rows
        super().__init__([(f"第{i + 1}条", reason) for i, reason in rows])


WRITE_CHUNK = 1000  # rows written per round of bulk inserts (and per progress report)


def disputes_create_bulk(*, actor, township, rows, progress=None) -> list:
    """Create many disputes at once (an imported ledger), each exactly as `dispute_create` would one by one —
    the same guards and checks, numbers from the same counter, the same transition row, party rows, audit
    entries and search entries — with the guards checked once per village and type, the look-ups read once,
    the numbers drawn once per year, and the rows, the audit chain and the index written in bulk.

    `rows` are dicts of `dispute_create`'s keyword arguments (village, dispute_type, summary, received_on,
    source, risk_level, parties; optionally level, committee, screening_round, petition). All or nothing:
    every row is checked first and RowsRefused names each refused one. `progress(done, total)` after each
    chunk written."""
    from django.utils import timezone

    from fazhi.audit.services import audit_create_many
    from fazhi.core import search_index
    from fazhi.core.bulk import insert_objects, insert_rows
    from fazhi.core.writes import validation_message
    from fazhi.mediation.deadlines import dispute_todo_due, rules_for
    from fazhi.mediation.models import Committee, Dispute, DisputeTransition, Level, Party, ScreeningRound
    from fazhi.mediation.permissions import acts_at_township_level, require_handler
    from fazhi.mediation.services.disputes import check_date, next_numbers

    rows = list(rows)
    if not rows:
        return []
    with transaction.atomic():
        rules = rules_for(township)
        window = 31 * rules.screening_period_months
        township_level = acts_at_township_level(actor, township)
        villages = {r["village"].pk: r["village"] for r in rows if r.get("village") is not None}
        rounds: dict[int, list] = {}
        for sr in ScreeningRound.objects.filter(village__in=list(villages)).order_by("-period_start"):
            rounds.setdefault(sr.village_id, []).append(sr)
        handler_refusal: dict[int | None, str] = {}
        committees: dict[tuple, object] = {}
        todo: dict = {}
        S = Dispute.Status

        def refusal_for_village(village) -> str:
            key = getattr(village, "pk", None)
            if key not in handler_refusal:
                try:
                    require_handler(actor, township, village)
                    if village is None or village.parent_id != township.pk:
                        raise DomainError("请选择本乡镇的村。")
                    handler_refusal[key] = ""
                except DomainError as e:
                    handler_refusal[key] = e.message
            return handler_refusal[key]

        def committee_for(level, village):
            key = (level, village.pk if level == Level.VILLAGE else None)
            if key not in committees:
                committees[key] = Committee.objects.filter(township=township, village=village).first() \
                    if level == Level.VILLAGE else Committee.objects.filter(township=township,
                                                                             level=Level.TOWNSHIP).first()
            return committees[key]

        def round_for(village, received_on):
            found = next((sr for sr in rounds.get(village.pk, ()) if sr.period_start <= received_on
                          and sr.held_on <= received_on), None)
            if found and (received_on - found.period_start).days > window:
                return None
            return found

        built, refused = [], []
        for i, row in enumerate(rows):
            try:
                built.append(_build_dispute(actor, township, row, refusal_for_village, committee_for, round_for,
                                            township_level, check_date))
            except DomainError as e:
                refused.append((i, e.message))
        if refused:
            raise RowsRefused(refused)
        by_year: dict[int, list] = {}
        for dispute, _parties in built:
            by_year.setdefault(dispute.received_on.year, []).append(dispute)
        for year, disputes in by_year.items():
            for dispute, number in zip(disputes, next_numbers(Dispute, township, year, len(disputes)), strict=True):
                dispute.number = number
        parties_exclude = ["township", "dispute"]
        dispute_exclude = ["township", "village", "dispute_type", "committee", "screening_round", "petition",
                           "recorded_by"]
        for i, (dispute, parties) in enumerate(built):
            if dispute.received_on not in todo:
                todo[dispute.received_on] = dispute_todo_due(dispute, rules)
            dispute.todo_due = todo[dispute.received_on]
            # the FKs were checked above (scope, township, type); the number is fresh from the counter
            for obj, exclude in ((dispute, dispute_exclude), *((p, parties_exclude) for p in parties)):
                try:
                    obj.full_clean(exclude=exclude, validate_constraints=False)
                except ValidationError as e:
                    refused.append((i, validation_message(obj, e)))
                    break
        if refused:
            raise RowsRefused(refused)
        out = []
        for start in range(0, len(built), WRITE_CHUNK):
            chunk = built[start:start + WRITE_CHUNK]
            disputes = [d for d, _p in chunk]
            insert_objects(Dispute, disputes)
            ids = dict(Dispute.objects.filter(township=township, number__in=[d.number for d in disputes])
                       .values_list("number", "pk"))
            for d in disputes:
                d.pk = ids[d.number]
                d._state.adding, d._state.db = False, "default"
            now = timezone.now()
            insert_rows(DisputeTransition, ["township_id", "dispute_id", "actor_id", "from_status", "to_status",
                                            "reason", "created_at"],
                        [(township.pk, d.pk, actor.pk, "", S.RECEIVED, f"登记受理（来源：{d.get_source_display()}）",
                          now) for d in disputes])
            for d, parties in chunk:
                for p in parties:
                    p.dispute = d
            parties = [p for _d, parties in chunk for p in parties]
            insert_objects(Party, parties)
            party_ids = Party.objects.filter(dispute_id__in=[d.pk for d in disputes]).order_by("pk")
            for p, pk in zip(parties, party_ids.values_list("pk", flat=True), strict=True):
                p.pk = pk  # inserted in this order, in this transaction, under disputes only it can see
                p._state.adding, p._state.db = False, "default"
            audit_create_many(actor=actor, objs=[o for d, parties in chunk for o in (d, *parties)])
            search_index.index_new(Dispute, disputes)
            out.extend(disputes)
            if progress:
                progress(len(out), len(built))
    return out


def _build_dispute(actor, township, row, refusal_for_village, committee_for, round_for, township_level,
                   check_date):
    """One row as `dispute_create` builds it (same checks, same order), not yet numbered or saved."""
    from fazhi.mediation.models import Dispute, Level, Party

    village, dispute_type, received_on = row.get("village"), row.get("dispute_type"), row.get("received_on")
    source = row.get("source", Dispute.Source.SCREENING)
    parties = row.get("parties", ())
    level, committee = row.get("level"), row.get("committee")
    screening_round, petition = row.get("screening_round"), row.get("petition")
    reason = refusal_for_village(village)
    if reason:
        raise DomainError(reason)
    check_date(received_on, "受理日期")
    if not dispute_type or not dispute_type.active:
        raise DomainError("请选择有效的纠纷类型。")
    if not [p for p in parties if (p.get("name") or "").strip()]:
        raise DomainError("请至少登记一名当事人。")
    if level is None:
        level = Level.TOWNSHIP if township_level else Level.VILLAGE
    for related, label in ((committee, "调委会"), (screening_round, "排查轮次"), (petition, "信访事项")):
        if related is not None and related.township_id != township.pk:
            raise DomainError(f"所选{label}不属于本乡镇。")
    if screening_round is None and source == Dispute.Source.SCREENING:
        screening_round = round_for(village, received_on)
    if petition is not None and source != Dispute.Source.PETITION:
        source = Dispute.Source.PETITION
    if committee is None:
        committee = committee_for(level, village)
    dispute = Dispute(township=township, village=village, dispute_type=dispute_type,
                      summary=(row.get("summary") or "").strip(), received_on=received_on, source=source,
                      risk_level=row.get("risk_level", Dispute.Risk.LOW), level=level, committee=committee,
                      screening_round=screening_round, petition=petition, recorded_by=actor)
    party_rows = [Party(township_id=township.pk, side=p.get("side", Party.Side.APPLICANT), name=p["name"].strip(),
                        id_number=(p.get("id_number") or "").strip().upper(), phone=(p.get("phone") or "").strip(),
                        address=(p.get("address") or "").strip())
                  for p in parties if (p.get("name") or "").strip()]
    return dispute, party_rows
