"""Law publicity (普法) in the villages: events, their photos, and the venues (法治文化阵地)."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse

from fazhi.audit.services import audit_record
from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.pages import form_page, write_township
from fazhi.core.params import int_param
from fazhi.core.scope import villages_for
from fazhi.education import forms, permissions, selectors, services
from fazhi.education.models import EventFormat, EventPhoto, PublicityEvent, Venue, VenueKind, VenueState
from fazhi.education.permissions import EVENT_READ, EVENT_WRITE
from fazhi.education.workflow import VENUE_FLOW, VENUE_WORKFLOW


def _topics_text(e) -> str:
    return "、".join(t.name for t in e.topics.all())


event_ledger = Ledger(
    title="普法宣传活动台账",
    columns=[Column("日期", "date", sort="date"), Column("村（居）", "village.name", sort="village__code"),
             Column("活动主题", "theme", link=True), Column("宣传内容", _topics_text),
             Column("形式", "format", sort="format"), Column("组织单位", "organizer"),
             Column("受众(人次)", "audience", sort="audience"), Column("其中60岁以上", "aud_60_plus"),
             Column("海报", "posters", sort="posters"), Column("资料", "leaflets", sort="leaflets")],
    filters=[Filter("year", "年度", "date__year", selectors.years_choices),
             Filter("village", "村（居）", "village_id", selectors.village_choices),
             Filter("format", "形式", "format", EventFormat.choices),
             Filter("topic", "宣传内容", "topics", selectors.topic_choices)],
    search_fields=["theme", "place", "organizer", "summary"],
    default_sort="-date",
    row_url=lambda o: reverse("education:event_detail", args=[o.pk]),
    actions=[("登记普法活动", "/education/events/new/"), ("覆盖面分析", "/education/coverage/")],
)


@role_view(read=EVENT_READ, write=EVENT_WRITE)
def events(request):
    return event_ledger.respond(request, selectors.event_list_for(request.user).prefetch_related("topics"))


def _event_form(request, instance=None):
    from fazhi.organization.selectors import obligation_choices

    town = instance.township if instance else write_township(request, EVENT_WRITE)
    data = request.POST or None
    year = dt.date.today().year
    if data and int_param(data.get("date", "")[:4]) is not None:
        year = int_param(data["date"][:4])
    elif instance:
        year = instance.date.year
    villages = villages_for(request.user, EVENT_WRITE).filter(parent=town)
    venues = selectors.venue_list_for(request.user).filter(township=town)
    initial = {"date": dt.date.today()} if instance is None else {}
    if instance is None and villages.count() == 1:
        initial["village"] = villages.first()
    return town, forms.EventForm(data, instance=instance, villages=villages, venues=venues,
                                 obligations=obligation_choices(town, year), initial=initial)


def _event_fields(cd):
    cd = dict(cd)
    return cd.pop("village"), cd.pop("topics"), cd.pop("obligations"), cd


@role_view(read=EVENT_READ, write=EVENT_WRITE)
def event_new(request):
    town, form = _event_form(request)

    def save(cd):
        village, topics, obligations, fields = _event_fields(cd)
        return services.event_create(actor=request.user, township=town, village=village, topics=topics,
                                     obligations=obligations, **fields)

    return form_page(request, form=form, title="登记普法宣传活动", on_valid=save,
                     success=lambda e: reverse("education:event_detail", args=[e.pk]),
                     back_url=reverse("education:events"), success_message="已登记普法活动。")


@role_view(read=EVENT_READ, write=EVENT_WRITE, model=PublicityEvent)
def event_detail(request, pk):
    e = get_visible_or_404(PublicityEvent.objects.select_related("village", "venue", "recorded_by"),
                           request.user, roles=EVENT_READ, pk=pk)
    return render(request, "education/event_detail.html", {
        "e": e, "topics": e.topics.all(), "photos": e.photos.all(),
        "obligations": e.obligations.select_related("duty_list"),
        "can_write": permissions.may_record_for_village(request.user, e.village_id)})


@role_view(read=EVENT_READ, write=EVENT_WRITE, model=PublicityEvent)
def event_edit(request, pk):
    e = get_visible_or_404(PublicityEvent, request.user, roles=EVENT_READ, pk=pk)
    _, form = _event_form(request, e)
    url = reverse("education:event_detail", args=[pk])

    def save(cd):
        village, topics, obligations, fields = _event_fields(cd)
        return services.event_update(actor=request.user, event=e, village=village, topics=topics,
                                     obligations=obligations, **fields)

    return form_page(request, form=form, title="修改普法活动", on_valid=save, success=url, back_url=url)


@role_view(read=EVENT_READ, write=EVENT_WRITE, model=PublicityEvent)
def photo_add(request, pk):
    e = get_visible_or_404(PublicityEvent, request.user, roles=EVENT_READ, pk=pk)
    form = forms.PhotoForm(request.POST or None, request.FILES or None)
    url = reverse("education:event_detail", args=[pk])
    return form_page(request, form=form, title=f"上传活动照片：{e.theme}", success=url, back_url=url,
                     multipart=True, keep_draft=False, success_message="已上传照片。",
                     on_valid=lambda cd: services.photo_add(actor=request.user, event=e, **cd))


@role_view(read=EVENT_READ, model=EventPhoto)
def photo(request, pk):
    p = get_visible_or_404(EventPhoto, request.user, roles=EVENT_READ, pk=pk)
    try:
        fh = p.image.open("rb")
    except FileNotFoundError:
        raise Http404("照片文件不存在。") from None
    audit_record(actor=request.user, action="view", obj=p, reason="查看活动照片")
    return FileResponse(fh, filename=p.image.name.rsplit("/", 1)[-1])


venue_ledger = Ledger(
    title="法治文化阵地",
    columns=[Column("村（居）", "village.name", sort="village__code"), Column("名称", "name", link=True),
             Column("类型", "kind", sort="kind"), Column("位置", "place"), Column("状态", "state", sort="state"),
             Column("建成日期", "built_on", sort="built_on"), Column("最近使用", "last_used", sort="last_used"),
             Column("开展活动次数", "event_count")],
    filters=[Filter("village", "村（居）", "village_id", selectors.village_choices),
             Filter("kind", "类型", "kind", VenueKind.choices), Filter("state", "状态", "state", VenueState.choices)],
    search_fields=["name", "place", "notes"],
    default_sort="village__code",
    row_url=lambda o: reverse("education:venue_detail", args=[o.pk]),
    actions=[("新增阵地", "/education/venues/new/")],
)


@role_view(read=EVENT_READ, write=EVENT_WRITE)
def venues(request):
    return venue_ledger.respond(request, selectors.venue_list_for(request.user))


@role_view(read=EVENT_READ, write=EVENT_WRITE)
def venue_new(request):
    town = write_township(request, EVENT_WRITE)
    form = forms.VenueForm(request.POST or None, villages=villages_for(request.user, EVENT_WRITE).filter(parent=town))

    def save(cd):
        village = cd.pop("village")
        return services.venue_create(actor=request.user, township=town, village=village, **cd)

    return form_page(request, form=form, title="新增法治文化阵地", on_valid=save,
                     success=lambda v: reverse("education:venue_detail", args=[v.pk]),
                     back_url=reverse("education:venues"))


@role_view(read=EVENT_READ, write=EVENT_WRITE, model=Venue)
def venue_detail(request, pk):
    v = get_visible_or_404(selectors.venue_list_for(request.user), request.user, roles=EVENT_READ, pk=pk)
    can_write = permissions.may_record_for_village(request.user, v.village_id)
    return render(request, "education/venue_detail.html", {
        "v": v, "events": v.events.order_by("-date")[:20],
        "transitions": [{"at": t.created_at, "actor": t.actor, "to": VENUE_WORKFLOW.label(t.to_status),
                         "from": VENUE_WORKFLOW.label(t.from_status), "reason": t.reason}
                        for t in v.transitions.select_related("actor")],
        "steps": [(s, VENUE_FLOW.step_url(v, s)) for s in VENUE_FLOW.open_steps(v, request.user)]
        if can_write else [],
        "can_write": can_write})


@role_view(read=EVENT_READ, write=EVENT_WRITE, model=Venue)
def venue_edit(request, pk):
    v = get_visible_or_404(Venue, request.user, roles=EVENT_READ, pk=pk)
    form = forms.VenueForm(request.POST or None, instance=v,
                           villages=villages_for(request.user, EVENT_WRITE).filter(parent=v.township))
    url = reverse("education:venue_detail", args=[pk])

    def save(cd):
        village = cd.pop("village")
        return services.venue_update(actor=request.user, venue=v, village=village, **cd)

    return form_page(request, form=form, title=f"修改：{v.name}", on_valid=save, success=url, back_url=url)
