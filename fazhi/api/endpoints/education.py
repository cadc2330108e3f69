"""Publicity events (普法宣传活动): list, and registration through the page's EventForm and `event_create`."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field

from fazhi.api.base import errors, op
from fazhi.api.endpoints.steps import FormInfo
from fazhi.api.helpers import (
    TOWNSHIP_FIELD,
    as_form_data,
    body_schema,
    cursor_query,
    form_data,
    form_info,
    idempotency_header,
    idempotent,
    limit_query,
    page,
    township_query,
    valid_or_raise,
    write_township,
)
from fazhi.core.scope import villages_for
from fazhi.education import forms, selectors, services
from fazhi.education.permissions import EVENT_READ, EVENT_WRITE


class EventOut(Schema):
    id: int
    township: str = Field(description="乡镇区划代码")
    township_name: str
    village: str | None
    date: str
    place: str
    theme: str
    format: str
    organizer: str
    audience: int
    topics: list[str]
    summary: str


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None = Field(description="下一页游标；最后一页为 null")


EventIn = body_schema("EventIn", forms.EventForm, extra=TOWNSHIP_FIELD,
                      doc="登记普法宣传活动：与网页“登记普法活动”表单相同的字段（照片请在网页上传）。")


def event_out(e) -> dict:
    return {"id": e.pk, "township": e.township.code, "township_name": e.township.name,
            "village": e.village.name if e.village_id else None, "date": e.date.isoformat(), "place": e.place,
            "theme": e.theme, "format": e.format, "organizer": e.organizer, "audience": e.audience,
            "topics": [t.name for t in e.topics.all()], "summary": e.summary}


def _visible(user):
    return selectors.event_list_for(user).prefetch_related("topics")


@op("GET", "/publicity-events", name="events", module="education", roles=EVENT_READ,
    summary="普法宣传活动列表（游标分页）", response={200: EventPage, **errors(400)})
def events(request, cursor: str | None = cursor_query(), limit: int = limit_query()):
    return page(_visible(request.user), cursor, limit, event_out)


@op("GET", "/publicity-events/form", name="event_form", module="education", roles=EVENT_WRITE,
    summary="登记普法宣传活动的表单字段与可选值（村、主题、阵地、普法责任……）", response={200: FormInfo, **errors()})
def event_form(request, township: str | None = township_query()):
    import datetime as dt

    from fazhi.organization.selectors import obligation_choices

    town = write_township(request.user, EVENT_WRITE, township)
    form = forms.EventForm(villages=villages_for(request.user, EVENT_WRITE).filter(parent=town),
                           venues=selectors.venue_list_for(request.user).filter(township=town),
                           obligations=obligation_choices(town, dt.date.today().year))
    return form_info(form, town)


@op("POST", "/publicity-events", name="event_create", module="education", roles=EVENT_WRITE, write=True,
    summary="登记普法宣传活动", response={201: EventOut, **errors()})
def event_new(request, payload: EventIn, idempotency_key: str = idempotency_header()):
    from fazhi.organization.selectors import obligation_choices

    def write():
        town = write_township(request.user, EVENT_WRITE, payload.township)
        year = payload.date.year if payload.date else None
        form = forms.EventForm(as_form_data(form_data(payload)),
                               villages=villages_for(request.user, EVENT_WRITE).filter(parent=town),
                               venues=selectors.venue_list_for(request.user).filter(township=town),
                               obligations=obligation_choices(town, year))
        cd = dict(valid_or_raise(form))
        village, topics, obligations = cd.pop("village"), cd.pop("topics"), cd.pop("obligations")
        e = services.event_create(actor=request.user, township=town, village=village, topics=topics,
                                  obligations=obligations, **cd)
        return event_out(_visible(request.user).get(pk=e.pk))

    return idempotent(request, idempotency_key, write)
