"""Reads for the dispute ledger, always through the user's scope; annual statistics for the report."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.db.models import Count
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import Region, RegionLevel
from fazhi.core.scope import has_role, scope_q, villages_for
from fazhi.core.todo import TodoItem
from fazhi.mediation import deadlines
from fazhi.mediation.models import (
    Agreement,
    Application,
    Committee,
    Dispute,
    DisputeType,
    Mediator,
    Petition,
    ScreeningRound,
    Signature,
)
from fazhi.mediation.permissions import (
    HANDLE_ROLES,
    MEDIATORS,
    PETITION_ROLES,
    READ_ROLES,
    TOWNSHIP_READ_ROLES,
)

MODULE = "矛盾纠纷"


def dispute_list_for(user, roles=READ_ROLES):
    return (Dispute.objects.visible_to(user, roles=roles)
            .select_related("township", "village", "dispute_type", "committee"))


def dispute_detail_qs(user):
    return dispute_list_for(user).prefetch_related("mediators")


def petition_list_for(user, roles=READ_ROLES):
    return Petition.objects.visible_to(user, roles=roles).select_related("township", "village")


def screening_list_for(user, roles=READ_ROLES):
    return ScreeningRound.objects.visible_to(user, roles=roles).select_related("township", "village", "recorded_by")


def committee_list_for(user, roles=READ_ROLES):
    return Committee.objects.visible_to(user, roles=roles).select_related("township", "village")


def mediators_for(township, day: dt.date | None = None):
    day = day or dt.date.today()
    return (Mediator.objects.filter(township=township, term_start__lte=day, term_end__gte=day)
            .select_related("committee").order_by("committee__level", "committee__name", "position", "id"))


def active_types():
    return DisputeType.objects.filter(active=True)


def villages_of(township):
    return Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).order_by("code")


# --- statistics -------------------------------------------------------------------------------------

def success_rate(resolved: int, received: int) -> int | None:
    """Resolved ÷ received as a whole percent, rounded half up (the seed: 61 of 62 → 98 %)."""
    if not received:
        return None
    return (resolved * 200 + received) // (received * 2)


def _is_overdue(row: dict, rules, today: dt.date) -> bool:
    due = deadlines.count("med.target", row["received_on"], rules.target_months).due
    end = row["closed_on"] if row["status"] in Dispute.CLOSED and row["closed_on"] else today
    return end > due


class MediationStats(TypedDict):
    """The annual-report contract of mediation (reports reads these keys)."""

    received: int
    resolved: int
    not_resolved: int
    in_progress: int
    success_rate: int | None
    by_type: dict[str, int]
    by_village: dict[str, int]
    by_source: dict[str, int]
    by_month: dict[str, int]  # "1月" … "12月"
    avg_days_to_close: float | None
    overdue: int
    screening_rounds: int
    villages_without_screening: list[str]
    petitions: int


def annual_stats(township, year: int, today: dt.date | None = None) -> MediationStats:
    """The year's dispute figures for one township (disputes counted by the date they were received)."""
    today = today or dt.date.today()
    rules = deadlines.rules_for(township)
    qs = Dispute.objects.filter(township=township, received_on__year=year)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    received = sum(by_status.values())
    resolved = by_status.get(Dispute.Status.RESOLVED, 0)
    not_resolved = by_status.get(Dispute.Status.NOT_RESOLVED, 0) + by_status.get(Dispute.Status.NOT_ACCEPTED, 0)
    in_progress = by_status.get(Dispute.Status.RECEIVED, 0) + by_status.get(Dispute.Status.MEDIATING, 0)

    villages = list(villages_of(township).values_list("id", "name"))
    by_village = {name: 0 for _, name in villages}
    for name, n in qs.values_list("village__name").annotate(n=Count("id")).order_by():
        by_village[name] = n
    by_type = {name: 0 for name in active_types().values_list("name", flat=True)}
    for name, n in qs.values_list("dispute_type__name").annotate(n=Count("id")).order_by():
        by_type[name] = n
    source_labels = dict(Dispute.Source.choices)
    by_source = {label: 0 for label in source_labels.values()}
    for code, n in qs.values_list("source").annotate(n=Count("id")).order_by():
        by_source[source_labels.get(code, code)] = n
    by_month = {f"{m}月": 0 for m in range(1, 13)}
    for m, n in qs.annotate(m=ExtractMonth("received_on")).values_list("m").annotate(n=Count("id")).order_by():
        by_month[f"{m}月"] = n

    rows = list(qs.values("received_on", "closed_on", "status"))
    closed = [(r["closed_on"] - r["received_on"]).days for r in rows
              if r["status"] in Dispute.CLOSED and r["closed_on"]]
    avg_days = round(sum(closed) / len(closed), 1) if closed else None
    overdue = sum(1 for r in rows if _is_overdue(r, rules, today))

    screened = set(ScreeningRound.objects.filter(township=township, period_start__year=year)
                   .values_list("village_id", flat=True).distinct())
    return {
        "received": received,
        "resolved": resolved,
        "not_resolved": not_resolved,
        "in_progress": in_progress,
        "success_rate": success_rate(resolved, received),
        "by_type": by_type,
        "by_village": by_village,
        "by_source": by_source,
        "by_month": by_month,
        "avg_days_to_close": avg_days,
        "overdue": overdue,
        "screening_rounds": ScreeningRound.objects.filter(township=township, period_start__year=year).count(),
        "villages_without_screening": [name for vid, name in villages if vid not in screened],
        "petitions": Petition.objects.filter(township=township, received_on__year=year).count(),
    }


