from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.selectors import annual_stats
from fazhi.enforcement.tests.conftest import advance, make_case

pytestmark = pytest.mark.django_db
KEYS = {"certified_officers", "officers", "inspections", "cases", "cases_ordinary", "cases_simplified",
        "legal_reviews", "collective_discussions", "process_records", "records_with_video", "decisions",
        "overdue_cases", "avg_days_to_decision", "by_type", "by_outcome", "fines_total"}


def test_annual_stats_keys_and_values(enf, django_assert_max_num_queries):
    advance(enf, make_case(enf, fine=Decimal("3000")), CaseStatus.SERVED)
    make_case(enf)
    with django_assert_max_num_queries(10):
        s = annual_stats(enf.town, 2024)
    assert set(s) == KEYS
    assert s["certified_officers"] == 3  # 孙过期's certificate ended 2023-12-31
    assert s["cases"] == 2 and s["cases_ordinary"] == 2 and s["decisions"] == 1
    assert s["fines_total"] == Decimal("3000")
    assert s["avg_days_to_decision"] == (dt.date(2024, 4, 15) - dt.date(2024, 3, 4)).days
    assert s["by_outcome"] == {"给予行政处罚": 1}
    assert s["by_type"] == {"农村建房与规划": 2}
    other = annual_stats(enf.demo.demo2, 2024)
    assert other["cases"] == 0 and other["certified_officers"] == 0 and other["avg_days_to_decision"] is None
