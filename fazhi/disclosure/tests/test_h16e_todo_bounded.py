"""Issue 16: the disclosure to-do selects consultations by the stored, derived `todo_due` in SQL, so it
costs the same queries at 10 and at 200 open requests and lists exactly what the walk listed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fazhi.core.calendar import add_working_days
from fazhi.core.todo import TodoItem
from fazhi.disclosure.deadlines import answer_deadline, publish_deadline, settings_for, third_party_deadline
from fazhi.disclosure.models import ClockStop, DisclosureItem, InfoRequest, ItemStatus, RequestStatus
from fazhi.disclosure.permissions import TODO_OWNER_ROLES, WRITE_ROLES
from fazhi.disclosure.services.catalogue import settings_save
from fazhi.disclosure.services.requests import request_create, request_submit_public
from fazhi.disclosure.tests.conftest import person
from fazhi.disclosure.todo import MODULE, disclosure_todo
from fazhi.disclosure.workflow.requests import request_transition

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = dt.date.today()  # the suite's pinned day (fazhi/conftest.py)
HORIZON = 14


def walk_everything(user, today: dt.date, horizon_days: int) -> Counter:
    """The provider as it was before: every open consultation's third-party period counted in Python."""
    horizon = today + dt.timedelta(days=horizon_days)
    out = []
    reqs = (InfoRequest.objects.visible_to(user, roles=WRITE_ROLES).select_related("township")
            .prefetch_related("clock_stops")
            .filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.RECEIVED, RequestStatus.CONSULTING])
            .exclude(status=RequestStatus.RECEIVED, answer_due__gt=horizon))
    for r in reqs:
        url = reverse("disclosure:request_detail", args=[r.pk])
        conf = settings_for(r.township)
        if r.status == RequestStatus.SUBMITTED:
            d = add_working_days(timezone.localtime(r.submitted_at).date(), 1)
            out.append(TodoItem(MODULE, f"确认收到网上申请 {r.tracking_no}", d.due, url,
                                "网上申请以双方确认之日为收到申请之日（条例第三十一条），请及时确认。" + d.explanation,
                                d.provisional, township_id=r.township_id, roles=TODO_OWNER_ROLES))
        elif r.status == RequestStatus.RECEIVED:
            if r.answer_due and r.answer_due > horizon:
                continue
            d = answer_deadline(r, conf=conf, today=today)
            out.append(TodoItem(MODULE, f"答复信息公开申请 {r.tracking_no}", d.due, url, d.explanation, d.provisional,
                                township_id=r.township_id, roles=TODO_OWNER_ROLES))
        else:
            stop = next((s for s in r.clock_stops.all() if s.ended_on is None), None)
            if stop:
                d = third_party_deadline(stop, conf)
                if d.due <= horizon:
                    out.append(TodoItem.from_deadline(MODULE, f"第三方意见期限 {r.tracking_no}（{stop.third_party}）",
                                                      d, url, township_id=r.township_id, roles=TODO_OWNER_ROLES))
    items = (DisclosureItem.objects.visible_to(user, roles=WRITE_ROLES).select_related("township")
             .filter(status=ItemStatus.DRAFT, publish_due__lte=horizon))
    for item in items:
        d = publish_deadline(item, settings_for(item.township))
        out.append(TodoItem.from_deadline(MODULE, f"公开：{item.title}", d,
                                          reverse("disclosure:item_detail", args=[item.pk]),
                                          township_id=item.township_id, roles=TODO_OWNER_ROLES))
    return Counter(out)


def provided(user, today: dt.date) -> Counter:
    return Counter(disclosure_todo(user, today, HORIZON))


def next_month_days(day: dt.date) -> list[dt.date]:
    first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return [first, first + dt.timedelta(days=1), first + dt.timedelta(days=2)]


