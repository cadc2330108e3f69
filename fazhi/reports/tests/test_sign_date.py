"""The report's signing date comes from the report's year (year-end by default), never from the day it is
opened, and the township may set it (the day it was actually signed)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from fazhi.audit.models import AuditEntry
from fazhi.reports import selectors
from fazhi.reports.models import ReportDraft
from fazhi.reports.tests.fakes import patch_sources


@pytest.fixture
def fake(monkeypatch, demo):
    return patch_sources(monkeypatch)


def sign_lines(report):
    return [b.template for b in report.blocks if b.kind == "sign"]


def test_last_years_report_is_signed_at_its_year_end(fake, demo):
    # the clock is pinned to 2026-06-15 (or FAZHI_TEST_TODAY): a 2024 report is not signed today
    assert sign_lines(selectors.township_report(demo.litou, 2024))[-1] == "2024年12月31日"


def test_this_years_report_is_signed_no_later_than_today(fake, demo):
    today = dt.date.today()
    report = selectors.township_report(demo.litou, today.year)
    assert sign_lines(report)[-1] == f"{today.year}年{today.month}月{today.day}日"


def test_staff_set_the_signing_date(fake, demo, client, login):
    page = reverse("reports:sign_date", kwargs={"code": demo.litou.code, "year": 2024})
    assert client.post(page, {"signed_on": "2025-01-20"}).status_code == 302  # anonymous → login
    login(demo.user("litou_officer"))
    assert client.post(page, {"signed_on": "2025-01-20"}).status_code == 403
    login(demo.user("demo2_legal_staff"))
    assert client.post(page, {"signed_on": "2025-01-20"}).status_code == 404
    login(demo.user("litou_legal_staff"))
    r = client.post(page, {"signed_on": "2023-05-01"}, follow=True)
    assert "落款日期应在2024年1月1日至2025年12月31日之间" in r.text
    r = client.post(page, {"signed_on": "不是日期"}, follow=True)
    assert "请填写正确的日期" in r.text and not ReportDraft.objects.filter(signed_on__isnull=False).exists()
    r = client.post(page, {"signed_on": "2025-01-20"}, follow=True)
    assert r.status_code == 200 and "2025年1月20日" in r.text
    assert ReportDraft.objects.get().signed_on == dt.date(2025, 1, 20)
    assert AuditEntry.objects.filter(reason__contains="落款日期").exists()
    docx = client.get(reverse("reports:export_docx", kwargs={"code": demo.litou.code, "year": 2024}))
    assert "2025年1月20日" in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    client.post(page, {"signed_on": ""})
    assert sign_lines(selectors.township_report(demo.litou, 2024))[-1] == "2024年12月31日"
