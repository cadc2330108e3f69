"""The township dashboard's fast path (stored figures, kept HTML, kept overdue to-do): the same page as the
live computation, a query count that does not grow with the township's records, and no stale figure."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.conftest import PINNED_TODAY
from fazhi.reports import dashboard
from fazhi.reports.models import TownshipYearStats

# the demo's day, the CI's 1st of a month, and a 2nd of a month
DAYS = sorted({dt.date.fromisoformat(PINNED_TODAY), dt.date(2027, 3, 1), dt.date(2026, 12, 2)})
TOKENS = re.compile(r"\b[A-Za-z0-9]{64}\b")  # the CSRF token, masked afresh on every response


def _page(client, year: int) -> str:
    r = client.get(reverse("reports:dashboard") + f"?year={year}")
    assert r.status_code == 200
    return TOKENS.sub("csrf", r.content.decode())


def _forget(client, user) -> None:
    """Forget the kept HTML and to-do lists (the session lives in the same cache: signed in again)."""
    dashboard._FIGURES_HTML.clear()
    cache.clear()
    client.force_login(user)


def _live(client, user, township, year) -> None:
    """Forget every kept result: the next view computes the figures, the to-do and the HTML afresh."""
    TownshipYearStats.objects.filter(township=township, year=year).delete()
    _forget(client, user)


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_it_shows_the_page_of_the_live_computation(full_demo, client, day):
    user = full_demo.user("litou_leader")
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 30)), tick=False):
        for year in (day.year, day.year - 1):
            _live(client, user, full_demo.litou, year)
            live = _page(client, year)  # computed: the row is missing
            assert TownshipYearStats.objects.filter(township=full_demo.litou, year=year).exists()
            assert _page(client, year) == live  # the stored row, the kept HTML and to-do
            dashboard._FIGURES_HTML.clear()
            assert _page(client, year) == live  # the stored row rendered afresh
            assert "受理纠纷" in live and "各村情况" in live


def _disputes(demo_ctx, n: int, client, user) -> None:
    """`n` disputes in 犁头 (half of them open and overdue), written in bulk: no audit entry, so the kept
    figures and to-do are dropped by hand as a write would make them stale."""
    from fazhi.mediation.models import Dispute

    templates = list(Dispute.objects.filter(township=demo_ctx.litou).order_by("pk"))
    open_ = [d for d in templates if d.todo_due is not None] or templates
    today = dt.date.fromisoformat(PINNED_TODAY)
    have = Dispute.objects.filter(township=demo_ctx.litou).count()
    clones = []
    for k in range(max(0, n - have)):
        src = (open_ if k % 2 else templates)[k % len(open_ if k % 2 else templates)]
        d = Dispute(**{f.attname: getattr(src, f.attname) for f in Dispute._meta.concrete_fields if not f.primary_key})
        d.number, d.committee_id, d.screening_round_id, d.petition_id = f"{today.year}-H{k:05d}", None, None, None
        d.received_on = today - dt.timedelta(days=40 + k % 200)
        clones.append(d)
    Dispute.objects.bulk_create(clones)
    TownshipYearStats.objects.all().delete()
    _forget(client, user)


def _queries(client, year: int) -> int:
    _page(client, year)  # the first view computes and keeps
    with CaptureQueriesContext(connection) as q:
        _page(client, year)
    return len(q)


def test_its_queries_do_not_grow_with_the_townships_records(full_demo, client):
    from fazhi.mediation.models import Dispute

    user = full_demo.user("litou_leader")
    year = dt.date.fromisoformat(PINNED_TODAY).year
    counts = {}
    for n in (10, 200):
        _disputes(full_demo, n, client, user)
        assert Dispute.objects.filter(township=full_demo.litou).count() >= n
        counts[n] = _queries(client, year)
    assert counts[10] == counts[200] <= 14, counts


def _received(html: str) -> int:
    m = re.search(r">受理纠纷</a></span><span class=\"v\">(\d+)起<", html)
    assert m, "受理纠纷 not on the page"
    return int(m.group(1))


def test_a_write_is_on_the_next_view(full_demo, client):
    from fazhi.core.models import Region, RegionLevel
    from fazhi.mediation.models import DisputeType
    from fazhi.mediation.services.disputes import dispute_create

    township, user = full_demo.litou, full_demo.user("litou_leader")
    client.force_login(user)
    today = dt.date.fromisoformat(PINNED_TODAY)
    before = _received(_page(client, today.year))
    assert _received(_page(client, today.year)) == before  # kept
    village = Region.objects.filter(parent=township, level=RegionLevel.VILLAGE).first()
    dispute_create(actor=full_demo.user("litou_mediator"), township=township, village=village,
                   dispute_type=DisputeType.objects.filter(name="邻里").first() or DisputeType.objects.first(),
                   summary="两户因排水沟发生争执。", received_on=today, source="application",
                   risk_level="low", parties=[{"name": "盘桂英"}])
    after = _page(client, today.year)
    assert _received(after) == before + 1
    _live(client, user, township, today.year)
    assert _page(client, today.year) == after  # what the live computation shows