def pinned_days() -> list[dt.date]:
    return sorted({TODAY, TODAY + dt.timedelta(days=20), TODAY - dt.timedelta(days=30), *next_month_days(TODAY),
                   D(2027, 3, 1), D(2027, 3, 2), D(2027, 3, 3), *next_month_days(D(2024, 8, 15)), D(2024, 9, 20)})


def consult(staff, township, started_on: dt.date, third_party="甲公司"):
    req = request_create(actor=staff, township=township, channel="in_person", received_on=started_on,
                         data=person(), today=started_on)
    return request_transition(actor=staff, info_request=req, step="consult", today=started_on,
                              data={"third_party": third_party, "started_on": started_on})


def test_it_lists_exactly_what_the_walk_listed_for_the_whole_demo(full_demo):
    staff = full_demo.user("litou_legal_staff")
    for k in range(6):  # consultations of every age, some due within the window on each pinned day
        consult(staff, full_demo.litou, TODAY - dt.timedelta(days=9 * k))
    ended = consult(staff, full_demo.litou, TODAY - dt.timedelta(days=3))
    request_transition(actor=staff, info_request=ended, step="consult_end", today=TODAY,
                       data={"ended_on": TODAY, "opinion": "同意公开"})
    users = list(get_user_model().objects.filter(memberships__active=True).distinct().order_by("pk"))
    seen = 0
    for day in pinned_days():
        for user in users:
            old = walk_everything(user, day, HORIZON)
            assert provided(user, day) == old, (user.username, day)
            seen += sum(1 for i in old if i.title.startswith("第三方意见期限"))
    assert seen
    settings_save(actor=full_demo.user("litou_admin"), township=full_demo.litou, third_party_working_days=5)
    for day in pinned_days():
        for user in users:
            assert provided(user, day) == walk_everything(user, day, HORIZON), (user.username, day)


def test_todo_due_follows_the_steps(demo, staff):
    req = request_submit_public(township=demo.litou, data=person())
    assert req.todo_due == add_working_days(timezone.localtime(req.submitted_at).date(), 1).due
    req = consult(staff, demo.litou, TODAY)
    stop = ClockStop.objects.get(request=req)
    assert InfoRequest.objects.get(pk=req.pk).todo_due == third_party_deadline(stop).due
    req = request_transition(actor=staff, info_request=req, step="consult_end", today=TODAY,
                             data={"ended_on": TODAY, "opinion": "同意公开"})
    req.refresh_from_db()
    assert req.status == RequestStatus.RECEIVED and req.todo_due == req.answer_due


def count_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        list(disclosure_todo(user, TODAY, HORIZON))
    stops = [q["sql"] for q in ctx.captured_queries if 'FROM "disclosure_clockstop"' in q["sql"]]
    assert len(stops) <= 1 and (not stops or stops[0].count(",") < 40)  # the selected requests' stops, not every one's
    return len(ctx.captured_queries)


def clone_consulting(template: InfoRequest, n: int, start: int) -> None:
    """n more consultations without an open stop (bulk: the services would make the test slow, not different)."""
    fields = {f.attname: getattr(template, f.attname) for f in InfoRequest._meta.concrete_fields if not f.primary_key}
    InfoRequest.objects.bulk_create([InfoRequest(**{**fields, "tracking_no": f"BULK{start + i:06d}",
                                                    "todo_due": None}) for i in range(n)])


def test_it_costs_the_same_queries_at_10_and_200_open_requests(demo, staff):
    user = staff
    live = consult(staff, demo.litou, TODAY - dt.timedelta(days=18))  # due within the window
    clone_consulting(live, 9, 0)
    assert InfoRequest.objects.filter(status=RequestStatus.CONSULTING).count() == 10
    at_10 = count_queries(user)
    assert provided(user, TODAY) == walk_everything(user, TODAY, HORIZON) != Counter()
    clone_consulting(live, 190, 100)
    at_200 = count_queries(user)
    assert at_200 == at_10
    assert provided(user, TODAY) == walk_everything(user, TODAY, HORIZON)
