"""County roll-up from stored township-year statistics: the same figures as each township's own
report, and a query count that does not grow with the number of townships."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.models import Region, RegionLevel
from fazhi.reports import figures as F
from fazhi.reports import selectors, sources, stats_cache
from fazhi.reports.models import TownshipYearStats


def _figure_texts(stats, township):
    return {k: f.text for k, f in F.compute(stats, name=township.name,
                                             region_facts=selectors.region_facts(township)).items()}


def test_it_gives_every_township_of_the_demo_county_the_figures_of_its_own_report(full_demo):
    county = full_demo.county
    for year in (2024, 2025):
        selectors.county_stats(county, year)  # computes and stores the rows
        stored = selectors.county_stats(county, year)  # read back from the rows
        assert TownshipYearStats.objects.filter(year=year).count() == len(stored) == 2
        for township, stats in stored:
            own = selectors.township_report(township, year, draft=False)
            assert {k: f.text for k, f in own.figures.items()} == _figure_texts(stats, township)
            assert stats.sections == sources.collect(township, year).sections
    report = selectors.county_report(county, 2024)
    live = [(t.name, sources.collect(t, 2024)) for t in selectors.county_townships(county)]
    from fazhi.reports.rollup import merge

    assert report.figures["mediation.received"].value == merge(live, 2024).get("mediation")["received"]


def test_the_codec_keeps_decimals_dates_tuples_and_non_string_keys():
    from decimal import Decimal

    s = sources.Stats(year=2024, sections={"m": {"a": Decimal("1.50"), "d": dt.date(2024, 3, 1),
                                                 "t": [(1, 2)], "k": {3: 4}, "n": None}}, failed={"x"})
    back = stats_cache.decode(2024, stats_cache.encode(s))
    assert back.sections == s.sections and back.failed == {"x"}
    assert isinstance(back.sections["m"]["a"], Decimal)


def _add_townships(county, n):
    for i in range(n):
        code = f"431127{300 + i:03d}000"
        Region.objects.create(code=code, name=f"测试{i}乡", level=RegionLevel.TOWNSHIP, parent=county,
                              path=county.path + code + "/", population=1000, area_km2=10)


def _dashboard_queries(client):
    url = reverse("reports:county") + "?year=2024"
    client.get(url)  # first view computes rows for townships never seen
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def _export_queries(client):
    url = reverse("reports:county_export") + "?year=2024"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_it_costs_the_same_queries_for_2_and_12_townships(demo, client, login):
    login(demo.user("county_supervisor"))
    two = _dashboard_queries(client), _export_queries(client)
    with CaptureQueriesContext(connection) as ctx:
        selectors.county_stats(demo.county, 2024)
    assert len(ctx.captured_queries) <= 3
    _add_townships(demo.county, 10)
    twelve = _dashboard_queries(client), _export_queries(client)
    assert len(selectors.county_stats(demo.county, 2024)) == 12
    print("county dashboard, export queries:", two, twelve)
    assert two == twelve, (two, twelve)


def test_a_township_that_changed_is_refreshed(demo, client, login, django_capture_on_commit_callbacks):
    from fazhi.audit.services import audit_record

    selectors.county_stats(demo.county, 2024)
    before = dict(TownshipYearStats.objects.values_list("township_id", "audit_seq"))
    audit_record(actor=None, action="create", township=demo.litou, object_type="mediation.dispute", object_id="1")
    marked = dict(selectors.county_stats(demo.county, 2024))
    assert marked[demo.litou].updating and not marked[demo.demo2].updating
    audit_record(actor=None, action="update", township=demo.litou, object_type="mediation.dispute", object_id="1")
    login(demo.user("county_supervisor"))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.get(reverse("reports:county") + "?year=2024")
    assert r.status_code == 200 and "正在后台更新" in r.content.decode()
    # the queued refresh (immediate backend in tests) stored a newer row for 犁头 only
    after = dict(TownshipYearStats.objects.values_list("township_id", "audit_seq"))
    assert after[demo.litou.pk] > before[demo.litou.pk] and after[demo.demo2.pk] == before[demo.demo2.pk]
    assert not any(s.updating for _, s in selectors.county_stats(demo.county, 2024))
    # a read-only action (viewing evidence) changes no figure: nothing is stale
    audit_record(actor=None, action="view", township=demo.demo2, object_type="evidence.evidence", object_id="1")
    assert not any(s.updating for _, s in selectors.county_stats(demo.county, 2024))
    # a catalogue change outside any township may move every township's figures
    audit_record(actor=None, action="update", object_type="core.calendaryear", object_id="2026")
    assert all(s.updating for _, s in selectors.county_stats(demo.county, 2024))
    assert not any(s.updating for _, s in selectors.county_stats(demo.county, 2024, fresh=True))


def test_rows_of_an_earlier_day_are_recomputed(demo):
    selectors.county_stats(demo.county, 2024)
    with time_machine.travel(dt.datetime(2026, 6, 20, 9, 0), tick=False):
        out = selectors.county_stats(demo.county, 2024, fresh=True, today=dt.date(2026, 6, 20))
        assert not any(s.updating for _, s in out)
    assert set(TownshipYearStats.objects.values_list("computed_on", flat=True)) == {dt.date(2026, 6, 20)}


def test_the_township_dashboard_reads_its_stored_figures_until_something_is_written_there(full_demo, client):
    from fazhi.mediation.models import DisputeType
    from fazhi.mediation.services.disputes import dispute_create

    township, url = full_demo.litou, reverse("reports:dashboard") + "?year=2024"
    client.force_login(full_demo.user("litou_leader"))

    def view():
        with CaptureQueriesContext(connection) as q:
            r = client.get(url)
        assert r.status_code == 200
        return len(q), selectors.township_stats(township, 2024).sections["mediation"]["received"]

    first, received = view()
    second, again = view()
    assert again == received and second < first - 20, (first, second)  # ~50 module queries saved
    assert selectors.township_stats(township, 2024).sections == sources.collect(township, 2024).sections
    village = Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).first()
    dispute_create(actor=full_demo.user("litou_mediator"), township=township, village=village,
                   dispute_type=DisputeType.objects.filter(name="邻里").first() or DisputeType.objects.first(),
                   summary="两户因排水沟发生争执。", received_on=dt.date(2024, 6, 3), source="application",
                   risk_level="low", parties=[{"name": "盘桂英"}])
    third, after = view()
    assert after == received + 1 and third > second  # the write is seen at once: recomputed, not stale
