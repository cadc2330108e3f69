import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.education import services
from fazhi.education.models import Law, Official, PublicityEvent, StudySession, Topic


def _event(demo, actor, village, **kw):
    args = {"date": dt.date(2024, 5, 1), "place": "村部", "theme": "民法典宣传", "format": "campaign",
            "organizer": "村委会", "audience": 10, "aud_60_plus": 6, "aud_40_59": 4, "posters": 2, "leaflets": 30,
            "topics": [Topic.objects.get(name="民法典")]} | kw
    return services.event_create(actor=actor, township=demo.litou, village=village, **args)


def test_village_cadre_records_events_for_own_village_only(demo):
    cadre = demo.user("litou_village_cadre")
    own, other = demo.villages["litou"][0], demo.villages["litou"][1]
    e = _event(demo, cadre, own)
    assert e.recorded_by == cadre and AuditEntry.objects.filter(object_id=str(e.pk), action="create").exists()
    with pytest.raises(DomainError, match="只能登记本村"):
        _event(demo, cadre, other)
    with pytest.raises(DomainError, match="本乡镇的村"):
        _event(demo, demo.user("litou_legal_staff"), demo.villages["demo2"][0])
    assert PublicityEvent.objects.count() == 1


def test_village_cadre_sees_only_own_village(demo):
    from fazhi.education.selectors import event_list_for

    staff = demo.user("litou_legal_staff")
    _event(demo, staff, demo.villages["litou"][0], theme="本村")
    _event(demo, staff, demo.villages["litou"][1], theme="邻村")
    assert [e.theme for e in event_list_for(demo.user("litou_village_cadre"))] == ["本村"]
    assert event_list_for(staff).count() == 2
    assert event_list_for(demo.user("demo2_legal_staff")).count() == 0
    assert event_list_for(demo.user("county_supervisor")).count() == 2


@pytest.mark.parametrize("kw,msg", [
    ({"aud_60_plus": 7}, "不一致"),
    ({"date": dt.date.today() + dt.timedelta(days=1)}, "晚于今天"),
    ({"topics": []}, "宣传内容"),
])
def test_event_guards_refuse_and_change_nothing(demo, kw, msg):
    n = AuditEntry.objects.count()
    with pytest.raises(DomainError, match=msg):
        _event(demo, demo.user("litou_legal_staff"), demo.villages["litou"][0], **kw)
    assert PublicityEvent.objects.count() == 0 and AuditEntry.objects.count() == n


def test_roles_that_may_not_record_events(demo):
    for u in ("litou_officer", "litou_counsel", "county_supervisor", "demo2_legal_staff"):
        with pytest.raises(DomainError):
            _event(demo, demo.user(u), demo.villages["litou"][0])


