from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.enforcement.models import Case, CaseStatus, CaseTransition
from fazhi.enforcement.selectors import annual_stats

pytestmark = pytest.mark.django_db


def test_demo_gives_the_seed_figures_and_is_idempotent(full_demo):
    from fazhi.enforcement import demo

    s = annual_stats(full_demo.litou, 2024)
    assert s["certified_officers"] == 4  # 持有执法证件的干部仅4人
    assert s["inspections"] >= 20
    assert s["cases"] == 8 and s["cases_simplified"] == 3 and s["cases_ordinary"] == 5
    assert s["legal_reviews"] == 1 and s["collective_discussions"] == 1
    assert s["records_with_video"] >= 1 and s["overdue_cases"] == 0
    assert s["fines_total"] == Decimal("22300")
    major = Case.objects.get(township=full_demo.litou, title__contains="木材加工厂")
    assert major.status == CaseStatus.ARCHIVED
    steps = set(CaseTransition.objects.filter(case=major).values_list("to_status", flat=True))
    assert {"notified", "hearing", "legal_review", "collective", "decided"} <= steps
    assert major.reviews.count() == 2 and major.discussions.get().opinions.count() == 5
    before = Case.objects.count()
    demo.load(full_demo)
    assert Case.objects.count() == before
