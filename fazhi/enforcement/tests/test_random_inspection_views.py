"""双随机一公开 pages: anonymous → other township → wrong role → right role; 复核; the portal's results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.enforcement import plans
from fazhi.enforcement.models import Inspection, InspectionDraw, InspectionObject, Officer
from fazhi.enforcement.workflow.inspections import inspection_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def lib(enf):
    t, u = enf.town, enf.officer_user
    enf.today = dt.date.today()
    enf.shops = [plans.object_save(actor=u, township=t, name=f"商店{i}", kind="business") for i in range(1, 4)]
    enf.house = plans.object_save(actor=u, township=t, name="黄大山", kind="household", address="犁头村3组")
    enf.item = plans.plan_item_save(actor=u, township=t, year=enf.today.year, item="食品经营卫生检查",
                                    basis="《中华人民共和国食品安全法》第一百一十条", object_kind="business")
    enf.house_item = plans.plan_item_save(actor=u, township=t, year=enf.today.year, item="农村自建房安全检查",
                                          basis="《中华人民共和国城乡规划法》第五十三条", object_kind="household")
    return enf


def _post_draw(client, lib, **kw):
    data = {"plan_item": lib.item.pk, "object_count": 2, "team_size": 2, "draw_date": lib.today.isoformat(),
            "inspection_date": lib.today.isoformat(), **kw}
    return client.post(reverse("enforcement:draw_new"), data)


def test_object_ledger_access(lib, client, login):
    url = reverse("enforcement:objects")
    assert client.get(url).status_code == 302
    login(lib.demo.user("demo2_officer"))
    r = client.get(url)
    assert r.status_code == 200 and "商店1" not in r.content.decode()
    login(lib.demo.user("litou_mediator"))
    assert client.get(url).status_code == 403
    login(lib.officer_user)
    r = client.get(url)
    assert r.status_code == 200 and "商店1" in r.content.decode()


def test_plan_ledger_and_edit(lib, client, login):
    login(lib.officer_user)
    assert "食品经营卫生检查" in client.get(reverse("enforcement:plan")).content.decode()
    r = client.post(reverse("enforcement:plan_edit", args=[lib.item.pk]), {
        "year": lib.today.year, "item": "食品经营卫生检查", "basis": "食品安全法", "object_kind": "business",
        "frequency": "每半年", "yearly_limit": 0, "active": "on"})
    assert r.status_code == 200  # 0 is refused on the form
    lib.item.refresh_from_db()
    assert lib.item.yearly_limit == 1


def test_object_create_by_officer_not_by_supervisor(lib, client, login):
    data = {"name": "新开饭店", "kind": "business", "address": "犁头街8号"}
    login(lib.demo.user("county_supervisor"))
    assert client.post(reverse("enforcement:object_new"), data).status_code in (403, 405)
    assert not InspectionObject.objects.filter(name="新开饭店").exists()
    login(lib.officer_user)
    r = client.post(reverse("enforcement:object_new"), data)
    assert r.status_code == 302
    assert InspectionObject.objects.get(name="新开饭店").township == lib.town
    obj = InspectionObject.objects.get(name="新开饭店")
    login(lib.demo.user("demo2_officer"))
    assert client.get(reverse("enforcement:object_edit", args=[obj.pk])).status_code == 404


def test_draw_page_creates_the_draw_and_the_check_matches(lib, client, login):
    login(lib.officer_user)
    r = _post_draw(client, lib)
    draw = InspectionDraw.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("enforcement:draw_detail", args=[draw.pk])
    assert Inspection.objects.filter(draw=draw, kind="random").count() == 2
    page = client.get(reverse("enforcement:draw_detail", args=[draw.pk])).content.decode()
    assert draw.seed in page and "孙过期" in page  # the excluded officer is listed with the reason
    r = client.get(reverse("enforcement:draw_verify", args=[draw.pk]))
    assert "复核一致" in r.content.decode()
    # someone edits the stored result: the check says so
    result = draw.result
    result[0]["officers"] = list(reversed(result[0]["officers"]))
    InspectionDraw.objects.filter(pk=draw.pk).update(result=result)
    r = client.get(reverse("enforcement:draw_verify", args=[draw.pk]))
    assert "复核不一致" in r.content.decode()
    # the supervisor reads and re-checks, another township does not see it
    login(lib.demo.user("county_supervisor"))
    assert client.get(reverse("enforcement:draw_verify", args=[draw.pk])).status_code == 200
    login(lib.demo.user("demo2_officer"))
    assert client.get(reverse("enforcement:draw_detail", args=[draw.pk])).status_code == 404


def test_draw_page_refuses_in_chinese_with_fewer_than_two_officers(lib, client, login):
    Officer.objects.filter(pk__in=[lib.o2.pk, lib.o3.pk]).update(active=False)
    login(lib.officer_user)
    r = _post_draw(client, lib)
    assert r.status_code == 200 and "少于每组2名" in r.content.decode()
    assert not InspectionDraw.objects.exists() and not Inspection.objects.exists()


def test_supervisor_and_wrong_role_may_not_draw(lib, client, login):
    for user in ("county_supervisor", "litou_mediator"):
        login(lib.demo.user(user))
        assert _post_draw(client, lib).status_code in (403, 405)
    assert not InspectionDraw.objects.exists()


def test_result_and_publication_steps_on_the_inspection_page(lib, client, login):
    draw = plans.draw_create(actor=lib.officer_user, plan_item=lib.item, object_count=1, draw_date=lib.today)
    ins = Inspection.objects.get(draw=draw)
    login(lib.officer_user)
    page = client.get(reverse("enforcement:inspection_detail", args=[ins.pk])).content.decode()
    assert "录入检查结果" in page
    r = client.post(reverse("enforcement:inspection_result", args=[ins.pk]),
                    {"findings": "证照齐全", "result": "none", "expected_status": "none"})
    assert r.status_code == 302
    page = client.get(reverse("enforcement:inspection_detail", args=[ins.pk])).content.decode()
    assert "公示检查结果" in page and "本地规则20工作日" in page
    r = client.post(reverse("enforcement:inspection_publish", args=[ins.pk]), {"expected_status": "none"})
    assert r.status_code == 302
    ins.refresh_from_db()
    assert ins.published_on is not None


def test_portal_shows_only_published_results_and_masks_households(lib, client):
    shop_draw = plans.draw_create(actor=lib.officer_user, plan_item=lib.item, object_count=2, draw_date=lib.today)
    house_draw = plans.draw_create(actor=lib.officer_user, plan_item=lib.house_item, object_count=1,
                                   draw_date=lib.today)
    published, unpublished = list(Inspection.objects.filter(draw=shop_draw).select_related("target"))
    for ins in (published, Inspection.objects.get(draw=house_draw)):
        ins = inspection_transition(actor=lib.officer_user, inspection=ins, step="result",
                                    data={"findings": "良好", "result": "none"})
        inspection_transition(actor=lib.officer_user, inspection=ins, step="publish")
    page = client.get(reverse("portal:enforcement_inspections", args=[lib.town.code])).content.decode()
    assert published.target.name in page and unpublished.target.name not in page
    assert "黄某某户" in page and "黄大山" not in page and "犁头村3组" not in page
    other = client.get(reverse("portal:enforcement_inspections", args=[lib.demo.demo2.code])).content.decode()
    assert published.target.name not in other
