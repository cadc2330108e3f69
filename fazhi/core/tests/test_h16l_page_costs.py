"""Per-page costs at county scale (issue 16): a ledger page, the to-do and the dashboards do the same number of
queries however many rows and townships there are; the rows are fetched key-first; cells are escaped; the
menu and the working-day schedule are built once per process; on PostgreSQL an index serves the scope and the
default order of every main ledger (no sequential scan, no sort)."""

import pytest
from django.db import connection
from django.urls import reverse

from fazhi.core import calendar, ledger, nav
from fazhi.core.models import Region, RegionLevel

LEDGERS = ["mediation:ledger", "enforcement:cases", "disclosure:requests", "audit:entries"]


def _more_townships(demo, n):
    """`n` more townships in the demo county, each with a copy of every demo dispute, case and request."""
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case
    from fazhi.mediation.models import Dispute

    towns = []
    for k in range(n):
        code = f"4311273{k:02d}000"
        t = Region.objects.create(code=code, name=f"测试{k}乡", level=RegionLevel.TOWNSHIP, parent=demo.county,
                                  path=f"{demo.county.path}{code}/")
        vc = f"{code[:9]}201"
        t.village = Region.objects.create(code=vc, name=f"测试{k}村", level=RegionLevel.VILLAGE, parent=t,
                                          path=f"{t.path}{vc}/")
        towns.append(t)
    serial = 0
    for model in (Dispute, Case, InfoRequest):
        rows = list(model.objects.order_by("pk"))
        clones = []
        for t in towns:
            for obj in rows:
                serial += 1
                clone = model(**{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
                                 if not f.primary_key})
                clone.township_id = t.pk
                if getattr(clone, "village_id", None):
                    clone.village_id = t.village.pk
                if model is Dispute:
                    clone.number = f"T{serial:06d}"
                    clone.committee_id = clone.screening_round_id = clone.petition_id = None
                elif model is Case:
                    clone.seq, clone.number, clone.inspection_id = 50000 + serial, f"测试〔{clone.year}〕{serial}号", None
                else:
                    clone.tracking_no = f"T{serial:010d}"
                clones.append(clone)
        model.objects.bulk_create(clones)
    return towns


def _queries(client, url, django_assert_max_num_queries, budget):
    client.get(url)  # warm per-process caches (menus, schedule), as every later view finds them
    with django_assert_max_num_queries(budget) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = [(name, who, 14) for name in LEDGERS for who in ("litou_legal_staff", "county_supervisor")] + [
    ("core:todo", "litou_mediator", 24), ("reports:dashboard", "litou_legal_staff", 45),
    ("reports:county", "county_supervisor", 22)]


