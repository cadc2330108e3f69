"""The search box reads the newest hits in the user's townships straight from the index, and finds exactly what
the `icontains` scan found, newest first — also when the index walk has to read past rows outside the scope."""

from __future__ import annotations

import pytest
from django.db import connection

from fazhi.core import search_index
from fazhi.core.models import SearchEntry
from fazhi.core.search import search_q
from fazhi.oversight import services
from fazhi.oversight.models import Notice


@pytest.fixture
def notices(demo):
    """Two old notices of 犁头, then six newer of 汇源 with the same words (the walk must read past them)."""
    search_index.register(Notice, ["title", "content"])
    county = demo.user("county_legal")
    made = []
    for township, n in ((demo.litou, 2), (demo.demo2, 6)):
        for i in range(n):
            made.append(services.notice_issue(actor=county, township=township, kind="supervise",
                                              title=f"排水沟整改督办{i}", content=f"{township.name}第{i}件",
                                              period_working_days=5))
    yield made
    search_index.unregister(Notice)


def _scan(queryset, query, limit):
    return list(queryset.filter(search_q(query, ["title", "content"])).order_by("-pk")[:limit])


@pytest.mark.parametrize("query", ["排水沟", "水", "督办 犁头", "第1件", "汇源", "不存在的词"])
@pytest.mark.parametrize("limit", [1, 2, 3, 11])
def test_it_gives_the_scans_newest_rows_in_scope(demo, notices, query, limit):
    litou = Notice.objects.filter(township=demo.litou)
    want = _scan(litou, query, limit)
    assert search_index.newest(litou, query, limit=limit, townships=[demo.litou.pk]) == want
    # without the township terms the walk meets 汇源's newer hits first and reads on until it has enough
    assert search_index.newest(litou, query, limit=limit) == want
    county = Notice.objects.all()
    assert search_index.newest(county, query, limit=limit, townships=[demo.litou.pk, demo.demo2.pk]) == \
        _scan(county, query, limit)


def test_the_entry_follows_the_records_township(demo, notices):
    n = notices[0]
    assert SearchEntry.objects.get(object_id=n.pk, content_type__model="notice").township_id == demo.litou.pk
    n.township = demo.demo2
    n.save()
    assert SearchEntry.objects.get(object_id=n.pk, content_type__model="notice").township_id == demo.demo2.pk
    assert n not in search_index.newest(Notice.objects.all(), "排水沟", limit=20, townships=[demo.litou.pk])
    assert n in search_index.newest(Notice.objects.all(), "排水沟", limit=20, townships=[demo.demo2.pk])
    Notice.objects.filter(pk=n.pk).update(township=demo.litou)  # skips signals; reindex puts it right
    search_index.reindex(Notice)
    assert n in search_index.newest(Notice.objects.all(), "排水沟", limit=20, townships=[demo.litou.pk])


def test_the_scope_townships_are_those_of_the_memberships(demo):
    assert search_index.scope_townships(demo.user("litou_legal_staff")) == [demo.litou.pk]
    assert search_index.scope_townships(demo.user("litou_village_cadre")) == [demo.litou.pk]
    assert set(search_index.scope_townships(demo.user("county_supervisor"))) >= {demo.litou.pk, demo.demo2.pk}


def test_the_walk_is_ordered_by_the_index_not_sorted(demo, notices):
    """SQLite: FTS5 delivers rowids newest first (no temp B-tree over every hit). PostgreSQL: with a
    ledger's worth of entries the plan reads an index (GIN bitmap or a backward scan), never the table."""
    match = search_index._match_sql("排水沟")
    statements = search_index.newest_ids_sql(Notice, match, townships=[demo.litou.pk], before=None, limit=11)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            [(sql, params)] = statements
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(r) for r in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and "TEMP B-TREE" not in plan, plan
        else:
            from django.contrib.contenttypes.models import ContentType

            ct = ContentType.objects.get_for_model(Notice)
            SearchEntry.objects.bulk_create(
                SearchEntry(content_type=ct, object_id=10_000_000 + i, township=demo.demo2,
                            grams=search_index.grams_of(f"另案{i}号"))
                for i in range(3000))
            cursor.execute("ANALYZE core_searchentry")
            (probe, probe_params), (gin, gin_params) = statements
            cursor.execute("EXPLAIN " + probe, probe_params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            assert "Index" in plan and "Seq Scan" not in plan, plan
            cursor.execute("EXPLAIN " + gin, gin_params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            assert "Seq Scan" not in plan, plan  # the GIN index, or the scope index when it is narrower


def test_the_search_box_stays_within_a_query_budget(demo, notices, django_assert_max_num_queries):
    from fazhi.oversight import permissions

    search_index.register(Notice, ["title", "content"], label="督办通知", read_roles=permissions.ANY_READ,
                          url=lambda n: f"/n/{n.pk}")
    user = demo.user("litou_legal_staff")
    kinds = len(search_index.searchables())
    search_index.search_everywhere(user, "水")  # the content types are cached per process after the first
    user = demo.user("litou_legal_staff")
    with django_assert_max_num_queries(kinds + 2):  # memberships; an index walk per kind; 督办通知's one page
        groups = search_index.search_everywhere(user, "排水沟", per_kind=1)
    assert [g["kind"].label for g in groups] == ["督办通知"]
    assert [obj for obj, _ in groups[0]["rows"]] == [notices[1]] and groups[0]["more"]
