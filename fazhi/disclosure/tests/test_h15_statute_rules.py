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


def test_it_ends_the_publication_duty_by_a_recorded_decision_not_to_publish(make_item, staff, leader):
    """条例第十四条至第十六条: a leader's recorded decision with its ground ends the 20-working-day duty;
    without a ground, or by someone other than the office's head, nothing changes."""
    from fazhi.core.errors import DomainError
    from fazhi.disclosure.models import DisclosureItem, ItemStatus
    from fazhi.disclosure.selectors import late_items_for
    from fazhi.disclosure.workflow.items import item_transition

    item = make_item(formed=D(2024, 9, 2), title="内部请示报告")
    late = D(2024, 11, 1)  # 20 working days from 2 Sep have run
    assert late_items_for(leader, today=late).filter(pk=item.pk).exists()
    with pytest.raises(DomainError, match="负责人"):
        item_transition(actor=staff, item=item, step="exempt", today=late,
                        data={"exempt_ground": "process", "exempt_note": "过程性信息"})
    with pytest.raises(DomainError, match="依据"):
        item_transition(actor=leader, item=item, step="exempt", today=late, data={"exempt_note": "过程性信息"})
    with pytest.raises(DomainError, match="理由"):
        item_transition(actor=leader, item=item, step="exempt", today=late,
                        data={"exempt_ground": "process", "exempt_note": " "})
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and not item.transitions.exists()

    item = item_transition(actor=leader, item=item, step="exempt", today=late,
                           data={"exempt_ground": "process", "exempt_note": "请示报告，属过程性信息"})
    assert item.status == ItemStatus.EXEMPT and item.exempt_by == leader and item.exempt_on == late
    assert not late_items_for(leader, today=late).filter(pk=item.pk).exists()
    assert not DisclosureItem.objects.public().filter(pk=item.pk).exists()
    assert item.transitions.get(to_status=ItemStatus.EXEMPT).reason == "请示报告，属过程性信息"

    item = item_transition(actor=leader, item=item, step="reopen", today=late, data={"note": "已形成正式文件"})
    assert item.status == ItemStatus.DRAFT and item.exempt_ground == "" and item.exempt_by is None
    assert late_items_for(leader, today=late).filter(pk=item.pk).exists()  # the clock still runs from formation


def test_it_caps_the_answer_extension_at_20_working_days_whatever_the_local_setting(make_request, staff, leader):
    """条例第三十三条第二款: 延长的期限最长不得超过20个工作日 — a settings row saying 30 changes nothing."""
    from fazhi.core.errors import DomainError
    from fazhi.disclosure.deadlines import DEFAULTS
    from fazhi.disclosure.models import DisclosureSettings

    req = make_request(received=D(2025, 1, 2))
    DisclosureSettings.objects.create(township=req.township, **{**DEFAULTS, "extension_max_working_days": 30})
    with pytest.raises(DomainError, match="1至20"):
        request_transition(actor=staff, info_request=req, step="extend", today=D(2025, 1, 10),
                           data={"extension_days": 25, "extension_reason": "需调档", "approved_by": leader})
    req.refresh_from_db()
    assert req.extension_days == 0
    assert "第三十三条第二款" in answer_deadline(req, today=D(2025, 1, 10)).explanation


def test_it_lets_the_office_record_consulting_another_agency_on_the_page(make_request, staff, client, login):
    """条例第三十三条第三款: consulting another agency stops the clock too, uncapped — the page must offer it."""
    from django.urls import reverse

    req = make_request(received=D(2024, 9, 2))
    login(staff)
    url = reverse("disclosure:request_consult", args=[req.pk])
    assert 'name="kind"' in client.get(url).content.decode()
    client.post(url, {"expected_status": "received", "kind": "agency", "third_party": "县自然资源局",
                      "started_on": "2024-09-10"})
    req.refresh_from_db()
    assert req.status == "consulting" and req.clock_stops.get().kind == "agency"


def test_it_labels_a_local_number_as_local_and_never_lets_it_lengthen_the_answer_period(make_request, make_item):
    """条例第二十六条 (20 working days, 法律法规另有规定的从其规定) and 第三十三条第二款 (20 working days, fixed):
    a township's own number is shown as its own, and the answer limit never grows past the statute's."""
    from fazhi.disclosure.deadlines import DEFAULTS, publish_deadline, settings_for
    from fazhi.disclosure.models import DisclosureSettings

    item = make_item(formed=D(2024, 9, 2))
    DisclosureSettings.objects.create(township=item.township, **{**DEFAULTS, "publish_working_days": 15,
                                                                 "answer_working_days": 30})
    d = publish_deadline(item)
    assert "本地参数设定为15" in d.explanation and "法定20" in d.explanation and "第二十六条" in d.explanation
    req = make_request(received=D(2024, 9, 2))
    assert settings_for(req.township).answer_working_days == 30
    assert answer_deadline(req, today=D(2024, 9, 3)).due == D(2024, 9, 30)  # 20 working days, not 30



def test_it_refuses_settings_that_lengthen_the_statutes_answer_and_correction_periods(demo):
    """条例第三十条 (7 working days) and 第三十三条第二款 (20 working days) bind the agency: never longer locally."""
    from fazhi.core.errors import DomainError
    from fazhi.disclosure.deadlines import settings_for
    from fazhi.disclosure.services.catalogue import settings_save

    admin = demo.user("litou_admin")
    with pytest.raises(DomainError, match="20个工作日"):
        settings_save(actor=admin, township=demo.litou, answer_working_days=25)
    with pytest.raises(DomainError, match="7个工作日"):
        settings_save(actor=admin, township=demo.litou, correction_working_days=10)
    assert settings_for(demo.litou).answer_working_days == 20
    settings_save(actor=admin, township=demo.litou, answer_working_days=15)  # sooner is the office's own choice
    assert settings_for(demo.litou).answer_working_days == 15
