"""Figures the case ledger shows and exports: fines are numbers in Excel, not text."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_case_ledger_exports_fines_as_numbers(demo, login):
    from fazhi.enforcement.demo import load

    load(demo)
    c = login(demo.user("litou_legal_staff"), Client())
    r = c.get(reverse("enforcement:cases"), {"export": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.values)
    col = rows[0].index("罚款（元）")
    fines = [row[col] for row in rows[1:] if row[col] not in (None, "")]
    assert fines and all(isinstance(v, (int, float, Decimal)) for v in fines), fines
    assert 500 in fines
    # On screen the amount still reads without trailing zeros.
    page = c.get(reverse("enforcement:cases")).content.decode()
    assert ">500<" in page.replace(" ", "") or "500</" in page
