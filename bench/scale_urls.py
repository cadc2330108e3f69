"""Bench-only URLconf for bench/scale.py: every product URL plus the floors — bare views on the same server
(same middleware, same database) that select the same rows as a product page and render them in a minimal
template. A page's p95 is compared with its floor's. Never part of the product."""

import csv
import datetime as dt

from django.http import HttpResponse, StreamingHttpResponse
from django.template import Context, Template
from django.urls import path

from fazhi.core.access import public_view
from fazhi.urls import handler403, handler404, handler500  # noqa: F401
from fazhi.urls import urlpatterns as product

ROWS = Template("<!doctype html><title>floor</title><table>{% for r in rows %}<tr><td>{{ r.pk }}</td>"
                "<td>{{ r }}</td></tr>{% endfor %}</table>")
PAGE = 25  # the ledgers' page size


def _models():
    from fazhi.audit.models import AuditEntry
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case
    from fazhi.mediation.models import Dispute

    return {"disputes": (Dispute, ["-received_on", "-id"]), "cases": (Case, ["-year", "-seq", "-id"]),
            "requests": (InfoRequest, ["-received_on", "-id"]), "audit": (AuditEntry, ["-seq"])}


def _towns(request):
    from fazhi.core.models import Region, RegionLevel

    t = request.GET.get("t", "all")
    if t == "all":
        return list(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("pk", flat=True))
    return [int(t)]


def _render(rows):
    return HttpResponse(ROWS.render(Context({"rows": rows})))


def ledger_floor(request, which):
    """The first page of the ledger's rows in its default order, in the same township scope."""
    model, order = _models()[which]
    return _render(list(model.objects.filter(township_id__in=_towns(request)).order_by(*order)[:PAGE]))


def one_row_floor(request):
    """The floor of a single-row page (the dashboards are compared with it)."""
    from fazhi.core.models import Region

    return _render(list(Region.objects.filter(pk__in=_towns(request)[:1])))


@public_view
def trivial_page(request):
    """A trivial page, anonymous or signed in: the difference is what the session and auth middleware cost."""
    return _render([])


@public_view
def trivial_site_page(request):
    """The same with the site's frame (base.html: header, menus for a signed-in user, footer)."""
    from django.shortcuts import render

    return render(request, "base.html", {})


def todo_floor(request):
    """The rows the to-do shows: the township's disputes and petitions due within 14 days or overdue."""
    from fazhi.mediation.models import Dispute, Petition

    until = dt.date.today() + dt.timedelta(days=14)
    towns = _towns(request)
    rows = list(Dispute.objects.filter(township_id__in=towns, todo_due__lte=until).order_by("todo_due"))
    rows += list(Petition.objects.filter(township_id__in=towns, todo_due__lte=until).order_by("todo_due"))
    return _render(rows)


def search_floor(request):
    """The rows a search shows (10 per kind) through the same index walk (newest first in the townships)."""
    from fazhi.core import search_index

    q, rows = request.GET.get("q", ""), []
    towns = _towns(request)
    for model, _ in list(_models().values())[:3]:
        rows += search_index.newest(model.objects.filter(township_id__in=towns), q, limit=10, townships=towns)
    return _render(rows)


class _Echo:
    def write(self, value):
        return value


def export_floor(request, which):
    """The export's rows, streamed as CSV (no workbook): what reading the same rows costs."""
    model, order = _models()[which]
    qs = model.objects.filter(township_id__in=_towns(request)).order_by(*order)
    writer = csv.writer(_Echo())
    rows = (writer.writerow([o.pk, str(o)]) for o in qs.iterator(chunk_size=1000))
    return StreamingHttpResponse(rows, content_type="text/csv")


urlpatterns = [
    path("_floor/ledger/<str:which>/", ledger_floor),
    path("_floor/one/", one_row_floor),
    path("_floor/trivial/", trivial_page),
    path("_floor/trivial-site/", trivial_site_page),
    path("_floor/todo/", todo_floor),
    path("_floor/search/", search_floor),
    path("_floor/export/<str:which>/", export_floor),
    *product,
]
