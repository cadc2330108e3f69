"""Demo, the living part of disclosure (犁头瑶族乡).

History: the requests and the draft the seed leaves open at the end of 2024 are handled in January
2025, dated then (the 2024 records and figures stay as the seed has them).
This month: information requests with the answer clock running, one stopped for a third party, one
extended with approval, one past its 20 working days; an item waiting to be published. One batch
per calendar month, dated relative to today."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.calendar import working_days_between
from fazhi.disclosure.demo import _person
from fazhi.disclosure.models import Category, DisclosureItem, InfoRequest, ItemStatus, RequestStatus
from fazhi.disclosure.services import items as item_services
from fazhi.disclosure.services.requests import request_create
from fazhi.disclosure.workflow.items import item_transition
from fazhi.disclosure.workflow.requests import request_transition

D = dt.date


def load(ctx) -> None:
    staff, leader = ctx.user("litou_legal_staff"), ctx.user("litou_leader")
    if ctx.today >= D(2025, 2, 1):
        _close_2024(ctx, staff)
    _this_month(ctx, staff, leader)


def _at(d: dt.date, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(d, dt.time(hour, 0)))


def _close_2024(ctx, staff) -> None:
    act = request_transition
    town = ctx.litou
    r = InfoRequest.objects.filter(township=town, description="2024年第四季度农村低保对象名单",
                                   status=RequestStatus.RECEIVED).first()
    if r:
        act(actor=staff, info_request=r, step="answer", today=D(2025, 1, 14), data={
            "reply_type": "partial", "reply_on": "2025-01-14", "exempt_reason": "third_party",
            "legal_basis": "《政府信息公开条例》第十五条、第三十七条",
            "reply_text": "提供低保对象所在村组及保障人数，隐去身份证号码、住址等个人信息，已邮寄。"})
    r = InfoRequest.objects.filter(township=town, description="犁头村2024年集体经济收支明细",
                                   status=RequestStatus.CONSULTING).first()
    if r:
        act(actor=staff, info_request=r, step="consult_end", today=D(2025, 1, 10),
            data={"ended_on": "2025-01-10", "opinion": "同意公开，建议同时公开村务监督委员会审核意见。"})
        act(actor=staff, info_request=r, step="answer", today=D(2025, 1, 17), data={
            "reply_type": "provided", "reply_on": "2025-01-17", "reply_text": "已提供犁头村2024年集体经济收支明细表。"})
    item = DisclosureItem.objects.filter(township=town, title__startswith="新屋地村2024年“一事一议”",
                                         status=ItemStatus.DRAFT).first()
    if item:
        item_transition(actor=staff, item=item, step="publish", data={"at": _at(D(2025, 1, 8)),
                        "note": "补充村民代表会议记录后公开（已超过二十个工作日期限）"})


def _back_working_days(today: dt.date, n: int) -> dt.date:
    """The day n working days before today (so the clock has run exactly n working days)."""
    day = today
    while working_days_between(day, today) < n:
        day -= dt.timedelta(days=1)
    return day


REQUESTS = [
    # working days since receipt, applicant, what (the month is added), handling
    (6, "何某某", "犁头瑶族乡{y}年农村公路养护资金使用情况", None),
    (11, "吕某某", "山背村{y}年集体林地流转合同", "consult"),
    (19, "施某某", "{y}年犁头瑶族乡农村危房改造补助发放情况", "extend"),
    (22, "孔某某", "犁头瑶族乡{y}年度防汛物资采购清单", None),
]


def _this_month(ctx, staff, leader) -> None:
    town, today = ctx.litou, ctx.today
    recent = InfoRequest.objects.filter(township=town, received_on__gt=today - dt.timedelta(days=60))
    if ctx.batch_exists(recent):
        return
    month = f"（{today.year}年{today.month}月申请）"
    for n, name, what, handling in REQUESTS:
        received = _back_working_days(today, n)
        desc = what.format(y=today.year if received.month > 1 else today.year - 1) + month
        r = request_create(actor=staff, township=town, channel="in_person", received_on=received,
                                    data=_person(name, desc), today=received)
        if handling == "consult":
            on = received + dt.timedelta(days=3)
            request_transition(actor=staff, info_request=r, step="consult", today=on, data={
                "third_party": "山背村村民委员会", "started_on": on.isoformat()})
        elif handling == "extend":
            request_transition(actor=staff, info_request=r, step="extend", today=today, data={
                "extension_days": 15, "extension_reason": "涉及多个村的补助名单，需逐户核对后区分处理",
                "approved_by": leader})
    title = f"犁头瑶族乡{today.year}年{today.month}月矛盾纠纷排查化解工作动态"
    if not DisclosureItem.objects.filter(township=town, title=title).exists():
        item_services.item_create(actor=staff, township=town, category=Category.objects.get(name="工作动态"), title=title,
                             formed_on=_back_working_days(today, 15),
                             body="<p>本月各村开展矛盾纠纷排查，排查情况及调处进展见矛盾纠纷台账。</p>")
