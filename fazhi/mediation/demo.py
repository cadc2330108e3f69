"""Demo: 犁头瑶族乡's 2024 dispute ledger as the seed reports it (62 disputes screened and mediated,
61 resolved, 98 %), monthly screening rounds in its 4 villages, committees and a few petitions; a few
disputes for the second township. Built through the services, so the audit chain and transitions are real.
Idempotent: each block checks before it creates."""

from __future__ import annotations

import datetime as dt
import random

from fazhi.mediation import workflow as wf
from fazhi.mediation.models import (
    Committee,
    Dispute,
    DisputeType,
    Level,
    Mediator,
    Party,
    Petition,
    ScreeningRound,
    Signature,
)
from fazhi.mediation.services import committees as cs
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.services import petitions as ps
from fazhi.mediation.services import screenings as ss

YEAR = 2024
TERMS_START = (dt.date(2023, 4, 1), dt.date(2026, 4, 1))
SURNAMES = "盘赵邓李黄冯雷唐周陈蒋何"
GIVEN = ["桂英", "德明", "春花", "志强", "秀兰", "建华", "满妹", "石生", "玉凤", "金保", "冬梅", "永福", "小平", "二妹",
         "昌林", "荣华", "细妹", "光辉", "福英", "长寿"]
# Per village: disputes in 2024 (roughly by population: 820 / 610 / 640 / 541 residents).
VILLAGE_COUNTS = [20, 14, 15, 13]
TYPE_COUNTS = {"婚姻家庭": 12, "邻里": 16, "土地山林": 14, "劳资": 4, "损害赔偿": 6, "合同": 4, "征地拆迁": 2, "其他": 4}
SOURCE_COUNTS = {Dispute.Source.SCREENING: 30, Dispute.Source.APPLICATION: 18, Dispute.Source.VILLAGE: 5,
                 Dispute.Source.PETITION: 3, Dispute.Source.POLICE: 3, Dispute.Source.COURT: 1,
                 Dispute.Source.INITIATIVE: 2}
MONTH_COUNTS = [4, 7, 6, 5, 5, 4, 5, 5, 4, 6, 5, 6]  # 2月: family disputes around 春节
SUMMARIES = {
    "婚姻家庭": "夫妻因家庭琐事及子女抚养问题发生争吵，一方要求调解。",
    "邻里": "相邻两户因排水沟、通行道路使用问题发生争执。",
    "土地山林": "两户对责任山林地界认定不一，因砍伐杉木发生纠纷。",
    "劳资": "务工人员与包工头因工资结算产生争议，要求支付拖欠工资。",
    "损害赔偿": "一方饲养的耕牛毁坏另一方农作物，双方就赔偿数额发生争议。",
    "合同": "双方因茶叶收购合同价款及交货时间发生争议。",
    "征地拆迁": "村民对道路建设占地补偿分配有异议。",
    "其他": "村民之间因借款及宴席费用分摊问题发生争议。",
}
TERMS = {
    "婚姻家庭": "双方同意互相尊重，共同承担子女抚养费用，不再因琐事争吵。",
    "邻里": "双方同意按原有走向共同清理排水沟，通行道路保持畅通。",
    "土地山林": "双方按村组林地台账确认地界并共同埋设界桩，已砍伐杉木按株折价补偿。",
    "劳资": "包工头于约定日期前一次性支付拖欠工资。",
    "损害赔偿": "耕牛饲养人一次性赔偿农作物损失。",
    "合同": "收购方按合同约定价格补足货款，双方继续履行合同。",
    "征地拆迁": "按村民代表会议确定的方案分配补偿款，村委会公示分配结果。",
    "其他": "借款人分期归还借款，宴席费用按人数分摊。",
}


def _spread(counts: dict, rng: random.Random) -> list:
    items = [k for k, n in counts.items() for _ in range(n)]
    rng.shuffle(items)
    return items


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _id_number(rng: random.Random, area: str, born: dt.date) -> str:
    body = f"{area}{born:%Y%m%d}{rng.randint(10, 99)}{rng.randint(0, 9)}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


def _phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "151", "187", "199"]) + f"{rng.randint(0, 99999999):08d}"


def ensure_dispute_types() -> None:
    """The default type catalogue (migration 0002); transactional test flushes remove migration data."""
    for i, name in enumerate(["婚姻家庭", "邻里", "土地山林", "劳资", "损害赔偿", "合同", "征地拆迁", "其他"]):
        DisputeType.objects.get_or_create(name=name, defaults={"order": (i + 1) * 10})


