"""In the browser: edit a paragraph of the annual report (HTMX), export the .docx and read it back;
the dashboards render their SVG charts on a phone without scrolling sideways."""

import os

import pytest
from docx import Document
from playwright.sync_api import expect

from fazhi.reports.models import ReportRevision
from fazhi.reports.tests.fakes import patch_sources

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def test_edit_a_paragraph_export_and_download(demo, browser_login, live_server, monkeypatch, tmp_path):
    patch_sources(monkeypatch)
    page = browser_login("litou_legal_staff")
    page.goto(f"{live_server.url}/reports/annual/{demo.litou.code}/2024/")
    block = page.locator("#p-mediation")
    assert "全年排查调处矛盾纠纷62起，化解61起，成功率98%" in block.inner_text()
    block.get_by_role("link", name="编辑本段").click()
    textarea = page.locator("#p-mediation textarea")
    textarea.wait_for()
    textarea.fill("全年共排查化解矛盾纠纷")
    page.locator("#p-mediation").get_by_role("button", name="排查调处矛盾纠纷数＝62").click()  # inserts {mediation.received}
    textarea.press("End")
    textarea.type("起，调解成功率{mediation.success_rate}%。")
    page.locator("#p-mediation").get_by_role("button", name="保存段落").click()
    page.locator("#p-mediation .badge", has_text="已编辑").wait_for()
    expect(page.locator("#p-mediation")).to_contain_text("全年共排查化解矛盾纠纷62起，调解成功率98%。")
    assert ReportRevision.objects.count() == 1

    # a typed figure is refused in place, nothing saved
    page.locator("#p-mediation").get_by_role("link", name="编辑本段").click()
    page.locator("#p-mediation textarea").fill("全年排查调处矛盾纠纷62起。")
    page.locator("#p-mediation").get_by_role("button", name="保存段落").click()
    page.locator("#p-mediation [role=alert]").wait_for()
    expect(page.locator("#p-mediation [role=alert]")).to_contain_text("请使用数据占位符")
    assert ReportRevision.objects.count() == 1

    page.goto(f"{live_server.url}/reports/annual/{demo.litou.code}/2024/")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Word（GB/T 9704）").click()
    path = tmp_path / "report.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "（五）坚持为民服务，依法履行政府职能。全年共排查化解矛盾纠纷62起，调解成功率98%。" in text


def test_dashboards_on_a_phone(demo, browser_login, live_server, monkeypatch):
    patch_sources(monkeypatch)
    page = browser_login("litou_leader", width=375, height=812)
    page.goto(f"{live_server.url}/reports/?year=2024")
    assert page.locator("svg.chart").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    page = browser_login("county_supervisor", width=375, height=812)
    page.goto(f"{live_server.url}/reports/county/?year=2024")
    expect(page.locator("main")).to_contain_text("乡镇排名")
    assert page.locator("svg.chart").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
