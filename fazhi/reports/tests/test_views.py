"""Report pages: anonymous → other township → wrong role → right role; supervisor reads only."""

import io

import pytest
from django.urls import reverse
from docx import Document

from fazhi.reports.models import ReportDraft, ReportRevision
from fazhi.reports.tests.fakes import patch_sources


@pytest.fixture
def fake(monkeypatch, demo):
    return patch_sources(monkeypatch)


def url(name, demo, **kw):
    return reverse(f"reports:{name}", kwargs={"code": demo.litou.code, "year": 2024, **kw})


def test_report_page_access(fake, demo, client, login):
    page = url("annual", demo)
    assert client.get(page).status_code == 302  # anonymous → login
    login(demo.user("demo2_legal_staff"))
    assert client.get(page).status_code == 404  # other township
    login(demo.user("litou_village_cadre"))
    assert client.get(page).status_code == 403  # wrong role
    login(demo.user("litou_leader"))
    r = client.get(page)
    assert r.status_code == 200
    assert "全年排查调处矛盾纠纷" in r.text and "62" in r.text and "导出 Word" in r.text


def test_supervisor_reads_but_cannot_edit(fake, demo, client, login):
    login(demo.user("county_supervisor"))
    assert client.get(url("annual", demo)).status_code == 200
    r = client.post(url("paragraph", demo, key="mediation"), {"text": "改写{mediation.received}"})
    assert r.status_code == 403
    assert not ReportDraft.objects.exists()
    assert client.get(url("paragraph", demo, key="mediation") + "?edit=1").status_code == 404


def test_officer_reads_but_cannot_edit(fake, demo, client, login):
    login(demo.user("litou_officer"))
    assert client.get(url("annual", demo)).status_code == 200
    assert client.post(url("paragraph", demo, key="mediation"), {"text": "x"}).status_code == 403


def test_htmx_edit_and_save(fake, demo, client, login):
    login(demo.user("litou_legal_staff"))
    p = url("paragraph", demo, key="mediation")
    r = client.get(p + "?edit=1", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<textarea" in r.text and "{mediation.received}" in r.text
    r = client.post(p, {"text": "全年化解纠纷{mediation.resolved}起。", "version": "0"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "全年化解纠纷" in r.text and "61" in r.text and "<textarea" not in r.text
    assert ReportRevision.objects.count() == 1
    r = client.post(p, {"text": "全年化解纠纷61起。", "version": "1"}, HTTP_HX_REQUEST="true")
    assert "请使用数据占位符" in r.text and "<textarea" in r.text
    assert ReportRevision.objects.count() == 1
    r = client.get(url("history", demo))
    assert r.status_code == 200 and "第1版" in r.text


def test_export_docx_download(fake, demo, client, login):
    login(demo.user("litou_leader"))
    r = client.get(url("export_docx", demo))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r["Content-Disposition"]
    doc = Document(io.BytesIO(r.content))
    assert "成功率98%" in "\n".join(p.text for p in doc.paragraphs)
    login(demo.user("demo2_leader"))
    assert client.get(url("export_docx", demo)).status_code == 404


def test_pdf_without_libreoffice_explains(fake, demo, client, login, monkeypatch):
    from fazhi.core import documents as document_kit

    monkeypatch.setattr(document_kit, "libreoffice", lambda: None)
    login(demo.user("litou_leader"))
    r = client.get(url("export_pdf", demo), follow=True)
    assert "未安装 LibreOffice" in r.text


def test_township_dashboard(fake, demo, client, login, django_assert_max_num_queries):
    d = reverse("reports:dashboard")
    assert client.get(d).status_code == 302
    login(demo.user("litou_village_cadre"))
    assert client.get(d).status_code == 403
    login(demo.user("demo2_leader"))
    assert client.get(d + f"?township={demo.litou.code}").status_code == 404
    login(demo.user("litou_leader"))
    r = client.get(d + "?year=2024")
    assert r.status_code == 200
    assert "<svg" in r.text and "毛栗坪村" in r.text and "成功率" in r.text and "98%" in r.text


def test_county_dashboard_for_the_supervisor_only(fake, demo, client, login):
    c = reverse("reports:county")
    login(demo.user("litou_leader"))
    assert client.get(c).status_code == 403
    login(demo.user("county_supervisor"))
    r = client.get(c + "?year=2024")
    assert r.status_code == 200
    assert "犁头瑶族乡" in r.text and "汇源瑶族乡" in r.text and "乡镇排名" in r.text and "<svg" in r.text
    r = client.get(reverse("reports:county_export") + "?year=2024")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "2024年蓝山县法治政府建设工作总结（各乡镇汇总）" in text
    assert "全年排查调处矛盾纠纷124起，化解122起，成功率98%" in text  # two townships × the fake stats


def test_annual_index_sends_township_staff_to_their_report(fake, demo, client, login):
    login(demo.user("litou_legal_staff"))
    r = client.get(reverse("reports:annual_index") + "?year=2024")
    assert r.status_code == 302 and r["Location"] == url("annual", demo)
    login(demo.user("county_supervisor"))
    r = client.get(reverse("reports:annual_index") + "?year=2024")
    assert r.status_code == 200 and "汇源瑶族乡" in r.text


def test_report_page_links_the_companion_returns_that_exist(fake, demo, client, login):
    from fazhi.reports.views.annual import companion_exports

    login(demo.user("litou_leader"))
    r = client.get(url("annual", demo))
    for label, link in companion_exports(demo.litou, 2024):
        assert label in r.text and link.replace("&", "&amp;") in r.text
