"""The exported .docx read back: GB/T 9704-2012 page set-up, fonts and sizes, and the figures."""

import io

import pytest
from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.reports import documents, selectors
from fazhi.reports.tests.fakes import patch_sources


@pytest.fixture
def doc(demo, monkeypatch):
    patch_sources(monkeypatch)
    report = selectors.township_report(demo.litou, 2024)
    return Document(io.BytesIO(documents.render_docx(report)))


def east_asia(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


TOL = Mm(0.2)


def close(a, b, tol=TOL):
    return abs(int(a) - int(b)) <= tol


def test_page_setup_is_a4_with_the_statutory_margins(doc):
    s = doc.sections[0]
    assert close(s.page_width, Mm(210)) and close(s.page_height, Mm(297))
    assert close(s.top_margin, Mm(37)) and close(s.left_margin, Mm(28))
    assert close(s.right_margin, Mm(26)) and close(s.bottom_margin, Mm(35))
    assert close(s.page_width - s.left_margin - s.right_margin, Mm(156))
    assert close(s.page_height - s.top_margin - s.bottom_margin, Mm(225))
    grid = s._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines
    pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert abs(pitch_pt * 28 - 156 / 25.4 * 72) < 1  # 28 characters fill the 156 mm line


def test_title_body_and_headings_fonts(doc):
    paras = [p for p in doc.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.text == "2024年犁头瑶族乡法治政府建设工作总结"
    assert east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    body = paras[1]
    assert "仿宋" in east_asia(body.runs[0]) and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(body.paragraph_format.line_spacing.pt - 28.95) < 0.05
    assert body.paragraph_format.first_line_indent == Pt(32)
    h1 = next(p for p in paras if p.text == "一、工作举措及成效")
    assert east_asia(h1.runs[0]) == "黑体" and h1.runs[0].font.size == Pt(16)
    h2 = next(p for p in paras if p.text.startswith("（一）加强组织领导"))
    assert h2.runs[0].text == "（一）加强组织领导，落实法治责任。"
    assert "楷体" in east_asia(h2.runs[0]) and h2.runs[0].font.size == Pt(16)
    assert "仿宋" in east_asia(h2.runs[1])
    normal = doc.styles["Normal"]
    assert normal.font.size == Pt(16)


def test_page_numbers_are_4hao_with_dashes_on_both_sides(doc):
    s = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer in (s.footer, s.even_page_footer):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert all(r.font.size == Pt(14) for r in p.runs)


def test_the_docx_states_the_seed_figures(doc):
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全年排查调处矛盾纠纷62起，化解61起，成功率98%" in text
    assert "集中主题宣传10次" in text
    assert "张贴海报120份，发放普法宣传资料2150份" in text
    assert "我乡持有执法证件的干部仅4人" in text
    assert "二、存在问题" in text and "三、下一步工作安排" in text
    assert "犁头瑶族乡人民政府" in text
