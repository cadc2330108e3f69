"""Demo, the living part: a thinner history for the years after 2024, and this month's open enforcement work in 犁头瑶族乡, dated relative to today —
a case awaiting its notice, one in its hearing-request window, one waiting for legal review, a fine
being paid, one decided but not yet served (overdue), one near its 90-day limit. Through the
services, so guards, numbers, history and audit are genuine. One batch per calendar month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.enforcement import publication, rules, services
from fazhi.enforcement.models import Case, CaseStatus, Inspection, Officer, Power
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import registration

S = CaseStatus
SURNAMES = "赵钱孙李周吴郑王冯陈蒋沈韩杨朱秦许何吕施张孔曹严华金魏陶姜"


def load(ctx) -> None:
    _certificates(ctx)
    for year in range(2025, ctx.today.year):
        _history(ctx, year)
    _this_month(ctx)


RETURNED_ON = dt.date(2025, 3, 1)  # 邓卫国, whose certificate lapsed at the end of 2023, is certified again
ROLLING = "赵晓红"  # the seed's officer whose certificate is always about to expire (the roster's warning)


def _new_cert_no(old: str, year: int) -> str:
    """A renewed certificate's number: the county prefix, the year of issue, the officer's old serial."""
    no = f"{old[:6]}{year}{old[-4:]}"
    while Officer.objects.filter(cert_no=no).exists():
        no = f"{no[:-4]}{(int(no[-4:]) + 100) % 10000:04d}"
    return no


def _certificates(ctx) -> None:
    """Certificates renewed relative to today (换证), so two certified officers exist on any date.

    The roster holds one certificate per officer (registry.Officer: number, validity, status); a renewal
    replaces it and the audit log keeps the old one. An officer certified without a break keeps the
    first day of validity, so the seed's 2024 count (持证4人) stays; one whose certificate had lapsed gets
    a certificate valid from its day of issue. Each is renewed before the warning window opens, except
    赵晓红's, which is extended shortly before it runs out: one certificate is always in the window."""
    for town, leader in ((ctx.litou, ctx.user("litou_leader")), (ctx.demo2, ctx.user("demo2_leader"))):
        _renew(town, leader, ctx.today, rolling=ROLLING if town == ctx.litou else None)


def _renew(town, leader, today: dt.date, rolling: str | None) -> None:
    warn = rules.settings_for(town).certificate_warning_days
    for o in Officer.objects.filter(township=town, active=True, cert_status="valid").exclude(cert_no="").order_by("id"):
        until = o.cert_valid_until
        if until is None:
            continue
        if until < dt.date(2024, 1, 1):  # lapsed before the seed's year: a new certificate after training
            if today < RETURNED_ON:
                continue
            start = RETURNED_ON
            end = dt.date(start.year + 5, start.month, start.day) - dt.timedelta(days=1)
            while end <= today + dt.timedelta(days=warn):
                start, end = end + dt.timedelta(days=1), dt.date(end.year + 5, end.month, end.day)
            services.officer_save(actor=leader, township=town, officer=o, cert_no=_new_cert_no(o.cert_no, start.year),
                                  cert_valid_from=start, cert_valid_until=end, post=o.post.removeprefix("原"))
        elif o.name == rolling:
            if until < today + dt.timedelta(days=7):
                services.officer_save(actor=leader, township=town, officer=o,
                                      cert_valid_until=today + dt.timedelta(days=45))
        elif until <= today + dt.timedelta(days=warn):
            end = until
            while end <= today + dt.timedelta(days=warn):
                end = dt.date(end.year + 5, end.month, end.day)
            issued = max(until - dt.timedelta(days=warn), o.cert_valid_from)  # renewed before the warning
            services.officer_save(actor=leader, township=town, officer=o, cert_valid_until=end,
                                  cert_no=_new_cert_no(o.cert_no, issued.year))


def _history(ctx, year: int) -> None:
    """A thinner year between the seed's and today's: quarterly patrols and a few on-the-spot decisions."""
    town, officer = ctx.litou, ctx.user("litou_officer")
    if Inspection.objects.filter(township=town, date__year=year).exists():
        return
    pair = [o for o in Officer.objects.filter(township=town).order_by("id") if o.certified_on(dt.date(year, 12, 31))][:2]
    sanitation = Power.objects.filter(township=town, code="LT-XZCF-004").first()
    if len(pair) < 2 or sanitation is None:
        return
    villages = ctx.villages["litou"]
    for q, month in enumerate((3, 6, 9, 11)):
        d = dt.date(year, month, 12)
        while d.weekday() >= 5:
            d += dt.timedelta(days=1)
        services.inspection_create(actor=officer, township=town, officers=pair, kind="planned", date=d,
                                   village=villages[q % len(villages)], place=villages[q % len(villages)].name,
                                   subject="森林防火巡查" if month in (3, 11) else "河道及环境卫生巡查",
                                   findings="未发现违法行为。", result="none", today=d)
    for month, party, kind, fine in ((5, "冯某某", "warning", None), (10, "蒋某乙", "fine", Decimal("100"))):
        d = dt.date(year, month, 15)
        c = registration.case_simple_decide(actor=officer, township=town, power=sanitation, officers=pair,
                                        party_kind="person", party_name=party, penalty_kind=kind, fine_amount=fine,
                                        facts="当事人随意倾倒生活垃圾，经现场检查属实。", title=f"{party}随意倾倒生活垃圾案",
                                        place="犁头瑶族乡集镇", decided_on=d, onspot_paid=bool(fine), today=d,
                                        **({"onspot_receipt_no": f"湘财罚{d:%Y%m%d}02"} if fine else {}))
        case_flow.case_transition(actor=officer, case=c, step="close", today=d, data={"closed_on": d})