def ensure_committees(ctx, town, villages, mediator_user=None, rng=None) -> dict:
    """A township committee and one committee per village, each 3–5 members, term 2023-04-01 (three years)."""
    ensure_dispute_types()
    rng = rng or random.Random(town.pk)
    actor = ctx.user(f"{'litou' if town == ctx.litou else 'demo2'}_legal_staff")
    out = {}
    specs = [(f"{town.name}人民调解委员会", Level.TOWNSHIP, None, 5)] + \
        [(f"{v.name}人民调解委员会", Level.VILLAGE, v, 3 + i % 3) for i, v in enumerate(villages)]
    for name, level, village, size in specs:
        com = Committee.objects.filter(township=town, name=name).first()
        if com is None:
            com = cs.committee_create(actor=actor, township=town, name=name, level=level, village=village,
                                      established_on=dt.date(2011, 6, 1))
            names = [mediator_user.full_name if (mediator_user and level == Level.TOWNSHIP and i == 0) else _name(rng)
                     for i in range(size)]
            for term_start in TERMS_START:  # 2023 election, re-elected 2026 (连选连任, 人民调解法第九条)
                if term_start > dt.date.today():
                    continue
                for i, who in enumerate(names):
                    position = ["chair", "vice"][i] if i < 2 else "member"
                    user = mediator_user if level == Level.TOWNSHIP and i == 0 else None
                    cs.mediator_add(actor=actor, committee=com, name=who, position=position, term_start=term_start,
                                    phone=_phone(rng), user=user)
        out[village.pk if village else "town"] = com
    return out


def _screening(ctx, town, villages, year, months, actor, rng) -> dict:
    rounds = {}
    for v in villages:
        for m in months:
            period = dt.date(year, m, 1)
            rnd = ScreeningRound.objects.filter(village=v, period_start=period).first()
            if rnd is None:
                rnd = ss.screening_create(actor=actor, township=town, village=v, period_start=period,
                                          held_on=dt.date(year, m, rng.randint(3, 9)),
                                          screeners=f"{v.name}两委、驻村干部{_name(rng)}",
                                          findings="逐户走访排查婚姻家庭、邻里、山林土地等矛盾纠纷。")
            rounds[(v.pk, m)] = rnd
    return rounds


def _close_resolved(actor, d, rng, received, kind, oral, closed_on, mediator):
    sv.session_add(actor=actor, dispute=d, held_on=received + dt.timedelta(days=1), place=f"{d.village.name}委会调解室",
                   participants="、".join([p.name for p in d.parties.all()] + [mediator.name]),
                   record="听取双方陈述，释明相关法律规定，双方表示愿意协商解决。", next_step="")
    if closed_on - received > dt.timedelta(days=8):
        sv.session_add(actor=actor, dispute=d, held_on=closed_on - dt.timedelta(days=1), place="现场",
                       participants="、".join(p.name for p in d.parties.all()), record="实地查看后再次调解，双方达成一致。")
    a = sv.agreement_save(actor=actor, dispute=d, form="oral" if oral else "written",
                          facts=SUMMARIES[kind], terms=TERMS[kind], performance_method="当场履行" if oral else "按期履行",
                          performance_due=closed_on + dt.timedelta(days=rng.choice([0, 7, 15, 30])), agreed_on=closed_on)
    if not oral:
        for p in d.parties.all():
            sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.PARTY, party=p, signed_on=closed_on,
                              method=rng.choice(["sign", "sign", "fingerprint"]))
        sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.MEDIATOR, mediator=mediator, signed_on=closed_on)
        sv.agreement_sign(actor=actor, agreement=a, kind=Signature.Kind.SEAL, signed_on=closed_on)
    wf.dispute_transition(actor=actor, dispute=d, step="resolve", data={"closed_on": closed_on,
                          "agreement_form": "oral" if oral else "written", "reason": "双方达成调解协议"})
    return a


