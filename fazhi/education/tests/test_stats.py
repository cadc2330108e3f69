"""Coverage and annual figures on known data and on the seed township's demo."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.education.models import Official
from fazhi.education.selectors import annual_stats, coverage, officials_with_hours

KEYS = {"study_sessions", "center_group_sessions", "study_hours_total", "laws_studied", "leader_hours",
        "publicity_events", "themed_campaigns", "audience", "posters", "leaflets", "topics",
        "villages_without_events", "audience_by_age", "elderly_share", "venues", "planned_events"}


def test_coverage_on_known_data(small):
    cov = coverage(small.litou, 2024)
    rows = {r["name"]: r for r in cov["rows"]}
    assert (rows["犁头村"]["events"], rows["犁头村"]["audience"]) == (2, 30)
    assert rows["犁头村"]["per_1000"] == round(30 * 1000 / 820, 1)
    assert (rows["山背村"]["events"], rows["山背村"]["audience"]) == (1, 30)
    assert cov["uncovered"] == ["新屋地村", "毛栗坪村"]  # the 2023 event does not count
    assert cov["by_age"] == {"18岁以下": 2, "18–39岁": 3, "40–59岁": 5, "60岁及以上": 20}
    assert cov["elderly_share"] == 67  # 20 of the 30 people whose age was recorded
    assert cov["plan_vs_actual"] == [("集中宣传（次）", 4, 2), ("受众（人次）", 100, 60), ("海报（份）", 10, 8),
                                     ("宣传资料（份）", 100, 170), ("覆盖村数（个）", 4, 2)]
    assert cov["by_month"][2] == (3, 1) and cov["by_month"][5] == (6, 1) and cov["by_month"][8] == (9, 1)
    assert cov["idle_months"] == [1, 2, 4, 5, 7, 8, 10, 11, 12]
    assert cov["population"] == 2611 and cov["reach_pct"] == round(60 * 100 / 2611, 1)


def test_annual_stats_on_known_data(small):
    s = annual_stats(small.litou, 2024)
    assert set(s) == KEYS
    assert (s["publicity_events"], s["themed_campaigns"], s["audience"], s["posters"], s["leaflets"]) == \
        (3, 2, 60, 8, 170)
    assert s["topics"] == ["土地管理", "民法典"]  # catalogue order
    assert s["villages_without_events"] == ["新屋地村", "毛栗坪村"]
    assert s["elderly_share"] == 67 and s["planned_events"] == 4 and s["venues"] == 0
    assert (s["study_sessions"], s["center_group_sessions"], s["study_hours_total"]) == (3, 2, 4.5)
    assert s["laws_studied"] == ["中华人民共和国宪法"]
    assert s["leader_hours"] == [{"name": "雷斌", "post": "乡长", "sessions": 3, "hours": 4.5}]
    empty = annual_stats(small.demo2, 2024)
    assert empty["audience"] == 0 and empty["elderly_share"] is None and empty["leader_hours"] == []
    assert empty["villages_without_events"] == ["汇源村", "大坪村", "湘源村"]


def test_per_official_hours(small):
    rows = {o.name: o for o in officials_with_hours(Official.objects.filter(township=small.litou), 2024)}
    assert (rows["雷斌"].sessions, float(rows["雷斌"].hours)) == (3, 4.5)
    assert (rows["唐法治"].sessions, float(rows["唐法治"].hours)) == (2, 2.5)  # 2 + 0.5 (left early)
    rows23 = {o.name: o for o in officials_with_hours(Official.objects.filter(township=small.litou), 2023)}
    assert (rows23["雷斌"].sessions, float(rows23["雷斌"].hours)) == (1, 3.0)
    assert (rows23["唐法治"].sessions, float(rows23["唐法治"].hours)) == (0, 0.0)
    assert list(rows)[0] == "雷斌"  # leaders first


def test_seed_figures(seeded):
    s = annual_stats(seeded.litou, 2024)
    assert s["study_sessions"] == 12 and s["center_group_sessions"] >= 10
    for law in ("习近平法治思想", "中华人民共和国宪法", "中华人民共和国民法典", "中国共产党廉洁自律准则",
                "中国共产党纪律处分条例"):
        assert law in s["laws_studied"]
    assert [r["name"] for r in s["leader_hours"]] == ["赵巾英", "雷斌", "李文杰"]
    assert s["themed_campaigns"] == 10 and s["publicity_events"] == 10
    assert s["audience"] == 112 and s["posters"] == 120 and s["leaflets"] == 2150
    assert set(s["topics"]) == {"国家安全", "信访工作条例", "社会治安", "婚姻家庭", "土地管理", "民法典"}
    assert s["villages_without_events"] == ["毛栗坪村"]
    assert s["elderly_share"] > 50 and max(s["audience_by_age"], key=s["audience_by_age"].get) == "60岁及以上"
    assert s["venues"] == 4 and s["planned_events"] == 12


def test_constant_number_of_queries(seeded):
    with CaptureQueriesContext(connection) as few:
        annual_stats(seeded.demo2, 2024)
    with CaptureQueriesContext(connection) as many:
        annual_stats(seeded.litou, 2024)
    assert len(few) == len(many) <= 12
