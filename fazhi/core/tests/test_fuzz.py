"""Hostile input never reaches a server error. Walks every URL pattern (the enumeration of
test_url_scope.py) as a role allowed to use it: list pages get hostile filters / sort keys / page
numbers / ids; every page with a form gets hostile values POSTed into every field. Any 5xx or
exception fails, with the URL and the input that caused it."""

from __future__ import annotations

import datetime as dt
import traceback
from urllib.parse import quote

import pytest
from django import forms
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.test.utils import ContextList

from fazhi.accounts.roles import Role
from fazhi.core.tests import test_url_scope as walk

world, _db = walk.world, walk._db  # the module-wide demo and per-test savepoint fixtures
_right_user, _targets = walk._right_user, walk._targets

# Parameter names any view here reads from request.GET (ledgers add their own filter names).
PARAM_NAMES = ["year", "page", "o", "q", "township", "county", "id", "ids", "type", "kind", "status", "petition",
               "subject", "stage", "next", "range", "edit", "saved", "mode", "font", "export", "start", "n", "unit",
               "purpose", "subject_type", "subject_id", "subject_label", "category", "cat", "month", "village",
               "download", "step"]

# Raw (already percent-encoded) values: huge and negative numbers, NUL, invalid UTF-8, markup, long text.
HOSTILE_QUERY = [
    "99999999999999999999999999",
    "-1",
    "%00%ff%fe",
    "%C2%B2",  # "²": str.isdigit() says yes, int() says no
    quote("<script>alert(1)</script>'\"", safe=""),
    "x" * 3000,
    "1e309",
]

HOSTILE_POST = [
    "x" * 5000,
    "a\x00b",
    "<script>alert(1)</script>'\"&",
    "99999999999999999999999999999",
    "-99999999999",
    "0001-01-01",
    "2026-02-30",
    "NaN",
]


class Clients:
    """One signed-in client per user for the whole walk (signing in is the slow part)."""

    def __init__(self, world, login):
        self.world, self.login, self.cache = world, login, {}

    def get(self, user):
        if user is None:
            return Client()
        if user.pk not in self.cache:
            self.cache[user.pk] = self.login(user, Client())
        return self.cache[user.pk]


def _writer(world, a):
    if a.kind != "roles":
        return world.user("litou_leader") if a.kind == "login" else None
    for role in Role:
        if role in a.write and role != Role.SUPERVISOR:
            # county oversight staff sit at the county: their demo account has no township prefix
            return world.user("county_legal" if role == Role.COUNTY_LEGAL else f"litou_{role}")
    return None


def _reader(world, a):
    if a.kind == "roles":
        return _right_user(world, a)
    if a.kind == "login":
        return world.user("litou_leader")
    return None


class Failures(list):
    def call(self, label, fn):
        try:
            r = fn()
        except Exception as exc:  # noqa: BLE001 — the point is to report any exception
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/fazhi/" in f.filename
                      and "/tests/" not in f.filename]
            where = f"{frames[-1].filename.split('/fazhi/')[-1]}:{frames[-1].lineno}" if frames else "?"
            self.append(f"{label}: {type(exc).__name__}: {str(exc)[:200]} at {where}")
            return None
        if r.status_code >= 500:
            self.append(f"{label}: HTTP {r.status_code}")
        return r


def _forms_in(response):
    found, seen = [], set()
    ctx = response.context
    contexts = ctx if isinstance(ctx, ContextList) else ([ctx] if ctx is not None else [])
    values = [v for c in contexts for d in c for v in d.values()]
    for value in values:
        if True:
            items = []
            if isinstance(value, forms.BaseForm):
                items = [value]
            elif isinstance(value, BaseFormSet):
                items = list(value.forms)
            for f in items:
                if id(f) not in seen:
                    seen.add(id(f))
                    found.append(f)
    return found


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _baseline(form) -> dict:
    """A plausible submission: the form's initial values, the first choice, or a typed placeholder."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.FileField):
            continue
        value = _plain(form[name].value())
        if value in ("", [], None):
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                choices = [str(v) for v, _ in getattr(field, "choices", []) if str(v) != ""][:1]
                value = choices if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) \
                    else (choices[0] if choices else "")
            elif isinstance(field, forms.BooleanField):
                value = ""
            elif isinstance(field, forms.DateTimeField):
                value = "2026-06-10T10:00"
            elif isinstance(field, forms.DateField):
                value = "2026-06-10"
            elif isinstance(field, forms.EmailField):
                value = "a@example.com"
            elif isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
                value = "1"
            else:
                value = "测试"
        data[key] = value
    for prefix in {f.prefix for f in [form] if f.prefix}:
        data.setdefault(f"{prefix}-TOTAL_FORMS", "1")
    return data


def _kind(field) -> str:
    for kind, classes in (("date", (forms.DateField, forms.DateTimeField)),
                          ("number", (forms.IntegerField, forms.DecimalField, forms.FloatField)),
                          ("choice", (forms.ChoiceField, forms.ModelChoiceField)), ("text", (forms.CharField,))):
        if isinstance(field, classes):
            return kind
    return "other"


def _extreme(field) -> str:
    """The one value most likely to get past the form and hurt the database or a later page."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return "9999-12-31"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "9" * 25
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "9" * 25
    if isinstance(field, forms.CharField):
        return "长" * (field.max_length or 2000)
    return "x" * 2000


