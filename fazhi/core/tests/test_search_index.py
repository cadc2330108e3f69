"""The search index finds exactly what the `icontains` search found, through an index on both databases."""

from __future__ import annotations

import random

import pytest
from django.db import connection, transaction

from fazhi.core import search_index
from fazhi.core.models import SearchEntry
from fazhi.core.search import search_q
from fazhi.oversight import services
from fazhi.oversight.models import Notice

TEXTS = [
    ("张三丰违法占地整改", "请于10个工作日内拆除违建，报送整改情况。"),
    ("犁头村矛盾纠纷督办", "犁头瑶族乡罚决字〔2024〕第1号案卷缺少送达回证；ABC公司"),
    ("山背村信访事项", "张三反映宅基地纠纷，abc 2024-007 号"),
    ("汇源瑶族乡案卷评查", "案卷归档不规范：证据目录未编页码"),
]


@pytest.fixture
def indexed(demo):
    search_index.register(Notice, ["title", "content"])
    county = demo.user("county_legal")
    notices = [services.notice_issue(actor=county, township=demo.litou, kind="supervise", title=t, content=c,
                                     period_working_days=5) for t, c in TEXTS]
    yield notices
    search_index.unregister(Notice)


def _found(query):
    return set(Notice.objects.filter(search_index.search_filter(Notice, query)).values_list("title", flat=True))


def _scanned(query):
    return set(Notice.objects.filter(search_q(query, ["title", "content"])).values_list("title", flat=True))


def test_bigrams_keep_every_substring_findable():
    assert search_index.grams_of("张三丰") == "张三 三丰 丰"
    assert search_index.grams_of("〔2024〕第1号") == "20 02 24 4 第1 1号 号"


@pytest.mark.parametrize("query, titles", [
    ("三丰", {"张三丰违法占地整改"}),                      # the middle of a word jieba keeps whole
    ("张三", {"张三丰违法占地整改", "山背村信访事项"}),
    ("张", {"张三丰违法占地整改", "山背村信访事项"}),         # one character
    ("abc", {"犁头村矛盾纠纷督办", "山背村信访事项"}),        # case-insensitive
    ("2024", {"犁头村矛盾纠纷督办", "山背村信访事项"}),
    ("纠纷 犁头", {"犁头村矛盾纠纷督办"}),                  # every word must match
    ("罚决字〔2024〕", {"犁头村矛盾纠纷督办"}),
    ("不存在的词", set()),
])
def test_the_index_finds_what_the_scan_found(indexed, query, titles):
    assert _found(query) == titles == _scanned(query)


def test_random_substrings_give_the_same_rows_as_the_scan(indexed):
    rng = random.Random(7)
    text = "".join(t + c for t, c in TEXTS)
    for _ in range(60):
        i = rng.randrange(len(text) - 4)
        query = text[i:i + rng.randint(1, 4)]
        if search_index.search_filter(Notice, query) == search_index.Q():
            continue  # punctuation only: nothing to match in either
        assert _found(query) == _scanned(query), query


def test_entries_follow_writes_rollbacks_and_deletes(indexed):
    n = indexed[0]
    n.title = "改名后的督办"
    n.save()
    assert _found("改名") == {"改名后的督办"} and _found("三丰") == set()
    with pytest.raises(RuntimeError), transaction.atomic():
        Notice.objects.filter(pk=n.pk).update(title="x")  # update() skips signals: the index is unchanged
        n.title = "回滚的标题"
        n.save()
        raise RuntimeError
    assert _found("回滚") == set() and _found("改名") == {"改名后的督办"}
    pk = n.pk
    n.delete()
    assert not SearchEntry.objects.filter(object_id=pk, content_type__model="notice").exists()


def test_reindex_rebuilds_after_writes_that_skipped_signals(indexed):
    Notice.objects.filter(pk=indexed[1].pk).update(title="批量改写的标题")
    assert _found("批量") == set()
    assert search_index.reindex(Notice) == len(TEXTS)
    assert _found("批量") == {"批量改写的标题"}


def test_the_ledger_uses_the_index_only_for_exactly_its_fields(indexed, rf):
    from fazhi.core.ledger import Column, Ledger

    ledger = Ledger(title="t", columns=[Column("标题", "title")], search_fields=["title", "content"])
    request = rf.get("/", {"q": "三丰"})
    qs, _ = ledger.apply(request, Notice.objects.all())
    assert "core_search" in str(qs.query) and {n.title for n in qs} == {"张三丰违法占地整改"}
    other = Ledger(title="t", columns=[Column("标题", "title")], search_fields=["title"])
    qs, _ = other.apply(request, Notice.objects.all())
    assert "core_search" not in str(qs.query) and {n.title for n in qs} == {"张三丰违法占地整改"}


def test_the_search_uses_the_full_text_index(indexed):
    """With a ledger's worth of entries of one kind (the content-type filter selects them all), the planner
    goes through the full-text index, not through every entry."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Notice)
    rng = random.Random(1)
    # 20k: with the tsvector stored (core/0006) a few thousand entries are cheaper to scan than to look up
    filler = "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(200_000))
    SearchEntry.objects.bulk_create(
        SearchEntry(content_type=ct, object_id=10_000_000 + i, grams=search_index.grams_of(filler[i * 10:i * 10 + 10]))
        for i in range(20_000))
    sql, params = search_index.ids_sql(Notice, search_index._match_sql("张三丰"))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(r) for r in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
        else:
            cursor.execute("ANALYZE core_searchentry")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(r[0] for r in cursor.fetchall())
            assert "core_search_grams_fts" in plan, plan


def test_the_one_search_box_finds_across_kinds_within_scope(demo, login, client):
    from django.urls import reverse

    from fazhi.oversight import permissions

    search_index.register(Notice, ["title", "content"], label="督办通知", read_roles=permissions.ANY_READ,
                          url=lambda n: reverse("oversight:notice_detail", args=[n.pk]))
    try:
        county = demo.user("county_legal")
        mine = services.notice_issue(actor=county, township=demo.litou, kind="supervise", title="张三丰占地督办",
                                     content="x", period_working_days=5)
        services.notice_issue(actor=county, township=demo.demo2, kind="supervise", title="张三丰另案",
                              content="x", period_working_days=5)
        url = reverse("core:search")
        assert client.get(url, {"q": "三丰"}).status_code == 302  # sign in first
        login(demo.user("litou_legal_staff"))
        page = client.get(url, {"q": "三丰"}).content.decode()
        assert "督办通知" in page and "张三丰占地督办" in page and "张三丰另案" not in page  # scope applied
        assert reverse("oversight:notice_detail", args=[mine.pk]) in page
        assert "没有找到" in client.get(url, {"q": "不存在的词"}).content.decode()
        assert client.get(url, {"q": "'\"<script>" * 50}).status_code == 200
    finally:
        search_index.unregister(Notice)
