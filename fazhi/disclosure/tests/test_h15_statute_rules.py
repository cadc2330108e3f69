"""Issue 15: 政府信息公开条例第三十二条、第三十三条 — a clock stops only while it runs; only Art. 32 is capped."""

import datetime as dt

import pytest

from fazhi.disclosure.deadlines import answer_deadline
from fazhi.disclosure.workflow.requests import request_transition

D = dt.date
pytestmark = pytest.mark.django_db


def test_it_does_not_let_a_consultation_after_the_deadline_rescue_a_late_answer(make_request, staff):
    req = make_request(received=D(2024, 9, 2))
    assert req.answer_due == D(2024, 9, 30)
    req = request_transition(actor=staff, info_request=req, step="consult", today=D(2024, 10, 1),
                             data={"third_party": "某公司", "started_on": D(2024, 10, 1)})
    req = request_transition(actor=staff, info_request=req, step="consult_end", today=D(2024, 10, 15),
                             data={"ended_on": D(2024, 10, 15), "opinion": "不同意"})
    req = request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 10, 15),
                             data={"reply_type": "not_exist", "reply_on": D(2024, 10, 15)})
    assert req.answered_late
    assert "届满后的征求意见不产生暂停计时" in answer_deadline(req, today=D(2024, 10, 15)).explanation


def test_it_does_not_cap_consulting_another_agency(make_request, staff):
    req = make_request(received=D(2024, 9, 2))
    req = request_transition(actor=staff, info_request=req, step="consult", today=D(2024, 9, 10),
                             data={"third_party": "县自然资源局", "started_on": D(2024, 9, 10), "kind": "agency"})
    req = request_transition(actor=staff, info_request=req, step="consult_end", today=D(2024, 10, 31),
                             data={"ended_on": D(2024, 10, 31), "opinion": "已答复"})
    d = answer_deadline(req, today=D(2024, 10, 31))
    assert d.paused_days > 15  # the whole consultation, recorded, not the third party's 15 working days
    third = make_request(received=D(2024, 9, 2), description="另一份文件")
    third = request_transition(actor=staff, info_request=third, step="consult", today=D(2024, 9, 10),
                               data={"third_party": "某公司", "started_on": D(2024, 9, 10)})
    third = request_transition(actor=staff, info_request=third, step="consult_end", today=D(2024, 10, 31),
                               data={"ended_on": D(2024, 10, 31), "opinion": "逾期"})
    assert answer_deadline(third, today=D(2024, 10, 31)).paused_days == 15
