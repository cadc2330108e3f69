"""Round trip (issue 19): each importable ledger's export re-imports cleanly — numbers stay numbers, dates
stay dates; into the same township every row is recognised as already there, into another it imports anew."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from fazhi.imports import engine, export
from fazhi.imports.ledgers import LEDGERS
from fazhi.imports.tests.test_ledgers import GOOD, USERS, _run

USERS = {**USERS, "events": "litou_legal_staff", "officers": "litou_legal_staff", "inspections": "litou_officer"}


def _user(town, key):
    spec = LEDGERS[key]
    return next(town.user(f"litou_{r}") for r in (USERS[key].split("_", 1)[1], "legal_staff", "leader", "officer",
                                                     "mediator") if r in spec.roles)


@pytest.mark.parametrize("key", sorted(LEDGERS))
def test_an_export_re_imports_cleanly(town, key):
    spec = LEDGERS[key]
    if key in GOOD:
        assert _run(town, key, GOOD[key]).ok  # at least the rows this suite imports
    user = _user(town, key)
    data = export.export(spec, user, [town.litou])
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    if not rows:
        pytest.skip(f"no {key} in the demo")
    cols = engine.columns(spec, user, town.litou)
    for i, (_n, f) in enumerate(cols):
        for r in rows:
            if r[i] in (None, ""):
                continue
            if isinstance(f, engine.forms.DateField):
                assert isinstance(r[i], dt.datetime | dt.date), (f.label, r[i])
            elif isinstance(f, engine.forms.IntegerField | engine.forms.DecimalField):
                assert isinstance(r[i], int | float), (f.label, r[i])
    result = engine.run(spec=spec, actor=user, township=town.litou, data=data, filename="export.xlsx", dry_run=True)
    assert result.ok, result.errors[:10]


def test_the_export_page_gives_the_townships_records_in_the_template_shape(town, login):
    from django.urls import reverse

    from fazhi.audit.models import AuditEntry

    c = login(town.user("litou_mediator"))
    r = c.get(reverse("imports:export") + "?ledger=disputes")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]][0] == "受理日期" and ws.max_row > 1
    assert AuditEntry.objects.filter(action="export", object_type="imports.ledger", township=town.litou).exists()
    assert c.get(reverse("imports:export") + "?ledger=officers").status_code == 404
