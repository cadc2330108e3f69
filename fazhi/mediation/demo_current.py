"""Demo, the living part of mediation (犁头瑶族乡; the second township gets its late follow-ups).

History: the second township's 2024 agreements that were never followed up get their visit in
January 2025; each year after 2024 that has ended gets a thinner record in 犁头瑶族乡 — quarterly
screening rounds in every village and eight disputes (six resolved, one not, one refused), each keyed by
its village and date so a later run adds nothing twice. This month: screening rounds done in half of the villages (the rest show on the
to-do), a written agreement waiting for signatures, and one that took effect 26 days ago whose
30-day judicial-confirmation window is about to close. One batch per calendar month."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.mediation import workflow as wf
from fazhi.mediation.demo import SUMMARIES, TERMS, _close_resolved, _name, _phone
from fazhi.mediation.demo import _screening as screen_months
from fazhi.mediation.models import Dispute, DisputeType, Level, Mediator, Party, ScreeningRound, Signature
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import screenings as ss

D = dt.date


FIRST_YEAR = 2025
# month, day received, type, outcome (oral / written / terminate / refuse), days to close
HISTORY = [
    (2, 12, "邻里", "oral", 3), (3, 18, "婚姻家庭", "written", 12), (5, 9, "土地山林", "written", 20),
    (6, 21, "劳资", "terminate", 15), (8, 6, "损害赔偿", "oral", 2), (9, 15, "合同", "refuse", 1),
    (10, 22, "邻里", "oral", 4), (11, 14, "土地山林", "written", 18),
]


def load(ctx) -> None:
    if ctx.today >= D(2025, 2, 1):
        _late_followups(ctx)
    for year in range(FIRST_YEAR, ctx.today.year):
        _history(ctx, year)
    _screening(ctx)
    _agreements(ctx)


def _late_followups(ctx) -> None:
    town, actor = ctx.demo2, ctx.user("demo2_mediator")
    for d in Dispute.objects.filter(township=town, received_on__year=2024, status=Dispute.Status.RESOLVED,
                                    followups__isnull=True, closed_on__isnull=False).order_by("id"):
        m = d.mediators.order_by("id").first()
        sv.followup_add(actor=actor, dispute=d, visited_on=max(d.closed_on, D(2025, 1, 15)),
                        visitor=m.name if m else "调解员", performance="performed", method="phone",
                        note="补充回访：当事人表示协议已履行。")


def _screening(ctx) -> None:
    town, today = ctx.litou, ctx.today
    start = today.replace(day=1)
    villages = ctx.villages["litou"]
    if ScreeningRound.objects.filter(township=town, period_start=start).exists():
        return
    for i, village in enumerate(villages[len(villages) // 2:]):  # the 村干部's own village is still to do
        held = max(start, today - dt.timedelta(days=2 - i))
        ss.screening_create(actor=ctx.user("litou_legal_staff"), township=town, village=village, period_start=start,
                            held_on=held, screeners=f"{village.name}调委会、驻村干部",
                            findings="走访农户，排查土地山林、邻里纠纷苗头，未发现新的重大矛盾。")


def _agreements(ctx) -> None:
    town, today, villages = ctx.litou, ctx.today, ctx.villages["litou"]
    # this month's batch is the agreements received by application (the history's disputes come from screening)
    recent = Dispute.objects.filter(township=town, received_on__gt=today - dt.timedelta(days=60),
                                    agreements__isnull=False, source=Dispute.Source.APPLICATION)
    if ctx.batch_exists(recent):
        return
    actor = ctx.user("litou_mediator")
    types = {t.name: t for t in DisputeType.objects.all()}
    rng = random.Random(today.year * 12 + today.month)
    for n, (kind, received_ago, agreed_ago, complete) in enumerate((("邻里", 20, 1, False),
                                                                      ("损害赔偿", 34, 26, True))):
        village = villages[n]  # the first is the demo 村干部's village
        received = today - dt.timedelta(days=received_ago)
        mediator = _mediator_in_term(village, received)
        if mediator is None:
            continue
        d = _new_dispute(actor, town, village, types[kind], received, Dispute.Source.APPLICATION, rng)
        wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": [mediator],
                              "started_on": received, "reason": "双方同意调解"})
        agreed = today - dt.timedelta(days=agreed_ago)
        sv.session_add(actor=actor, dispute=d, held_on=agreed, place=f"{village.name}委会调解室",
                       participants="、".join([p.name for p in d.parties.all()] + [mediator.name]),
                       record="听取双方陈述，释明相关法律规定，双方就赔偿数额和履行方式达成一致。")
        a = sv.agreement_save(actor=actor, dispute=d, form="written", facts=SUMMARIES[kind], terms=TERMS[kind],
                              performance_method="按期履行", performance_due=agreed + dt.timedelta(days=30),
                              agreed_on=agreed)
        parties = list(d.parties.all())
        sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.PARTY, party=parties[0], signed_on=agreed)
        if not complete:  # the respondent and the committee have not signed yet
            continue
        for p in parties[1:]:
            sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.PARTY, party=p, signed_on=agreed)
        sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.MEDIATOR, mediator=mediator, signed_on=agreed)
        sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.SEAL, signed_on=agreed)
        wf.dispute_transition(actor=actor, dispute=d, step="resolve", data={"closed_on": agreed,
                              "agreement_form": "written", "reason": "双方达成调解协议"})


def _history(ctx, year: int) -> None:
    town, villages, actor = ctx.litou, ctx.villages["litou"], ctx.user("litou_mediator")
    rng = random.Random(year)
    screen_months(ctx, town, villages, year, (3, 6, 9, 12), ctx.user("litou_legal_staff"), rng)
    types = {t.name: t for t in DisputeType.objects.all()}
    for i, (month, day, kind, outcome, days) in enumerate(HISTORY):
        village, received = villages[(i + year) % len(villages)], D(year, month, day)
        if Dispute.objects.filter(township=town, village=village, received_on=received).exists():
            continue
        mediator = _mediator_in_term(village, received)
        if mediator is None:
            continue
        d = _new_dispute(actor, town, village, types[kind], received, Dispute.Source.SCREENING, rng)
        closed = received + dt.timedelta(days=days)
        if outcome == "refuse":
            wf.dispute_transition(actor=actor, dispute=d, step="refuse", data={
                "closed_on": closed, "refused_by": d.parties.order_by("id").last().name,
                "reason": "被申请人明确表示不同意调解，已告知可向人民法院起诉。"})
            continue
        wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": [mediator],
                              "started_on": received, "reason": "双方同意调解"})
        if outcome == "terminate":
            sv.session_add(actor=actor, dispute=d, held_on=received + dt.timedelta(days=1),
                           place=f"{village.name}委会调解室",
                           participants="、".join([p.name for p in d.parties.all()] + [mediator.name]),
                           record="听取双方陈述，双方对工资数额分歧较大，未能达成一致。", next_step="")
            wf.dispute_transition(actor=actor, dispute=d, step="terminate", data={
                "closed_on": closed, "routes_told": True, "referral": "引导申请劳动人事争议仲裁",
                "reason": "双方分歧较大，经多次调解未能达成协议。"})
            continue
        _close_resolved(actor, d, rng, received, kind, outcome == "oral", closed, mediator)
        sv.followup_add(actor=actor, dispute=d, visited_on=closed + dt.timedelta(days=10), visitor=mediator.name,
                        performance="performed", method="visit", note="回访：协议已履行，双方关系缓和。")


def _mediator_in_term(village, day: dt.date):
    return next((m for m in Mediator.objects.filter(committee__village=village).order_by("id") if m.in_term(day)),
                None)


def _new_dispute(actor, town, village, dispute_type, received: dt.date, source, rng) -> Dispute:
    """A village-level dispute between two demo residents, through the office's own service."""
    return sv.dispute_create(actor=actor, township=town, village=village, dispute_type=dispute_type,
                             summary=SUMMARIES[dispute_type.name], received_on=received, source=source,
                             parties=[{"name": _name(rng), "phone": _phone(rng)},
                                      {"name": _name(rng), "side": Party.Side.RESPONDENT}], level=Level.VILLAGE)