def test_ledgers_the_to_do_and_the_dashboards_cost_the_same_queries_at_any_size(full_demo, login,
                                                                                django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    User = type(full_demo.user("county_supervisor"))
    before = {(n, w): _queries(login(full_demo.user(w)), reverse(n), django_assert_max_num_queries, b)
              for n, w, b in PAGES}
    _more_townships(full_demo, 5)  # every ledger's first page now spans rows of up to 7 townships
    for name, who, budget in PAGES:
        c = login(User.objects.get(username=who))
        after = _queries(c, reverse(name), django_assert_max_num_queries, budget)
        # +1: the county dashboard computes a township it has never stored once
        assert after <= before[name, who] + (name == "reports:county"), (name, who, before[name, who], after)
    c = login(User.objects.get(username="county_supervisor"))
    with CaptureQueriesContext(connection) as ctx:
        html = c.get(reverse("mediation:ledger")).content.decode()
    assert sum("mediation_mediationsettings" in q["sql"] for q in ctx.captured_queries) <= 1  # not one per township
    assert "测试" in html  # the page spans the new townships


def _entries(demo, n=12, reason="理由"):
    from fazhi.audit.services import audit_record

    for i in range(n):
        audit_record(actor=demo.user("litou_legal_staff"), action="update", obj=demo.litou, reason=f"{reason}{i}")


def test_a_page_of_rows_is_fetched_by_key_in_the_ledger_order(demo):
    from fazhi.audit.models import AuditEntry

    _entries(demo)
    qs = AuditEntry.objects.select_related("township").order_by("-created_at", "-pk")
    assert ledger.page_rows(qs, 0, 5) == list(qs[:5])
    assert ledger.page_rows(qs, 2, 3) == list(qs[2:5])
    assert ledger.page_rows(qs, 10_000, 25) == []


def test_cells_are_escaped_and_choice_labels_match_django(demo, login):
    from fazhi.audit.models import AuditEntry
    from fazhi.core.models import CalendarDay

    _entries(demo, 2, reason='<b>"x"</b>')
    html = login(demo.user("litou_legal_staff")).get(reverse("audit:entries")).content.decode()
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;0" in html and '<b>"x"</b>' not in html
    entry = AuditEntry.objects.order_by("-seq").first()
    assert f'name="ids" value="{entry.pk}"' in html and 'data-label="理由"' in html
    for value, _ in CalendarDay._meta.get_field("kind").choices:
        day = CalendarDay(kind=value)
        assert ledger.cell(day, "kind") == day.get_kind_display()
    assert ledger.cell(CalendarDay(kind="不在选项中"), "kind") == "不在选项中"


def test_the_menu_is_built_once_per_role_set_and_language(demo):
    from django.utils import translation

    nav._BUILT.clear()
    user = demo.user("litou_legal_staff")
    first = nav.items_for(user)
    assert nav.items_for(demo.user("litou_legal_staff")) == first and len(nav._BUILT) == 1
    first[0]["label"] = "改过"  # a caller's copy; the cached menu is untouched
    assert nav.items_for(user)[0]["label"] != "改过"
    with translation.override("en"):
        english = nav.items_for(user)
    assert len(nav._BUILT) == 2 and [i["url"] for i in english] == [i["url"] for i in nav.items_for(user)]
    assert nav.items_for(demo.user("litou_mediator")) != nav.items_for(user)


def test_working_days_are_looked_up_once(demo):
    import datetime as dt

    calendar._library_day.cache_clear()
    due = calendar.add_working_days(dt.date(2024, 9, 30), 5).due  # over 国庆节
    assert due == dt.date(2024, 10, 12)  # 10月12日（星期六）is a make-up working day
    hits = calendar._library_day.cache_info().hits
    assert calendar.add_working_days(dt.date(2024, 9, 30), 5).due == due
    assert calendar._library_day.cache_info().hits > hits


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans checked on PostgreSQL")
@pytest.mark.parametrize("who", ["litou_legal_staff", "litou_mediator", "county_supervisor"])
def test_every_main_ledger_page_is_served_by_an_index_without_a_sort(demo, who):
    from fazhi.audit.models import AuditEntry
    from fazhi.decisions.models import Decision
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case, Inspection
    from fazhi.mediation.models import Dispute, Petition

    user = demo.user(who)
    ledgers = [(Dispute, "-received_on"), (Petition, "-received_on"), (Case, "-id"), (Inspection, "-date"),
               (InfoRequest, "-received_on"), (AuditEntry, "-seq"), (Decision, "-id")]
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        cur.execute("SET LOCAL enable_sort = off")
        for model, sort in ledgers:
            qs = model.objects.visible_to(user).order_by(sort, "-pk")
            for plan in (qs.values_list("pk", flat=True)[:25].explain(), qs[:25].explain()):
                if model is AuditEntry:  # seq is unique: the -pk tie-break only "sorts" groups of one row
                    plan = plan.replace("Incremental Sort", "").replace("Sort Key: seq DESC, id DESC", "")
                assert "Index" in plan and "Seq Scan" not in plan and "Sort" not in plan, (model.__name__, plan)