def resolution_table(user, year: int, by: str, township=None) -> list[dict]:
    """Received / resolved / success rate per `by` ("village__name" or "township__name"), one grouped query,
    inside the user's scope (the county compares its townships; a township its villages)."""
    qs = Dispute.objects.visible_to(user, roles=TOWNSHIP_READ_ROLES).filter(received_on__year=year)
    if township is not None:
        qs = qs.filter(township=township)
    table: dict[str, dict] = {}
    for label, status, n in qs.values_list(by, "status").annotate(n=Count("id")).order_by(by):
        row = table.setdefault(label, {"label": label, "received": 0, "resolved": 0})
        row["received"] += n
        if status == Dispute.Status.RESOLVED:
            row["resolved"] += n
    for row in table.values():
        row["rate"] = success_rate(row["resolved"], row["received"])
    return list(table.values())


def screening_matrix(township, year: int, today: dt.date | None = None) -> dict:
    """Village × period grid of screening rounds; missing past periods are flagged."""
    today = today or dt.date.today()
    rules = deadlines.rules_for(township)
    step = rules.screening_period_months
    periods = [dt.date(year, m, 1) for m in range(1, 13, step)]
    rounds = {(r.village_id, r.period_start): r for r in
              ScreeningRound.objects.filter(township=township, period_start__year=year)}
    rows, gaps = [], []
    for village in villages_of(township):
        cells = []
        for p in periods:
            rnd = next((r for (vid, ps), r in rounds.items() if vid == village.pk and p <= ps < _add_months(p, step)),
                       None)
            missing = rnd is None and _add_months(p, step) <= today
            cells.append({"period": p, "round": rnd, "missing": missing})
            if missing:
                gaps.append((village, p))
        rows.append({"village": village, "cells": cells})
    return {"periods": periods, "rows": rows, "gaps": gaps, "step": step}


def _add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    return dt.date(d.year + y, m + 1, 1)


# --- deadlines for lists, to-do and the overdue ledger -----------------------------------------------

def overdue_items(user, today: dt.date | None = None) -> list[dict]:
    """Open disputes past their working target and petitions past a statutory period, in the user's scope."""
    today = today or dt.date.today()
    return [i for i in deadline_items(user, today, until=today) if i["deadline"].due < today]


# The stored due date is counted with the holiday schedule of the day it was written; a schedule edited
# since moves a due date by one rest-day run at most (春节/国庆 ≤ 9 days), so SQL selects with this margin
# and the exact date, counted now, decides.
TODO_SLACK = dt.timedelta(days=15)


