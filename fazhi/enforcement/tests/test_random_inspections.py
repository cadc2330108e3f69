"""双随机一公开: the object library, the plan, the reproducible draw, 复核, 无事不扰 and publication."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.enforcement import draws, plans, services
from fazhi.enforcement.models import Inspection, InspectionDraw, InspectionKind
from fazhi.enforcement.workflow.inspections import inspection_transition, publish_deadline

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 5, 6)


@pytest.fixture
def lib(enf):
    t, u = enf.town, enf.officer_user
    enf.shops = [plans.object_save(actor=u, township=t, name=f"商店{i}", kind="business", address=f"犁头街{i}号")
                 for i in range(1, 6)]
    enf.house = plans.object_save(actor=u, township=t, name="黄大山", kind="household", address="犁头村3组")
    enf.item = plans.plan_item_save(actor=u, township=t, year=2024, item="食品经营许可及卫生检查",
                                    basis="《中华人民共和国食品安全法》第一百一十条", object_kind="business",
                                    frequency="每季度抽查一次", yearly_limit=1)
    enf.house_item = plans.plan_item_save(actor=u, township=t, year=2024, item="农村自建房安全检查",
                                          basis="《中华人民共和国城乡规划法》第五十三条", object_kind="household",
                                          yearly_limit=2)
    return enf


def _draw(enf, **kw):
    args = {"actor": enf.officer_user, "plan_item": enf.item, "object_count": 2, "draw_date": TODAY,
            "seed": "0123456789abcdef", "today": TODAY}
    return plans.draw_create(**{**args, **kw})


def test_it_draws_objects_and_certified_teams_and_creates_random_inspections(lib):
    draw = _draw(lib)
    assert len(draw.result) == 2
    names = {o["name"] for o in draw.candidates["officers"]}
    assert names == {"李执法", "赵队员", "钱队员"}  # expired and uncertified are not candidates
    reasons = {e["name"]: e["reason"] for e in draw.excluded if e["type"] == "officer"}
    assert "已于2023年12月31日到期" in reasons["孙过期"] and "未取得执法证件" in reasons["周无证"]
    inspections = list(Inspection.objects.filter(draw=draw))
    assert len(inspections) == 2
    for ins in inspections:
        assert ins.kind == InspectionKind.RANDOM and ins.plan_item == lib.item
        assert ins.officers.count() == 2 and all(o.certified_on(TODAY) for o in ins.officers.all())


def test_it_is_reproducible_and_the_check_matches(lib):
    draw = _draw(lib)
    again = draws.compute(draw.seed, draw.candidates, draw.object_count, draw.team_size)
    assert again == draw.result
    # by hand: rank SHA-256("<seed>|<id>") lowest first
    by_hand = sorted(draw.candidates["objects"], key=lambda o: draws.rank(draw.seed, str(o["id"])))[:2]
    assert [o["id"] for o in by_hand] == [r["object"] for r in draw.result]
    ok, _, diff = draws.verify(InspectionDraw.objects.get(pk=draw.pk))
    assert ok and diff == ""


def test_a_tampered_result_does_not_match(lib):
    draw = _draw(lib)
    others = [o["id"] for o in draw.candidates["objects"] if o["id"] not in {r["object"] for r in draw.result}]
    draw.result[0]["object"] = others[0]
    InspectionDraw.objects.filter(pk=draw.pk).update(result=draw.result)
    ok, again, diff = draws.verify(InspectionDraw.objects.get(pk=draw.pk))
    assert not ok and diff and again


def test_a_different_seed_may_give_a_different_draw_but_the_same_seed_never_does(lib):
    a = draws.compute("s1", _draw(lib).candidates, 2, 2)
    assert a == draws.compute("s1", InspectionDraw.objects.get().candidates, 2, 2)


def test_a_conflicted_officer_is_excluded_with_the_reason(lib):
    target = lib.shops[0]
    plans.conflict_declare(actor=lib.officer_user, officer=lib.o1, target=target, reason="其妻为该店经营者")
    draw = _draw(lib, object_count=5)
    row = next(r for r in draw.result if r["object"] == target.pk)
    assert lib.o1.pk not in row["officers"]
    assert row["recused"] == [{"officer": lib.o1.pk, "name": "李执法", "reason": "其妻为该店经营者"}]
    ins = Inspection.objects.get(draw=draw, target=target)
    assert set(ins.officers.all()) == {lib.o2, lib.o3}


def test_fewer_than_two_eligible_officers_is_refused_and_nothing_written(lib):
    from fazhi.enforcement.models import Officer
    Officer.objects.filter(pk__in=[lib.o2.pk, lib.o3.pk]).update(cert_valid_until=D(2024, 1, 1))
    with pytest.raises(DomainError, match="少于每组2名"):
        _draw(lib)
    assert not InspectionDraw.objects.exists() and not Inspection.objects.exists()


def test_conflicts_leaving_one_officer_refuse_the_whole_draw(lib):
    from fazhi.enforcement.models import Officer
    Officer.objects.filter(pk=lib.o3.pk).update(active=False)
    plans.conflict_declare(actor=lib.officer_user, officer=lib.o1, target=lib.shops[0], reason="亲属")
    with pytest.raises(DomainError, match="排除回避人员后"):
        _draw(lib, object_count=5)
    assert not InspectionDraw.objects.exists() and not Inspection.objects.exists()


def test_no_more_than_the_yearly_limit_wu_shi_bu_rao(lib):
    first = _draw(lib, object_count=5)
    assert len(first.result) == 5
    # every shop has had its one inspection this year: the next draw has no candidates
    with pytest.raises(DomainError, match="符合条件的检查对象只有0个"):
        _draw(lib, object_count=1, seed="other")
    # and an inspection registered by hand under the plan item is refused with the reason
    with pytest.raises(DomainError, match="无事不扰"):
        services.inspection_create(actor=lib.officer_user, township=lib.town, officers=[lib.o1, lib.o2],
                                   kind="adhoc", date=TODAY, place="犁头街1号", subject="食品检查",
                                   target=lib.shops[0], plan_item=lib.item, today=TODAY)
    # without a plan item (投诉举报) it is allowed
    services.inspection_create(actor=lib.officer_user, township=lib.town, officers=[lib.o1, lib.o2],
                               kind="adhoc", date=TODAY, place="犁头街1号", subject="投诉核查",
                               target=lib.shops[0], today=TODAY)


def test_the_guard_counts_up_to_the_limit(lib):
    for _ in range(2):
        services.inspection_create(actor=lib.officer_user, township=lib.town, officers=[lib.o1, lib.o2],
                                   kind="adhoc", date=TODAY, place="犁头村3组", subject="自建房检查",
                                   target=lib.house, plan_item=lib.house_item, today=TODAY)
    with pytest.raises(DomainError, match="每年2次上限"):
        plans.check_not_disturbed(lib.house, lib.house_item, 2024)
    assert plans.disturb_refusal(lib.house, lib.house_item, 2025) is None


def test_result_then_publication_within_the_local_period(lib):
    draw = _draw(lib, object_count=1)
    ins = Inspection.objects.get(draw=draw)
    with pytest.raises(DomainError, match="尚未录入"):
        inspection_transition(actor=lib.officer_user, inspection=ins, step="publish", today=TODAY)
    ins = inspection_transition(actor=lib.officer_user, inspection=ins, step="result", today=TODAY,
                                data={"findings": "证照齐全，卫生良好", "result": "none"})
    assert ins.result_on == TODAY
    due = publish_deadline(ins)
    assert due.due == D(2024, 5, 31) and "本地规则20工作日" in due.explanation
    ins = inspection_transition(actor=lib.officer_user, inspection=ins, step="publish", today=TODAY)
    assert ins.published_on == TODAY


def test_other_township_and_supervisor_may_not_draw(lib):
    with pytest.raises(DomainError):
        _draw(lib, actor=lib.demo.user("demo2_officer"))
    with pytest.raises(DomainError):
        _draw(lib, actor=lib.demo.user("county_supervisor"))
    assert not InspectionDraw.objects.exists()


def test_a_random_inspection_cannot_be_registered_by_hand(lib):
    with pytest.raises(DomainError, match="随机抽取"):
        services.inspection_create(actor=lib.officer_user, township=lib.town, officers=[lib.o1, lib.o2],
                                   kind="random", date=TODAY, place="x", subject="y", today=TODAY)


def test_household_names_are_masked(lib):
    assert lib.house.public_name == "黄某某户"
    assert lib.shops[0].public_name == "商店1"


def test_a_drawn_inspection_asks_for_its_result_then_its_publication_in_the_todo(lib):
    from fazhi.enforcement.selectors import todo_provider

    def mine(today):
        return [t for t in todo_provider(lib.officer_user, today, 14) if "抽查结果" in t.title]

    draw = _draw(lib, object_count=1)
    ins = Inspection.objects.get(draw=draw)
    assert [t.title.split("：")[0] for t in mine(TODAY)] == ["录入抽查结果"]
    assert mine(TODAY)[0].url.endswith(f"/{ins.pk}/result/")
    ins = inspection_transition(actor=lib.officer_user, inspection=ins, step="result", today=TODAY,
                                data={"findings": "证照齐全", "result": "none"})
    assert mine(TODAY) == []  # the publication is due 31 May, beyond the 14-day window
    item = mine(D(2024, 5, 20))[0]
    assert item.title.startswith("公示抽查结果") and item.due == D(2024, 5, 31) and item.action == "公示检查结果"
    inspection_transition(actor=lib.officer_user, inspection=ins, step="publish", today=D(2024, 5, 20))
    assert mine(D(2024, 5, 20)) == []
