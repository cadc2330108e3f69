"""The one counter behind every sequential number, and what a lost race looks like to the user."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.test import RequestFactory

from fazhi.core import numbering
from fazhi.core.middleware import WriteConflictMiddleware, is_write_conflict
from fazhi.core.models import Counter
from fazhi.mediation.models import Dispute, DisputeType

pytestmark = pytest.mark.django_db


def _next(town, kind="test.kind", year=2026, floor=None):
    with transaction.atomic():
        return numbering.allocate(township=town, kind=kind, year=year, floor=floor)


def test_it_counts_per_township_kind_and_year(demo):
    assert [_next(demo.litou) for _ in range(3)] == [1, 2, 3]
    assert _next(demo.demo2) == 1
    assert _next(demo.litou, kind="other") == 1
    assert _next(demo.litou, year=2027) == 1
    assert Counter.objects.get(township=demo.litou, kind="test.kind", year=2026).last == 3


def test_a_rolled_back_write_gives_its_number_back(demo):
    assert _next(demo.litou) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.allocate(township=demo.litou, kind="test.kind", year=2026) == 2
        raise RuntimeError("the record's save failed")
    assert _next(demo.litou) == 2  # no gap


def test_it_starts_after_the_highest_number_already_stored(demo):
    assert _next(demo.litou, floor=lambda: 41) == 42
    assert _next(demo.litou, floor=lambda: 10) == 43  # never goes back


def test_a_batch_reserves_consecutive_numbers_at_once(demo):
    assert _next(demo.litou) == 1
    with transaction.atomic():
        assert numbering.allocate(township=demo.litou, kind="test.kind", year=2026, count=5) == 2
    assert _next(demo.litou) == 7  # 2–6 went to the batch


def test_dispute_numbers_continue_after_existing_data(demo):
    from fazhi.mediation.demo import ensure_committees
    from fazhi.mediation.services import disputes as services

    ensure_committees(demo, demo.litou, demo.villages["litou"], mediator_user=demo.user("litou_mediator"))
    kind = DisputeType.objects.get_or_create(name="邻里")[0]

    def create():
        return services.dispute_create(actor=demo.user("litou_mediator"), township=demo.litou,
                                       village=demo.villages["litou"][0], dispute_type=kind, summary="排水沟纠纷。",
                                       received_on=dt.date.today(), parties=[{"name": "盘桂英"}])

    first = create()
    year = dt.date.today().year
    assert first.number == f"{year}-001"
    # A row numbered before the counter existed (an older install): the next number goes past it.
    Dispute.objects.filter(pk=first.pk).update(number=f"{year}-017")
    assert create().number == f"{year}-018"


def test_tracking_numbers_draw_again_on_a_collision(demo, monkeypatch):
    from fazhi.disclosure.models import InfoRequest
    from fazhi.disclosure.services import requests as request_services

    data = {"applicant_name": "李四", "id_number": "431127199001011234", "contact_phone": "13812345678",
            "contact_email": "li@example.cn", "description": "2024年低保对象名单"}
    first = request_services.request_submit_public(township=demo.litou, data=data)
    draws = iter([first.tracking_no, first.tracking_no, "ZZZZ-ZZZZ-ZZZ2"])
    monkeypatch.setattr(request_services, "new_tracking_no", lambda: next(draws))
    monkeypatch.setattr(request_services, "_unique_tracking_no", lambda: first.tracking_no)  # a stale check
    second = request_services.request_submit_public(township=demo.litou, data=data)
    assert second.tracking_no == "ZZZZ-ZZZZ-ZZZ2"
    assert InfoRequest.objects.count() == 2


def test_lost_races_are_recognised():
    assert is_write_conflict(IntegrityError("UNIQUE constraint failed"))
    assert is_write_conflict(OperationalError("database is locked"))
    assert not is_write_conflict(OperationalError("no such table: x"))
    assert not is_write_conflict(ValueError("x"))


def test_a_lost_race_on_a_post_is_a_chinese_409(demo):
    request = RequestFactory().post("/x/")
    request.user = demo.user("litou_mediator")
    request.resolver_match = None
    response = WriteConflictMiddleware(lambda r: None).process_exception(request, IntegrityError("duplicate key"))
    assert response.status_code == 409 and "数据正被他人修改" in response.content.decode()


def test_a_lost_race_on_a_read_is_retried_once(demo):
    from django.http import HttpResponse
    from django.urls import ResolverMatch

    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse("ok")

    request = RequestFactory().get("/x/")
    request.user = demo.user("litou_mediator")
    request.resolver_match = ResolverMatch(view, (), {})
    response = WriteConflictMiddleware(lambda r: None).process_exception(request, OperationalError("database is locked"))
    assert response.status_code == 200 and calls == [1]


def test_the_api_gets_its_409_as_json(demo):
    request = RequestFactory().post("/api/v1/disputes/")
    request.user = demo.user("litou_mediator")
    request.resolver_match = None
    response = WriteConflictMiddleware(lambda r: None).process_exception(request, IntegrityError("duplicate key"))
    assert response.status_code == 409 and json.loads(response.content)["error"]["message"].startswith("数据正被他人修改")
