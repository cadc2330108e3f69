"""Writes of the education app. Each checks the actor's right to act in the township (and, for
publicity, in the village: permissions.py), validates, saves and records the change in the audit chain
(fazhi.core.writes). A venue's state changes through its steps (workflow.py), not here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from fazhi.audit.services import audit_record, diff, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.files import deleted_on_error
from fazhi.core.writes import clean, require_role, save_audited, set_fields
from fazhi.education.models import (
    AGE_BANDS,
    Attendance,
    EventPhoto,
    Law,
    Official,
    PublicityEvent,
    PublicityPlan,
    StudySession,
    Topic,
    Venue,
)
from fazhi.education.permissions import STUDY_WRITE, require_catalogue_admin, require_village

PHOTO_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "heic"}
PHOTO_MAX_BYTES = 15 * 1024 * 1024


OFFICIAL_FIELDS = ("name", "post", "is_leader", "order", "active", "user")
SESSION_FIELDS = ("kind", "date", "topic", "speaker", "place", "hours", "notes")
EVENT_FIELDS = ("date", "village", "place", "theme", "format", "organizer", "audience", "aud_under18", "aud_18_39",
                "aud_40_59", "aud_60_plus", "posters", "leaflets", "venue", "summary")
VENUE_FIELDS = ("village", "name", "kind", "place", "built_on", "notes")
PUBPLAN_FIELDS = ("title", "planned_events", "target_audience", "target_posters", "target_leaflets",
                  "target_villages", "notes")


def _m2m_text(values) -> str:
    return "、".join(sorted(str(v) for v in values))


# --- officials and law study ---------------------------------------------------------------------

@transaction.atomic
def official_create(*, actor, township, name: str, post: str, is_leader: bool = False, order: int = 100,
                    active: bool = True, user=None) -> Official:
    require_role(actor, township, STUDY_WRITE)
    if Official.objects.filter(township=township, name=name.strip(), post=post.strip()).exists():
        raise DomainError(f"干部“{name}（{post}）”已在名册中。")
    return save_audited(Official(township=township, name=name.strip(), post=post.strip(), is_leader=is_leader,
                                 order=order, active=active, user=user), actor=actor)


@transaction.atomic
def official_update(*, actor, official: Official, **fields) -> Official:
    official = Official.objects.select_for_update().get(pk=official.pk)  # the stored row, not the form's copy
    require_role(actor, official.township, STUDY_WRITE)
    before = snapshot(official, list(fields))
    set_fields(official, fields, OFFICIAL_FIELDS)
    return save_audited(official, actor=actor, before=before)


def _check_session(township, date, laws, attendees) -> None:
    if date > dt.date.today():
        raise DomainError("学法日期不能晚于今天（计划中的学习请在年度计划中安排）。")
    if not attendees:
        raise DomainError("请选择参学人员。")
    if any(o.township_id != township.pk for o in attendees):
        raise DomainError("参学人员须为本乡镇干部。")
    if not laws:
        raise DomainError("请选择所学的法律法规或文件。")


def _set_attendance(actor, session: StudySession, attendees, hours_by_official: dict | None) -> None:
    hours_by_official = hours_by_official or {}
    keep = {o.pk for o in attendees}
    session.attendance.exclude(official_id__in=keep).delete()
    existing = {a.official_id: a for a in session.attendance.all()}
    for o in attendees:
        hours = Decimal(str(hours_by_official.get(o.pk, session.hours)))
        if hours < 0 or hours > session.hours:
            raise DomainError(f"{o.name}的学时应在 0 至 {session.hours} 之间。")
        a = existing.get(o.pk)
        if a is None:
            Attendance.objects.create(township=session.township, session=session, official=o, hours=hours)
        elif a.hours != hours:
            a.hours = hours
            a.save(update_fields=["hours", "updated_at"])


@transaction.atomic
def session_create(*, actor, township, kind: str, date: dt.date, topic: str, laws, attendees,
                   hours: Decimal = Decimal("2"), speaker: str = "", place: str = "", notes: str = "",
                   hours_by_official: dict | None = None) -> StudySession:
    require_role(actor, township, STUDY_WRITE)
    laws, attendees = list(laws), list(attendees)
    _check_session(township, date, laws, attendees)
    s = StudySession(township=township, kind=kind, date=date, topic=topic, hours=hours, speaker=speaker,
                     place=place, notes=notes)
    clean(s)
    s.save()
    s.laws.set(laws)
    _set_attendance(actor, s, attendees, hours_by_official)
    audit_record(actor=actor, action="create", obj=s, changes={
        **{k: [None, v] for k, v in snapshot(s).items() if v not in (None, "")},
        "laws": [None, _m2m_text(laws)], "attendees": [None, _m2m_text(o.name for o in attendees)]})
    return s


@transaction.atomic
def session_update(*, actor, session: StudySession, laws, attendees, hours_by_official: dict | None = None,
                   **fields) -> StudySession:
    session = StudySession.objects.select_for_update().get(pk=session.pk)  # the stored row, not the form's copy
    require_role(actor, session.township, STUDY_WRITE)
    laws, attendees = list(laws), list(attendees)
    _check_session(session.township, fields.get("date", session.date), laws, attendees)
    before = snapshot(session, list(fields))
    before_laws = _m2m_text(session.laws.all())
    before_people = _m2m_text(a.official.name for a in session.attendance.select_related("official"))
    set_fields(session, fields, SESSION_FIELDS)
    clean(session)
    session.save()
    session.laws.set(laws)
    _set_attendance(actor, session, attendees, hours_by_official)
    changes = diff(before, snapshot(session, list(fields)))
    if _m2m_text(laws) != before_laws:
        changes["laws"] = [before_laws, _m2m_text(laws)]
    if _m2m_text(o.name for o in attendees) != before_people:
        changes["attendees"] = [before_people, _m2m_text(o.name for o in attendees)]
    if changes:
        audit_record(actor=actor, action="update", obj=session, changes=changes)
    return session


# --- publicity ---------------------------------------------------------------------------------

def _check_event(township, village, fields, topics, obligations, venue) -> None:
    date = fields["date"]
    if date > dt.date.today():
        raise DomainError("活动日期不能晚于今天。")
    if not topics:
        raise DomainError("请至少选择一项宣传内容。")
    bands = sum(int(fields.get(f) or 0) for f, _ in AGE_BANDS)
    audience = int(fields.get("audience") or 0)
    if bands and bands != audience:
        raise DomainError(f"各年龄段人数之和（{bands}）与受众人次（{audience}）不一致。")
    for o in obligations:
        if o.township_id != township.pk or o.duty_list.year != date.year:
            raise DomainError("所选普法责任事项须为本乡镇同一年度的清单。")
    if venue is not None and (venue.township_id != township.pk or venue.village_id != village.pk):
        raise DomainError("所选法治文化阵地不在该村。")


@transaction.atomic
def event_create(*, actor, township, village, topics, obligations=(), **fields) -> PublicityEvent:
    require_village(actor, township, village)
    topics, obligations = list(topics), list(obligations)
    _check_event(township, village, fields, topics, obligations, fields.get("venue"))
    e = PublicityEvent(township=township, village=village, recorded_by=actor, **fields)
    clean(e)
    e.save()
    e.topics.set(topics)
    e.obligations.set(obligations)
    audit_record(actor=actor, action="create", obj=e, changes={
        **{k: [None, v] for k, v in snapshot(e).items() if v not in (None, "")},
        "topics": [None, _m2m_text(topics)]})
    return e


@transaction.atomic
def event_update(*, actor, event: PublicityEvent, village, topics, obligations=(), **fields) -> PublicityEvent:
    # The stored row, not the form's copy: the village the actor must hold is the event's current one.
    event = PublicityEvent.objects.select_for_update().select_related("village").get(pk=event.pk)
    require_village(actor, event.township, event.village)
    require_village(actor, event.township, village)
    topics, obligations = list(topics), list(obligations)
    _check_event(event.township, village, fields, topics, obligations, fields.get("venue"))
    fields["village"] = village
    before = snapshot(event, list(fields))
    before_topics = _m2m_text(event.topics.all())
    set_fields(event, fields, EVENT_FIELDS)
    clean(event)
    event.save()
    event.topics.set(topics)
    event.obligations.set(obligations)
    changes = diff(before, snapshot(event, list(fields)))
    if before_topics != _m2m_text(topics):
        changes["topics"] = [before_topics, _m2m_text(topics)]
    if changes:
        audit_record(actor=actor, action="update", obj=event, changes=changes)
    return event


@transaction.atomic
def photo_add(*, actor, event: PublicityEvent, image, caption: str = "") -> EventPhoto:
    require_village(actor, event.township, event.village)
    if image is None:
        raise DomainError("请选择照片。")
    ext = image.name.rsplit(".", 1)[-1].lower() if "." in image.name else ""
    if ext not in PHOTO_EXTENSIONS:
        raise DomainError("照片仅支持 JPG、PNG、WEBP、HEIC 格式。")
    if image.size > PHOTO_MAX_BYTES:
        raise DomainError("单张照片不能超过 15MB。")
    p = EventPhoto(township=event.township, event=event, village=event.village, image=image, caption=caption)
    with deleted_on_error() as written:
        try:
            save_audited(p, actor=actor)  # the file is written during save(), before the row's INSERT
        finally:
            written(p.image)
    return p


@transaction.atomic
def venue_create(*, actor, township, village, **fields) -> Venue:
    require_village(actor, township, village)
    return save_audited(Venue(township=township, village=village, **fields), actor=actor)


@transaction.atomic
def venue_update(*, actor, venue: Venue, village, **fields) -> Venue:
    """Edit a venue's description; its state changes through the venue steps (workflow.venue_transition)."""
    venue = Venue.objects.select_for_update().select_related("village").get(pk=venue.pk)
    require_village(actor, venue.township, venue.village)
    require_village(actor, venue.township, village)
    fields["village"] = village
    before = snapshot(venue, list(fields))
    set_fields(venue, fields, VENUE_FIELDS)
    return save_audited(venue, actor=actor, before=before)