def _list_queries(response) -> list[str]:
    names = list(PARAM_NAMES)
    ctx = response.context
    if ctx is not None:
        for w in (ctx.get("filter_widgets") or []):
            names.append(w["f"].name)
    return _rotations(list(dict.fromkeys(names)), HOSTILE_QUERY, lambda n, v: f"{n}={v}", "&", rounds=2)


def _rotations(names, values, pair, join, rounds=3):
    """ROUNDS requests; in each, the names take different hostile values, so that across the rounds every
    name meets several values and every value meets many names (a bounded walk, not a product)."""
    rounds = [[pair(n, values[(r * 3 + j) % len(values)]) for j, n in enumerate(names)] for r in range(rounds)]
    return [join.join(r) for r in rounds] if join else rounds


def _namespaces():
    return sorted({name.split(":")[0] if ":" in name else "" for name, _p in walk.walk()})


@pytest.mark.parametrize("namespace", _namespaces())
def test_no_hostile_query_or_form_input_is_a_server_error(world, login, namespace):
    clients = Clients(world, login)
    failures = Failures()
    for name, _p, a, url in list(_targets(world)):
        if (name.split(":")[0] if ":" in name else "") != namespace:
            continue
        if a.kind == "account" and "logout" in name:
            continue
        reader = clients.get(_reader(world, a))
        first = failures.call(f"GET {url}", lambda c=reader, u=url: c.get(u))
        if first is None or first.status_code != 200:
            continue
        sep = "&" if "?" in url else "?"
        if "html" in first.get("Content-Type", ""):
            for qs in _list_queries(first):
                failures.call(f"GET {url}{sep}{qs[:120]}", lambda c=reader, u=f"{url}{sep}{qs}": c.get(u))
        page_forms = [f for f in _forms_in(first) if f.fields]
        if not page_forms:
            continue
        writer = clients.get(_writer(world, a)) if a.kind in {"roles", "login"} else reader
        for form in page_forms:
            base = _baseline(form)
            for data in _rotations(list(base), HOSTILE_POST, lambda n, v: (n, v), None):
                failures.call(f"POST {url} {[(k, v[:20]) for k, v in data]}",
                              lambda c=writer, u=url, d=dict(data): c.post(u, d))
            # The plausible submission with every field of one kind at its extreme: reaches the save.
            kinds: dict[str, dict] = {}
            for fname, field in form.fields.items():
                key = form.add_prefix(fname)
                if key in base:
                    kinds.setdefault(_kind(field), {})[key] = _extreme(field)
            for kind, extremes in kinds.items():
                failures.call(f"POST {url} {kind} fields at their extreme {sorted(extremes)}",
                              lambda c=writer, u=url, d={**base, **extremes}: c.post(u, d))
        failures.call(f"POST {url} invalid UTF-8 body",
                      lambda c=writer, u=url: c.post(u, "a=%ff%fe&b=%00", content_type="application/x-www-form-urlencoded"))
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:40])


def test_every_ledger_exports_a_valid_workbook(world, login):
    """?export=xlsx on every ledger page gives a workbook openpyxl reads back (sheet names are restricted)."""
    import io

    from openpyxl import load_workbook

    from fazhi.core.ledger import XLSX

    clients = Clients(world, login)
    exported, bad = 0, []
    for name, _p, a, url in list(_targets(world)):
        if a.kind not in {"roles", "login", "public"}:
            continue
        c = clients.get(_reader(world, a))
        r = c.get(url)
        if r.status_code != 200 or r.context is None or r.context.get("ledger") is None:
            continue
        sep = "&" if "?" in url else "?"
        r = c.get(f"{url}{sep}export=xlsx")
        try:
            assert r.status_code == 200 and r["Content-Type"] == XLSX, r.status_code
            wb = load_workbook(io.BytesIO(r.content), read_only=True)
            header = next(wb.worksheets[0].iter_rows(max_row=1, values_only=True))
            assert header and header[0], "no header row"
            exported += 1
        except Exception as exc:  # noqa: BLE001
            bad.append(f"{name} {url}: {type(exc).__name__} {exc}")
    assert exported >= 10 and not bad, bad


def test_sheet_titles_are_legal():
    from fazhi.core.ledger import sheet_title

    assert sheet_title("行政复议/应诉台账") == "行政复议-应诉台账"
    assert sheet_title("a:b\\c?d*e[f]g") == "a-b-c-d-e-f-g"
    assert len(sheet_title("长" * 40)) == 31 and sheet_title("''") == "Sheet1"


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "FOO"])
def test_unknown_methods_are_refused(client, method):
    r = client.generic(method, "/")
    assert r.status_code == 405
    r = client.generic(method, "/accounts/login/")
    assert r.status_code == 405