def deadline_items(user, today: dt.date, until: dt.date | None = None) -> list[dict]:
    """Every deadline a dispute or petition owes now; with `until`, only those due by then (and all overdue
    ones), selected in SQL on the stored derived `todo_due`, so the work does not grow with history."""
    items: list[dict] = []
    rules_cache: dict[int, object] = {}

    def rules(t):
        if t.pk not in rules_cache:
            rules_cache[t.pk] = deadlines.rules_for(t)
        return rules_cache[t.pk]

    def due_by(qs):
        return qs if until is None else qs.filter(todo_due__lte=until + TODO_SLACK)

    for d in due_by(dispute_list_for(user).filter(status__in=Dispute.OPEN)):
        items.append({"kind": "调解期限", "obj": d, "title": f"纠纷{d.number}（{d.village.name}·{d.dispute_type.name}）",
                      "deadline": deadlines.mediation_target(d, rules(d.township)),
                      "url": reverse("mediation:detail", args=[d.pk])})
    for d in due_by(dispute_list_for(user).filter(status=Dispute.Status.RESOLVED, followups__isnull=True,
                                                  closed_on__isnull=False)):
        items.append({"kind": "回访", "obj": d, "title": f"纠纷{d.number}调解成功后回访",
                      "deadline": deadlines.followup_due(d, rules(d.township)),
                      "url": reverse("mediation:detail", args=[d.pk])})
    for p in due_by(petition_list_for(user, roles=PETITION_ROLES | TOWNSHIP_READ_ROLES).filter(
            status__in=[Petition.Status.RECEIVED, Petition.Status.ACCEPTED])):
        found = deadlines.petition_todo_deadline(p, rules(p.township))
        if found is None:
            continue
        kind, dl = found
        items.append({"kind": kind, "obj": p, "title": f"信访{p.number}（{p.petitioner}）", "deadline": dl,
                      "url": reverse("mediation:petition_detail", args=[p.pk])})
    return sorted(items, key=lambda i: i["deadline"].due)


def confirmation_reminders(user, today: dt.date) -> list[dict]:
    """Resolved written agreements still inside the 30-day judicial-confirmation window, not yet applied."""
    out = []
    for d in dispute_list_for(user).filter(status=Dispute.Status.RESOLVED,
                                           agreement_form=Dispute.AgreementForm.WRITTEN,
                                           closed_on__gte=today - dt.timedelta(days=60)):
        a = current_agreement(d)
        if a is None or a.confirmation_applied_on:
            continue
        eff = agreement_state(a)["effective_on"]
        if eff is None:
            continue
        dl = deadlines.confirmation_window(a, eff, deadlines.rules_for(d.township))
        if dl.due >= today:
            out.append({"kind": "司法确认", "obj": d, "title": f"纠纷{d.number}协议可申请司法确认（提醒当事人）",
                        "deadline": dl, "url": reverse("mediation:detail", args=[d.pk])})
    return out