@transaction.atomic
def pubplan_create(*, actor, township, year: int, title: str, key_topics=(), **fields) -> PublicityPlan:
    require_role(actor, township, STUDY_WRITE)
    if PublicityPlan.objects.filter(township=township, year=year).exists():
        raise DomainError(f"{year}年普法工作计划已存在。")
    p = save_audited(PublicityPlan(township=township, year=year, title=title, **fields), actor=actor)
    p.key_topics.set(key_topics)
    return p


@transaction.atomic
def pubplan_update(*, actor, plan: PublicityPlan, key_topics=(), **fields) -> PublicityPlan:
    plan = PublicityPlan.objects.select_for_update().get(pk=plan.pk)
    require_role(actor, plan.township, STUDY_WRITE)
    fields.pop("year", None)
    before = snapshot(plan, list(fields))
    set_fields(plan, fields, PUBPLAN_FIELDS)
    save_audited(plan, actor=actor, before=before)
    plan.key_topics.set(key_topics)
    return plan


# --- catalogues (shared by all townships: admins only) -------------------------------------------

@transaction.atomic
def catalogue_add(*, actor, kind: str, name: str, law_kind: str = "law") -> Law | Topic:
    require_catalogue_admin(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError("请填写名称。")
    model = Law if kind == "law" else Topic
    if model.objects.filter(name=name).exists():
        raise DomainError(f"“{name}”已在目录中。")
    order = (model.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 10
    obj = model(name=name, order=order, **({"kind": law_kind} if model is Law else {}))
    clean(obj)
    obj.save()
    audit_record(actor=actor, action="create", obj=obj, changes={"name": [None, name]})
    return obj


@transaction.atomic
def catalogue_toggle(*, actor, kind: str, pk: int) -> Law | Topic:
    require_catalogue_admin(actor)
    model = Law if kind == "law" else Topic
    obj = model.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise DomainError("目录条目不存在。")
    obj.active = not obj.active
    obj.save(update_fields=["active"])
    audit_record(actor=actor, action="update", obj=obj, changes={"active": [str(not obj.active), str(obj.active)]})
    return obj
