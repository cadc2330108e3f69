"""fazhi annual_report --region … --year … --output … [--pdf]"""

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from fazhi.core import documents as document_kit
from fazhi.reports.tests.fakes import patch_sources


@pytest.fixture
def fake(monkeypatch, demo):
    return patch_sources(monkeypatch)


def text_of(path):
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.mark.parametrize("region", ["犁头瑶族乡", "431127201000"])
def test_it_writes_the_township_report(fake, demo, tmp_path, region, capsys):
    out = tmp_path / "report.docx"
    call_command("annual_report", "--region", region, "--year", "2024", "--output", str(out))
    text = text_of(out)
    assert text.startswith("2024年犁头瑶族乡法治政府建设工作总结")
    assert "全年排查调处矛盾纠纷62起，化解61起，成功率98%" in text
    assert "已生成" in capsys.readouterr().out


def test_it_writes_the_county_rollup(fake, demo, tmp_path):
    out = tmp_path / "county.docx"
    call_command("annual_report", "--region", "蓝山县", "--year", "2024", "--output", str(out))
    assert "2024年蓝山县法治政府建设工作总结（各乡镇汇总）" in text_of(out)


def test_it_refuses_unknown_regions_and_missing_libreoffice(fake, demo, tmp_path, monkeypatch):
    with pytest.raises(CommandError, match="未找到"):
        call_command("annual_report", "--region", "不存在乡", "--year", "2024", "--output", str(tmp_path / "x.docx"))
    monkeypatch.setattr(document_kit, "libreoffice", lambda: None)
    with pytest.raises(CommandError, match="LibreOffice"):
        call_command("annual_report", "--region", "犁头瑶族乡", "--year", "2024",
                     "--output", str(tmp_path / "y.docx"), "--pdf")


@pytest.mark.skipif(document_kit.libreoffice() is None, reason="LibreOffice is not installed")
def test_it_writes_a_pdf_with_libreoffice(fake, demo, tmp_path):
    out = tmp_path / "r.docx"
    call_command("annual_report", "--region", "犁头瑶族乡", "--year", "2024", "--output", str(out), "--pdf")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
