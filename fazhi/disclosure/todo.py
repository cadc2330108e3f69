"""To-do items of disclosure: requests to confirm, answers and third-party replies due, items to publish."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.calendar import add_working_days
from fazhi.core.todo import TodoItem
from fazhi.disclosure.deadlines import answer_deadline, publish_deadline, settings_for, third_party_deadline
from fazhi.disclosure.models import DisclosureItem, InfoRequest, ItemStatus, RequestStatus
from fazhi.disclosure.permissions import TODO_OWNER_ROLES, WRITE_ROLES

MODULE = "政务公开"
TODO_SLACK = dt.timedelta(days=15)  # as enforcement.selectors.TODO_SLACK


def disclosure_todo(user, today: dt.date, horizon_days: int):
    horizon = today + dt.timedelta(days=horizon_days)
    confs: dict = {}

    def conf(township):
        if township.pk not in confs:
            confs[township.pk] = settings_for(township)
        return confs[township.pk]

    reqs = (InfoRequest.objects.visible_to(user, roles=WRITE_ROLES).select_related("township")
            .prefetch_related("clock_stops")
            .filter(status__in=[RequestStatus.SUBMITTED, RequestStatus.RECEIVED, RequestStatus.CONSULTING])
            # bounded in SQL: the stored (derived) answer date leaves out answers not due within the horizon,
            # the stored to-do date consultations without an open stop or not due within it (with the margin
            # a holiday schedule edited since could move it by)
            .exclude(status=RequestStatus.RECEIVED, answer_due__gt=horizon)
            .exclude(Q(todo_due=None) | Q(todo_due__gt=horizon + TODO_SLACK), status=RequestStatus.CONSULTING))
    for r in reqs:
        url = reverse("disclosure:request_detail", args=[r.pk])
        if r.status == RequestStatus.SUBMITTED:
            d = add_working_days(timezone.localtime(r.submitted_at).date(), 1)
            yield TodoItem(MODULE, f"确认收到网上申请 {r.tracking_no}", d.due, url,
                           "网上申请以双方确认之日为收到申请之日（条例第三十一条），请及时确认。" + d.explanation,
                           d.provisional, township_id=r.township_id, roles=TODO_OWNER_ROLES)
        elif r.status == RequestStatus.RECEIVED:
            if r.answer_due and r.answer_due > horizon:
                continue
            d = answer_deadline(r, conf=conf(r.township), today=today)
            yield TodoItem(MODULE, f"答复信息公开申请 {r.tracking_no}", d.due, url, d.explanation, d.provisional,
                           township_id=r.township_id, roles=TODO_OWNER_ROLES)
        else:
            stop = next((s for s in r.clock_stops.all() if s.ended_on is None), None)
            if stop:
                d = third_party_deadline(stop, conf(r.township))
                if d.due <= horizon:
                    yield TodoItem.from_deadline(MODULE, f"第三方意见期限 {r.tracking_no}（{stop.third_party}）", d, url,
                                                 township_id=r.township_id, roles=TODO_OWNER_ROLES)
    items = (DisclosureItem.objects.visible_to(user, roles=WRITE_ROLES).select_related("township")
             .filter(status=ItemStatus.DRAFT, publish_due__lte=horizon))
    for item in items:
        d = publish_deadline(item, conf(item.township))
        yield TodoItem.from_deadline(MODULE, f"公开：{item.title}", d, reverse("disclosure:item_detail", args=[item.pk]),
                                     township_id=item.township_id, roles=TODO_OWNER_ROLES)
