"""Demo: 犁头瑶族乡's 2024 enforcement (seed 一(四), 二): a township government and its 综合行政执法队,
exactly 4 officers holding valid certificates (“持有执法证件的干部仅4人”), routine patrols recorded on body
cameras, a handful of cases, and one major case through notice, hearing, legal review (two rounds) and
collective discussion. Everything goes through the services, so guards and the audit chain apply."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone

from fazhi.enforcement import publication, records, services
from fazhi.enforcement.models import (
    CHECKLIST,
    Case,
    CaseStatus,
    EnforcementBody,
    Inspection,
    Officer,
    Power,
    ReviewOutcome,
)
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import coercion as coercion_flow
from fazhi.enforcement.workflow import measures as measure_flow
from fazhi.enforcement.workflow import proceedings, registration

D = dt.date
S = CaseStatus
# A tiny MP4 header standing in for body-camera footage (the evidence store sniffs the bytes).
# Well formed (boxes / segments tile the file): the store checks structure, not only the first bytes.
_CLIP = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08free"


def _at(d: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime(d.year, d.month, d.day, hour, 0))


def _clip(n: str):
    media = b"\x00" * 256 + n.encode()  # a different clip per record
    return [(io.BytesIO(_CLIP + (len(media) + 8).to_bytes(4, "big") + b"mdat" + media), f"{n}.mp4")]


def load(ctx) -> None:
    _litou(ctx)
    _huiyuan(ctx)
    _random_checks(ctx)


# --- catalogue and roster -----------------------------------------------------------------------

POWERS = [
    # code, name, category, violation basis, penalty basis, range, min, max, flags
    ("LT-XZCF-001", "对在森林防火期内未经批准擅自在森林防火区内野外用火的处罚", "forest",
     "《森林防火条例》第二十五条", "《森林防火条例》第五十条",
     "责令停止违法行为，给予警告，对个人并处200元以上3000元以下罚款，对单位并处1万元以上5万元以下罚款",
     Decimal("200"), Decimal("50000"), {}),
    ("LT-XZCF-002", "对农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的处罚", "land",
     "《中华人民共和国土地管理法》第六十二条", "《中华人民共和国土地管理法》第七十八条",
     "责令退还非法占用的土地，限期拆除在非法占用的土地上新建的房屋", None, None,
     {"hearing_triggered": True, "legal_review_required": True}),
    ("LT-XZCF-003", "对未取得乡村建设规划许可证或者未按照许可证的规定进行建设的处罚", "planning",
     "《中华人民共和国城乡规划法》第四十一条", "《中华人民共和国城乡规划法》第六十五条",
     "责令停止建设、限期改正；逾期不改正的，可以拆除", None, None, {}),
    ("LT-XZCF-004", "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的处罚", "sanitation",
     "《中华人民共和国固体废物污染环境防治法》第四十九条", "《中华人民共和国固体废物污染环境防治法》第一百一十一条",
     "责令改正，对单位处五万元以上五十万元以下的罚款，对个人处一百元以上五百元以下的罚款",
     Decimal("100"), Decimal("500000"), {}),
    ("LT-XZCF-005", "对非法收购、运输盗伐、滥伐的林木的处罚", "forest",
     "《中华人民共和国森林法》第六十五条", "《中华人民共和国森林法》第七十八条",
     "责令停止违法行为，没收违法收购、加工的林木或者变卖所得，可以处违法收购、加工的林木货值金额三倍以下的罚款",
     Decimal("0"), Decimal("30000"), {}),
]
BANDS = {
    "LT-XZCF-001": [("minor", "个人用火面积小、及时自行扑灭、未造成损失", "200", "1000"),
                    ("general", "个人用火未扑灭或造成轻微损失", "1000", "3000"),
                    ("serious", "单位用火，未造成森林火灾", "10000", "30000"),
                    ("severe", "单位用火，屡教不改或造成损失", "30000", "50000")],
    "LT-XZCF-004": [("minor", "个人初次随意倾倒，及时清理", "100", "300"),
                    ("general", "个人多次倾倒或拒不清理", "300", "500")],
}
OFFICERS = [
    # name, post, cert_no, user, valid_from, valid_until (None: 45 days from today, to show the 60-day warning)
    ("李执法", "综合行政执法队队长", "43112720220001", "litou_officer", D(2022, 7, 1), D(2027, 6, 30)),
    ("盘志强", "综合行政执法队队员", "43112720220002", None, D(2022, 7, 1), D(2027, 6, 30)),
    ("赵晓红", "综合行政执法队队员", "43112720220003", None, D(2022, 7, 1), None),
    ("黄建军", "党政综合办公室干部", "43112720230004", None, D(2023, 3, 1), D(2028, 2, 28)),
]


def _catalogue(ctx, town, actor, bodies_spec, powers_spec, bands_spec):
    bodies = {}
    for name, kind, basis in bodies_spec:
        body = EnforcementBody.objects.filter(township=town, name=name).first()
        bodies[kind] = body or services.body_save(actor=actor, township=town, name=name, kind=kind, legal_basis=basis)
    powers = {}
    for code, name, cat, vb, pb, rng, lo, hi, flags in powers_spec:
        p = Power.objects.filter(township=town, code=code).first()
        powers[code] = p or services.power_save(
            actor=actor, township=town, body=bodies["government"], code=code, name=name, category=cat,
            violation_basis=vb, penalty_basis=pb, penalty_range=rng, fine_min=lo, fine_max=hi, **flags)
        if not p:
            for level, text, a, b in bands_spec.get(code, []):
                services.band_save(actor=actor, power=powers[code], level=level, circumstances=text,
                                   fine_min=Decimal(a), fine_max=Decimal(b))
    return bodies, powers


def _officer(ctx, town, actor, body, name, post, cert_no, username, start, until, **extra):
    o = Officer.objects.filter(township=town, name=name).first()
    if o:
        return o
    if cert_no and until is None:
        until = max(D(2025, 6, 30), dt.date.today() + dt.timedelta(days=45))
    fields = {"cert_no": cert_no, "cert_issuer": "湖南省人民政府", "cert_valid_from": start,
              "cert_valid_until": until, "cert_status": "valid"} if cert_no else {}
    return services.officer_save(actor=actor, township=town, name=name, post=post, body=body,
                                 user=ctx.user(username) if username else None, **fields, **extra)


# --- 犁头瑶族乡 -------------------------------------------------------------------------------------

def _litou(ctx) -> None:
    town = ctx.litou
    leader, officer, legal = ctx.user("litou_leader"), ctx.user("litou_officer"), ctx.user("litou_legal_staff")
    bodies, powers = _catalogue(ctx, town, leader, [
        ("犁头瑶族乡人民政府", "government", "《湖南省人民政府关于赋予乡镇（街道）经济社会管理权限的决定》"),
        ("犁头瑶族乡综合行政执法队", "team", "蓝山县乡镇综合行政执法改革实施方案"),
    ], POWERS, BANDS)
    team = bodies["team"]
    off = [_officer(ctx, town, leader, team, *row) for row in OFFICERS]
    _officer(ctx, town, leader, team, "邓卫国", "原综合行政执法队队员", "43112720170009", None,
             D(2018, 1, 1), D(2023, 12, 31))  # expired before 2024: not counted, cannot be assigned
    reviewer = _officer(ctx, town, leader, None, "唐法治", "司法所所长（法制审核人员）", "", "litou_legal_staff",
                        None, None, legal_qualified=True, legal_qualification_no="A20194311270012")
    if Case.objects.filter(township=town, year=2024).exists():
        return
    villages = ctx.villages["litou"]
    inspections = _inspections(town, officer, off, villages)
    _cases(town, leader, officer, legal, off, reviewer, powers, inspections)


PATROLS = [
    ("森林防火巡查", "forest"), ("农村建房巡查", "planning"), ("河道及环境卫生巡查", "sanitation"),
    ("集镇市容秩序巡查", "sanitation"),
]


def _inspections(town, actor, off, villages):
    made = []
    pairs = [(off[0], off[1]), (off[2], off[3]), (off[0], off[2]), (off[1], off[3])]
    for month in range(1, 13):
        for k, day in enumerate((9, 23)):
            d = D(2024, month, day)
            while d.weekday() >= 5:
                d += dt.timedelta(days=1)
            subject, _cat = PATROLS[(month + k) % len(PATROLS)]
            village = villages[(month + k) % len(villages)]
            findings, result = "未发现违法行为。", "none"
            if (month, k) in {(2, 0), (4, 1), (7, 0), (10, 1)}:
                findings, result = "发现村民在房前屋后乱堆建筑垃圾，已当场责令清理。", "corrected"
            ins = services.inspection_create(
                actor=actor, township=town, officers=pairs[(month + k) % 4], kind="planned" if k == 0 else "adhoc",
                date=d, village=village, place=f"{village.name}", subject=subject, findings=findings, result=result,
                today=d)
            records.record_create(actor=actor, township=town, stage="patrol", inspection=ins,
                                   text=f"{subject}：{findings}", recorded_at=_at(d, 9), officers=pairs[(month + k) % 4],
                                   device="执法记录仪 DSJ-LT0" + str((month + k) % 4 + 1), place=village.name,
                                   files=_clip(f"patrol-{d:%Y%m%d}") if month % 3 == 0 else (), today=d)
            made.append(ins)
    return made


def _review_all_pass(comment=""):
    return {k: (True, comment) for k, _ in CHECKLIST}


def _cases(town, leader, officer, legal, off, reviewer, powers, inspections):
    a, b, c, d = off
    fire, land, sanitation, timber = (powers["LT-XZCF-001"], powers["LT-XZCF-002"], powers["LT-XZCF-004"],
                                      powers["LT-XZCF-005"])
    t = case_flow.case_transition

    # 1. The major case: a timber mill burning in the fire-prevention zone (hearing, two review rounds,
    #    collective discussion, publication, payment, archive).
    ins = services.inspection_create(
        actor=officer, township=town, officers=[a, b], kind="adhoc", date=D(2024, 3, 26), place="山背村林区",
        village=next(v for v in inspections[0].township.children.all() if v.name == "山背村"),
        subject="森林防火专项巡查", findings="发现山背村林区边缘有人焚烧木材加工废料，已当场制止并扑灭。",
        result="none", today=D(2024, 3, 26))
    records.record_create(actor=officer, township=town, stage="patrol", inspection=ins,
                           text="巡查发现林区边缘焚烧废料，现场制止、拍照并录像。", officers=[a, b],
                           device="执法记录仪 DSJ-LT01", recorded_at=_at(D(2024, 3, 26), 14), place="山背村林区",
                           files=_clip("major-patrol"), today=D(2024, 3, 26))
    major = services.inspection_open_case(
        actor=officer, inspection=ins, power=fire, officers=[a, b], today=ins.date,
        title="蓝山县某木材加工厂森林防火期内擅自野外用火案", party_kind="org", party_name="蓝山县某木材加工厂",
        party_id_no="91431127MA4L000X1K", party_phone="0746-2281234", party_representative="盘某某",
        party_address="犁头瑶族乡山背村", violation_date=ins.date - dt.timedelta(days=1), place="山背村林区边缘",
        facts="当事人于森林防火期内，未经批准在山背村林区边缘焚烧木材加工废料约2小时，过火面积约30平方米，"
              "经执法人员制止后扑灭，未造成森林火灾。",
        major_public_interest=True, serious_violation=True,
        filing_opinion="涉嫌违反《森林防火条例》第二十五条，建议立案调查。")
    f = ins.date + dt.timedelta(days=3)
    t(actor=leader, case=major, step="approve", today=f, data={"filed_on": f, "filing_opinion": "同意立案。"})
    records.record_create(actor=officer, township=town, case=major, stage="investigation",
                           text="现场勘验，询问当事人法定代表人，制作现场检查笔录和询问笔录。", officers=[a, b],
                           device="执法记录仪 DSJ-LT01", recorded_at=_at(f, 10), place="山背村林区",
                           files=_clip("major-investigation"), today=f)
    n = D(2024, 4, 8)
    t(actor=officer, case=major, step="notice", today=n, data={
        "notice_served_on": n, "evidence_summary": "现场检查笔录、询问笔录、现场照片、执法记录仪视频、证人证言",
        "reasons": "当事人系单位，在森林防火期内擅自野外用火，情节较重。", "penalty_kind": "fine",
        "fine_amount": Decimal("20000"), "band": fire.bands.get(level="serious"),
        "penalty_detail": "警告，并处罚款人民币20000元"})
    t(actor=officer, case=major, step="hearing_request", today=D(2024, 4, 10),
      data={"hearing_requested_on": D(2024, 4, 10)})
    h = proceedings.hearing_schedule(actor=officer, case=major, notice_served_on=D(2024, 4, 12),
                                  scheduled_on=D(2024, 4, 23), place="犁头瑶族乡人民政府会议室", presiding=c,
                                  recorder=d, today=D(2024, 4, 12))
    services.hearing_record(actor=officer, hearing=h, held_on=D(2024, 4, 23), today=D(2024, 4, 23),
                            transcript="当事人承认用火事实，辩称系清理厂区废料，请求从轻处罚。调查人员出示证据，双方质证。",
                            opinion="事实清楚，当事人已及时扑灭，可在裁量基准内处罚。")
    records.record_create(actor=officer, township=town, case=major, stage="hearing", text="听证全程录音录像。",
                           officers=[c, d], device="会议室录像设备", recorded_at=_at(D(2024, 4, 23), 15),
                           files=_clip("major-hearing"), today=D(2024, 4, 23))
    r1 = services.legal_review_submit(actor=officer, case=major, reviewer=reviewer, submitted_on=D(2024, 4, 25),
                                      today=D(2024, 4, 25))
    items = _review_all_pass()
    items["evidence"] = (False, "缺少过火面积的测量记录，请补充")
    services.legal_review_conclude(actor=legal, review=r1, items=items, outcome=ReviewOutcome.RETURNED,
                                   opinion="证据尚不充分，退回补充过火面积测量记录。", reviewed_on=D(2024, 4, 28),
                                   today=D(2024, 4, 28))
    records.record_create(actor=officer, township=town, case=major, stage="investigation",
                           text="补充测量过火面积，制作勘验笔录。", officers=[a, b], device="执法记录仪 DSJ-LT01",
                           recorded_at=_at(D(2024, 5, 6), 10), today=D(2024, 5, 6))
    r2 = services.legal_review_submit(actor=officer, case=major, reviewer=reviewer, submitted_on=D(2024, 5, 8),
                                      today=D(2024, 5, 8))
    services.legal_review_conclude(actor=legal, review=r2, items=_review_all_pass("符合"),
                                   outcome=ReviewOutcome.PASSED, opinion="事实清楚，证据确凿，适用依据正确，程序合法，"
                                   "罚款数额在裁量基准（较重）范围内，同意提交集体讨论。", reviewed_on=D(2024, 5, 13),
                                   today=D(2024, 5, 13))
    t(actor=leader, case=major, step="collective", today=D(2024, 5, 14), data={"reason": "重大行政处罚，提交乡领导班子集体讨论"})
    proceedings.discussion_record(
        actor=leader, case=major, held_on=D(2024, 5, 16), place="乡政府三楼会议室", chair="雷斌",
        attendees="雷斌、赵巾英、李文杰、唐法治、李执法",
        opinions=[("李执法", "agree", "汇报案情，建议罚款20000元。"), ("唐法治", "agree", "法制审核已通过，同意。"),
                  ("李文杰", "agree", "同意，同时加强林区用火宣传。"), ("赵巾英", "agree", "同意。"),
                  ("雷斌", "agree", "同意对当事人给予警告并处罚款20000元。")],
        conclusion="经集体讨论，决定对蓝山县某木材加工厂给予警告，并处罚款人民币20000元。",
        minutes="会议听取承办人汇报和法制审核意见，与会人员逐一发表意见，一致同意。", today=D(2024, 5, 16))
    t(actor=leader, case=major, step="decide", today=D(2024, 5, 20), data={
        "outcome": "penalty", "decided_on": D(2024, 5, 20), "payment_place": "蓝山县农村商业银行犁头支行（非税收入账户）",
        "statement": "请求从轻处罚。", "statement_response": "已在裁量基准内考虑当事人及时扑灭的情节。"})
    t(actor=officer, case=major, step="serve", today=D(2024, 5, 21), data={
        "served_on": D(2024, 5, 21), "service_method": "direct", "service_recipient": "盘某某"})
    records.record_create(actor=officer, township=town, case=major, stage="service", text="直接送达行政处罚决定书。",
                           officers=[a, b], device="执法记录仪 DSJ-LT01", recorded_at=_at(D(2024, 5, 21)),
                           files=_clip("major-service"), today=D(2024, 5, 21))
    publication.publication_publish(actor=officer, case=major, published_on=D(2024, 5, 24), today=D(2024, 5, 24))
    t(actor=officer, case=major, step="execute", today=D(2024, 5, 22), data={"reason": "等待当事人缴纳罚款"})
    services.case_record_payment(actor=officer, case=major, paid_on=D(2024, 6, 3), paid_amount=Decimal("20000"),
                                 today=D(2024, 6, 3))
    t(actor=officer, case=major, step="close", today=D(2024, 6, 5), data={"closed_on": D(2024, 6, 5),
                                                                          "execution_note": "罚款已全额缴纳。"})
    t(actor=officer, case=major, step="archive", today=D(2024, 6, 20), data={"archived_on": D(2024, 6, 20)})

    # 2. An ordinary fine on a villager burning in the fire-prevention zone (no hearing: under 2,000 yuan).
    c2 = registration.case_create(
        actor=officer, township=town, power=fire, officers=[c, d], source="complaint",
        title="李某某森林防火期内野外烧荒案", party_name="李某某", party_id_no="431127196503121234",
        party_phone="13907461234", party_address="犁头瑶族乡新屋地村4组", discovered_on=D(2024, 2, 26),
        violation_date=D(2024, 2, 25), facts="当事人在森林防火期内未经批准在新屋地村责任山烧荒，被群众举报后扑灭。",
        today=D(2024, 2, 26))
    t(actor=leader, case=c2, step="approve", today=D(2024, 2, 27), data={"filed_on": D(2024, 2, 27)})
    t(actor=officer, case=c2, step="notice", today=D(2024, 3, 5), data={
        "notice_served_on": D(2024, 3, 5), "reasons": "个人用火面积较小且已扑灭，属轻微情节。",
        "penalty_kind": "fine", "fine_amount": Decimal("500"), "band": fire.bands.get(level="minor"),
        "penalty_detail": "警告，并处罚款人民币500元"})
    t(actor=leader, case=c2, step="decide", today=D(2024, 3, 14), data={"outcome": "penalty",
                                                                        "decided_on": D(2024, 3, 14)})
    t(actor=officer, case=c2, step="serve", today=D(2024, 3, 15), data={
        "served_on": D(2024, 3, 15), "service_method": "direct", "service_recipient": "李某某"})
    publication.publication_publish(actor=officer, case=c2, published_on=D(2024, 3, 19), today=D(2024, 3, 19))
    services.case_record_payment(actor=officer, case=c2, paid_on=D(2024, 3, 25), paid_amount=Decimal("500"),
                                 today=D(2024, 3, 25))
    t(actor=officer, case=c2, step="close", today=D(2024, 3, 26), data={"closed_on": D(2024, 3, 26)})

    # 3. First minor violation, corrected at once: no penalty (行政处罚法第三十三条).
    c3 = registration.case_create(
        actor=officer, township=town, power=sanitation, officers=[a, c], source="inspection",
        title="盘某某随意倾倒生活垃圾案", party_name="盘某某", party_address="犁头瑶族乡犁头村2组",
        discovered_on=D(2024, 7, 9), violation_date=D(2024, 7, 9),
        facts="当事人将生活垃圾倾倒在犁头河河道边，经责令后当日清理完毕。", today=D(2024, 7, 9))
    t(actor=leader, case=c3, step="approve", today=D(2024, 7, 10), data={"filed_on": D(2024, 7, 10)})
    t(actor=leader, case=c3, step="decide", today=D(2024, 7, 18), data={
        "outcome": "no_penalty", "decided_on": D(2024, 7, 18),
        "reasons": "当事人初次违法且危害后果轻微并及时改正，依据《中华人民共和国行政处罚法》第三十三条第一款不予行政处罚，"
                   "并对其进行教育。"})
    t(actor=officer, case=c3, step="serve", today=D(2024, 7, 19), data={
        "served_on": D(2024, 7, 19), "service_method": "direct", "service_recipient": "盘某某"})
    t(actor=officer, case=c3, step="close", today=D(2024, 7, 19), data={"closed_on": D(2024, 7, 19)})

    # 4. Illegal timber transport: seizure (video-recorded), confiscation and a fine; party waived rights.
    c4 = registration.case_create(
        actor=officer, township=town, power=timber, officers=[a, b], source="inspection",
        title="赵某某非法运输滥伐林木案", party_name="赵某某", party_id_no="431127197811205678",
        party_phone="13574661234", party_address="犁头瑶族乡毛栗坪村1组", discovered_on=D(2024, 9, 10),
        violation_date=D(2024, 9, 10), facts="当事人驾驶农用车运输无合法来源的杉木原木3.2立方米。",
        today=D(2024, 9, 10))
    t(actor=leader, case=c4, step="approve", today=D(2024, 9, 10), data={"filed_on": D(2024, 9, 10)})
    m = records.measure_create(actor=officer, case=c4, kind="seize", items="杉木原木3.2立方米",
                                started_on=D(2024, 9, 10), approved_by="雷斌", today=D(2024, 9, 10))
    records.record_create(actor=officer, township=town, case=c4, measure=m, stage="coercion",
                           text="现场扣押杉木原木，清点登记，当事人签字确认。", officers=[a, b],
                           device="执法记录仪 DSJ-LT02", recorded_at=_at(D(2024, 9, 10), 16),
                           place="毛栗坪村村道", files=_clip("timber-seizure"), today=D(2024, 9, 10))
    t(actor=officer, case=c4, step="notice", today=D(2024, 9, 20), data={
        "notice_served_on": D(2024, 9, 20), "reasons": "运输的林木无合法来源证明。", "penalty_kind": "confiscation",
        "confiscation_amount": Decimal("1800"), "fine_amount": Decimal("1500"),
        "penalty_detail": "没收扣押的杉木原木3.2立方米，并处罚款人民币1500元",
        "notice_waived": True, "notice_waiver_note": "当事人书面表示放弃陈述、申辩和听证权利"})
    t(actor=leader, case=c4, step="decide", today=D(2024, 9, 24), data={"outcome": "penalty",
                                                                        "decided_on": D(2024, 9, 24)})
    measure_flow.measure_transition(actor=officer, measure=m, step="close",
                                data={"closed_on": D(2024, 9, 24), "note": "依处罚决定没收"},
                           today=D(2024, 9, 24))
    t(actor=officer, case=c4, step="serve", today=D(2024, 9, 25), data={
        "served_on": D(2024, 9, 25), "service_method": "direct", "service_recipient": "赵某某"})
    publication.publication_publish(actor=officer, case=c4, published_on=D(2024, 9, 27), today=D(2024, 9, 27))
    services.case_record_payment(actor=officer, case=c4, paid_on=D(2024, 10, 8), paid_amount=Decimal("1500"),
                                 today=D(2024, 10, 8))
    t(actor=officer, case=c4, step="close", today=D(2024, 10, 9), data={"closed_on": D(2024, 10, 9)})

    # 5. A land case filed in December 2024 and decided in January 2025 (legal review by law).
    c5 = registration.case_create(
        actor=officer, township=town, power=land, officers=[c, d], source="inspection",
        title="黄某某未经批准占用耕地建房案", party_name="黄某某", party_address="犁头瑶族乡山背村3组",
        discovered_on=D(2024, 12, 9), violation_date=D(2024, 11, 20),
        facts="当事人未经批准在山背村3组占用耕地约120平方米建设住宅地基。", today=D(2024, 12, 9))
    t(actor=leader, case=c5, step="approve", today=D(2024, 12, 10), data={"filed_on": D(2024, 12, 10)})
    records.record_create(actor=officer, township=town, case=c5, stage="investigation",
                           text="现场测量占地面积，拍照取证，询问当事人。", officers=[c, d], device="执法记录仪 DSJ-LT03",
                           recorded_at=_at(D(2024, 12, 10)), files=_clip("land-investigation"), today=D(2024, 12, 10))
    t(actor=officer, case=c5, step="notice", today=D(2024, 12, 20), data={
        "notice_served_on": D(2024, 12, 20), "reasons": "未经批准非法占用耕地建住宅。", "penalty_kind": "other",
        "penalty_detail": "责令退还非法占用的土地，限期15日内拆除在非法占用的土地上新建的住宅地基"})
    rv = services.legal_review_submit(actor=officer, case=c5, reviewer=reviewer, submitted_on=D(2025, 1, 2),
                                      today=D(2025, 1, 2))
    services.legal_review_conclude(actor=legal, review=rv, items=_review_all_pass("符合"),
                                   outcome=ReviewOutcome.PASSED, opinion="同意。", reviewed_on=D(2025, 1, 6),
                                   today=D(2025, 1, 6))
    t(actor=leader, case=c5, step="decide", today=D(2025, 1, 10), data={"outcome": "penalty",
                                                                        "decided_on": D(2025, 1, 10)})
    t(actor=officer, case=c5, step="serve", today=D(2025, 1, 13), data={
        "served_on": D(2025, 1, 13), "service_method": "direct", "service_recipient": "黄某某"})
    publication.publication_publish(actor=officer, case=c5, published_on=D(2025, 1, 15), today=D(2025, 1, 15))
    _demolition(town, leader, officer, [c, d], c5)
    _proxy(town, leader, officer, [a, b], sanitation)

    # Simplified procedure on the spot (行政处罚法第五十一条).
    for day, title, party, kind, fine, paid in [
        (D(2024, 4, 16), "占道堆放建筑材料", "邓某某", "warning", None, False),
        (D(2024, 6, 12), "随意倾倒生活垃圾", "蒋某某", "fine", Decimal("100"), True),
        (D(2024, 11, 5), "随意倾倒装修垃圾", "陈某某", "fine", Decimal("200"), False),
    ]:
        sc = registration.case_simple_decide(actor=officer, township=town, power=sanitation, officers=[a, d],
                                         party_kind="person", party_name=party, penalty_kind=kind, fine_amount=fine,
                                         facts=f"当事人{title}，经现场检查属实。", title=f"{party}{title}案",
                                         place="犁头瑶族乡集镇",
                                         decided_on=day, onspot_paid=paid, today=day,
                                         **({"onspot_receipt_no": f"湘财罚{day:%Y%m%d}01"} if paid else {}))
        if kind == "fine" and not paid:
            services.case_record_payment(actor=officer, case=sc, paid_on=day + dt.timedelta(days=6),
                                         paid_amount=fine, today=day + dt.timedelta(days=6))
        if kind == "warning" or sc.paid_on:
            t(actor=officer, case=sc, step="close", today=sc.paid_on or day, data={"closed_on": sc.paid_on or day})


def _demolition(town, leader, officer, officers, case) -> None:
    """The 限期拆除 case the party did not perform: 催告 → 陈述申辩 → 决定 → 送达 → 公告 → 强制拆除 (行政强制法
    第三十五条至第四十四条), after the remedy periods lapsed, video-recorded, then closed."""
    if case.coercions.exists():
        return
    co = coercion_flow.coercion_start(actor=officer, case=case, demolition=True, today=D(2025, 2, 10),
                                      obligation="退还非法占用的耕地，拆除在山背村3组占用耕地新建的住宅地基（约120平方米）。")
    step = coercion_flow.coercion_transition
    co = step(actor=officer, coercion=co, step="urge", today=D(2025, 2, 10), data={
        "urged_on": D(2025, 2, 10), "performance_days": 10, "perform_method": "当事人自行拆除地基并复耕"})
    records.record_create(actor=officer, township=town, coercion=co, stage="service",
                           text="直接送达催告书，当事人签收，告知其陈述权和申辩权。", officers=officers,
                           device="执法记录仪 DSJ-LT03", recorded_at=_at(D(2025, 2, 10)), place="山背村3组",
                           files=_clip("demolition-urge"), today=D(2025, 2, 10))
    co = step(actor=officer, coercion=co, step="statement", today=D(2025, 2, 14), data={
        "statement_on": D(2025, 2, 14), "statement": "当事人称地基系为儿子结婚建房所用，请求暂缓拆除。",
        "statement_response": "经复核，当事人未取得农村宅基地批准，占用的是耕地，所称理由不能成立，不予采纳。"})
    co = step(actor=leader, coercion=co, step="decide", today=D(2025, 2, 24), data={
        "decided_on": D(2025, 2, 24), "means": "强制拆除违法建设的住宅地基，恢复耕地原状",
        "decision_reason": "当事人经催告逾期仍不履行限期拆除决定，且无正当理由；依据《中华人民共和国土地管理法》第七十八条、"
                           "《中华人民共和国行政强制法》第三十七条、第四十四条。"})
    co = step(actor=officer, coercion=co, step="serve", today=D(2025, 2, 25), data={
        "decision_served_on": D(2025, 2, 25), "service_method": "direct", "service_recipient": "黄某某"})
    co = step(actor=officer, coercion=co, step="announce", today=D(2025, 2, 26), data={
        "announced_on": D(2025, 2, 26), "self_removal_days": 15})
    records.record_create(actor=officer, township=town, coercion=co, stage="coercion",
                           text="现场强制拆除住宅地基，全程录像；拆除后平整复耕。", officers=officers,
                           device="执法记录仪 DSJ-LT03", recorded_at=_at(D(2025, 7, 16), 9), place="山背村3组",
                           files=_clip("demolition-removal"), today=D(2025, 7, 16))
    co = step(actor=officer, coercion=co, step="execute", today=D(2025, 7, 16), data={
        "executed_at": _at(D(2025, 7, 16), 9), "means": "强制拆除违法建设的住宅地基",
        "execution_note": "公告期满当事人未自行拆除，复议、诉讼期限届满后依法强制拆除地基约120平方米，退还耕地。"})
    case_flow.case_transition(actor=officer, case=case, step="close", today=D(2025, 7, 17), data={
        "closed_on": D(2025, 7, 17), "execution_note": "经催告、强制执行决定和公告，当事人逾期未自行拆除，"
                                                       "于2025年7月16日依法强制拆除地基，退还耕地并复耕。"})


def _proxy(town, leader, officer, officers, power) -> None:
    """代履行 (行政强制法第五十条、第五十一条): a party ordered to clear construction waste dumped beside the river does
    not, after the 催告; the waste would pollute the river, so the township has it cleared by a third party with no
    interest in the matter: 代履行决定 → 送达 → 三日前催告 → 代履行 (the agency present, the record signed by its
    staff, the performer and a witness), the cost borne by the party (Art. 51 ¶2); then the case is closed."""
    title = "邓某某在舜水河岸倾倒建筑垃圾案"
    if Case.objects.filter(township=town, title=title).exists():
        return
    t, step = case_flow.case_transition, coercion_flow.coercion_transition
    case = registration.case_create(
        actor=officer, township=town, power=power, officers=officers, source="inspection", title=title,
        party_name="邓某某", party_address="犁头瑶族乡犁头村4组", discovered_on=D(2025, 3, 3),
        violation_date=D(2025, 3, 1), today=D(2025, 3, 3),
        facts="当事人将自建房装修产生的建筑垃圾约15立方米倾倒在舜水河犁头村段河岸，部分已滑入河道。")
    t(actor=leader, case=case, step="approve", today=D(2025, 3, 4), data={"filed_on": D(2025, 3, 4)})
    t(actor=officer, case=case, step="notice", today=D(2025, 3, 10), data={
        "notice_served_on": D(2025, 3, 10), "reasons": "随意倾倒建筑垃圾，污染河道。", "penalty_kind": "other",
        "penalty_detail": "责令改正：限于2025年3月31日前清除倾倒在舜水河岸的建筑垃圾，恢复河岸原状"})
    t(actor=leader, case=case, step="decide", today=D(2025, 3, 20), data={"outcome": "penalty",
                                                                          "decided_on": D(2025, 3, 20)})
    t(actor=officer, case=case, step="serve", today=D(2025, 3, 21), data={
        "served_on": D(2025, 3, 21), "service_method": "direct", "service_recipient": "邓某某"})
    co = coercion_flow.coercion_start(actor=officer, case=case, route="proxy", today=D(2025, 4, 7),
                                      obligation="清除倾倒在舜水河犁头村段河岸的建筑垃圾约15立方米，恢复河岸原状。")
    co = step(actor=officer, coercion=co, step="urge", today=D(2025, 4, 7), data={
        "urged_on": D(2025, 4, 7), "performance_days": 10, "perform_method": "当事人自行清运至乡建筑垃圾消纳点"})
    co = step(actor=leader, coercion=co, step="proxy_decide", today=D(2025, 4, 18), data={
        "decided_on": D(2025, 4, 18), "proxy_ground": "pollution",
        "decision_reason": "当事人经催告逾期仍不清除，建筑垃圾已部分滑入河道，将造成水体污染；依据《中华人民共和国固体废物"
                           "污染环境防治法》第四十九条、《中华人民共和国行政强制法》第五十条、第五十一条。",
        "proxy_object": "舜水河犁头村段河岸建筑垃圾约15立方米", "means": "挖掘机装车清运至乡建筑垃圾消纳点",
        "proxy_planned_on": D(2025, 4, 25), "proxy_performer": "蓝山县犁头镇某某土石方运输队",
        "proxy_third_party": True, "proxy_no_interest": True, "proxy_budget": Decimal("2400")})
    co = step(actor=officer, coercion=co, step="proxy_serve", today=D(2025, 4, 21), data={
        "decision_served_on": D(2025, 4, 21), "service_method": "direct", "service_recipient": "邓某某"})
    co = step(actor=officer, coercion=co, step="proxy_urge", today=D(2025, 4, 22), data={"proxy_urged_on": D(2025, 4, 22)})
    records.record_create(actor=officer, township=town, coercion=co, stage="coercion",
                           text="到场监督代履行：挖掘机清运建筑垃圾3车次，河岸恢复原状；监督人员、代履行人、见证人签名。",
                           officers=officers, device="执法记录仪 DSJ-LT01", recorded_at=_at(D(2025, 4, 25), 9),
                           place="舜水河犁头村段", files=_clip("proxy-clearing"), today=D(2025, 4, 25))
    co = step(actor=officer, coercion=co, step="proxy_perform", today=D(2025, 4, 25), data={
        "executed_at": _at(D(2025, 4, 25), 9), "proxy_supervisor": "李执法、盘志强",
        "execution_note": "当事人经代履行前催告仍未清除；代履行人清运建筑垃圾约15立方米，河岸恢复原状。当事人不在场，"
                          "由村民委员会主任见证。",
        "proxy_staff_signed": True, "proxy_performer_signed": True, "proxy_party_signed": False,
        "proxy_witness": "犁头村村民委员会主任", "proxy_cost": Decimal("2150"),
        "proxy_cost_basis": "挖掘机台班1200元、自卸车3车次750元、消纳费200元，按实际成本计算"})
    t(actor=officer, case=case, step="close", today=D(2025, 4, 28), data={
        "closed_on": D(2025, 4, 28), "execution_note": "当事人经催告逾期不清除，依法代履行清除建筑垃圾，"
                                                       "代履行费用2150元由当事人承担。"})


# --- 汇源瑶族乡 (the second demo township) -----------------------------------------------------------

def _huiyuan(ctx) -> None:
    town = ctx.demo2
    leader, officer = ctx.user("demo2_leader"), ctx.user("demo2_officer")
    bodies, powers = _catalogue(ctx, town, leader, [("汇源瑶族乡人民政府", "government", "")],
                                [(p[0].replace("LT", "HY"), *p[1:]) for p in POWERS[:1] + POWERS[3:4]], {})
    off = [_officer(ctx, town, leader, bodies["government"], name, "综合行政执法队队员", cert, user,
                    D(2022, 7, 1), D(2027, 6, 30))
           for name, cert, user in [("汇源甲", "43112720220101", "demo2_officer"), ("汇源乙", "43112720220102", None),
                                    ("汇源丙", "43112720220103", None)]]
    if Inspection.objects.filter(township=town).exists():
        return
    for d in (D(2024, 3, 12), D(2024, 9, 18)):
        services.inspection_create(actor=officer, township=town, officers=off[:2], kind="planned", date=d,
                                   place="汇源村", subject="森林防火巡查", findings="未发现违法行为。", today=d)
    registration.case_simple_decide(actor=officer, township=town, power=powers["HY-XZCF-004"], officers=off[:2],
                                party_kind="person", party_name="汇源某某", penalty_kind="warning", fine_amount=None,
                                facts="随意倾倒生活垃圾。", title="汇源某某随意倾倒垃圾案", decided_on=D(2024, 5, 8),
                                today=D(2024, 5, 8))


# --- 双随机一公开: a small library, the year's plan, one recorded draw with a published result ------------

def _random_checks(ctx) -> None:
    from fazhi.enforcement import plans
    from fazhi.enforcement.models import InspectionDraw, InspectionObject, PlanItem
    from fazhi.enforcement.workflow.inspections import inspection_transition

    town, officer = ctx.litou, ctx.user("litou_officer")
    if InspectionDraw.objects.filter(township=town).exists():
        return
    villages = ctx.villages["litou"]
    if not InspectionObject.objects.filter(township=town).exists():
        for name, kind, address in [("犁头街兴旺超市", "business", "犁头街12号"), ("瑶乡农家乐", "business", "犁头街30号"),
                                    ("犁头加油站", "business", "省道S325旁"), ("山背村砖厂", "site", "山背村5组"),
                                    ("盘某某", "household", "犁头村2组")]:
            plans.object_save(actor=officer, township=town, name=name, kind=kind, address=address,
                              village=villages[0])
    item = PlanItem.objects.filter(township=town, year=2025).first() or plans.plan_item_save(
        actor=officer, township=town, year=2025, item="经营场所消防安全检查", object_kind="business",
        basis="《中华人民共和国消防法》第五十三条；《湖南省消防条例》", frequency="每半年抽查一次，抽查比例不低于30%",
        yearly_limit=2)
    draw = plans.draw_create(actor=officer, plan_item=item, object_count=2, draw_date=D(2025, 4, 15),
                             inspection_date=D(2025, 4, 22), seed="5d2c9a7e41b0f386", today=D(2025, 4, 15))
    findings = [("消防器材齐全有效，安全出口畅通。", "none"), ("灭火器一具压力不足，已当场责令更换。", "corrected")]
    for ins, (found, result) in zip(draw.inspections.order_by("id"), findings, strict=True):  # both done: nothing stale
        ins = inspection_transition(actor=officer, inspection=ins, step="result", today=D(2025, 4, 22),
                                    data={"findings": found, "result": result})
        inspection_transition(actor=officer, inspection=ins, step="publish", today=D(2025, 4, 25))
