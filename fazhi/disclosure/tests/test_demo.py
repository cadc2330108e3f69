import pytest

from fazhi.disclosure.models import DisclosureItem, InfoRequest
from fazhi.disclosure.selectors import annual_stats


@pytest.mark.django_db
def test_demo_loads_twice_and_gives_the_2024_figures(demo):
    from fazhi.disclosure.demo import load

    load(demo)
    n_items, n_reqs = DisclosureItem.objects.count(), InfoRequest.objects.count()
    load(demo)
    assert (DisclosureItem.objects.count(), InfoRequest.objects.count()) == (n_items, n_reqs)
    stats = annual_stats(demo.litou, 2024)
    print(stats)
    assert stats["proactive_items"] == 12
    assert stats["by_category"]["工作动态"] == 6
    assert stats["late_items"] == 1
    assert stats["requests"] == 9
    assert stats["requests_answered"] == 5
    assert stats["requests_overdue"] == 1
    assert stats["requests_carried_over"] == 0
    assert stats["by_reply_type"]["予以提供"] == 1
    assert stats["by_reply_type"]["部分公开"] == 1


@pytest.mark.django_db
def test_annual_stats_uses_a_constant_number_of_queries(demo, django_assert_num_queries):
    from fazhi.disclosure.demo import load

    with django_assert_num_queries(5):
        empty = annual_stats(demo.litou, 2024)
    assert empty["requests"] == 0 and empty["by_reply_type"]["予以提供"] == 0
    load(demo)
    with django_assert_num_queries(5):
        annual_stats(demo.litou, 2024)
    other = annual_stats(demo.demo2, 2024)
    assert other["proactive_items"] == 1 and other["requests"] == 0
    assert set(other) == {"proactive_items", "by_category", "late_items", "requests", "requests_answered",
                          "requests_overdue", "by_reply_type", "requests_carried_over"}


@pytest.mark.django_db
def test_carried_over_counts_requests_open_on_1_january(demo):
    from fazhi.disclosure.demo import load

    load(demo)
    stats_2025 = annual_stats(demo.litou, 2025)
    # Three 2024 requests are still open: awaiting an answer, in consultation, awaiting a correction.
    assert stats_2025["requests_carried_over"] == 3
    assert stats_2025["requests"] == 0
