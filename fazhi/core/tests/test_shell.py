import io

import pytest
from django.urls import reverse

from fazhi.audit.services import audit_record
from fazhi.core.scope import townships_for, villages_for


@pytest.mark.django_db
def test_county_membership_sees_every_township_below_it(demo):
    sup = demo.user("county_supervisor")
    assert set(townships_for(sup)) == {demo.litou, demo.demo2}
    assert list(townships_for(demo.user("litou_leader"))) == [demo.litou]
    assert list(townships_for(demo.user("litou_village_cadre"))) == [demo.litou]
    assert list(villages_for(demo.user("litou_village_cadre"))) == [demo.villages["litou"][0]]


@pytest.mark.django_db
def test_visible_to_filters_by_township(demo):
    from fazhi.audit.models import AuditEntry

    audit_record(actor=None, action="update", obj=demo.litou)
    audit_record(actor=None, action="update", obj=demo.demo2)
    assert AuditEntry.objects.visible_to(demo.user("litou_leader")).count() == 1
    assert AuditEntry.objects.visible_to(demo.user("county_supervisor")).count() == 2
    assert AuditEntry.objects.visible_to(demo.user("litou_village_cadre")).count() == 0  # no village field


@pytest.mark.django_db
def test_home_lists_the_menu_for_the_role(demo, login):
    html = login(demo.user("litou_admin")).get(reverse("core:home")).content.decode()
    assert "用户管理" in html and "节假日安排" in html
    html = login(demo.user("litou_officer")).get(reverse("core:home")).content.decode()
    assert "用户管理" not in html and "待办事项" in html


@pytest.mark.django_db
def test_deadline_page_explains_the_count(demo, login):
    r = login(demo.user("litou_officer")).get(reverse("core:deadline"),
                                                {"start": "2024-09-30", "n": 7, "unit": "working_days"})
    html = r.content.decode()
    assert "2024年10月15日" in html and "国庆节" in html


@pytest.mark.django_db
def test_deadline_page_rejects_bad_input_in_chinese(demo, login):
    html = login(demo.user("litou_officer")).get(reverse("core:deadline"), {"start": "x", "n": -1}).content.decode()
    assert "有效" in html or "日期" in html


@pytest.mark.django_db
def test_calendar_year_page_saves_a_schedule(demo, login):
    c = login(demo.user("litou_admin"))
    r = c.post(reverse("core:calendar_year_edit"), {"year": 2027, "source": "通知",
                                                    "holidays_text": "2027-10-01 至 2027-10-07 国庆节",
                                                    "workdays_text": "2027-09-26 国庆节"})
    assert r.status_code == 302
    from fazhi.core.models import CalendarDay

    assert CalendarDay.objects.count() == 8
    r = c.post(reverse("core:calendar_year_edit"), {"year": 2027, "holidays_text": "2027-13-01 元旦"})
    assert r.status_code == 200 and "格式" in r.content.decode() or "不存在" in r.content.decode()
    assert CalendarDay.objects.count() == 8


@pytest.fixture
def entries(demo):
    for i in range(30):
        audit_record(actor=demo.user("litou_legal_staff"), action="update" if i % 2 else "create", obj=demo.litou,
                     reason=f"理由{i} 行政处罚" if i % 3 == 0 else f"理由{i}")
    audit_record(actor=None, action="update", obj=demo.demo2, reason="外乡记录")


@pytest.mark.django_db
def test_ledger_filters_searches_sorts_and_paginates(demo, login, entries, django_assert_max_num_queries):
    c = login(demo.user("litou_legal_staff"))
    with django_assert_max_num_queries(12):
        r = c.get(reverse("audit:entries"))
    html = r.content.decode()
    assert "共 30 条" in html and "外乡记录" not in html
    assert "共 15 条" in c.get(reverse("audit:entries"), {"action": "create"}).content.decode()
    assert "共 10 条" in c.get(reverse("audit:entries"), {"q": "处罚"}).content.decode()
    r = c.get(reverse("audit:entries"), {"o": "seq"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="ledger-rows")
    assert "<html" not in r.content.decode() and "理由0" in r.content.decode()


@pytest.mark.django_db
def test_ledger_exports_the_filtered_rows_to_xlsx(demo, login, entries):
    from openpyxl import load_workbook

    r = login(demo.user("litou_legal_staff")).get(reverse("audit:entries"), {"q": "处罚", "export": "xlsx"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    assert rows[0][0] == "序号" and len(rows) == 11


@pytest.mark.django_db
def test_supervisor_is_read_only_everywhere(demo, login):
    c = login(demo.user("county_supervisor"))
    assert c.get(reverse("audit:entries")).status_code == 200
    r = c.post(reverse("core:calendar_year_edit"), {"year": 2027})
    assert r.status_code == 403 and "只读" in r.content.decode()


@pytest.mark.django_db
def test_friendly_404_page(demo, login):
    r = login(demo.user("litou_leader")).get("/no-such-page/")
    assert r.status_code == 404 and "未找到" in r.content.decode()


@pytest.mark.django_db
def test_load_demo_is_idempotent(db):
    from django.core.management import call_command

    from fazhi.accounts.models import User
    from fazhi.core.models import Region

    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Region.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (User.objects.count(), Region.objects.count()) == counts
    names = set(User.objects.values_list("username", flat=True))
    for role in ["leader", "legal_staff", "officer", "mediator", "village_cadre", "counsel", "admin"]:
        assert f"litou_{role}" in names and f"demo2_{role}" in names
    assert "county_supervisor" in names


@pytest.mark.django_db
def test_english_is_available(demo, login):
    c = login(demo.user("litou_officer"))
    c.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    html = c.get(reverse("core:home")).content.decode()
    assert "Dashboard" in html and "Sign out" in html
    c.post(reverse("accounts:set_language"), {"language": "zh-hans", "next": "/"})
    assert "工作台" in c.get(reverse("core:home")).content.decode()


@pytest.mark.django_db
def test_admin_adds_a_village_under_own_township_only(demo, login):
    from fazhi.core.models import Region

    c = login(demo.user("litou_admin"))
    r = c.post(reverse("core:regions"), {"code": "431127201205", "name": "新村", "level": "village",
                                         "parent": demo.litou.pk, "population": 300})
    assert r.status_code == 302
    assert Region.objects.get(code="431127201205").path.startswith(demo.litou.path)
    r = c.post(reverse("core:regions"), {"code": "431127202209", "name": "外村", "level": "village",
                                         "parent": demo.demo2.pk})
    assert r.status_code == 200 and not Region.objects.filter(code="431127202209").exists()
    r = c.post(reverse("core:regions"), {"code": "431127999201", "name": "错码村", "level": "village",
                                         "parent": demo.litou.pk})
    assert "不一致" in r.content.decode() and not Region.objects.filter(code="431127999201").exists()


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_says(demo, login):
    c = login(demo.user("litou_officer"))
    html = c.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "工作台" in html and "Dashboard" not in html


@pytest.mark.django_db
def test_menu_groups_are_not_split(demo, login):
    from fazhi.core.nav import items_for

    groups = [i["group"] for i in items_for(demo.user("litou_leader"))]
    seen = []
    for g in groups:
        if not seen or seen[-1] != g:
            assert g not in seen, f"group {g} appears twice in the menu"
            seen.append(g)
