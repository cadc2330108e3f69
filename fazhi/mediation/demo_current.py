"""Demo, the living part of mediation (犁头瑶族乡; the second township gets its late follow-ups).

History: the second township's 2024 agreements that were never followed up get their visit in
January 2025. This month: screening rounds done in half of the villages (the rest show on the
to-do), a written agreement waiting for signatures, and one that took effect 26 days ago whose
30-day judicial-confirmation window is about to close. One batch per calendar month."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.mediation import workflow as wf
from fazhi.mediation.demo import SUMMARIES, TERMS, _name, _phone
from fazhi.mediation.models import Dispute, DisputeType, Level, Mediator, Party, ScreeningRound, Signature
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import screenings as ss

D = dt.date


def load(ctx) -> None:
    if ctx.today >= D(2025, 2, 1):
        _late_followups(ctx)
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
                            held_on=held, screeners=f"{village.name}村调委会、驻村干部",
                            findings="走访农户，排查土地山林、邻里纠纷苗头，未发现新的重大矛盾。")


def _agreements(ctx) -> None:
    town, today, villages = ctx.litou, ctx.today, ctx.villages["litou"]
    recent = Dispute.objects.filter(township=town, received_on__gt=today - dt.timedelta(days=60),
                                    agreements__isnull=False)
    if ctx.batch_exists(recent):
        return
    actor = ctx.user("litou_mediator")
    types = {t.name: t for t in DisputeType.objects.all()}
    rng = random.Random(today.year * 12 + today.month)
    for n, (kind, received_ago, agreed_ago, complete) in enumerate((("邻里", 20, 1, False),
                                                                      ("损害赔偿", 34, 26, True))):
        village = villages[n]  # the first is the demo 村干部's village
        received = today - dt.timedelta(days=received_ago)
        mediator = next((m for m in Mediator.objects.filter(committee__village=village).order_by("id")
                         if m.in_term(received)), None)
        if mediator is None:
            continue
        d = sv.dispute_create(actor=actor, township=town, village=village, dispute_type=types[kind],
                              summary=SUMMARIES[kind], received_on=received, source=Dispute.Source.APPLICATION,
                              parties=[{"name": _name(rng), "phone": _phone(rng)},
                                       {"name": _name(rng), "side": Party.Side.RESPONDENT}], level=Level.VILLAGE)
        wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": [mediator],
                              "started_on": received, "reason": "双方同意调解"})
        agreed = today - dt.timedelta(days=agreed_ago)
        sv.session_add(actor=actor, dispute=d, held_on=agreed, place=f"{village.name}村委会调解室",
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
