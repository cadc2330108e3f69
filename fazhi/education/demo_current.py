"""Demo, the living part of law study and publicity (犁头瑶族乡).

Each year after the seed's 2024 gets a thinner record than the seed year: the year's publicity plan, a
theory-group study session each quarter and a publicity campaign every other month, rotating over the
villages (毛栗坪村 included, which 2024 missed). Only what lies before today is recorded (study and
events are records of what happened), so a later run adds what has happened since and nothing twice:
each session and event is keyed by its date and topic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.education import services
from fazhi.education.demo import CIVIL, CONST, THOUGHT, _officials
from fazhi.education.models import Law, PublicityEvent, PublicityPlan, StudySession, Topic

D = dt.date
FIRST_YEAR = 2025

# month, day, topic, laws
SESSIONS = [
    (3, 20, "学习习近平法治思想", [THOUGHT]),
    (6, 19, "学习《中华人民共和国民法典》", [CIVIL]),
    (9, 18, "学习《中华人民共和国行政处罚法》", ["中华人民共和国行政处罚法"]),
    (11, 27, "学习宪法，迎接国家宪法日", [CONST]),
]
# month, day, theme, topics, (u18, 18-39, 40-59, 60+), posters, leaflets
EVENTS = [
    (1, 20, "新春平安法治宣传", ["社会治安"], (1, 1, 3, 6), 10, 180),
    (3, 15, "民法典进村入户", ["民法典"], (0, 1, 3, 6), 10, 160),
    (4, 15, "全民国家安全教育日宣传", ["国家安全"], (2, 2, 3, 5), 12, 200),
    (6, 25, "全国土地日·土地管理法律宣传", ["土地管理"], (0, 1, 3, 6), 10, 170),
    (9, 20, "民法典宣传月", ["民法典", "婚姻家庭"], (1, 1, 2, 6), 10, 180),
    (12, 4, "“12·4”国家宪法日集中宣传", ["国家安全", "民法典"], (1, 2, 3, 6), 12, 200),
]


def load(ctx) -> None:
    town, actor, today = ctx.litou, ctx.user("litou_legal_staff"), ctx.today
    if today.year <= FIRST_YEAR - 1:
        return
    officials = _officials(ctx, town, actor)
    laws = {law.name: law for law in Law.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    villages = ctx.villages["litou"]
    for year in range(FIRST_YEAR, today.year + 1):
        _plan(actor, town, year, topics)
        for month, day, topic, law_names in SESSIONS:
            date = D(year, month, day)
            if date >= today or StudySession.objects.filter(township=town, date=date, topic=topic).exists():
                continue
            services.session_create(actor=actor, township=town, kind="center_group", date=date, topic=topic,
                                    laws=[laws[n] for n in law_names if n in laws], attendees=officials,
                                    hours=Decimal("2"), speaker="赵巾英", place="乡政府三楼会议室")
        for i, (month, day, theme, names, bands, posters, leaflets) in enumerate(EVENTS):
            date = D(year, month, day)
            if date >= today or PublicityEvent.objects.filter(township=town, date=date, theme=theme).exists():
                continue
            village = villages[(i + year) % len(villages)]
            who = ctx.user("litou_village_cadre") if village == villages[0] else actor
            services.event_create(
                actor=who, township=town, village=village, date=date, place=f"{village.name}村部", theme=theme,
                format="campaign", topics=[topics[n] for n in names if n in topics], organizer="乡司法所",
                audience=sum(bands), aud_under18=bands[0], aud_18_39=bands[1], aud_40_59=bands[2],
                aud_60_plus=bands[3], posters=posters, leaflets=leaflets,
                summary="设置咨询台，张贴海报、发放宣传资料，解答群众法律咨询。")


def _plan(actor, town, year: int, topics) -> None:
    if PublicityPlan.objects.filter(township=town, year=year).exists():
        return
    services.pubplan_create(
        actor=actor, township=town, year=year, title=f"{year}年犁头瑶族乡普法工作计划", planned_events=len(EVENTS),
        target_audience=72, target_posters=60, target_leaflets=1000, target_villages=4,
        key_topics=[topics[n] for n in ("民法典", "国家安全", "土地管理") if n in topics],
        notes="每两个月开展一次集中主题宣传，轮流覆盖全部4个村（含2024年未覆盖的毛栗坪村）。")