def test_photo_upload(demo):
    e = _event(demo, demo.user("litou_village_cadre"), demo.villages["litou"][0])
    p = services.photo_add(actor=demo.user("litou_village_cadre"), event=e,
                           image=SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff"), caption="现场")
    assert p.village == e.village and p.image.read() == b"\xff\xd8\xff"
    with pytest.raises(DomainError, match="仅支持"):
        services.photo_add(actor=demo.user("litou_village_cadre"), event=e, image=SimpleUploadedFile("a.exe", b"x"))


def test_session_records_attendance_hours(demo):
    staff = demo.user("litou_legal_staff")
    a = services.official_create(actor=staff, township=demo.litou, name="赵巾英", post="乡党委书记", is_leader=True)
    b = services.official_create(actor=staff, township=demo.litou, name="唐法治", post="司法所所长")
    law = Law.objects.get(name="习近平法治思想")
    s = services.session_create(actor=staff, township=demo.litou, kind="center_group", date=dt.date(2024, 1, 26),
                                topic="学习习近平法治思想", laws=[law], attendees=[a, b], hours=Decimal("2"),
                                hours_by_official={b.pk: Decimal("1")})
    assert {x.official.name: x.hours for x in s.attendance.select_related("official")} == {
        "赵巾英": Decimal("2"), "唐法治": Decimal("1")}
    services.session_update(actor=staff, session=s, laws=[law], attendees=[a], date=s.date, topic=s.topic,
                            kind=s.kind, hours=Decimal("3"), speaker="", place="", notes="")
    assert list(s.attendance.values_list("official__name", "hours")) == [("赵巾英", Decimal("3"))]
    with pytest.raises(DomainError, match="学时应在"):
        services.session_create(actor=staff, township=demo.litou, kind="lecture", date=dt.date(2024, 2, 1),
                                topic="x", laws=[law], attendees=[a], hours=Decimal("2"),
                                hours_by_official={a.pk: Decimal("5")})
    with pytest.raises(DomainError, match="参学人员"):
        services.session_create(actor=staff, township=demo.litou, kind="lecture", date=dt.date(2024, 2, 1),
                                topic="x", laws=[law], attendees=[])
    other = Official.objects.create(township=demo.demo2, name="外乡", post="乡长")
    with pytest.raises(DomainError, match="本乡镇干部"):
        services.session_create(actor=staff, township=demo.litou, kind="lecture", date=dt.date(2024, 2, 1),
                                topic="x", laws=[law], attendees=[a, other])
    assert StudySession.objects.count() == 1
    with pytest.raises(DomainError, match="无权"):
        services.session_create(actor=demo.user("litou_village_cadre"), township=demo.litou, kind="lecture",
                                date=dt.date(2024, 2, 1), topic="x", laws=[law], attendees=[a])


def test_catalogue_is_seeded_and_editable_by_admin_only(demo):
    for name in ("中华人民共和国宪法", "中华人民共和国民法典", "中国共产党廉洁自律准则", "中国共产党纪律处分条例",
                 "习近平法治思想"):
        assert Law.objects.filter(name=name).exists()
    for name in ("国家安全", "信访工作条例", "社会治安", "婚姻家庭", "土地管理", "民法典"):
        assert Topic.objects.filter(name=name).exists()
    with pytest.raises(DomainError, match="系统管理员"):
        services.catalogue_add(actor=demo.user("litou_legal_staff"), kind="topic", name="反邪教")
    t = services.catalogue_add(actor=demo.user("litou_admin"), kind="topic", name="反邪教")
    assert services.catalogue_toggle(actor=demo.user("litou_admin"), kind="topic", pk=t.pk).active is False
    with pytest.raises(DomainError, match="已在目录"):
        services.catalogue_add(actor=demo.user("litou_admin"), kind="topic", name="反邪教")


def test_duty_obligation_completion_follows_linked_events(demo):
    from fazhi.organization import services as org
    from fazhi.organization.selectors import annual_stats

    staff = demo.user("litou_legal_staff")
    d = org.duty_list_create(actor=staff, township=demo.litou, year=2024, unit="司法所")
    ob = org.obligation_add(actor=staff, duty_list=d, content="民法典宣传", target_events=2)
    _event(demo, staff, demo.villages["litou"][0], obligations=[ob])
    assert annual_stats(demo.litou, 2024)["duty_obligations_done"] == 0
    _event(demo, staff, demo.villages["litou"][1], obligations=[ob])
    s = annual_stats(demo.litou, 2024)
    assert (s["duty_obligations_done"], s["duty_obligations"], s["duty_units"]) == (1, 1, 1)
    with pytest.raises(DomainError, match="同一年度"):
        _event(demo, staff, demo.villages["litou"][1], date=dt.date(2023, 5, 1), obligations=[ob])


def test_venue_state_changes_write_transition_rows(demo):
    from fazhi.education.models import VenueTransition
    from fazhi.education.workflow import venue_transition

    staff = demo.user("litou_legal_staff")
    v = services.venue_create(actor=staff, township=demo.litou, village=demo.villages["litou"][3], name="宣传栏",
                              kind="board", place="路口", state="good")
    venue_transition(actor=staff, venue=v, step="repair", data={"reason": "风雨损坏"})
    v.refresh_from_db()
    assert v.state == "repair"
    t = VenueTransition.objects.get(venue=v)
    assert (t.from_status, t.to_status, t.reason) == ("good", "repair", "风雨损坏")
    with pytest.raises(DomainError, match="不能从"):
        venue_transition(actor=staff, venue=v, step="rebuild")
    with pytest.raises(DomainError, match="只能登记本村"):  # a step the state allows: refused for the village
        venue_transition(actor=demo.user("litou_village_cadre"), venue=v, step="use")
    with pytest.raises(DomainError, match="不能填写"):  # the description form no longer changes the state
        services.venue_update(actor=staff, venue=v, village=v.village, name="宣传栏", kind="board", place="路口",
                              state="good")
    v.refresh_from_db()
    assert v.state == "repair" and VenueTransition.objects.filter(venue=v).count() == 1


def test_cadre_cannot_move_another_villages_event_into_own_village(demo):
    staff, cadre = demo.user("litou_legal_staff"), demo.user("litou_village_cadre")
    own, other = demo.villages["litou"][0], demo.villages["litou"][1]
    e = _event(demo, staff, other)
    e.village = own  # what a bound ModelForm does to the instance before the service runs
    with pytest.raises(DomainError, match="只能登记本村"):
        services.event_update(actor=cadre, event=e, village=own, topics=[Topic.objects.get(name="民法典")],
                              date=e.date, place="x", theme="x", format="campaign", organizer="x", audience=10)
    e.refresh_from_db()
    assert e.village == other and e.theme == "民法典宣传"