def _litou_2024(ctx):
    town, villages = ctx.litou, ctx.villages["litou"]
    rng = random.Random(20240101)
    actor = ctx.user("litou_mediator")
    committees = ensure_committees(ctx, town, villages, mediator_user=actor, rng=rng)
    rounds = _screening(ctx, town, villages, YEAR, range(1, 13), ctx.user("litou_legal_staff"), rng)
    if Dispute.objects.filter(township=town, received_on__year=YEAR).exists():
        return
    types = {t.name: t for t in DisputeType.objects.all()}
    kinds, sources = _spread(TYPE_COUNTS, rng), _spread(SOURCE_COUNTS, rng)
    village_list = [v for v, n in zip(villages, VILLAGE_COUNTS, strict=True) for _ in range(n)]
    rng.shuffle(village_list)
    months = [m for m, n in enumerate(MONTH_COUNTS, 1) for _ in range(n)]
    # Petitions that were handed to mediation (信访 as a source).
    petitions = []
    for i in range(sum(1 for s in sources if s == Dispute.Source.PETITION)):
        received = dt.date(YEAR, 3 + i * 3, 12)
        p = ps.petition_create(actor=actor, township=town, petitioner=_name(rng), form=Petition.Form.VISIT,
                               content="反映与邻户的山林、宅基地权属争议，请求乡政府协调处理。", received_on=received,
                               phone=_phone(rng))
        p = wf.petition_transition(actor=ctx.user("litou_legal_staff"), petition=p, step="accept",
                                   data={"on": received + dt.timedelta(days=5), "reason": "属于本机关职责范围，予以受理并转人民调解"})
        petitions.append(p)
    oral_left, unresolved_at = 12, 37
    for i, (month, kind, source, village) in enumerate(zip(months, kinds, sources, village_list, strict=True)):
        received = dt.date(YEAR, month, rng.randint(1, 26))
        petition = None
        if source == Dispute.Source.PETITION and petitions:
            petition = petitions.pop(0)
            received = max(received, petition.notice_on)
        if source == Dispute.Source.SCREENING:
            received = max(received, rounds[(village.pk, month)].held_on)
        if received.year > YEAR:
            received = dt.date(YEAR, 12, 20)
        area = "431127"
        parties = [{"name": _name(rng), "phone": _phone(rng), "side": Party.Side.APPLICANT,
                    "id_number": _id_number(rng, area, dt.date(rng.randint(1950, 2000), rng.randint(1, 12),
                                                               rng.randint(1, 28))),
                    "address": f"{town.name}{village.name}"},
                   {"name": _name(rng), "phone": _phone(rng), "side": Party.Side.RESPONDENT,
                    "address": f"{town.name}{village.name}"}]
        risk = Dispute.Risk.HIGH if kind in ("征地拆迁",) else rng.choice([Dispute.Risk.LOW] * 4 + [Dispute.Risk.MEDIUM])
        d = sv.dispute_create(actor=actor, township=town, village=village, dispute_type=types[kind],
                              summary=SUMMARIES[kind], received_on=received, source=source, risk_level=risk,
                              parties=parties, level=Level.VILLAGE,
                              screening_round=rounds[(village.pk, month)] if source == Dispute.Source.SCREENING else None,
                              petition=petition)
        committee = committees[village.pk]
        mediator = Mediator.objects.filter(committee=committee).order_by("id").first()
        wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": [mediator],
                              "started_on": received, "reason": "双方同意调解"})
        if risk == Dispute.Risk.HIGH or i in (5, 29):
            d = wf.dispute_transition(actor=actor, dispute=d, step="escalate", data={"to_level": Level.TOWNSHIP,
                                      "risk_level": Dispute.Risk.HIGH, "reason": "涉及人数较多、有激化可能，上报乡人民调解委员会"})
            mediator_t = Mediator.objects.filter(committee=committees["town"]).order_by("id").first()
            d.mediators.add(mediator_t)
        duration = rng.choice([2, 3, 5, 6, 8, 10, 12, 15, 18, 21, 25])
        closed_on = min(received + dt.timedelta(days=duration), dt.date(YEAR, 12, 31))
        if i == unresolved_at:
            sv.session_add(actor=actor, dispute=d, held_on=received + dt.timedelta(days=2), place="乡综治中心",
                           participants="、".join(p.name for p in d.parties.all()),
                           record="双方对地界主张分歧较大，均不同意对方方案。")
            wf.dispute_transition(actor=actor, dispute=d, step="terminate", data={"closed_on": closed_on,
                                  "routes_told": True, "referral": "引导当事人依法向蓝山县人民法院起诉", "reason": "双方分歧较大，调解不成，终止调解"})
            continue
        oral = oral_left > 0 and kind in ("邻里", "其他", "婚姻家庭") and duration <= 6
        oral_left -= oral
        a = _close_resolved(actor, d, rng, received, kind, oral, closed_on, mediator)
        if not oral and i % 9 == 0:
            sv.confirmation_record(actor=actor, agreement=a, applied_on=closed_on + dt.timedelta(days=rng.randint(3, 20)))
        d.refresh_from_db()
        sv.followup_add(actor=actor, dispute=d, visited_on=min(closed_on + dt.timedelta(days=rng.randint(7, 25)),
                                                                dt.date(YEAR + 1, 1, 20)),
                        visitor=mediator.name, performance="performed", method=rng.choice(["visit", "phone"]),
                        note="当事人表示协议已履行，关系和睦。")
    for p in Petition.objects.filter(township=town, received_on__year=YEAR, status=Petition.Status.ACCEPTED):
        wf.petition_transition(actor=ctx.user("litou_legal_staff"), petition=p, step="conclude",
                               data={"on": p.notice_on + dt.timedelta(days=30), "conclusion": "经人民调解，双方达成协议，信访事项办结。"})


