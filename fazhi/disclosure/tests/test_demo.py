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
    assert stats["requests"] == 8
    assert stats["requests_answered"] == 5
    assert stats["requests_overdue"] == 1
    assert stats["requests_carried_over"] == 0
    assert stats["by_reply_type"]["予以提供"] == 1
    assert stats["by_reply_type"]["部分公开"] == 1
