"""The one list helper every ledger uses: filter, search, sort, paginate, and export the filtered
rows to .xlsx. A view builds a queryset through its selector and hands it to `Ledger.respond`."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.html import conditional_escape
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe

from fazhi.core import exports, search_index
from fazhi.core.params import int_param
from fazhi.core.search import search_q

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_FORBIDDEN = str.maketrans({ch: "-" for ch in ':\\/?*[]'})


def sheet_title(title: str) -> str:
    """Excel forbids : \\ / ? * [ ] in a sheet name and caps it at 31 characters (行政复议/应诉 has a slash)."""
    cleaned = title.translate(_SHEET_FORBIDDEN).strip("'").strip()[:31]
    return cleaned or "Sheet1"


def clean_param(value: str, limit: int = 100) -> str:
    """A query parameter as the database may see it: NUL bytes dropped (PostgreSQL refuses them), bounded."""
    return value.replace("\x00", "").strip()[:limit]


# A ledger counts at most this many rows past the page asked for: a county ledger of a million rows
# shows “1,000+ 条” instead of a COUNT(*) over the whole scope on every view.
COUNT_CAP = 1000
EXPORT_CHUNK = 1000  # rows read per query while exporting
EXPORT_INLINE_BYTES = 512 * 1024  # larger files stream from a temporary file


class BoundedPaginator(Paginator):
    """Pagination whose count stops `cap` rows past the start of the requested page (one
    `SELECT COUNT(*) FROM (… LIMIT n)`): exact for small lists, “1,000+” beyond."""

    def __init__(self, object_list, per_page, *, number=1, cap: int | None = None):
        super().__init__(object_list, per_page)
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        self.cap = COUNT_CAP if cap is None else cap
        self._start = max(number - 1, 0) * per_page
        self.exact = True

    @cached_property
    def count(self) -> int:
        limit = self._start + self.cap
        n = self.object_list.order_by()[:limit + 1].count()
        self.exact = n <= limit
        return n

    @property
    def count_text(self) -> str:
        n = self.count
        return f"{n:,}" if self.exact else f"{n - 1:,}+"


def page_rows(queryset, start: int, size: int) -> list:
    """One page of `queryset`, its keys chosen first in a subquery (`pk IN (SELECT pk … ORDER BY … LIMIT n)`):
    the sort runs over the narrow key rows the indexes serve, and only the page's rows are read with their
    joins (SQLite otherwise sorts every row in scope with all its joined columns: 0.15 s for a county's 20k
    cases). Still one query."""
    return list(queryset.filter(pk__in=queryset.values("pk")[start:start + size]))


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable  # dotted attribute path, or callable(obj) -> value
    sort: str | None = None  # ORM ordering field; None: not sortable
    link: bool = False  # this cell links to the row's page


@dataclass(frozen=True)
class Filter:
    name: str  # query parameter
    label: str
    lookup: str  # ORM lookup, e.g. "status" or "village_id" or "date__year"
    choices: Sequence[tuple] | Callable  # [(value, label)] or callable(request) -> [(value, label)]

    def options(self, request) -> list[tuple[str, str]]:
        raw = self.choices(request) if callable(self.choices) else self.choices
        return [(str(v), str(label)) for v, label in raw]


MAX_SELECTED = 500  # rows one bulk action or "export selected" takes at once


def selected_ids(data, name: str = "ids") -> list[int]:
    """The checked rows' ids from a GET/POST QueryDict: plain ids only, duplicates dropped, at most
    MAX_SELECTED. Callers still filter through their selector, so ids outside the user's scope vanish."""
    ids: list[int] = []
    for raw in data.getlist(name)[:MAX_SELECTED]:
        value = int_param(raw)
        if value is not None and value not in ids:
            ids.append(value)
    return ids


@functools.lru_cache(maxsize=1024)
def _choice_labels(model, name: str) -> tuple[str, dict] | None:
    """{value: label} of a choices field, built once: Django's get_FOO_display() rebuilds it on every call
    (make_hashable over all choices), which was a fifth of a ledger page's time."""
    if not isinstance(inspect.getattr_static(model, f"get_{name}_display", None), functools.partialmethod):
        return None  # the model defines its own get_FOO_display(): use it
    try:
        field = model._meta.get_field(name)
        return field.attname, {make_hashable(v): label for v, label in field.flatchoices}
    except (LookupError, TypeError, AttributeError, FieldDoesNotExist):
        return None


