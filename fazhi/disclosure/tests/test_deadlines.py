"""Periods of the 政府信息公开条例 counted over 国庆/中秋/春节 and their make-up working days (调休)."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.disclosure.deadlines import answer_deadline, publish_deadline
from fazhi.disclosure.models import InfoRequest, RequestStatus

D = dt.date
pytestmark = pytest.mark.django_db


def test_publication_deadline_is_20_working_days_over_national_day(make_item):
    # 2024-09-27 (Fri): 9/29 (Sun, 调休) and 9/30 count, 10/1–10/7 do not, 10/12 (Sat, 调休) counts.
    item = make_item(formed=D(2024, 9, 27))
    d = publish_deadline(item)
    assert d.due == D(2024, 10, 30)
    assert item.publish_due == D(2024, 10, 30)
    assert "国庆节" in d.explanation and "调休" in d.explanation and "第二十六条" in d.explanation


def test_answer_due_20_working_days_over_national_day(make_request):
    req = make_request(received=D(2024, 9, 27))
    assert req.answer_due == D(2024, 10, 30)
    d = answer_deadline(req, today=D(2024, 9, 27))
    assert d.running and not d.provisional
    assert "第三十三条" in d.explanation


def test_third_party_consultation_stops_the_clock(make_request, staff):
    # Received Mon 2024-09-02: 20 working days end 2024-09-30 (9/14 Sat is a make-up day, 9/15–17 中秋).
    req = make_request(received=D(2024, 9, 2))
    assert req.answer_due == D(2024, 9, 30)
    from fazhi.disclosure.workflow.requests import request_transition

    req = request_transition(actor=staff, info_request=req, step="consult", today=D(2024, 9, 10),
                             data={"third_party": "某公司", "started_on": D(2024, 9, 10)})
    assert req.status == RequestStatus.CONSULTING
    running = answer_deadline(req, today=D(2024, 9, 12))
    assert not running.running and running.provisional
    req = request_transition(actor=staff, info_request=req, step="consult_end", today=D(2024, 9, 20),
                             data={"ended_on": D(2024, 9, 20), "opinion": "不同意"})
    # 9/11, 9/12, 9/13, 9/14 (调休), 9/18, 9/19, 9/20: 7 working days not counted → 2024-10-15.
    d = answer_deadline(req, today=D(2024, 9, 20))
    assert d.paused_days == 7
    assert d.due == D(2024, 10, 15) == InfoRequest.objects.get(pk=req.pk).answer_due
    assert "不计入" in d.explanation


def test_extension_over_spring_festival(make_request, staff, leader):
    # Received 2025-01-02: 1/26 (Sun) is a make-up day, 1/28–2/4 春节 → due 2025-02-06; +20 → 2025-03-05.
    req = make_request(received=D(2025, 1, 2))
    assert req.answer_due == D(2025, 2, 6)
    from fazhi.disclosure.workflow.requests import request_transition

    req = request_transition(actor=staff, info_request=req, step="extend", today=D(2025, 2, 5),
                             data={"extension_days": 20, "extension_reason": "需调档查询", "approved_by": leader})
    assert req.answer_due == D(2025, 3, 5)
    assert req.transitions.filter(from_status="received", to_status="received").exists()
    assert "延长20个工作日" in answer_deadline(req).explanation


def test_extension_only_once_within_limit_with_a_leaders_approval(make_request, staff, leader):
    from fazhi.disclosure.workflow.requests import request_transition

    req = make_request(received=D(2025, 1, 2))
    bad = [
        ({"extension_days": 21, "extension_reason": "x", "approved_by": leader}, D(2025, 1, 10), "1至20"),
        ({"extension_days": 10, "extension_reason": "x", "approved_by": staff}, D(2025, 1, 10), "负责人"),
        ({"extension_days": 10, "extension_reason": "", "approved_by": leader}, D(2025, 1, 10), "理由"),
        ({"extension_days": 10, "extension_reason": "x", "approved_by": leader}, D(2025, 2, 7), "届满"),
    ]
    for data, today, words in bad:
        with pytest.raises(DomainError, match=words):
            request_transition(actor=staff, info_request=req, step="extend", today=today, data=data)
        fresh = InfoRequest.objects.get(pk=req.pk)
        assert fresh.extension_days == 0 and fresh.answer_due == D(2025, 2, 6)
    req = request_transition(actor=staff, info_request=req, step="extend", today=D(2025, 1, 10),
                             data={"extension_days": 10, "extension_reason": "x", "approved_by": leader})
    with pytest.raises(DomainError, match="只允许延长一次"):
        request_transition(actor=staff, info_request=req, step="extend", today=D(2025, 1, 13),
                           data={"extension_days": 5, "extension_reason": "x", "approved_by": leader})


def test_correction_within_7_working_days_restarts_the_clock(make_request, staff):
    from fazhi.disclosure.workflow.requests import request_transition

    req = make_request(received=D(2024, 9, 27))
    # 7 working days after 9/27: 9/29, 9/30, 10/8, 10/9, 10/10, 10/11, 10/12 (Sat, 调休).
    with pytest.raises(DomainError, match="已超过告知补正的期限"):
        request_transition(actor=staff, info_request=req, step="correction", today=D(2024, 10, 14),
                           data={"correction_note": "请写明文号"})
    req = request_transition(actor=staff, info_request=req, step="correction", today=D(2024, 10, 12),
                             data={"correction_note": "请写明文号"})
    assert req.status == RequestStatus.CORRECTION and req.answer_due is None
    req = request_transition(actor=staff, info_request=req, step="corrected", today=D(2024, 10, 21),
                             data={"corrected_on": D(2024, 10, 21), "corrected_description": "2024年第3号文件"})
    assert req.clock_start == D(2024, 10, 21)
    assert req.answer_due == D(2024, 11, 18)  # 20 working days from the corrected request
    assert "重新起算" in answer_deadline(req).explanation


def test_correction_only_once(make_request, staff):
    from fazhi.disclosure.workflow.requests import request_transition

    req = make_request(received=D(2024, 9, 2))
    req = request_transition(actor=staff, info_request=req, step="correction", today=D(2024, 9, 3),
                             data={"correction_note": "请写明文号"})
    req = request_transition(actor=staff, info_request=req, step="corrected", today=D(2024, 9, 5),
                             data={"corrected_description": "第3号文件"})
    with pytest.raises(DomainError, match="一次性"):
        request_transition(actor=staff, info_request=req, step="correction", today=D(2024, 9, 6),
                           data={"correction_note": "再补"})


def test_late_answer_is_flagged(make_request, staff):
    from fazhi.disclosure.workflow.requests import request_transition

    req = make_request(received=D(2024, 9, 2))
    req = request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 10, 8),
                             data={"reply_type": "not_exist", "reply_on": D(2024, 10, 8)})
    assert req.answered_late and req.closed_on == D(2024, 10, 8)
    on_time = make_request(received=D(2024, 9, 2), description="另一份文件的名称")
    on_time = request_transition(actor=staff, info_request=on_time, step="answer", today=D(2024, 9, 30),
                                 data={"reply_type": "not_exist", "reply_on": D(2024, 9, 30)})
    assert not on_time.answered_late


def test_a_silent_third_party_stops_the_clock_for_15_working_days_only(make_request, staff):
    from fazhi.disclosure.workflow.requests import request_transition

    req = make_request(received=D(2024, 9, 2))  # due 2024-09-30 without consultation
    req = request_transition(actor=staff, info_request=req, step="consult", today=D(2024, 9, 10),
                             data={"third_party": "某公司", "started_on": D(2024, 9, 10)})
    # The third party's period ends 2024-10-08 (15 working days); the stored due assumes it is all used.
    assert req.answer_due == D(2024, 10, 25)
    waiting = answer_deadline(req, today=D(2024, 10, 8))
    assert not waiting.running
    late = answer_deadline(req, today=D(2024, 10, 20))
    assert late.running and late.paused_days == 15 and late.due == D(2024, 10, 25)
    assert "恢复计时" in late.explanation
    assert not late.is_overdue(D(2024, 10, 25)) and late.is_overdue(D(2024, 10, 28))


def test_a_deadline_in_a_year_without_a_known_schedule_is_provisional(make_request):
    req = make_request(received=D(2027, 12, 15))
    d = answer_deadline(req, today=D(2027, 12, 15))
    assert d.provisional and "暂定" in d.explanation


def test_a_province_setting_moves_pending_deadlines(make_request, demo):
    from fazhi.disclosure.services.catalogue import settings_save

    req = make_request(received=D(2024, 9, 2))
    assert req.answer_due == D(2024, 9, 30)
    settings_save(actor=demo.user("litou_admin"), township=demo.litou, answer_working_days=15)
    req.refresh_from_db()
    assert req.answer_due == D(2024, 9, 24)  # 9/3–6, 9/9–13, 9/14 (调休), 9/18–20, 9/23, 9/24
