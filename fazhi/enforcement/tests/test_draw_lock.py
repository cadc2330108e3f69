"""Two 双随机 draws at the same moment cannot both pass an object's yearly limit: the draw locks its plan item
row before it counts the year's inspections (plans.lock_plan_item), so the second one counts what the first
committed. Real threads on PostgreSQL; SQLite
serializes writers at the file level (the race cannot be staged there), so the test is skipped on it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from fazhi.core.errors import DomainError
from fazhi.enforcement import draws, plans
from fazhi.enforcement.models import Inspection

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are shown on PostgreSQL")]
D = dt.date


@pytest.fixture
def one_shop(enf):
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # every row now, in one thread (a flushed table is refilled by writers)
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
    shop = plans.object_save(actor=enf.officer_user, township=enf.town, name="犁头街商店", kind="business")
    item = plans.plan_item_save(actor=enf.officer_user, township=enf.town, year=2024, item="食品经营检查",
                                basis="《中华人民共和国食品安全法》第一百一十条", object_kind="business", yearly_limit=1)
    return enf, shop, item


def test_two_simultaneous_draws_cannot_both_pass_the_yearly_limit(one_shop, monkeypatch):
    enf, shop, item = one_shop
    # Both draws meet here after counting (without the lock both would have counted 0); with the lock the second
    # is still waiting for the row, so the first gives up waiting after a second and commits alone.
    meet = threading.Barrier(2)
    compute = draws.compute

    def staged(*args, **kw):
        try:
            meet.wait(timeout=1.5)
        except threading.BrokenBarrierError:
            pass
        return compute(*args, **kw)

    monkeypatch.setattr(draws, "compute", staged)
    outcomes: list = []

    def draw(seed):
        try:
            plans.draw_create(actor=enf.officer_user, plan_item=item, object_count=1, draw_date=D(2024, 5, 6),
                              seed=seed, today=D(2024, 5, 6))
            outcomes.append("drawn")
        except DomainError as e:
            outcomes.append(e.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=draw, args=(s,)) for s in ("seed-one-0000001", "seed-two-0000002")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert Inspection.objects.filter(target=shop, plan_item=item).count() == 1
    refused = [o for o in outcomes if o != "drawn"]
    assert outcomes.count("drawn") == 1 and len(refused) == 1, outcomes
    # Refused at the count itself: the second draw counted after the first committed, so its candidate list never
    # held the shop. (Without the lock it counts 0, draws the shop from a stale list and is only stopped later,
    # when its own insert happens to wait behind the first one's audit-chain write.)
    assert "符合条件的检查对象只有0个" in refused[0], outcomes
