"""行政强制执行 (行政强制法第四章、第五章): every guard refuses and changes nothing; the date rules; the roles;
the demo's 限期拆除 case; the documents' text. Dates are pinned (today=), never the real clock."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, documents, records
from fazhi.enforcement.models import (
    Case,
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
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x48mdat" + b"\x00" * 64


def _at(y, m, d, h=10, minute=0):
    return timezone.make_aware(dt.datetime(y, m, d, h, minute))


def _served(enf, **kw):
    """A case decided 2024-04-15 and served 2024-04-16 (fine 3000 unless a penalty is given)."""
    return advance(enf, make_case(enf, **kw), CaseStatus.SERVED)


def _start(enf, case=None, *, demolition=False, route="direct", today=None):
    case, today = case or _served(enf), today or D(2024, 5, 10)
    return coercion_start(actor=enf.officer_user, case=case, obligation="缴纳罚款人民币3000元。", route=route,
                          demolition=demolition, today=today)


def _step(enf, c, step, data, today, actor=None):
    return coercion_transition(actor=actor or enf.officer_user, coercion=c, step=step, data=data, today=today)


def _urged(enf, c, on=None, days=10):
    on = on or D(2024, 5, 10)
    return _step(enf, c, "urge", {"urged_on": on, "performance_days": days, "perform_method": "银行缴纳",
                                  "amount": Decimal("3000")}, on)


def _decided(enf, c, on=None):
    on = on or D(2024, 5, 27)
    return _step(enf, c, "decide", {"decided_on": on, "means": "申请划拨存款", "decision_reason": "逾期不履行"}, on,
                 actor=enf.leader)


def _to_served(enf, c):
    c = _urged(enf, c)
    c = _decided(enf, c)
    return _step(enf, c, "serve", {"decision_served_on": D(2024, 5, 28), "service_method": "direct",
                                   "service_recipient": "张三"}, D(2024, 5, 28))


def _refused(enf, c, step, data, today, match, actor=None):
    """The step is refused with `match`, and nothing about the procedure changed."""
    before = CoercionProcedure.objects.values().get(pk=c.pk)
    rows = CoercionTransition.objects.filter(coercion=c).count()
    with pytest.raises(DomainError, match=match):
        _step(enf, c, step, data, today, actor=actor)
    assert CoercionProcedure.objects.values().get(pk=c.pk) == before
    assert CoercionTransition.objects.filter(coercion=c).count() == rows


# --- starting -----------------------------------------------------------------------------------

def test_start_only_on_a_served_unperformed_decision(enf):
    case = make_case(enf)
    with pytest.raises(DomainError, match="决定已送达"):
        _start(enf, case)
    case = _served(enf)
    with pytest.raises(DomainError, match="缴纳罚款的期限"):  # served 04-16: 15 days → 05-01 (劳动节) → 05-06
        _start(enf, case, today=D(2024, 5, 6))
    assert not CoercionProcedure.objects.exists()
    c = _start(enf, case, today=D(2024, 5, 7))
    assert c.status == C.PENDING
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTING
    with pytest.raises(DomainError, match="进行中的强制执行"):
        _start(enf, case, today=D(2024, 5, 8))


# --- 催告, 陈述申辩, 决定 -------------------------------------------------------------------------------

def test_urge_guards(enf):
    c = _start(enf)
    _refused(enf, c, "urge", {"urged_on": D(2024, 4, 1), "performance_days": 10, "perform_method": "缴纳"},
             D(2024, 5, 10), "不能早于处罚决定书送达日期")
    _refused(enf, c, "urge", {"urged_on": D(2024, 5, 11), "performance_days": 10, "perform_method": "缴纳"},
             D(2024, 5, 10), "不能晚于今天")
    _refused(enf, c, "urge", {"urged_on": D(2024, 5, 10), "performance_days": 10, "perform_method": ""},
             D(2024, 5, 10), "履行方式")
    c = _urged(enf, c)
    assert c.status == C.URGED


def test_statement_heard_and_recorded(enf):
    c = _urged(enf, _start(enf))
    _refused(enf, c, "statement", {"statement_on": D(2024, 5, 12), "statement": "无力缴纳", "statement_response": ""},
             D(2024, 5, 12), "记录、复核意见")
    _refused(enf, c, "statement", {"statement_on": D(2024, 5, 9), "statement": "无力缴纳", "statement_response": "不成立"},
             D(2024, 5, 12), "不能早于催告书送达日期")
    c = _step(enf, c, "statement", {"statement_on": D(2024, 5, 12), "statement": "无力缴纳",
                                    "statement_response": "经复核不成立"}, D(2024, 5, 12))
    assert c.status == C.HEARD and c.statement_response == "经复核不成立"


def test_decision_only_after_the_urge_period(enf):
    c = _urged(enf, _start(enf))  # 05-10 + 10 days = 05-20 (Monday)
    assert deadlines.urge_deadline(c).due == D(2024, 5, 20)
    data = {"decided_on": D(2024, 5, 20), "means": "申请划拨存款", "decision_reason": "逾期不履行"}
    _refused(enf, c, "decide", data, D(2024, 5, 20), "期限届满前不能作出强制执行决定", actor=enf.leader)
    c = _decided(enf, c, D(2024, 5, 21))
    assert c.status == C.DECIDED and c.decided_by == enf.leader


def test_urge_period_over_national_day(enf):
    c = _urged(enf, _start(enf), on=D(2024, 9, 25), days=7)  # 10-02 is 国庆节: a party's period moves to 10-08
    due = deadlines.urge_deadline(c)
    assert due.due == D(2024, 10, 8) and "国庆" in due.explanation and "第三十五条" in due.explanation
    data = {"decided_on": D(2024, 10, 8), "means": "申请划拨存款", "decision_reason": "逾期不履行"}
    _refused(enf, c, "decide", data, D(2024, 10, 8), "2024年10月8日", actor=enf.leader)
    assert _decided(enf, c, D(2024, 10, 9)).status == C.DECIDED


def test_no_cutting_water_power_heating_or_gas(enf):
    c = _urged(enf, _start(enf))
    for means in ("对其住宅停水停电", "停止供热", "断气"):
        _refused(enf, c, "decide", {"decided_on": D(2024, 5, 27), "means": means, "decision_reason": "逾期"},
                 D(2024, 5, 27), "第四十三条第二款", actor=enf.leader)
    c = _to_served(enf, _start(enf, _served(enf, party_name="李四")))
    _refused(enf, c, "execute", {"executed_at": _at(2024, 6, 3), "means": "拉闸限电", "execution_note": "已执行"},
             D(2024, 6, 3), "第四十三条第二款")


def test_serve_not_before_decision(enf):
    c = _decided(enf, _urged(enf, _start(enf)))
    _refused(enf, c, "serve", {"decision_served_on": D(2024, 5, 26), "service_method": "direct",
                               "service_recipient": "张三"}, D(2024, 5, 28), "不能早于强制执行决定日期")


# --- 执行: night, holidays ------------------------------------------------------------------------

def test_no_execution_at_night_or_on_a_statutory_holiday_except_in_emergency(enf):
    c = _to_served(enf, _start(enf))
    base = {"means": "划拨存款", "execution_note": "已划拨"}
    _refused(enf, c, "execute", {**base, "executed_at": _at(2024, 6, 3, 21)}, D(2024, 6, 3), "夜间")
    _refused(enf, c, "execute", {**base, "executed_at": _at(2024, 6, 3, 5, 59)}, D(2024, 6, 3), "夜间")
    _refused(enf, c, "execute", {**base, "executed_at": _at(2024, 6, 10)}, D(2024, 6, 10), "端午节")
    _refused(enf, c, "execute", {**base, "executed_at": _at(2024, 6, 10), "emergency": True, "emergency_reason": ""},
             D(2024, 6, 10), "情况紧急")
    c = _step(enf, c, "execute", {**base, "executed_at": _at(2024, 6, 10), "emergency": True,
                                  "emergency_reason": "当事人正在转移财产"}, D(2024, 6, 10))
    assert c.status == C.EXECUTED and c.emergency


def test_execution_on_an_ordinary_weekday_daytime(enf):
    c = _to_served(enf, _start(enf))
    c = _step(enf, c, "execute", {"executed_at": _at(2024, 6, 3, 9), "means": "划拨存款", "execution_note": "已划拨"},
              D(2024, 6, 3))
    assert c.status == C.EXECUTED and c.means == "划拨存款"


# --- 强制拆除 (Art. 44) ----------------------------------------------------------------------------

def _demolition(enf):
    case = _served(enf, penalty=PenaltyKind.OTHER, fine=None)
    c = coercion_start(actor=enf.officer_user, case=case, obligation="拆除违法建设的房屋。", demolition=True,
                       today=D(2024, 5, 10))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SERVED  # no fine: the case has no 执行中 step
    return _to_served(enf, c)


def test_demolition_needs_the_announcement_the_periods_and_a_video(enf):
    c = _demolition(enf)
    removal = {"executed_at": _at(2024, 10, 21, 9), "means": "强制拆除", "execution_note": "已拆除"}
    _refused(enf, c, "execute", removal, D(2024, 10, 21), "应当予以公告")
    plain = _to_served(enf, _start(enf, _served(enf, party_name="李四")))
    _refused(enf, plain, "announce", {"announced_on": D(2024, 5, 29), "self_removal_days": 10}, D(2024, 5, 29),
             "只有强制拆除")
    assert "announce" not in [s.name for s in COERCION_FLOW.open_steps(plain)]
    c = _step(enf, c, "announce", {"announced_on": D(2024, 5, 29), "self_removal_days": 10}, D(2024, 5, 29))
    assert c.status == C.ANNOUNCED
    # the self-removal period: 05-29 + 10 = 06-08 (Saturday) → 06-11 (after 端午节 06-10)
    assert deadlines.self_removal_deadline(c).due == D(2024, 6, 11)
    _refused(enf, c, "execute", {**removal, "executed_at": _at(2024, 6, 11, 9)}, D(2024, 6, 11), "自行拆除")
    # the remedy periods: served 04-16, lawsuit 6 months → 2024-10-16
    assert deadlines.remedy_lapse(c.case).due == D(2024, 10, 16)
    _refused(enf, c, "execute", {**removal, "executed_at": _at(2024, 10, 16, 9)}, D(2024, 10, 16), "期限内不得强制拆除")
    c = _step(enf, c, "remedy", {"remedy_pending": True, "remedy_note": "当事人已向县人民法院起诉"}, D(2024, 10, 18))
    _refused(enf, c, "execute", removal, D(2024, 10, 21), "尚未审结")
    c = _step(enf, c, "remedy", {"remedy_pending": False, "remedy_note": "法院裁定驳回起诉，已生效"}, D(2024, 10, 20))
    _refused(enf, c, "execute", removal, D(2024, 10, 21), "没有全过程视频记录")
    records.record_create(actor=enf.officer_user, township=enf.town, coercion=c, stage="coercion", text="现场拆除",
                          recorded_at=_at(2024, 10, 21, 9), files=[(io.BytesIO(MP4), "拆除.mp4")], today=D(2024, 10, 21))
    c = _step(enf, c, "execute", removal, D(2024, 10, 21))
    assert c.status == C.EXECUTED


# --- 执行协议, 中止, 终结 ----------------------------------------------------------------------------

def test_agreement_records_instalments(enf):
    c = _urged(enf, _start(enf))
    data = {"agreement_on": D(2024, 5, 15), "agreement_terms": "分两期缴纳",
            "instalments": "2024-06-01 1500\n2024-07-01 1500"}
    _refused(enf, c, "agreement", {**data, "instalments": "2024-06-01 abc"}, D(2024, 5, 15), "分期第1行")
    _refused(enf, c, "agreement", {**data, "instalments": "2024-06-01 2000\n2024-07-01 1500"}, D(2024, 5, 15),
             "超过催告的金额")
    _refused(enf, c, "agreement", {**data, "instalments": "2024-05-01 1500"}, D(2024, 5, 15), "不能早于协议日期")
    assert not c.instalments.exists()
    c = _step(enf, c, "agreement", data, D(2024, 5, 15))
    assert c.status == C.AGREED and [i.amount for i in c.instalments.all()] == [Decimal("1500")] * 2
    c = _step(enf, c, "instalment", {"paid_on": D(2024, 6, 1)}, D(2024, 6, 1))
    c = _step(enf, c, "instalment", {"paid_on": D(2024, 7, 1)}, D(2024, 7, 1))
    with pytest.raises(DomainError, match="均已履行"):
        _step(enf, c, "instalment", {"paid_on": D(2024, 7, 2)}, D(2024, 7, 2))
    c = _step(enf, c, "execute", {"executed_at": _at(2024, 7, 2), "means": "执行协议", "execution_note": "已履行完毕"},
              D(2024, 7, 2))
    assert c.status == C.EXECUTED


def test_suspend_resume_terminate_are_a_leaders(enf):
    c = _to_served(enf, _start(enf))
    data = {"suspended_on": D(2024, 6, 3), "suspend_reason": "当事人暂无履行能力"}
    _refused(enf, c, "suspend", data, D(2024, 6, 3), "负责人", actor=enf.officer_user)
    c = _step(enf, c, "suspend", data, D(2024, 6, 3), actor=enf.leader)
    assert c.status == C.SUSPENDED
    _refused(enf, c, "resume", {"reason": ""}, D(2024, 7, 1), "恢复执行的理由", actor=enf.leader)
    c = _step(enf, c, "resume", {"reason": "当事人已有履行能力"}, D(2024, 7, 1), actor=enf.leader)
    assert c.status == C.SERVED
    _refused(enf, c, "terminate", {"terminated_on": D(2024, 7, 2), "terminate_reason": ""}, D(2024, 7, 2),
             "终结理由", actor=enf.leader)
    c = _step(enf, c, "terminate", {"terminated_on": D(2024, 7, 2), "terminate_reason": "据以执行的决定被撤销"},
              D(2024, 7, 2), actor=enf.leader)
    assert c.status == C.TERMINATED


# --- 申请人民法院强制执行 (Arts. 53–54) -------------------------------------------------------------

def test_court_application_window_and_the_ten_working_days(enf):
    c = _start(enf, route="court")
    c = _urged(enf, c, on=D(2024, 10, 8))
    _refused(enf, c, "decide", {"decided_on": D(2024, 10, 30), "means": "划拨", "decision_reason": "逾期"},
             D(2024, 10, 30), "申请人民法院强制执行", actor=enf.leader)
    window = deadlines.court_window(c.case)
    assert window.due == D(2025, 1, 16) and "第五十三条" in window.explanation
    ready = deadlines.court_notice_ready(c)  # 10 working days after 10-08, counting the 10-12 make-up Saturday
    assert ready.due == D(2024, 10, 21) and "第六十九条" in ready.explanation
    apply = {"court": "蓝山县人民法院"}
    _refused(enf, c, "court", {**apply, "applied_on": D(2024, 10, 16)}, D(2024, 10, 16), "届满后方可申请",
             actor=enf.leader)
    _refused(enf, c, "court", {**apply, "applied_on": D(2024, 10, 21)}, D(2024, 10, 21), "十个工作日后",
             actor=enf.leader)
    _refused(enf, c, "court", {**apply, "applied_on": D(2025, 1, 17)}, D(2025, 1, 17), "已超过申请期限",
             actor=enf.leader)
    _refused(enf, c, "court", {**apply, "applied_on": D(2024, 10, 22)}, D(2024, 10, 22), "负责人",
             actor=enf.officer_user)
    c = _step(enf, c, "court", {**apply, "applied_on": D(2024, 10, 22)}, D(2024, 10, 22), actor=enf.leader)
    assert c.status == C.APPLIED
    assert {s.name for s in COERCION_FLOW.open_steps(c)} == set()


def test_court_route_offers_no_direct_steps(enf):
    c = _urged(enf, _start(enf, route="court"))
    names = {s.name for s in COERCION_FLOW.open_steps(c)}
    assert "court" in names and not names & {"decide", "execute", "agreement"}
    direct = _urged(enf, _start(enf, _served(enf, party_name="李四")))
    assert "court" not in {s.name for s in COERCION_FLOW.open_steps(direct)}
    _refused(enf, direct, "court", {"court": "法院", "applied_on": D(2024, 10, 22)}, D(2024, 10, 22),
             "不走申请法院途径", actor=enf.leader)


# --- roles ------------------------------------------------------------------------------------

def test_roles_other_township_and_supervisor(enf, demo):
    c = _urged(enf, _start(enf))
    data = {"decided_on": D(2024, 5, 27), "means": "划拨", "decision_reason": "逾期"}
    _refused(enf, c, "decide", data, D(2024, 5, 27), "负责人", actor=enf.officer_user)
    _refused(enf, c, "decide", data, D(2024, 5, 27), "负责人", actor=demo.user("demo2_leader"))
    _refused(enf, c, "decide", data, D(2024, 5, 27), "负责人", actor=demo.user("county_supervisor"))
    with pytest.raises(DomainError):
        coercion_start(actor=demo.user("demo2_officer"), case=c.case, obligation="x", today=D(2024, 5, 27))


def test_pages(enf, demo, client, login):
    c = _urged(enf, _start(enf))
    detail = reverse("enforcement:coercion_detail", args=[c.pk])
    decide = reverse("enforcement:coercion_decide", args=[c.pk])
    assert client.get(detail).status_code == 302  # anonymous: to the login page
    login(demo.user("demo2_officer"))
    assert client.get(detail).status_code == 404
    login(demo.user("county_supervisor"))
    r = client.get(detail)
    assert r.status_code == 200 and "强制执行" in r.content.decode() and "作出强制执行决定" not in r.content.decode()
    login(enf.officer_user)
    page = client.get(detail).content.decode()
    assert "听取陈述申辩" in page and 'id="form-statement"' in page and 'id="form-decide"' not in page
    assert client.post(decide, {"decided_on": "2024-05-27", "means": "划拨", "decision_reason": "逾期"}).status_code \
        == 403
    assert client.get(reverse("enforcement:coercion_document_urge", args=[c.pk])).status_code == 200
    r = client.get(reverse("enforcement:coercion_document_decision", args=[c.pk]))
    assert r.status_code == 302  # not decided yet: back to the page with the reason
    case_page = client.get(reverse("enforcement:case_detail", args=[c.case_id])).content.decode()
    assert reverse("enforcement:coercion_detail", args=[c.pk]) in case_page


def test_start_page(enf, client, login):
    case = _served(enf)
    login(enf.officer_user)
    assert "启动行政强制执行" in client.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    url = reverse("enforcement:coercion_new", args=[case.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"obligation": "缴纳罚款", "route": "direct"})
    assert r.status_code == 302
    assert CoercionProcedure.objects.filter(case=case).count() == 1


# --- documents -------------------------------------------------------------------------------

def test_documents_text(enf):
    c = _demolition(enf)
    c = _step(enf, c, "announce", {"announced_on": D(2024, 5, 29), "self_removal_days": 10}, D(2024, 5, 29))
    urge = documents.text_of(documents.build_coercion(c, "urge")[1])
    assert "催告书" in urge and "10日内" in urge and "2024年5月20日" in urge and "陈述权和申辩权" in urge
    decision = documents.text_of(documents.build_coercion(c, "decision")[1])
    assert "强制执行决定书" in decision and "强制执行的理由和依据" in decision and "申请划拨存款" in decision
    assert "六十日内" in decision and "六个月内" in decision and "张三" in decision
    notice = documents.text_of(documents.build_coercion(c, "announcement")[1])
    assert "公告" in notice and "自行拆除" in notice and "2024年6月11日" in notice and "第四十四条" in notice
    with pytest.raises(DomainError, match="尚未申请"):
        documents.build_coercion(c, "application")


def test_court_application_document(enf):
    c = _urged(enf, _start(enf, route="court"), on=D(2024, 10, 8))
    c = _step(enf, c, "court", {"court": "蓝山县人民法院", "applied_on": D(2024, 10, 22)}, D(2024, 10, 22),
              actor=enf.leader)
    text = documents.text_of(documents.build_coercion(c, "application")[1])
    assert "强制执行申请书" in text and "蓝山县人民法院" in text and "第五十四条" in text


# --- the demo ------------------------------------------------------------------------------

def test_demo_demolition_case(full_demo):
    from fazhi.enforcement import demo

    case = Case.objects.get(township=full_demo.litou, title="黄某某未经批准占用耕地建房案")
    c = case.coercions.get()
    assert c.demolition and c.status == C.EXECUTED and case.status == CaseStatus.CLOSED
    steps = list(c.transitions.values_list("to_status", flat=True))
    assert steps == [C.URGED, C.HEARD, C.DECIDED, C.SERVED, C.ANNOUNCED, C.EXECUTED]
    assert records.coercion_has_video(c) and c.records.count() == 2
    demo.load(full_demo)  # idempotent
    assert case.coercions.count() == 1
