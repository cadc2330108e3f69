"""The annual report's PDF (issue 20): LibreOffice prints the .docx's GB/T 9704 families (仿宋_GB2312, 楷体_GB2312,
方正小标宋简体, 黑体, 宋体) with the Debian fonts fazhi/core/fonts/fonts.conf maps them to — never a sans fallback
for body text. Needs scripts/system_deps.sh (LibreOffice, the fonts, poppler-utils); skips without them.
Timing lives in bench/pdf.py, not here."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from fazhi.core import documents as document_kit
from fazhi.reports.tests.fakes import patch_sources

needs_libreoffice = pytest.mark.skipif(
    document_kit.libreoffice() is None or shutil.which("pdffonts") is None,
    reason="LibreOffice or pdffonts is not installed (run scripts/system_deps.sh)")

# .docx family → the family fontconfig must answer with fonts.conf (fc-match prints the family).
MAPPED = {
    "仿宋_GB2312": "FandolFang", "仿宋": "FandolFang", "FangSong": "FandolFang",
    "楷体_GB2312": "AR PL UKai CN", "楷体": "AR PL UKai CN", "KaiTi": "AR PL UKai CN",
    "方正小标宋简体": "Noto Serif CJK SC", "宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC",
    "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC",
}


@pytest.fixture
def fake(monkeypatch, demo):
    return patch_sources(monkeypatch)


def _pdf_fonts(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    # "ABCDEF+FandolFang-Regular  CID Type 0C  Identity-H  yes yes yes  12  0" → "FandolFang-Regular"
    return [re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in out.splitlines()[2:] if line.strip()]


@needs_libreoffice
def test_fonts_conf_maps_every_docx_family():
    env = {"FONTCONFIG_FILE": str(document_kit.FONTS_CONF), "PATH": "/usr/bin:/bin"}
    for family, expected in MAPPED.items():
        got = subprocess.run(["fc-match", "-f", "%{family}", family], check=True, capture_output=True,
                             text=True, env=env).stdout
        assert expected in got.split(","), (family, got)


@needs_libreoffice
def test_pdf_download_prints_song_kai_fangsong_hei(fake, demo, client, login, tmp_path):
    login(demo.user("litou_leader"))
    r = client.get(reverse("reports:export_pdf", kwargs={"code": demo.litou.code, "year": 2024}))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert "attachment" in r["Content-Disposition"] and ".pdf" in r["Content-Disposition"]
    assert r.content.startswith(b"%PDF")
    fonts = _pdf_fonts(r.content, tmp_path)
    assert any(f.startswith("FandolFang") for f in fonts), fonts  # body: 仿宋_GB2312
    assert any(f.startswith("NotoSerifCJK") for f in fonts), fonts  # title 方正小标宋简体, 宋体 page numbers
    assert any(f.startswith("NotoSansCJK") for f in fonts), fonts  # 一、 headings: 黑体
    # Only 黑体 may be a sans face: no DejaVu/Liberation/Noto Sans (Latin) fallback anywhere.
    stray = [f for f in fonts if "sans" in f.lower() and not f.startswith("NotoSansCJK")]
    assert not stray, fonts
    assert not any(f.startswith(("DejaVu", "Liberation", "OpenSymbol")) for f in fonts), fonts


@needs_libreoffice
def test_kai_subheadings_print_in_kai(tmp_path):
    """The demo report may have no （一） heading: a document that does prints it in the Kai face."""
    doc = document_kit.OfficialDocument(title="测试", author="犁头瑶族乡")
    doc.title("犁头瑶族乡")
    doc.heading("一、总体情况")
    doc.para("（一）加强组织领导。全年召开专题会议4次，研究部署法治政府建设工作。")
    fonts = _pdf_fonts(document_kit.render_pdf(doc.to_bytes()), tmp_path)
    assert any(f.startswith("AR-PL-UKai") or "UKai" in f for f in fonts), fonts
    assert any(f.startswith("FandolFang") for f in fonts), fonts


@needs_libreoffice
def test_conversions_reuse_a_persistent_profile(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    doc = document_kit.OfficialDocument(title="测试", author="犁头瑶族乡")
    doc.para("经查，当事人于2024年3月5日未取得许可擅自经营。")
    assert document_kit.render_pdf(doc.to_bytes()).startswith(b"%PDF")
    profiles = sorted(p.name for p in (tmp_path / "data" / "libreoffice").iterdir() if p.is_dir())
    assert profiles == ["profile-0"]
    assert (tmp_path / "data" / "libreoffice" / "profile-0" / "user").is_dir()
    assert document_kit.render_pdf(doc.to_bytes()).startswith(b"%PDF")  # the same slot, warm
