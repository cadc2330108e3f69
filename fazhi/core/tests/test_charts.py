"""Server-side SVG charts: no script, no external resource, labels escaped, months normalised."""

import datetime as dt

from fazhi.core import charts


def test_month_series_accepts_the_shapes_modules_use():
    series = charts.month_series({1: 2, "2024-02": 3, "03": 1, dt.date(2024, 12, 1): 4, "bad": 9})
    assert series[0] == ("1月", 2) and series[1] == ("2月", 3) and series[2] == ("3月", 1)
    assert series[11] == ("12月", 4) and len(series) == 12


def test_svg_is_self_contained_and_escaped():
    svg = charts.bars([("<script>村", 3), ("山背村", 0)], title="各村", unit="起")
    assert svg.startswith("<svg") and 'viewBox="0 0 640' in svg and 'width="100%"' in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "http://" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    col = charts.columns(charts.month_series({5: 7}), title="按月")
    assert ">7<" in col and "5月" in col
    assert charts.bars([], title="空") == ""


def test_month_series_reads_chinese_month_keys_and_pairs():
    # The mediation ledger keys its months "5月"; education gives (month, n) pairs.
    series = charts.month_series({"1月": 4, "5月": 3, "12月": 2})
    assert series[0] == ("1月", 4) and series[4] == ("5月", 3) and series[11] == ("12月", 2)
    assert charts.month_series([(2, 6), (3, 1)])[1] == ("2月", 6)


def test_dashboard_month_chart_is_not_all_zero_for_mediation(db):
    from fazhi.reports import dashboard
    from fazhi.reports.sources import Stats

    stats = Stats(year=2024, sections={"mediation": {"by_month": {f"{m}月": m for m in range(1, 13)}}})
    (chart,) = dashboard.trends(stats)
    assert ">12<" in chart["svg"] and ">5<" in chart["svg"]
