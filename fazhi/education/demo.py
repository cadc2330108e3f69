"""Demo data for 犁头瑶族乡 2024 from the seed 一(二) and 二: 12 law-study sessions (10 of the Party
committee's theory group), the publicity plan, exactly 10 themed campaigns (112 audience, 120 posters,
2,150 leaflets) on the seed's topics, an audience that skews older, 毛栗坪村 without any event, venues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.education import services
from fazhi.education.models import Law, Official, PublicityEvent, PublicityPlan, StudySession, Topic, Venue

D = dt.date
YEAR = 2024

OFFICIALS = [
    # name, post, leader (“关键少数”), demo user
    ("赵巾英", "乡党委书记", True, None),
    ("雷斌", "党委副书记、乡长", True, "litou_leader"),
    ("李文杰", "党委委员、政法委员、武装部长", True, None),
    ("唐法治", "司法所所长", False, "litou_legal_staff"),
    ("李执法", "综合行政执法队队员", False, "litou_officer"),
    ("周调解", "乡人民调解委员会主任", False, "litou_mediator"),
    ("王管理", "党政综合办公室", False, "litou_admin"),
]

THOUGHT, CONST, CIVIL = "习近平法治思想", "中华人民共和国宪法", "中华人民共和国民法典"
CLEAN, DISCIPLINE = "中国共产党廉洁自律准则", "中国共产党纪律处分条例"
SPEECH = "习近平总书记关于全面依法治国的重要讲话"
# date, kind, topic, laws, speaker, who is absent (names)
SESSIONS = [
    (D(2024, 1, 26), "center_group", "学习习近平法治思想", [THOUGHT], "赵巾英", []),
    (D(2024, 2, 23), "center_group", "学习《中国共产党纪律处分条例》", [DISCIPLINE], "赵巾英", ["王管理"]),
    (D(2024, 3, 22), "center_group", "学习《中华人民共和国宪法》", [CONST], "雷斌", []),
    (D(2024, 4, 26), "center_group", "学习《中国共产党廉洁自律准则》", [CLEAN], "赵巾英", ["李执法"]),
    (D(2024, 5, 24), "center_group", "学习习近平总书记关于全面依法治国的重要讲话精神", [SPEECH, THOUGHT], "赵巾英", []),
    (D(2024, 6, 21), "center_group", "学习《民法典》总则编、物权编", [CIVIL], "李文杰", ["周调解"]),
    (D(2024, 7, 26), "center_group", "党纪学习教育：学习《中国共产党纪律处分条例》", [DISCIPLINE, CLEAN], "赵巾英", []),
    (D(2024, 8, 23), "center_group", "学习《民法典》婚姻家庭编、继承编", [CIVIL], "雷斌", ["李文杰"]),
    (D(2024, 9, 27), "center_group", "学习习近平法治思想的核心要义", [THOUGHT], "赵巾英", []),
    (D(2024, 11, 22), "center_group", "学习宪法，迎接国家宪法日", [CONST, SPEECH], "雷斌", []),
    (D(2024, 5, 8), "pre_meeting", "乡政府常务会会前学法：《中华人民共和国行政处罚法》", ["中华人民共和国行政处罚法"],
     "唐法治", ["赵巾英"]),
    (D(2024, 10, 17), "lecture", "法律顾问专题讲座：重大行政决策程序", ["重大行政决策程序暂行条例"], "政府法律顾问",
     []),
]

VENUES = [
    # village index, name, kind, place, state, built_on
    (0, "犁头村法治文化广场", "square", "犁头村村部前", "good", D(2021, 9, 1)),
    (1, "山背村法治宣传栏", "board", "山背村村部", "good", D(2022, 5, 1)),
    (2, "新屋地村农家书屋法律角", "corner", "新屋地村农家书屋", "repair", D(2020, 11, 1)),
    (3, "毛栗坪村法治宣传栏", "board", "毛栗坪村组道路口", "repair", D(2019, 6, 1)),
]

ORG = "乡司法所"
# date, village index, place, theme, topics, (u18, 18-39, 40-59, 60+), posters, leaflets, organizer, duty unit
EVENTS = [
    (D(2024, 1, 15), 0, "犁头村村部广场", "新春平安法治宣传", ["社会治安"], (1, 1, 3, 7), 12, 220, "派出所", "派出所"),
    (D(2024, 3, 5), 1, "山背村村部", "学雷锋·民法典进村入户", ["民法典", "婚姻家庭"], (0, 1, 3, 7), 12, 200, ORG,
     "司法所"),
    (D(2024, 4, 15), 0, "犁头村村部广场", "全民国家安全教育日宣传", ["国家安全"], (2, 2, 3, 6), 14, 230, "派出所",
     "派出所"),
    (D(2024, 5, 10), 2, "新屋地村村部", "《信访工作条例》宣传", ["信访工作条例"], (0, 1, 2, 7), 10, 200,
     "社会治安综合治理中心", "社会治安综合治理中心"),
    (D(2024, 6, 25), 1, "山背村村部", "全国土地日·土地管理法律宣传", ["土地管理"], (0, 1, 3, 7), 12, 210,
     "自然资源所", "自然资源所"),
    (D(2024, 7, 20), 0, "犁头村集市", "防范电信诈骗·维护社会治安", ["社会治安"], (1, 2, 2, 7), 12, 220, "派出所",
     "派出所"),
    (D(2024, 8, 20), 2, "新屋地村农家书屋", "婚姻家庭法律知识宣传", ["婚姻家庭", "民法典"], (0, 1, 2, 7), 10, 200,
     ORG, "司法所"),
    (D(2024, 9, 20), 0, "犁头村村部广场", "民法典宣传月集中宣传", ["民法典"], (1, 1, 3, 7), 12, 230, ORG, "司法所"),
    (D(2024, 11, 8), 1, "山背村村部", "平安建设法治宣传", ["社会治安", "国家安全"], (0, 1, 2, 7), 12, 210,
     "综合行政执法队", "综合行政执法队"),
    (D(2024, 12, 4), 0, "犁头村村部广场", "“12·4”法治宣传日集中宣传", ["国家安全", "民法典"], (1, 1, 2, 7), 14, 230,
     ORG, None),
]


def _photo():
    """A 1×1 PNG standing in for an event photo (real photos come from the field app)."""
    import struct
    import zlib

    from django.core.files.base import ContentFile

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xb3\x26\x1e")) + chunk(b"IEND", b""))
    return ContentFile(png, name="2024-01-15-犁头村.png")


def load(ctx) -> None:
    from fazhi.education.catalogue import seed

    seed(Law, Topic)  # normally there from the data migration; a flushed test database lacks it
    town = ctx.litou
    actor = ctx.user("litou_legal_staff")
    villages = ctx.villages["litou"]
    officials = _officials(ctx, town, actor)
    if not StudySession.objects.filter(township=town, date__year=YEAR).exists():
        laws = {law.name: law for law in Law.objects.all()}
        for day, kind, topic, law_names, speaker, absent in SESSIONS:
            people = [o for o in officials if o.name not in absent]
            services.session_create(actor=actor, township=town, kind=kind, date=day, topic=topic,
                                    laws=[laws[n] for n in law_names], attendees=people, hours=Decimal("2"),
                                    speaker=speaker, place="乡政府三楼会议室")
    if not PublicityPlan.objects.filter(township=town, year=YEAR).exists():
        services.pubplan_create(
            actor=actor, township=town, year=YEAR, title="2024年犁头瑶族乡普法工作计划", planned_events=12,
            target_audience=300, target_posters=100, target_leaflets=2000, target_villages=len(villages),
            key_topics=list(Topic.objects.filter(name__in=["国家安全", "信访工作条例", "社会治安", "婚姻家庭",
                                                           "土地管理", "民法典"])),
            notes="全年开展集中主题宣传不少于12次，覆盖全部4个村；重点宣传与群众生产生活密切相关的法律知识。")
    if not Venue.objects.filter(township=town).exists():
        for vi, name, kind, place, state, built in VENUES:
            services.venue_create(actor=actor, township=town, village=villages[vi], name=name, kind=kind,
                                  place=place, state=state, built_on=built)
    if not PublicityEvent.objects.filter(township=town, date__year=YEAR).exists():
        _events(ctx, town, actor, villages)
    _demo2(ctx)


def _officials(ctx, town, actor) -> list[Official]:
    out = []
    for i, (name, post, leader, username) in enumerate(OFFICIALS, start=1):
        o = Official.objects.filter(township=town, name=name, post=post).first()
        if o is None:
            o = services.official_create(actor=actor, township=town, name=name, post=post, is_leader=leader,
                                         order=i * 10, user=ctx.users.get(username) if username else None)
        out.append(o)
    return out


def _events(ctx, town, actor, villages) -> None:
    from fazhi.organization.models import DutyObligation

    topics = {t.name: t for t in Topic.objects.all()}
    venues = {v.village_id: v for v in Venue.objects.filter(township=town)}
    obligations = {o.duty_list.unit: o for o in DutyObligation.objects.filter(township=town, duty_list__year=YEAR)
                   .select_related("duty_list")}
    for day, vi, place, theme, names, bands, posters, leaflets, org, duty in EVENTS:
        village = villages[vi]
        # The village cadre of 犁头村 records that village's events; the 司法所 records the others.
        who = ctx.user("litou_village_cadre") if vi == 0 else actor
        venue = venues.get(village.pk) if "村部" in place else None
        services.event_create(
            actor=who, township=town, village=village, date=day, place=place, theme=theme, format="campaign",
            topics=[topics[n] for n in names], organizer=org, audience=sum(bands), aud_under18=bands[0],
            aud_18_39=bands[1], aud_40_59=bands[2], aud_60_plus=bands[3], posters=posters, leaflets=leaflets,
            venue=venue, obligations=[obligations[duty]] if duty in obligations and vi != 0 else [],
            summary="设置咨询台，张贴海报、发放宣传资料，解答群众法律咨询。")
    first = PublicityEvent.objects.filter(township=town, date__year=YEAR).order_by("date").first()
    services.photo_add(actor=actor, event=first, image=_photo(), caption="村部广场设置咨询台")
    # 犁头村 events were recorded by the village cadre (no duty-list rights): the 司法所 links them afterwards.
    from fazhi.organization.services import obligation_link_events

    for unit, ob in obligations.items():
        evs = [e for e in PublicityEvent.objects.filter(township=town, date__year=YEAR)
               if any(row[3] == e.theme and row[9] == unit for row in EVENTS)]
        obligation_link_events(actor=actor, obligation=ob, events=evs)


def _demo2(ctx) -> None:
    town, actor = ctx.demo2, ctx.user("demo2_legal_staff")
    if PublicityEvent.objects.filter(township=town).exists():
        return
    o = services.official_create(actor=actor, township=town, name="汇源乡长", post="乡长", is_leader=True)
    services.session_create(actor=actor, township=town, kind="center_group", date=D(2024, 3, 1), topic="学习宪法",
                            laws=list(Law.objects.filter(name=CONST)), attendees=[o])
    village = ctx.villages["demo2"][0]
    services.venue_create(actor=actor, township=town, village=village, name="汇源村法治广场", kind="square",
                          place="村部")
    services.event_create(actor=actor, township=town, village=village, date=D(2024, 4, 15), place="汇源村村部",
                          theme="国家安全教育日", topics=list(Topic.objects.filter(name="国家安全")),
                          organizer="司法所", audience=30, aud_60_plus=10, aud_40_59=10, aud_18_39=10,
                          posters=5, leaflets=100)
    services.pubplan_create(actor=actor, township=town, year=YEAR, title="2024年汇源瑶族乡普法工作计划",
                            planned_events=6)
