"""A scope is matched in the index by the fewest terms — a county's townships by the county's one tag, every
township by none — and finds exactly what the scan of the user's scope finds (and what 0006's township terms
found), newest first, never a row outside the scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from fazhi.accounts.models import Membership, User
from fazhi.core import search_index
from fazhi.core.models import Region, RegionLevel, SearchEntry
from fazhi.core.search import search_q
from fazhi.oversight.models import Notice

ISSUED = dt.date(2026, 11, 2)  # any fixed day: nothing here depends on "today"

# 永州市 gains 宁远县 (two townships); 湖南省 gains 郴州市 → 嘉禾县 (one township): a province of three counties
TREE = [
    ("431126000000", "宁远县", RegionLevel.COUNTY, "431100000000"),
    ("431126101000", "舜陵镇", RegionLevel.TOWNSHIP, "431126000000"),
    ("431126102000", "天堂镇", RegionLevel.TOWNSHIP, "431126000000"),
    ("431000000000", "郴州市", RegionLevel.CITY, "430000000000"),
    ("431024000000", "嘉禾县", RegionLevel.COUNTY, "431000000000"),
    ("431024100000", "珠泉镇", RegionLevel.TOWNSHIP, "431024000000"),
]


@pytest.fixture
def tree(demo):
    made = {}
    for code, name, level, parent_code in TREE:
        parent = Region.objects.get(code=parent_code)
        made[code] = Region.objects.create(code=code, name=name, level=level, parent=parent,
                                           path=f"{parent.path}{code}/")
    return made


@pytest.fixture
def notices(demo, tree):
    """Three notices per township, interleaved across townships (every walk reads past other scopes' hits)."""
    search_index.register(Notice, ["title", "content"])
    towns = [demo.litou, demo.demo2, *(r for r in tree.values() if r.level == RegionLevel.TOWNSHIP)]
    made = []
    for i in range(3):
        for t in towns:
            county = t.parent
            made.append(Notice.objects.create(
                township=t, county=county, kind="supervise", year=ISSUED.year, seq=len(made) + 1,
                title=f"排水沟整改督办{i}", content=f"{t.name}第{i}件", issued_on=ISSUED, period_working_days=5))
    yield made
    search_index.unregister(Notice)


def _user(name, *regions, role="county_legal"):
    user = User.objects.create(username=name)
    for r in regions:
        Membership.objects.create(user=user, region=r, role=role)
    return User.objects.get(pk=user.pk)  # no cached memberships


def _users(demo, tree):
    province, city = Region.objects.get(code="430000000000"), Region.objects.get(code="431100000000")
    return {
        "township": _user("h16q_town", demo.litou, role="legal_staff"),
        "two townships": _user("h16q_two", demo.litou, tree["431126101000"], role="legal_staff"),
        "county": _user("h16q_county", demo.county),
        "county and a township": _user("h16q_county_plus", demo.county, tree["431024100000"]),
        "city": _user("h16q_city", city),
        "province": _user("h16q_province", province),
    }


def test_a_scope_is_the_fewest_terms(demo, tree):
    users = _users(demo, tree)

    def terms(name):
        return search_index.index_scope(search_index.scope_townships(users[name])).terms

    assert terms("township") == (f"t{demo.litou.pk}",)
    assert set(terms("two townships")) == {f"t{demo.litou.pk}", f"t{tree['431126101000'].pk}"}
    assert terms("county") == ("c431127000000",)  # one term, not its townships'
    # 珠泉镇 is all of 郴州市: the highest region it fills is the term
    assert set(terms("county and a township")) == {"c431127000000", "c431000000000"}
    assert set(search_index.index_scope([demo.litou.pk, tree["431126101000"].pk, tree["431126102000"].pk]).terms) == \
        {f"t{demo.litou.pk}", "c431126000000"}
    assert terms("city") == ("c431100000000",)
    assert search_index.index_scope(search_index.scope_townships(users["province"])) == search_index.EVERYWHERE
    every = list(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("pk", flat=True))
    assert search_index.index_scope(every) == search_index.EVERYWHERE  # every township: no condition at all
    assert search_index.index_scope([demo.litou.pk, demo.demo2.pk]).terms == ("c431127000000",)


def test_every_entry_carries_its_townships_ancestors(demo, tree, notices):
    want = {demo.litou.pk: "c430000000000 c431100000000 c431127000000",
            tree["431024100000"].pk: "c430000000000 c431000000000 c431024000000"}
    ct = search_index._ct(Notice)

    def ancestors():
        return {e.township_id: e.ancestors for e in SearchEntry.objects.filter(content_type=ct)
                if e.township_id in want}

    assert ancestors() == want  # the post_save hook
    search_index.reindex(Notice)
    assert ancestors() == want
    SearchEntry.objects.filter(content_type=ct).delete()
    search_index.index_new(Notice, Notice.objects.all())
    assert ancestors() == want


def _scan(queryset, query, limit):
    return list(queryset.filter(search_q(query, ["title", "content"])).order_by("-pk")[:limit])


@pytest.mark.parametrize("query", ["排水沟", "水", "督办 舜陵", "第1件", "天堂", "不存在的词"])
def test_each_scope_finds_what_its_scan_finds(demo, tree, notices, query):
    for name, user in _users(demo, tree).items():
        towns = search_index.scope_townships(user)
        visible = Notice.objects.visible_to(user)
        township_terms = search_index.IndexScope(tuple(towns), tuple(f"t{t}" for t in towns))  # 0006's query
        for limit in (1, 2, 4, 11):
            want = _scan(visible, query, limit)
            got = search_index.newest(visible, query, limit=limit, townships=towns)
            assert got == want, (name, limit)
            assert {n.township_id for n in got} <= set(towns), name
            assert search_index.newest(visible, query, limit=limit, townships=township_terms) == want, name
            assert search_index.newest(visible, query, limit=limit) == want, name


def test_the_search_box_keeps_to_each_scope(demo, tree, notices):
    from fazhi.oversight import permissions

    search_index.register(Notice, ["title", "content"], label="督办通知", read_roles=permissions.ANY_READ,
                          url=lambda n: f"/n/{n.pk}")
    for name, user in _users(demo, tree).items():
        towns = set(search_index.scope_townships(user))
        groups = [g for g in search_index.search_everywhere(user, "排水沟", per_kind=50) if g["kind"].model is Notice]
        rows = [obj for obj, _ in groups[0]["rows"]]
        assert rows == [n for n in reversed(notices) if n.township_id in towns], name


def test_the_index_walk_reads_no_township_condition_for_everywhere(demo, tree, notices):
    """PostgreSQL: every township probes (content_type, object_id); several are merged scans of each, in id order."""
    match = search_index._match_sql("排水沟")
    (probe, _), *_ = search_index.newest_ids_sql(Notice, match, townships=search_index.EVERYWHERE, before=None,
                                                 limit=11)
    assert "township" not in probe
    two = [demo.litou.pk, tree["431126101000"].pk]
    (probe, params), *_ = search_index.newest_ids_sql(Notice, match, townships=two, before=None, limit=11)
    if connection.vendor == "postgresql":
        assert probe.count("township_id = %s") == 2 and "ANY" not in probe
        with connection.cursor() as cursor:
            cursor.execute(probe, params)
            ids = [oid for oid, hit in cursor.fetchall()]
        assert ids == sorted((n.pk for n in notices if n.township_id in two), reverse=True)
    else:
        assert params[0].endswith(f"tags : ({' OR '.join(sorted(f't{t}' for t in two))})"), params[0]


def test_a_scope_without_townships_finds_nothing(demo, tree, notices):
    """A county membership over no township yet (嘉禾县 before its townships): no walk, no hit."""
    assert search_index.newest(Notice.objects.all(), "排水沟", limit=5, townships=[]) == []
