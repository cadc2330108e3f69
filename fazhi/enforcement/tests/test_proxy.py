"""代履行 (行政强制法第五十条至第五十二条): a route of the coercion flow. Every guard refuses and changes nothing;
the 3-day 催告 before it, the agency present, the signatures, the cost; 立即代履行 and the notice afterwards;
the documents; the demo. Dates are pinned (today=), never the real clock."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, documents
from fazhi.enforcement.models import (
    CaseStatus,
    CoercionProcedure,
    CoercionStatus,
    CoercionTransition,
    PenaltyKind,
)
from fazhi.enforcement.tests.conftest import advance, make_case
from fazhi.enforcement.workflow.coercion import COERCION_FLOW, coercion_start, coercion_transition

D = dt.date
C = CoercionStatus
pytestmark = pytest.mark.django_db


def _at(y, m, d, h=10, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def _start(enf, route="proxy", name="张三"):
    case = advance(enf, make_case(enf, penalty=PenaltyKind.OTHER, fine=None, party_name=name), CaseStatus.SERVED)
    return coercion_start(actor=enf.officer_user, case=case, route=route, today=D(2024, 5, 10),
                          obligation="清除堆放在县道X021路肩的砂石约20立方米，恢复道路通行。")


def _step(enf, c, step, data, today, actor=None):
    return coercion_transition(actor=actor or enf.officer_user, coercion=c, step=step, data=data, today=today)


def _refused(enf, c, step, data, today, match, actor=None):
    before = CoercionProcedure.objects.values().get(pk=c.pk)
    rows = CoercionTransition.objects.filter(coercion=c).count()
    with pytest.raises(DomainError, match=match):
        _step(enf, c, step, data, today, actor=actor)
    assert CoercionProcedure.objects.values().get(pk=c.pk) == before
    assert CoercionTransition.objects.filter(coercion=c).count() == rows


def _urged(enf, c, amount=None):  # 05-10 + 10 days → 05-20
    return _step(enf, c, "urge", {"urged_on": D(2024, 5, 10), "performance_days": 10, "perform_method": "自行清除",
                                  "amount": amount}, D(2024, 5, 10))


DECISION = {"decided_on": D(2024, 5, 21), "proxy_ground": "traffic", "decision_reason": "公路法第七十九条；逾期不清除",
            "proxy_object": "县道X021路肩砂石约20立方米", "means": "机械清运至指定堆场", "proxy_planned_on": D(2024, 5, 27),
            "proxy_performer": "蓝山县某某土石方工程队", "proxy_third_party": True, "proxy_no_interest": True,
            "proxy_budget": Decimal("1800")}
PERFORM = {"executed_at": _at(2024, 5, 27, 9), "proxy_supervisor": "执法队员甲、执法队员乙",
           "execution_note": "清运砂石约20立方米，道路恢复通行。", "proxy_staff_signed": True, "proxy_performer_signed": True,
           "proxy_party_signed": False, "proxy_witness": "村民委员会委员李某", "proxy_cost": Decimal("1650"),
           "proxy_cost_basis": "挖掘机台班800元、运输车2车次600元、人工250元"}


def _decided(enf, c):
    return _step(enf, _urged(enf, c), "proxy_decide", DECISION, D(2024, 5, 21), actor=enf.leader)


def _served(enf, c):
    c = _decided(enf, c)
    return _step(enf, c, "proxy_serve", {"decision_served_on": D(2024, 5, 22), "service_method": "direct",
                                         "service_recipient": "张三"}, D(2024, 5, 22))


def _reurged(enf, c):
    return _step(enf, _served(enf, c), "proxy_urge", {"proxy_urged_on": D(2024, 5, 23)}, D(2024, 5, 23))


# --- the decision (Arts. 50, 51(1)(一)) -----------------------------------------------------------------

def test_decision_guards(enf):
    c = _urged(enf, _start(enf))
    day = D(2024, 5, 21)
    _refused(enf, c, "proxy_decide", DECISION, day, "负责人")  # an officer
    _refused(enf, c, "proxy_decide", {**DECISION, "decided_on": D(2024, 5, 20)}, D(2024, 5, 20), "期限届满前",
             actor=enf.leader)
    _refused(enf, c, "proxy_decide", {**DECISION, "proxy_ground": "clear_now"}, day, "危害交通安全", actor=enf.leader)
    _refused(enf, c, "proxy_decide", {**DECISION, "proxy_no_interest": False}, day, "没有利害关系", actor=enf.leader)
    _refused(enf, c, "proxy_decide", {**DECISION, "proxy_planned_on": D(2024, 5, 20)}, day, "代履行时间",
             actor=enf.leader)
    _refused(enf, c, "proxy_decide", {**DECISION, "means": "停电"}, day, "第四十三条", actor=enf.leader)
    _refused(enf, c, "proxy_decide", {**DECISION, "proxy_performer": ""}, day, "代履行人", actor=enf.leader)
    c = _step(enf, c, "proxy_decide", DECISION, day, actor=enf.leader)
    assert c.status == C.PROXY_DECIDED and c.decided_by == enf.leader and c.proxy_budget == Decimal("1800")


def test_decision_needs_the_urge_a_non_money_duty_and_the_proxy_route(enf):
    c = _start(enf)
    _refused(enf, c, "proxy_decide", DECISION, D(2024, 5, 21), "不允许|不能|尚未催告", actor=enf.leader)
    money = _urged(enf, _start(enf, name="李四"), amount=Decimal("500"))
    _refused(enf, money, "proxy_decide", DECISION, D(2024, 5, 21), "金钱给付义务不能代履行", actor=enf.leader)
    direct = _urged(enf, _start(enf, route="direct", name="王五"))
    _refused(enf, direct, "proxy_decide", DECISION, D(2024, 5, 21), "不是代履行", actor=enf.leader)
    assert "proxy_decide" not in [s.name for s in COERCION_FLOW.open_steps(direct)]


def test_serve_and_urge_order(enf):
    c = _decided(enf, _start(enf))
    _refused(enf, c, "proxy_serve", {"decision_served_on": D(2024, 5, 20), "service_method": "direct",
                                     "service_recipient": "张三"}, D(2024, 5, 22), "不能早于代履行决定日期")
    c = _step(enf, c, "proxy_serve", {"decision_served_on": D(2024, 5, 22), "service_method": "direct",
                                      "service_recipient": "张三"}, D(2024, 5, 22))
    _refused(enf, c, "proxy_urge", {"proxy_urged_on": D(2024, 5, 21)}, D(2024, 5, 23), "不能早于代履行决定书送达日期")
    _refused(enf, c, "proxy_perform", PERFORM, D(2024, 5, 27), "不允许|三日前")  # no 催告 before it
    c = _step(enf, c, "proxy_urge", {"proxy_urged_on": D(2024, 5, 23)}, D(2024, 5, 23))
    assert c.status == C.PROXY_URGED
    assert deadlines.proxy_urge_ready(c).due == D(2024, 5, 26)  # an agency's minimum: not moved off the Sunday


# --- the performance (Art. 51(1)(二)–(四), ¶2, ¶3; Art. 43) ---------------------------------------------------

def test_not_within_three_days_of_the_urge(enf):
    c = _reurged(enf, _start(enf))
    _refused(enf, c, "proxy_perform", {**PERFORM, "executed_at": _at(2024, 5, 25, 9)}, D(2024, 5, 25), "三日前")
    c = _step(enf, c, "proxy_perform", {**PERFORM, "executed_at": _at(2024, 5, 27, 9)}, D(2024, 5, 27))
    assert c.status == C.EXECUTED and c.proxy_cost == Decimal("1650")


def test_night_and_holiday(enf):
    c = _reurged(enf, _start(enf))
    _refused(enf, c, "proxy_perform", {**PERFORM, "executed_at": _at(2024, 5, 27, 21)}, D(2024, 5, 27), "夜间")
    _refused(enf, c, "proxy_perform", {**PERFORM, "executed_at": _at(2024, 6, 10, 9)}, D(2024, 6, 10), "端午节")


def test_agency_present_signatures_and_witness(enf):
    c = _reurged(enf, _start(enf))
    day = D(2024, 5, 27)
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_supervisor": ""}, day, "派员到场监督")
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_performer_signed": False}, day, "代履行人应当在执行文书上签名")
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_staff_signed": False}, day, "签名或者盖章")
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_witness": ""}, day, "见证人")
    c = _step(enf, c, "proxy_perform", {**PERFORM, "proxy_witness": "", "proxy_party_signed": True}, day)
    assert c.status == C.EXECUTED and c.proxy_party_signed


def test_cost_and_lawful_means(enf):
    c = _reurged(enf, _start(enf))
    day = D(2024, 5, 27)
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_cost": None}, day, "代履行费用")
    _refused(enf, c, "proxy_perform", {**PERFORM, "proxy_cost_basis": ""}, day, "按照成本合理确定")
    _refused(enf, c, "proxy_perform", {**PERFORM, "execution_note": "当事人阻挠，以暴力驱离"}, day, "暴力")
    assert _step(enf, c, "proxy_perform", PERFORM, day).status == C.EXECUTED


def test_party_performs_after_the_urge_stops_it(enf):
    c = _reurged(enf, _start(enf))
    _refused(enf, c, "proxy_stop", {"execution_note": ""}, D(2024, 5, 24), "执行情况|代履行情况|请填写")
    c = _step(enf, c, "proxy_stop", {"execution_note": "当事人收到催告后于5月24日自行清除完毕。"}, D(2024, 5, 24))
    assert c.status == C.EXECUTED and c.executed_at is None


# --- 立即代履行 (Art. 52) ------------------------------------------------------------------------------

NOW = {"proxy_ground": "clear_now", "proxy_object": "县道X021 K3+200处遗洒的砂石", "means": "人工清扫、装车清运",
       "proxy_performer": "犁头瑶族乡综合行政执法队", "executed_at": _at(2024, 6, 3, 15),
       "proxy_supervisor": "执法队员甲", "execution_note": "当事人不在场，已清除遗洒砂石，道路恢复通行。",
       "proxy_staff_signed": True, "proxy_performer_signed": True, "proxy_witness": "过往群众赵某",
       "proxy_cost": Decimal("300"), "proxy_cost_basis": "人工3人×100元"}


def test_immediate_proxy_and_the_notice_afterwards(enf):
    c = _start(enf, route="proxy_now")
    day = D(2024, 6, 3)
    names = [s.name for s in COERCION_FLOW.open_steps(c)]
    assert "proxy_now" in names and "urge" not in names and "proxy_decide" not in names
    _refused(enf, c, "proxy_now", {**NOW, "proxy_ground": "traffic"}, day, "第五十二条")
    _refused(enf, c, "proxy_now", {**NOW, "proxy_supervisor": ""}, day, "派员到场监督")
    _refused(enf, c, "proxy_now", {**NOW, "proxy_witness": ""}, day, "见证人")
    _refused(enf, c, "proxy_now", {**NOW, "executed_at": _at(2024, 6, 3, 22)}, day, "夜间")
    c = _step(enf, c, "proxy_now", NOW, day)
    assert c.status == C.PROXY_DONE and c.decided_on == day and c.decided_by == enf.officer_user
    assert "proxy_notify" in [s.name for s in COERCION_FLOW.open_steps(c)]
    _refused(enf, c, "proxy_notify", {"proxy_notified_on": D(2024, 6, 2), "proxy_notice_method": "电话并送达通知书"},
             day, "不能早于")
    c = _step(enf, c, "proxy_notify", {"proxy_notified_on": D(2024, 6, 4), "proxy_notice_method": "直接送达通知书",
                                       "reason": "告知费用300元由当事人承担"}, D(2024, 6, 4))
    assert c.status == C.EXECUTED
    text = documents.text_of(documents.build_coercion(c, "proxy_notice")[1])
    assert "立即代履行通知书" in text and "第五十二条" in text and "300" in text and "执法队员甲" in text


def test_immediate_steps_refused_on_the_ordinary_route(enf):
    c = _start(enf)
    _refused(enf, c, "proxy_now", NOW, D(2024, 6, 3), "第五十一条")


# --- documents, pages, to-do -----------------------------------------------------------------------

def test_decision_document_lists_what_article_51_requires(enf):
    c = _decided(enf, _start(enf))
    assert [k for k, _ in documents.coercion_documents(c)] == ["urge", "proxy"]
    text = documents.text_of(documents.build_coercion(c, "proxy")[1])
    for words in ("代履行决定书", "张三", "住址", "公路法第七十九条", "机械清运至指定堆场", "2024年5月27日",
                  "县道X021路肩砂石", "蓝山县某某土石方工程队", "没有利害关系", "人民币1800元", "三日前", "由你（单位）承担",
                  "六十日内"):
        assert words in text, words
    with pytest.raises(DomainError):
        documents.build_coercion(c, "decision")


def test_pages_and_todo(enf, demo, client, login):
    from fazhi.enforcement.selectors import todo_provider

    c = _served(enf, _start(enf))
    detail = reverse("enforcement:coercion_detail", args=[c.pk])
    login(demo.user("demo2_officer"))
    assert client.get(detail).status_code == 404
    login(enf.officer_user)
    page = client.get(detail).content.decode()
    assert "代履行决定已送达" in page and 'id="form-proxy_urge"' in page and 'id="form-execute"' not in page
    assert "代履行决定书（.docx）" in page
    r = client.post(reverse("enforcement:coercion_proxy_urge", args=[c.pk]),
                    {"proxy_urged_on": "2024-05-23", "expected_status": C.PROXY_SERVED})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == C.PROXY_URGED
    items = [i for i in todo_provider(enf.officer_user, D(2024, 5, 24), 14) if "代履行" in i.title]
    assert items and items[0].url.endswith(f"/coercions/{c.pk}/proxy_perform/")
    assert client.get(reverse("enforcement:coercion_document_proxy", args=[c.pk])).status_code == 200


def test_demo_proxy_case(full_demo):
    from fazhi.enforcement import demo
    from fazhi.enforcement.models import Case

    case = Case.objects.get(township=full_demo.litou, title="邓某某在舜水河岸倾倒建筑垃圾案")
    c = case.coercions.get()
    assert c.route == "proxy" and c.status == C.EXECUTED and case.status == CaseStatus.CLOSED
    steps = list(c.transitions.values_list("to_status", flat=True))
    assert steps == [C.URGED, C.PROXY_DECIDED, C.PROXY_SERVED, C.PROXY_URGED, C.EXECUTED]
    assert c.proxy_cost == Decimal("2150") and c.proxy_witness and c.records.count() == 1
    demo.load(full_demo)  # idempotent
    assert case.coercions.count() == 1