def _display(obj, name: str):
    found = _choice_labels(type(obj), name)
    if found is None:
        return getattr(obj, f"get_{name}_display")()
    attname, labels = found
    value = getattr(obj, attname)
    try:
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
    except TypeError:
        return getattr(obj, f"get_{name}_display")()


def cell(obj, value) -> object:
    if callable(value):
        return value(obj)
    current = obj
    parts = value.split(".")
    for i, part in enumerate(parts):
        if current is None:
            return ""
        if i == len(parts) - 1 and hasattr(current, f"get_{part}_display"):
            return _display(current, part)
        current = getattr(current, part)
        if callable(current) and not hasattr(current, "all"):
            current = current()
    return current


def as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime):
        return timezone.localtime(v).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(v) else v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.strftime("%Y-%m-%d")
    return str(v)


def _excel_value(v):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if v is None:
        return ""
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return v
    if isinstance(v, dt.datetime) and timezone.is_aware(v):
        return timezone.localtime(v).replace(tzinfo=None)
    if isinstance(v, dt.date):
        return v
    return ILLEGAL_CHARACTERS_RE.sub("", as_text(v))  # control characters typed into a record would abort the file


class Ledger:
    def __init__(self, *, title: str, columns: Sequence[Column], filters: Sequence[Filter] = (),
                 search_fields: Sequence[str] = (), default_sort: str = "-id", page_size: int = 25,
                 export_name: str | None = None, row_url: Callable | None = None,
                 actions: Sequence[tuple[str, str]] = (), bulk_actions: Sequence[tuple[str, str]] = (),
                 selectable: bool = True, prepare: Callable[[list], None] | None = None):
        self.title = title
        self.columns = list(columns)
        self.filters = list(filters)
        self.search_fields = list(search_fields)
        self.default_sort = default_sort
        self.page_size = page_size
        self.export_name = export_name or title
        self.row_url = row_url
        self.actions = list(actions)  # [(label, url)] buttons above the table, e.g. 新建
        # [(label, url)] for the checked rows: the url gets ?ids=…, shows what it will do and asks to confirm
        self.bulk_actions = list(bulk_actions)
        self.selectable = selectable  # a checkbox per row: "export selected" and the bulk actions
        # prepare(objs): loads what the columns need for a whole page at once (settings per township, …)
        self.prepare = prepare

    # --- query state ------------------------------------------------------------------------
    def apply(self, request, queryset):
        params = request.GET
        active: dict[str, str] = {}
        for f in self.filters:
            value = clean_param(params.get(f.name, ""))
            if value and value in {v for v, _ in f.options(request)}:
                queryset = queryset.filter(**{f.lookup: value})
                active[f.name] = value
        q = clean_param(params.get("q", ""))
        if q and self.search_fields:
            queryset = queryset.filter(self._search(queryset.model, q))
        sortable = {c.sort for c in self.columns if c.sort}
        sort = params.get("o", "")
        if sort.lstrip("-") not in sortable:
            sort = self.default_sort
        queryset = queryset.order_by(sort, "-pk" if sort.startswith("-") else "pk")
        return queryset, {"filters": active, "q": q, "o": sort}

    def _search(self, model, q: str):
        """The search index when it covers exactly this ledger's fields, else the `icontains` scan."""
        if set(self.search_fields) == set(search_index.registered_fields(model) or ()):
            indexed = search_index.search_filter(model, q)
            if indexed is not None:
                return indexed
        return search_q(q, self.search_fields)

    def _row_html(self, obj, cells: list[dict]) -> str:
        """A table row's cells as HTML, built here rather than by a template loop over every cell (25 rows × ~10
        cells × several tags was a third of a ledger page's time); every value is escaped."""
        out = []
        if self.selectable:
            out.append('<td class="select-col" data-label="选择"><input type="checkbox" name="ids" '
                       f'value="{conditional_escape(obj.pk)}" form="ledger-selection" aria-label="选择此行"></td>')
        for c in cells:
            label = conditional_escape(c["label"])
            if c["link"]:
                text = conditional_escape(c["text"] or "（未填）")
                out.append(f'<td data-label="{label}"><a href="{conditional_escape(c["link"])}">{text}</a></td>')
            else:
                out.append(f'<td data-label="{label}">{conditional_escape(c["text"])}</td>')
        return mark_safe("".join(out))  # noqa: S308 (every part escaped above)

    def _querystring(self, state: dict, **override) -> str:
        params = {**state["filters"], "q": state["q"], "o": state["o"], **override}
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    # --- responses -------------------------------------------------------------------------
    def respond(self, request, queryset, *, template: str = "core/ledger.html", context: dict | None = None):
        queryset, state = self.apply(request, queryset)
        if request.GET.get("export") == "xlsx":
            if self.selectable and "ids" in request.GET:  # "export selected": the checked rows within scope
                queryset = queryset.filter(pk__in=selected_ids(request.GET))
            job = getattr(request, "fazhi_export", None)
            if job is not None:  # the background task re-running this view (core.exports.export_build)
                return exports.export_into(job, self, queryset)
            if exports.too_large(queryset):  # a progress page and a download link instead of a long wait
                return redirect(exports.export_start(request=request, ledger=self))
            return self.export(queryset)
        number = request.GET.get("page")
        page = BoundedPaginator(queryset, self.page_size, number=number).get_page(number)
        page.object_list = page_rows(queryset, (page.number - 1) * self.page_size, self.page_size)
        if self.prepare is not None and page.object_list:
            self.prepare(page.object_list)
        rows = []
        for obj in page.object_list:
            url = self.row_url(obj) if self.row_url else None
            cells = [{"text": as_text(cell(obj, c.value)), "link": c.link and url, "label": c.label}
                     for c in self.columns]
            rows.append({"obj": obj, "url": url, "cells": cells, "html": self._row_html(obj, cells)})
        headers = []
        for c in self.columns:
            h = {"label": c.label, "sort_url": None, "sorted": ""}
            if c.sort:
                nxt = f"-{c.sort}" if state["o"] == c.sort else c.sort
                h["sort_url"] = "?" + self._querystring(state, o=nxt)
                h["sorted"] = "asc" if state["o"] == c.sort else ("desc" if state["o"] == f"-{c.sort}" else "")
            headers.append(h)
        ctx = {
            "ledger": self,
            "page": page,
            "rows": rows,
            "headers": headers,
            "state": state,
            "filter_widgets": [{"f": f, "options": f.options(request), "value": state["filters"].get(f.name, "")}
                               for f in self.filters],
            "page_qs": self._querystring(state),
            "export_url": "?" + self._querystring(state, export="xlsx"),
            **(context or {}),
        }
        if getattr(request, "htmx", False) and request.htmx.target == "ledger-rows":
            return render(request, "core/_ledger_rows.html", ctx)
        return render(request, template, ctx)

    def write_workbook(self, queryset, out, progress: Callable[[int], None] | None = None) -> None:
        """The rows as .xlsx into the binary file `out`, in constant memory: rows are read in chunks
        (prefetches run per chunk) and openpyxl's write-only workbook streams them to disk;
        `progress(rows_written)` is called after every chunk."""
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(sheet_title(self.title))
        header = []
        for c in self.columns:
            h = WriteOnlyCell(ws, value=c.label)
            h.font = Font(bold=True)
            header.append(h)
        ws.append(header)
        n = 0
        for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
            ws.append([_excel_value(cell(obj, c.value)) for c in self.columns])
            n += 1
            if progress is not None and n % EXPORT_CHUNK == 0:
                progress(n)
        wb.save(out)
        if progress is not None:
            progress(n)

    def export_filename(self) -> str:
        return f"{sheet_title(self.export_name)}-{timezone.localdate().strftime('%Y%m%d')}.xlsx"

    def export(self, queryset) -> HttpResponse | FileResponse:
        """The filtered rows as .xlsx, sent in blocks from a temporary file that disappears when the
        response is closed (a small file is sent whole)."""
        out = tempfile.TemporaryFile(prefix="fazhi-export-", suffix=".xlsx")
        self.write_workbook(queryset, out)
        size = out.tell()
        out.seek(0)
        name = self.export_filename()
        if size <= EXPORT_INLINE_BYTES:  # a small file is sent whole (a few hundred kB at most)
            with out:
                response = HttpResponse(out.read(), content_type=XLSX)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX)
