import datetime as dt

import pytest

from fazhi.disclosure.models import Category
from fazhi.disclosure.services.items import item_create
from fazhi.disclosure.services.requests import request_create

D = dt.date
SEPT_2 = D(2024, 9, 2)
SEPT_27 = D(2024, 9, 27)


def person(**extra):
    return {"applicant_name": "张三", "id_number": "431127198001011234", "contact_phone": "13800000000",
            "contact_email": "a@example.cn", "description": "2024年犁头村道路硬化项目的中标结果", **extra}


@pytest.fixture
def staff(demo):
    return demo.user("litou_legal_staff")


@pytest.fixture
def leader(demo):
    return demo.user("litou_leader")


@pytest.fixture
def make_request(demo, staff):
    def _make(received=SEPT_2, channel="in_person", **extra):
        return request_create(actor=staff, township=demo.litou, channel=channel, received_on=received,
                                       data=person(**extra), today=received)
    return _make


@pytest.fixture
def news(db):
    return Category.objects.get(name="工作动态")


@pytest.fixture
def make_item(demo, staff, news):
    def _make(formed=SEPT_27, title="乡政府开展宪法宣传", body="<p>正文</p>"):
        return item_create(actor=staff, township=demo.litou, category=news, title=title, formed_on=formed,
                                    body=body)
    return _make
