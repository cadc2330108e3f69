"""Ledgers at county scale: bounded counts, scope filters on the township index, indexes that serve
the default sort (EXPLAIN on PostgreSQL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import audit_record
from fazhi.core import ledger
from fazhi.core.models import Region, RegionLevel


@pytest.fixture
def entries(demo):
    for i in range(12):
        audit_record(actor=demo.user("litou_legal_staff"), action="update", obj=demo.litou, reason=f"理由{i}")


def test_it_counts_at_most_the_cap_past_the_page(demo, entries):
    qs = AuditEntry.objects.filter(township=demo.litou).order_by("-seq")
    p = ledger.BoundedPaginator(qs, 5, number=1, cap=5)
    page = p.get_page(1)
    assert p.count_text == "5+" and not p.exact and page.has_next()
    with CaptureQueriesContext(connection) as ctx:
        assert ledger.BoundedPaginator(qs, 5, number=2, cap=5).count == 11  # 5 before the page + cap + 1
    assert "LIMIT" in ctx.captured_queries[0]["sql"].upper()
    exact = ledger.BoundedPaginator(qs, 5, number=1, cap=100)
    assert exact.count == 12 and exact.exact and exact.count_text == "12"
    assert ledger.BoundedPaginator(qs, 5, number="x", cap=5).get_page("x").number == 1


def test_the_ledger_page_shows_a_bounded_count(demo, entries, login, monkeypatch):
    monkeypatch.setattr(ledger, "COUNT_CAP", 10)
    c = login(demo.user("litou_legal_staff"))
    html = c.get(reverse("audit:entries")).content.decode()
    assert "共 10+ 条" in html
    html = c.get(reverse("audit:entries"), {"page": 3}).content.decode()
    assert "共 12 条" in html  # near the end the count is exact again


def test_a_county_scope_compiles_to_township_ids_without_a_path_join(demo):
    sup = demo.user("county_supervisor")
    sql = str(AuditEntry.objects.visible_to(sup).query)
    assert "LIKE" not in sql.upper() and "core_region" not in sql
    assert f"IN ({demo.litou.pk}, {demo.demo2.pk})" in sql or f"IN ({demo.demo2.pk}, {demo.litou.pk})" in sql
    # a township added later is in scope for the next request (the ids are cached per request only)
    Region.objects.create(code="431127399000", name="新乡", level=RegionLevel.TOWNSHIP, parent=demo.county,
                          path=demo.county.path + "431127399000/")
    sup = type(sup).objects.get(pk=sup.pk)
    assert AuditEntry.objects.visible_to(sup).query.__str__().count(",") >= 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans checked on PostgreSQL")
@pytest.mark.parametrize("who", ["litou_mediator", "county_supervisor"])
def test_default_sorts_of_the_large_ledgers_use_an_index(demo, who):
    from fazhi.disclosure.models import InfoRequest
    from fazhi.mediation.models import Dispute

    user = demo.user(who)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        for qs in (Dispute.objects.visible_to(user).order_by("-received_on", "-pk"),
                   InfoRequest.objects.visible_to(user).order_by("-received_on", "-pk"),
                   AuditEntry.objects.visible_to(user).order_by("-seq", "-pk")):
            plan = qs[:25].explain()
            assert "Index" in plan and "Seq Scan" not in plan, plan


def test_a_large_export_streams_from_a_temporary_file(demo, entries, login, monkeypatch):
    import io

    from django.http import FileResponse
    from openpyxl import load_workbook

    monkeypatch.setattr(ledger, "EXPORT_INLINE_BYTES", 0)
    monkeypatch.setattr(ledger, "EXPORT_CHUNK", 5)  # several chunks
    c = login(demo.user("litou_legal_staff"))
    r = c.get(reverse("audit:entries"), {"export": "xlsx"})
    assert isinstance(r, FileResponse) and r.status_code == 200 and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert ws.max_row >= 13  # header + the 12 entries (and the login's)
