import datetime as dt

import pytest

from fazhi.mediation import selectors
from fazhi.mediation.demo import load
from fazhi.mediation.models import Dispute, ScreeningRound


@pytest.fixture
def mediation_demo(demo):
    load(demo)
    return demo


def test_demo_matches_the_seed(mediation_demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        s = selectors.annual_stats(mediation_demo.litou, 2024)
    assert s["received"] == 62
    assert s["resolved"] == 61
    assert s["not_resolved"] == 1 and s["in_progress"] == 0
    assert s["success_rate"] == 98
    assert sum(s["by_month"].values()) == 62 and all(s["by_month"].values())
    assert set(s["by_village"]) == {"犁头村", "山背村", "新屋地村", "毛栗坪村"}
    assert all(n >= 10 for n in s["by_village"].values())
    assert sum(s["by_type"].values()) == 62 and sum(s["by_source"].values()) == 62
    assert s["screening_rounds"] == 48 and s["villages_without_screening"] == []
    assert s["avg_days_to_close"] is not None and 1 < s["avg_days_to_close"] < 30
    assert s["overdue"] == 0
    assert s["petitions"] == 3
    assert set(s) == {"received", "resolved", "not_resolved", "in_progress", "success_rate", "by_type", "by_village",
                      "by_source", "by_month", "avg_days_to_close", "overdue", "screening_rounds",
                      "villages_without_screening", "petitions"}


    # a few for the second township; loading again changes nothing
    assert 1 <= selectors.annual_stats(mediation_demo.demo2, 2024)["received"] <= 10
    before = (Dispute.objects.count(), ScreeningRound.objects.count())
    load(mediation_demo)
    assert (Dispute.objects.count(), ScreeningRound.objects.count()) == before
    with django_assert_max_num_queries(15):
        selectors.annual_stats(mediation_demo.demo2, dt.date.today().year)


def test_success_rate_rounds_half_up():
    assert selectors.success_rate(61, 62) == 98
    assert selectors.success_rate(1, 8) == 13  # 12.5 → 13, not banker's 12
    assert selectors.success_rate(5, 8) == 63  # 62.5 → 63
    assert selectors.success_rate(0, 3) == 0
    assert selectors.success_rate(3, 3) == 100
    assert selectors.success_rate(0, 0) is None


def test_empty_year(demo):
    s = selectors.annual_stats(demo.litou, 2019)
    assert s["received"] == 0 and s["success_rate"] is None and s["avg_days_to_close"] is None
    assert len(s["villages_without_screening"]) == 4


def test_village_cadre_sees_only_litou_village_in_the_demo(mediation_demo):
    from fazhi.mediation.selectors import dispute_list_for

    cadre = mediation_demo.user("litou_village_cadre")
    names = set(dispute_list_for(cadre).values_list("village__name", flat=True))
    assert names == {"犁头村"}
    assert dispute_list_for(cadre).filter(received_on__year=2024).count() == 20
    assert not dispute_list_for(mediation_demo.user("demo2_mediator")).filter(township=mediation_demo.litou).exists()
    assert dispute_list_for(mediation_demo.user("county_supervisor")).filter(received_on__year=2024).count() > 62


def test_resolution_tables_stay_in_scope(mediation_demo):
    sup = mediation_demo.user("county_supervisor")
    towns = {r["label"]: r for r in selectors.resolution_table(sup, 2024, "township__name")}
    assert towns["犁头瑶族乡"]["received"] == 62 and towns["犁头瑶族乡"]["rate"] == 98
    assert "汇源瑶族乡" in towns
    mine = selectors.resolution_table(mediation_demo.user("demo2_leader"), 2024, "township__name")
    assert [r["label"] for r in mine] == ["汇源瑶族乡"]
    villages = selectors.resolution_table(sup, 2024, "village__name", township=mediation_demo.litou)
    assert sum(r["received"] for r in villages) == 62 and len(villages) == 4