def _this_month(ctx) -> None:
    town, today = ctx.litou, ctx.today
    officers = [o for o in Officer.objects.filter(township=town).order_by("id") if o.certified_on(today)]
    reviewer = Officer.objects.filter(township=town, legal_qualified=True).order_by("id").first()
    if len(officers) < 2 or reviewer is None:
        return  # certificates lapsed by this date: the roster page shows it, no case can be opened
    powers = {p.code: p for p in Power.objects.filter(township=town)}
    fire, land, sanitation = powers["LT-XZCF-001"], powers["LT-XZCF-002"], powers["LT-XZCF-004"]
    leader, officer = ctx.user("litou_leader"), ctx.user("litou_officer")
    pair = officers[:2]
    villages = ctx.villages["litou"]
    k = today.year * 12 + today.month  # party names change month by month
    t = case_flow.case_transition

    def name(i):
        return f"{SURNAMES[(k + i * 7) % len(SURNAMES)]}某{'甲乙丙丁戊己'[i]}"

    # this month's batch is the first case titled with this month's first party name, entered this month
    if ctx.batch_exists(Case.objects.filter(township=town, title=f"{name(0)}随意倾倒建筑垃圾案")):
        return

    def day(n):
        return today - dt.timedelta(days=n)

    def case(i, power, what, facts, discovered, filed, **extra):
        village = villages[(k + i) % len(villages)]
        c = registration.case_create(
            actor=officer, township=town, power=power, officers=pair, source="inspection",
            title=f"{name(i)}{what}案", party_name=name(i), party_address=f"犁头瑶族乡{village.name}",
            discovered_on=day(discovered), violation_date=day(discovered), facts=facts, today=day(discovered),
            **extra)
        t(actor=leader, case=c, step="approve", today=day(filed), data={"filed_on": day(filed)})
        return c

    def notify(c, n, fine, detail, **extra):
        t(actor=officer, case=c, step="notice", today=day(n), data={
            "notice_served_on": day(n), "reasons": "经调查，违法事实清楚。", "penalty_kind": "fine" if fine else "other",
            "fine_amount": Decimal(fine) if fine else None, "penalty_detail": detail, **extra})

    # 1. Filed, evidence being gathered: the notice is next.
    case(0, sanitation, "随意倾倒建筑垃圾", "当事人在村道旁倾倒建筑垃圾约2立方米，经责令未清理。", 9, 8)
    # 2. Notice served two days ago: the hearing-request window (5 working days) is open.
    c2 = case(1, land, "未经批准占用耕地建房", "当事人未经批准占用耕地约80平方米建设住宅地基。", 30, 29)
    notify(c2, 2, None, "责令退还非法占用的土地，限期拆除在非法占用的土地上新建的住宅地基")
    # 3. Notice served, statement period over, sent to legal review three days ago.
    c3 = case(2, fire, "森林防火期内野外烧荒", "当事人在森林防火期内未经批准在责任山烧荒，已被扑灭。", 34, 33)
    notify(c3, 20, "800", "警告，并处罚款人民币800元", band=fire.bands.filter(level="minor").first())
    services.legal_review_submit(actor=officer, case=c3, reviewer=reviewer, submitted_on=day(3), today=day(3))
    # 4. Decided and served ten days ago: the 15-day payment period is running.
    c4 = case(3, fire, "森林防火期内野外用火", "当事人在森林防火期内于林区边缘焚烧秸秆。", 45, 44)
    notify(c4, 30, "500", "警告，并处罚款人民币500元", band=fire.bands.filter(level="minor").first())
    t(actor=leader, case=c4, step="decide", today=day(12), data={"outcome": "penalty", "decided_on": day(12)})
    t(actor=officer, case=c4, step="serve", today=day(10), data={
        "served_on": day(10), "service_method": "direct", "service_recipient": name(3)})
    publication.publication_publish(actor=officer, case=c4, published_on=day(8), today=day(8))
    # 5. Decided two weeks ago and not yet served: the 7-working-day service limit has passed.
    c5 = case(4, sanitation, "多次随意倾倒生活垃圾", "当事人多次将生活垃圾倾倒在河道边，经教育仍不改正。", 50, 49)
    notify(c5, 35, "300", "罚款人民币300元", band=sanitation.bands.filter(level="general").first())
    t(actor=leader, case=c5, step="decide", today=day(16), data={"outcome": "penalty", "decided_on": day(16)})
    # 6. Filed 80 days ago, still under investigation: the 90-day limit to decide is close.
    case(5, sanitation, "经营场所门前堆放垃圾", "当事人长期在经营场所门前堆放经营垃圾，影响集镇环境卫生。", 81, 80)
