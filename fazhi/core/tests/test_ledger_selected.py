"""Ledger checkboxes: "export selected" takes only the checked rows, and only those in the user's scope."""

import io

from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import audit_record
from fazhi.core import ledger


def test_selected_ids_keeps_plain_ids_once_and_caps_the_count(monkeypatch):
    q = QueryDict("ids=3&ids=x&ids=3&ids=&ids=%C2%B2&ids=99999999999999999999&ids=7")
    assert ledger.selected_ids(q) == [3, 7]
    monkeypatch.setattr(ledger, "MAX_SELECTED", 1)
    assert ledger.selected_ids(q) == [3]


def _xlsx_rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]


def test_export_selected_returns_only_checked_rows_inside_the_scope(demo, login):
    mine = [audit_record(actor=demo.user("litou_legal_staff"), action="update", obj=demo.litou, reason=f"本乡{i}")
            for i in range(3)]
    theirs = audit_record(actor=demo.user("demo2_legal_staff"), action="update", obj=demo.demo2, reason="外乡")
    c = login(demo.user("litou_legal_staff"))
    url = reverse("audit:entries")
    everything = _xlsx_rows(c.get(url, {"export": "xlsx"}))
    assert len(everything) >= 3
    picked = _xlsx_rows(c.get(url, {"export": "xlsx", "ids": [mine[0].pk, mine[2].pk, theirs.pk]}))
    assert len(picked) == 2
    text = "".join(str(v) for row in picked for v in row)
    assert "本乡0" in text and "本乡2" in text and "本乡1" not in text and "外乡" not in text
    assert _xlsx_rows(c.get(url, {"export": "xlsx", "ids": ""})) == []  # 导出所选 with nothing checked
    assert AuditEntry.objects.filter(pk=theirs.pk).exists()


def test_the_ledger_shows_a_checkbox_per_row_and_the_export_selected_button(demo, login):
    entry = audit_record(actor=demo.user("litou_legal_staff"), action="update", obj=demo.litou, reason="本乡")
    html = login(demo.user("litou_legal_staff")).get(reverse("audit:entries")).content.decode()
    assert f'name="ids" value="{entry.pk}"' in html and "导出所选" in html and 'data-select-all="ids"' in html
