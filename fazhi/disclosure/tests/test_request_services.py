"""Handling requests: each reply type of 条例第三十六/三十七条, guards that refuse and change nothing."""

import datetime as dt

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import ConflictError, DomainError
from fazhi.disclosure.documents import reply_docx, reply_summary
from fazhi.disclosure.models import InfoRequest, ReplyType, RequestStatus
from fazhi.disclosure.services.requests import request_submit_public
from fazhi.disclosure.workflow.requests import request_transition

from .conftest import person

D = dt.date
pytestmark = pytest.mark.django_db

REPLIES = [
    (ReplyType.ALREADY_PUBLIC, {"where_public": "门户网站“规划计划”栏目"}, "where_public", "第三十六条第一项"),
    (ReplyType.PROVIDED, {"reply_text": "已邮寄"}, None, "第三十六条第二项"),
    (ReplyType.NOT_DISCLOSED, {"exempt_reason": "state_secret", "legal_basis": "条例第十四条"}, "legal_basis",
     "第三十六条第三项"),
    (ReplyType.NOT_EXIST, {}, None, "第三十六条第四项"),
    (ReplyType.NOT_OURS, {"right_agency": "蓝山县自然资源局 0746-1234567"}, "right_agency", "蓝山县自然资源局"),
    (ReplyType.REPEAT, {}, None, "第三十六条第六项"),
    (ReplyType.SPECIAL_CHANNEL, {"special_channel": "蓝山县不动产登记中心"}, "special_channel", "第三十六条第七项"),
    (ReplyType.PARTIAL, {"exempt_reason": "third_party", "legal_basis": "条例第十五条"}, "exempt_reason",
     "第三十七条"),
]


@pytest.mark.parametrize(("reply_type", "fields", "required", "words"), REPLIES)
def test_each_reply_type(make_request, staff, reply_type, fields, required, words):
    req = make_request(received=D(2024, 9, 2))
    if required:
        with pytest.raises(DomainError):
            request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 9, 10),
                               data={"reply_type": reply_type, **{k: v for k, v in fields.items() if k != required}})
        assert InfoRequest.objects.get(pk=req.pk).status == RequestStatus.RECEIVED
    req = request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 9, 10),
                             data={"reply_type": reply_type, "reply_on": D(2024, 9, 10), **fields})
    assert req.status == RequestStatus.ANSWERED and req.reply_type == reply_type
    assert words in reply_summary(req)
    doc = reply_docx(req)
    assert doc[:2] == b"PK" and len(doc) > 5000
    assert req.transitions.filter(to_status="answered").count() == 1
    assert AuditEntry.objects.filter(object_type="disclosure.inforequest", object_id=str(req.pk),
                                     action="transition").exists()


def test_answer_refuses_unknown_type_future_date_and_answer_during_consultation(make_request, staff):
    req = make_request(received=D(2024, 9, 2))
    with pytest.raises(DomainError, match="答复类型"):
        request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 9, 3), data={"reply_type": "maybe"})
    with pytest.raises(DomainError, match="晚于今天"):
        request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 9, 3),
                           data={"reply_type": "not_exist", "reply_on": D(2024, 9, 4)})
    req = request_transition(actor=staff, info_request=req, step="consult", today=D(2024, 9, 3), data={"third_party": "甲公司"})
    with pytest.raises(DomainError, match="不能从"):
        request_transition(actor=staff, info_request=req, step="answer", today=D(2024, 9, 4), data={"reply_type": "not_exist"})
    assert InfoRequest.objects.get(pk=req.pk).status == RequestStatus.CONSULTING


def test_only_township_staff_with_a_write_role_may_act(demo, make_request):
    req = make_request()
    for name in ("demo2_legal_staff", "litou_officer", "county_supervisor", "litou_mediator"):
        with pytest.raises(DomainError, match="无权"):
            request_transition(actor=demo.user(name), info_request=req, step="withdraw", data={"note": "x"})
    assert InfoRequest.objects.get(pk=req.pk).status == RequestStatus.RECEIVED


def test_stale_status_is_a_conflict(make_request, staff):
    req = make_request()
    with pytest.raises(ConflictError):
        request_transition(actor=staff, info_request=req, step="withdraw", data={"note": "x"}, expected_status=RequestStatus.CORRECTION)


def test_online_request_counts_from_the_confirmed_day(demo, staff):
    req = request_submit_public(township=demo.litou, data=person())
    assert req.status == RequestStatus.SUBMITTED and req.received_on is None and req.answer_due is None
    assert len(req.tracking_no) == 14
    req = request_transition(actor=staff, info_request=req, step="confirm")
    assert req.received_on == dt.date.today() and req.answer_due is not None


def test_withdraw_needs_a_reason(make_request, staff):
    req = make_request()
    with pytest.raises(DomainError, match="原因"):
        request_transition(actor=staff, info_request=req, step="withdraw")
    req = request_transition(actor=staff, info_request=req, step="withdraw", data={"note": "申请人撤回"})
    assert req.status == RequestStatus.WITHDRAWN


@pytest.mark.parametrize("field", ["applicant_name", "description", "contact_address", "id_type"])
def test_xss_in_public_request_fields_is_neutralised(demo, field):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>申请人"内容"'
    data = person(**{field: payload + ("足够长的描述" if field == "description" else "")})
    req = request_submit_public(township=demo.litou, data=data)
    value = getattr(req, field)
    assert "<" not in value and ">" not in value and "alert(1)" not in value and "onerror" not in value


def test_public_request_validation(demo):
    bad = [({"applicant_name": ""}, "姓名"), ({"id_number": "<x>"}, "证件"), ({"contact_phone": "abc"}, "电话"),
           ({"description": "短"}, "特征性描述"), ({"contact_email": "", "delivery_form": "electronic"}, "邮箱"),
           ({"delivery_form": "post", "contact_address": ""}, "地址")]
    for change, words in bad:
        with pytest.raises(DomainError, match=words):
            request_submit_public(township=demo.litou, data=person(**change))
    assert InfoRequest.objects.count() == 0


def test_reply_letter_has_no_doubled_punctuation(make_request):
    import io

    from docx import Document

    from fazhi.disclosure.documents import reply_docx
    from fazhi.disclosure.models import ReplyType

    req = make_request(description="请公开2024年犁头村道路硬化项目的中标金额。")
    req.reply_type, req.reply_on = ReplyType.ALREADY_PUBLIC, dt.date(2024, 9, 10)
    req.where_public = "犁头瑶族乡人民政府门户网站“政府信息公开”栏目。"
    text = "\n".join(p.text for p in Document(io.BytesIO(reply_docx(req))).paragraphs)
    assert "中标金额”。" in text and "。”" not in text
    assert "栏目。" in text and "。。" not in text