def _recent(ctx, town, villages, prefix):
    """A few current disputes and a petition so the to-do list and the overdue ledger have content."""
    today = dt.date.today()
    if Dispute.objects.filter(township=town, received_on__year=today.year).exists():
        return
    actor = ctx.user(f"{prefix}_mediator")
    types = {t.name: t for t in DisputeType.objects.all()}
    rng = random.Random(today.year + town.pk)
    for days_ago, kind, start in ((45, "土地山林", True), (12, "邻里", True), (3, "婚姻家庭", False)):
        received = today - dt.timedelta(days=days_ago)
        village = villages[days_ago % len(villages)]
        d = sv.dispute_create(actor=actor, township=town, village=village, dispute_type=types[kind],
                              summary=SUMMARIES[kind], received_on=received, source=Dispute.Source.APPLICATION,
                              parties=[{"name": _name(rng), "phone": _phone(rng)},
                                       {"name": _name(rng), "side": Party.Side.RESPONDENT}], level=Level.VILLAGE)
        mediators = [m for m in Mediator.objects.filter(township=town).order_by("id") if m.in_term(received)][:1]
        if start and mediators:
            wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": mediators,
                                  "started_on": received, "reason": "双方同意调解"})
    if not Petition.objects.filter(township=town, received_on__year=today.year).exists():
        ps.petition_create(actor=actor, township=town, petitioner=_name(rng), content="反映村道硬化占用承包地补偿问题。",
                           received_on=today - dt.timedelta(days=6), phone=_phone(rng))


def _demo2(ctx):
    town, villages = ctx.demo2, ctx.villages["demo2"]
    rng = random.Random(202402)
    actor = ctx.user("demo2_mediator")
    ensure_committees(ctx, town, villages, mediator_user=actor, rng=rng)
    if Dispute.objects.filter(township=town, received_on__year=YEAR).exists():
        return
    types = {t.name: t for t in DisputeType.objects.all()}
    _screening(ctx, town, villages, YEAR, [3, 6, 9], ctx.user("demo2_legal_staff"), rng)
    for i, kind in enumerate(["邻里", "婚姻家庭", "土地山林", "劳资", "合同"]):
        village = villages[i % len(villages)]
        received = dt.date(YEAR, 2 + i * 2, 10)
        d = sv.dispute_create(actor=actor, township=town, village=village, dispute_type=types[kind],
                              summary=SUMMARIES[kind], received_on=received, source=Dispute.Source.APPLICATION,
                              parties=[{"name": _name(rng), "phone": _phone(rng)},
                                       {"name": _name(rng), "side": Party.Side.RESPONDENT}], level=Level.VILLAGE)
        if i == 4:
            wf.dispute_transition(actor=actor, dispute=d, step="refuse", data={"closed_on": received,
                                  "refused_by": d.parties.last().name, "reason": "被申请人明确表示不同意调解"})
            continue
        mediator = Mediator.objects.filter(committee__village=village).order_by("id").first()
        wf.dispute_transition(actor=actor, dispute=d, step="start", data={"mediators": [mediator],
                              "started_on": received})
        _close_resolved(actor, d, rng, received, kind, False, received + dt.timedelta(days=6), mediator)


def load(ctx):
    ensure_dispute_types()
    _litou_2024(ctx)
    _recent(ctx, ctx.litou, ctx.villages["litou"], "litou")
    _demo2(ctx)
    _recent(ctx, ctx.demo2, ctx.villages["demo2"], "demo2")
    _online_applications(ctx)


PHOTO_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
             b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00"
             b"\x00IEND\xaeB`\x82")


def _online_applications(ctx):
    """One application from the portal waiting to be accepted (with a photo), one declined (Art. 17)."""
    from django.core.files.base import ContentFile

    from fazhi.mediation.models import Application
    from fazhi.mediation.services import applications

    if Application.objects.filter(township=ctx.litou).exists():
        return
    village = ctx.villages["litou"][1]
    applications.application_submit_public(township=ctx.litou, data={
        "village": village, "applicant_name": "赵桂兰", "applicant_phone": "13907460001", "other_party": "赵某林",
        "facts": "邻居在我家承包地边上砌围墙，占了约半米宽的地，多次协商未果。", "wish": "请调解委员会主持协商，拆除占地部分。"},
        photos=[ContentFile(PHOTO_PNG, name="围墙.png")])
    declined = applications.application_submit_public(township=ctx.litou, data={
        "village": ctx.villages["litou"][0], "applicant_name": "盘志强", "applicant_phone": "13907460002",
        "other_party": "某建材店", "facts": "购买的瓷砖有质量问题。", "wish": "退货退款。"})
    wf.application_transition(actor=ctx.user("litou_mediator"), application=declined, step="decline",
                              data={"reason_key": "refused", "note": "已电话联系对方，对方表示不同意调解，将通过市场监管部门投诉处理。"})