def screening_todo(user, today: dt.date) -> list[TodoItem]:
    """Villages the user handles with no screening round yet in the current period (monthly by default)."""
    villages = list(villages_for(user, HANDLE_ROLES).select_related("parent"))
    if not villages:
        return []
    done = set(ScreeningRound.objects.filter(village__in=villages, period_start__lte=today,
                                             period_start__gt=today - dt.timedelta(days=366))
               .values_list("village_id", "period_start"))
    rules_cache: dict = {}
    items = []
    for v in villages:
        if v.parent_id not in rules_cache:
            rules_cache[v.parent_id] = deadlines.rules_for(v.parent)
        step = rules_cache[v.parent_id].screening_period_months
        start = dt.date(today.year, ((today.month - 1) // step) * step + 1, 1)
        if (v.pk, start) in done:
            continue
        end = _add_months(start, step) - dt.timedelta(days=1)
        items.append(TodoItem(MODULE, f"排查：{v.name}本期（{start.month}月起）尚未登记矛盾纠纷排查", end,
                              reverse("mediation:screening"),
                              f"矛盾纠纷排查每{step}个月一轮，本期{start:%Y-%m-%d}至{end:%Y-%m-%d}。",
                              township_id=v.parent_id, roles=MEDIATORS))
    return items


def todo_provider(user, today: dt.date, horizon_days: int):
    if not has_role(user, READ_ROLES):
        return []
    limit = today + dt.timedelta(days=horizon_days)
    items = deadline_items(user, today, until=limit) + confirmation_reminders(user, today)
    todos = [TodoItem.from_deadline(MODULE, f"{i['kind']}：{i['title']}", i["deadline"], i["url"],
                                    township_id=i["obj"].township_id,
                                    roles=MEDIATORS if isinstance(i["obj"], Dispute) else frozenset())
             for i in items if i["deadline"].due <= limit]
    return todos + [t for t in screening_todo(user, today) if t.due <= limit]


# --- the agreement ----------------------------------------------------------------------------------

def current_agreement(dispute: Dispute) -> Agreement | None:
    return dispute.agreements.filter(superseded=False).order_by("-id").first()


def agreement_state(agreement: Agreement) -> dict:
    """Which signature steps are done and missing; the date the agreement took effect (人民调解法第二十九条)."""
    sigs = list(agreement.signatures.select_related("party", "mediator"))
    signed_parties = {s.party_id for s in sigs if s.kind == Signature.Kind.PARTY}
    parties = list(agreement.dispute.parties.all())
    missing = [f"当事人{p.name}签名（盖章或按指印）" for p in parties if p.pk not in signed_parties]
    mediator = next((s for s in sigs if s.kind == Signature.Kind.MEDIATOR), None)
    seal = next((s for s in sigs if s.kind == Signature.Kind.SEAL), None)
    if mediator is None:
        missing.append("人民调解员签名")
    if seal is None:
        missing.append("人民调解委员会盖章")
    if agreement.form == Dispute.AgreementForm.ORAL:
        return {"signatures": sigs, "missing": [], "effective_on": agreement.agreed_on, "parties": parties}
    effective = max(s.signed_on for s in sigs) if not missing and sigs else None
    return {"signatures": sigs, "missing": missing, "effective_on": effective, "parties": parties}


def signature_steps(dispute: Dispute) -> list[tuple[str, str]]:
    """The signature steps still to record on the current agreement: ("party:5", "当事人…签名"), …"""
    agreement = current_agreement(dispute)
    if agreement is None:
        return []
    state = agreement_state(agreement)
    signed_parties = {s.party_id for s in state["signatures"] if s.party_id}
    steps = [(f"party:{p.pk}", f"当事人{p.name}签名（盖章或按指印）") for p in state["parties"]
             if p.pk not in signed_parties]
    kinds = {s.kind for s in state["signatures"]}
    if Signature.Kind.MEDIATOR not in kinds:
        steps += [(f"mediator:{m.pk}", f"调解员{m.name}签名") for m in dispute.mediators.all()]
    if Signature.Kind.SEAL not in kinds:
        steps.append(("seal", "人民调解委员会盖章"))
    return steps


ROUTES = "可以依法申请仲裁、向人民法院提起诉讼，或向有关行政机关申请处理。"


# --- online applications -------------------------------------------------------------------------------------------


def applications_for(user):
    return Application.objects.filter(scope_q(user, Application, roles=HANDLE_ROLES)).select_related(
        "village", "township", "dispute")


def _mask(name: str) -> str:
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else ""


def public_status(code: str) -> dict | None:
    """What the applicant may see: township, dates, the stage in words, the routes left open. No names
    beyond a masked initial, no phone, no facts."""
    code = (code or "").strip().upper().replace(" ", "")
    if len(code) == 12:
        code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
    app = Application.objects.filter(tracking_code=code).select_related("township", "dispute").first()
    if app is None:
        return None
    out = {"township": app.township.name, "submitted_on": timezone.localtime(app.created_at).date(),
           "applicant": _mask(app.applicant_name), "note": ""}
    if app.status == Application.Status.SUBMITTED:
        out["stage"] = "已提交，等待调解组织受理"
    elif app.status == Application.Status.DECLINED:
        out["stage"], out["note"] = "不予受理", f"{app.decline_reason}。{ROUTES}"
    else:
        d = app.dispute
        stage = {Dispute.Status.RECEIVED: "已受理", Dispute.Status.MEDIATING: "调解中",
                 Dispute.Status.RESOLVED: "已达成调解协议", Dispute.Status.NOT_RESOLVED: "未达成协议（调解终止）",
                 Dispute.Status.NOT_ACCEPTED: "调解终止（当事人拒绝调解）"}[d.status]
        out["stage"] = stage
        if d.status == Dispute.Status.RESOLVED:
            out["note"] = "达成书面协议的，双方可自协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法第三十三条）。"
        elif d.status in (Dispute.Status.NOT_RESOLVED, Dispute.Status.NOT_ACCEPTED):
            out["note"] = ROUTES
    return out


def application_todo(user, today: dt.date, horizon_days: int):
    """Every online application waiting to be accepted, for the township's mediators (due: 3 days after)."""
    for app in applications_for(user).filter(status=Application.Status.SUBMITTED)[:100]:
        day = timezone.localtime(app.created_at).date()
        yield TodoItem("矛盾纠纷", f"网上调解申请待受理：{app.village.name} {app.applicant_name}",
                       day + dt.timedelta(days=3), reverse("mediation:application_detail", args=[app.pk]),
                       "及时受理或告知不予受理的理由（本地工作要求）")
