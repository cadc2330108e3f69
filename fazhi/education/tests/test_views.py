"""Pages of the education app: anonymous → other township → wrong role → right role."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.education.models import EventPhoto, PublicityEvent, PublicityPlan, StudySession, Topic, Venue

LISTS = ["education:sessions", "education:officials", "education:hours", "education:pubplans",
         "education:coverage", "education:catalogue"]
VILLAGE_LISTS = ["education:events", "education:venues"]


@pytest.mark.parametrize("name", LISTS + VILLAGE_LISTS)
def test_pages_walk_roles(seeded, login, name):
    url = reverse(name)
    assert Client().get(url).status_code == 302
    assert login(seeded.user("litou_counsel"), Client()).get(url).status_code == 403
    cadre = login(seeded.user("litou_village_cadre"), Client()).get(url).status_code
    assert cadre == (200 if name in VILLAGE_LISTS else 403)
    other = login(seeded.user("demo2_legal_staff"), Client()).get(url)
    assert other.status_code == 200
    assert login(seeded.user("litou_legal_staff"), Client()).get(url).status_code == 200
    assert login(seeded.user("county_supervisor"), Client()).get(url).status_code == 200


@pytest.mark.parametrize("name,model", [("education:session_detail", StudySession),
                                        ("education:event_detail", PublicityEvent),
                                        ("education:venue_detail", Venue),
                                        ("education:pubplan_detail", PublicityPlan),
                                        ("education:photo", EventPhoto)])
def test_detail_pages_are_scoped(seeded, login, name, model):
    obj = model.objects.filter(township=seeded.litou).order_by("pk").first()
    url = reverse(name, args=[obj.pk])
    assert Client().get(url).status_code == 302
    assert login(seeded.user("demo2_legal_staff"), Client()).get(url).status_code == 404
    assert login(seeded.user("litou_leader"), Client()).get(url).status_code == 200


def test_village_cadre_sees_only_own_village_events(seeded, login):
    c = login(seeded.user("litou_village_cadre"), Client())
    text = c.get(reverse("education:events") + "?year=2024").content.decode()
    assert "犁头村" in text and "山背村" not in text
    other = PublicityEvent.objects.filter(township=seeded.litou).exclude(village__name="犁头村").first()
    assert c.get(reverse("education:event_detail", args=[other.pk])).status_code == 404


def test_coverage_page_shows_narrow_coverage_and_older_audience(seeded, login):
    r = login(seeded.user("litou_leader"), Client()).get(reverse("education:coverage") + "?year=2024")
    text = r.content.decode()
    assert r.status_code == 200
    assert text.count("<svg") >= 4 and "<script" not in text.split("<main")[1]
    assert "覆盖面窄" in text and "毛栗坪村" in text
    assert "年龄偏大" in text and "60岁及以上" in text
    assert "实际 10 / 计划 12" in text  # plan vs actual


def test_coverage_for_the_county_supervisor_can_switch_township(seeded, login):
    c = login(seeded.user("county_supervisor"), Client())
    text = c.get(reverse("education:coverage") + f"?year=2024&township={seeded.demo2.pk}").content.decode()
    assert "汇源瑶族乡" in text and "毛栗坪村" not in text


def test_hours_page_lists_leaders_apart(seeded, login):
    text = login(seeded.user("litou_leader"), Client()).get(reverse("education:hours") + "?year=2024").content.decode()
    leaders = text.split('id="leader-hours"')[1].split("</table>")[0]
    assert "赵巾英" in leaders and "雷斌" in leaders and "唐法治" not in leaders


def test_list_pages_have_a_query_budget(seeded, login, django_assert_max_num_queries):
    c = login(seeded.user("litou_legal_staff"), Client())
    for name in LISTS + VILLAGE_LISTS:
        with django_assert_max_num_queries(15):
            assert c.get(reverse(name) + "?year=2024").status_code == 200


def test_event_form_refuses_bad_bands_and_saves_good_ones(seeded, login):
    c = login(seeded.user("litou_village_cadre"), Client())
    village = seeded.villages["litou"][0]
    topic = Topic.objects.get(name="婚姻家庭")
    data = {"date": "2024-10-10", "village": village.pk, "place": "村部", "theme": "婚姻家庭法宣传",
            "topics": [topic.pk], "format": "campaign", "organizer": "犁头村委会", "audience": 8, "aud_under18": 0,
            "aud_18_39": 2, "aud_40_59": 1, "aud_60_plus": 3, "posters": 2, "leaflets": 20}
    bad = c.post(reverse("education:event_new"), data)
    assert "不一致" in bad.content.decode() and not PublicityEvent.objects.filter(theme="婚姻家庭法宣传").exists()
    ok = c.post(reverse("education:event_new"), data | {"aud_60_plus": 5})
    assert ok.status_code == 302
    e = PublicityEvent.objects.get(theme="婚姻家庭法宣传")
    assert e.village == village and e.aud_60_plus == 5
    other = seeded.villages["litou"][1]
    refused = c.post(reverse("education:event_new"), data | {"aud_60_plus": 5, "village": other.pk, "theme": "x"})
    assert refused.status_code == 200 and not PublicityEvent.objects.filter(theme="x").exists()


def test_catalogue_admin_only(seeded, login):
    url = reverse("education:catalogue")
    assert login(seeded.user("litou_legal_staff"), Client()).post(url, {"kind": "topic", "name": "反邪教"}).status_code == 403
    r = login(seeded.user("litou_admin"), Client()).post(url, {"action": "add", "kind": "topic", "name": "反邪教"})
    assert r.status_code == 302 and Topic.objects.filter(name="反邪教").exists()


def test_nav_has_the_education_group(seeded, login):
    text = login(seeded.user("litou_leader"), Client()).get(reverse("core:home")).content.decode()
    assert "学法普法" in text and reverse("education:coverage") in text


def test_venue_edit_records_state_change(seeded, login):
    v = Venue.objects.get(township=seeded.litou, name="犁头村法治文化广场")
    c = login(seeded.user("litou_village_cadre"), Client())
    page = c.get(reverse("education:venue_detail", args=[v.pk])).content.decode()
    assert reverse("education:venue_repair", args=[v.pk]) in page
    r = c.post(reverse("education:venue_repair", args=[v.pk]), {"reason": "宣传牌褪色", "expected_status": "good"})
    assert r.status_code == 302
    page = c.get(reverse("education:venue_detail", args=[v.pk])).content.decode()
    assert "正常使用 → 需维护" in page and "宣传牌褪色" in page and "2024-12-04" in page  # last used


def test_session_form_records_individual_hours(seeded, login):
    from fazhi.education.models import Law, Official

    c = login(seeded.user("litou_legal_staff"), Client())
    lead = Official.objects.get(township=seeded.litou, name="雷斌")
    clerk = Official.objects.get(township=seeded.litou, name="唐法治")
    law = Law.objects.get(name="中华人民共和国民法典")
    data = {"kind": "pre_meeting", "date": "2024-12-20", "topic": "会前学法：民法典", "laws": [law.pk],
            "speaker": "唐法治", "place": "", "hours": "1", "notes": "", "attendees": [lead.pk, clerk.pk],
            "partial_hours": "赵巾英 0.5"}
    bad = c.post(reverse("education:session_new"), data)
    assert "不在本次参学人员中" in bad.content.decode()
    assert not StudySession.objects.filter(topic="会前学法：民法典").exists()
    ok = c.post(reverse("education:session_new"), data | {"partial_hours": "唐法治 0.5"})
    assert ok.status_code == 302
    s = StudySession.objects.get(topic="会前学法：民法典")
    assert dict(s.attendance.values_list("official__name", "hours")) == {"雷斌": 1, "唐法治": 0.5}
    edit = c.get(reverse("education:session_edit", args=[s.pk])).content.decode()
    assert "唐法治 0.5" in edit


def test_official_page_lists_the_years_sessions(seeded, login):
    from fazhi.education.models import Official

    o = Official.objects.get(township=seeded.litou, name="赵巾英")
    url = reverse("education:official_detail", args=[o.pk]) + "?year=2024"
    assert login(seeded.user("demo2_leader"), Client()).get(url).status_code == 404
    text = login(seeded.user("litou_leader"), Client()).get(url).content.decode()
    assert "11 次，共 22.0 学时" in text and "学习习近平法治思想" in text
