"""The document kit: every .docx the product makes, in the GB/T 9704-2012 layout (党政机关公文格式), so
each looks like it came from the same office — and PDF through LibreOffice when it is installed.

A4; top margin 37 mm, left 28 mm, text block 156 × 225 mm (so right 26 mm, bottom 35 mm);
title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312, 22 lines × 28 characters a page;
一、 headings 黑体, （一） headings 楷体; page numbers 4号 (14 pt) “— N —”, odd pages right, even left;
every font is named for East-Asian text too (w:eastAsia), so Word does not fall back to a Latin face.

    doc = OfficialDocument(title="行政处罚决定书", author=township.name)
    doc.title(township.name); doc.title("行政处罚决定书"); doc.number("犁头瑶族乡罚决字〔2024〕第1号")
    doc.heading("一、违法事实"); doc.para("经查，……")
    doc.fields([("当事人", "张三"), ...]); doc.signature(township.name, day)
    return docx_response(doc.to_bytes(), "行政处罚决定书.docx")
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

PAGE_W, PAGE_H = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)
TEXT_W_MM, TEXT_H_MM = 156, 225
LINES, CHARS = 22, 28
BODY_PT, TITLE_PT, PAGE_NO_PT, TABLE_PT = 16, 22, 14, 12
TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_NO_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LINE_PITCH_TWIPS = 579  # 225 mm / 22 lines = 28.95 pt
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)][^。；]*[。；]?")
H1 = re.compile(r"^[一二三四五六七八九十]+、")
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _char_space() -> int:
    """w:charSpace: how much narrower than the 16 pt default a grid cell is, in 1/4096 pt (28 a line)."""
    text_w_pt = TEXT_W_MM / 25.4 * 72
    return round((text_w_pt / CHARS - BODY_PT) * 4096)


def set_font(run, family: str, size_pt: float, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    run.font.name = family
    rfonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def _style_font(style, family: str, size_pt: float) -> None:
    style.font.size = Pt(size_pt)
    style.font.name = family
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), family)


def paragraph_format(p, *, indent_chars: int = 2, align=WD_ALIGN_PARAGRAPH.JUSTIFY) -> None:
    pf = p.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.alignment = align
    if indent_chars:
        pf.first_line_indent = Pt(BODY_PT * indent_chars)
        ind = p._p.get_or_add_pPr().find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), str(indent_chars * 100))


def page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.top_margin, section.bottom_margin = TOP, BOTTOM
    section.left_margin, section.right_margin = LEFT, RIGHT
    # the page number's dash sits 7 mm below the text block: 35 − 7 mm to its top, ≈ 23 mm to its baseline
    section.footer_distance = Mm(23)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(_char_space()))
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_PT)
    _document_defaults(doc)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)


def _field(paragraph, instr: str, family: str, size: float) -> None:
    for kind, text in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        set_font(run, family, size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
            run._r.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)


def _page_number(footer, *, odd: bool) -> None:
    """“— N —” in 4号 宋体: odd pages right with one character space, even pages left (GB/T 9704 §7.5)."""
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        p.paragraph_format.right_indent = Pt(PAGE_NO_PT)
    else:
        p.paragraph_format.left_indent = Pt(PAGE_NO_PT)
    set_font(p.add_run("— "), PAGE_NO_FONT, PAGE_NO_PT)
    _field(p, "PAGE", PAGE_NO_FONT, PAGE_NO_PT)
    set_font(p.add_run(" —"), PAGE_NO_FONT, PAGE_NO_PT)


def body_paragraph(doc, text: str) -> None:
    p = doc.add_paragraph()
    paragraph_format(p)
    m = SUBHEAD.match(text)
    if m:
        set_font(p.add_run(m.group(0)), H2_FONT, BODY_PT)
        text = text[m.end():]
    if text:
        set_font(p.add_run(text), BODY_FONT, BODY_PT)


def _document_defaults(doc) -> None:
    """The character grid's pitch is counted from the document's default font size (Word and
    LibreOffice read rPrDefault): make it 3号 so charSpace gives 28 characters a line, not ~16."""
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")




def _fmt_day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if isinstance(day, dt.date) else "    年  月  日"


class OfficialDocument:
    """One document in the office's layout. Methods add paragraphs in order; to_bytes() gives the .docx."""

    def __init__(self, *, title: str = "", author: str = ""):
        self.doc = Document()
        page_setup(self.doc)
        self.doc.core_properties.title = title
        self.doc.core_properties.author = author
        self.doc.core_properties.language = "zh-CN"
        for p in list(self.doc.paragraphs):  # python-docx's template starts with one empty paragraph
            p._element.getparent().remove(p._element)
        self._signed = False

    def _line(self, text: str, *, font: str = BODY_FONT, size: float = BODY_PT, indent: int = 0,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold: bool = False):
        p = self.doc.add_paragraph()
        paragraph_format(p, indent_chars=indent, align=align)
        if text:
            set_font(p.add_run(text), font, size, bold)
        return p

    def title(self, text: str) -> None:
        """2号小标宋, centred (a document's organ name and its kind are two title lines)."""
        self._line(text, font=TITLE_FONT, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER)

    def number(self, text: str, *, align: str = "center") -> None:
        """The 发文字号 line (犁头瑶族乡罚决字〔2024〕第1号), then the blank line before the body."""
        if text:
            self._line(text, align=WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.CENTER)
        self.blank()

    def blank(self) -> None:
        self._line("")

    def heading(self, text: str, level: int = 1) -> None:
        """一、 headings in 黑体; （一） headings in 楷体."""
        self._line(text, font=H1_FONT if level == 1 else H2_FONT, indent=2)

    def para(self, text: str, *, indent: bool = True) -> None:
        """Body text, first line indented two characters; a leading （一）… sentence is set in 楷体.
        A newline starts a new paragraph."""
        for line in str(text or "").split("\n"):
            if not line.strip():
                continue
            if indent:
                body_paragraph(self.doc, line.strip())
            else:
                self._line(line.strip(), align=WD_ALIGN_PARAGRAPH.LEFT)

    def line(self, text: str, *, align: str = "left") -> None:
        """A line without indent (an addressee, 当事人：…, a closing formula)."""
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                  "center": WD_ALIGN_PARAGRAPH.CENTER}
        self._line(text, align=aligns[align])

    def fields(self, rows: list[tuple[str, object]]) -> None:
        """A two-column label/value table (registers, records, receipts)."""
        self.table([], [(label, "" if value is None else str(value)) for label, value in rows])

    def table(self, header: list[str], rows: list[tuple]) -> None:
        cols = len(header) if header else max((len(r) for r in rows), default=1)
        t = self.doc.add_table(rows=0, cols=cols)
        t.style = "Table Grid"
        for i, values in enumerate(([tuple(header)] if header else []) + [tuple(r) for r in rows]):
            cells = t.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                cell.text = ""
                run = cell.paragraphs[0].add_run("" if value is None else str(value))
                set_font(run, H1_FONT if header and i == 0 else BODY_FONT, TABLE_PT)

    def signature(self, issuer: str, day=None, *, seal: bool = True) -> None:
        """发文机关署名 and 成文日期, right-aligned four characters in; "（印章）" marks where the seal goes."""
        self.sign_lines([f"{issuer}（印章）" if seal and issuer else issuer, _fmt_day(day)])

    def sign_lines(self, lines: list[str]) -> None:
        if not self._signed:
            self.blank()
            self._signed = True
        for text in lines:
            if text:
                p = self._line(text, align=WD_ALIGN_PARAGRAPH.RIGHT)
                p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 成文日期右空四字

    def signatures(self, roles: list[str]) -> None:
        """Blank lines to sign on: 当事人（签名）：____  年 月 日."""
        for role in roles:
            self._line(f"{role}（签名）：＿＿＿＿＿＿　　年　月　日", align=WD_ALIGN_PARAGRAPH.LEFT)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def docx_response(data: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=DOCX_MIME)
    resp["Content-Disposition"] = content_disposition_header(True, filename)
    return resp


def libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


def _for_libreoffice(docx_bytes: bytes) -> bytes:
    """LibreOffice gives a glyph wider than its grid cell two cells, so Word's compressed character
    grid (16 pt glyphs in 15.8 pt cells) prints ~16 characters a line. For the PDF, keep the line
    grid and condense every character by the same 0.25 pt instead: 28 characters a line again."""
    doc = Document(io.BytesIO(docx_bytes))
    for section in doc.sections:
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is not None:
            grid.set(qn("w:type"), "lines")
            grid.attrib.pop(qn("w:charSpace"), None)
    condense = round((TEXT_W_MM / 25.4 * 72 / CHARS - BODY_PT) * 20) - 1  # twentieths of a point
    for paragraph in doc.paragraphs:
        for run in paragraph.runs:
            rpr = run._element.get_or_add_rPr()
            spacing = rpr.find(qn("w:spacing"))
            if spacing is None:
                spacing = OxmlElement("w:spacing")
                rpr.append(spacing)
            spacing.set(qn("w:val"), str(condense))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FONTS_CONF = Path(__file__).resolve().parent / "fonts" / "fonts.conf"
PDF_PROFILES = 2  # LibreOffice profiles kept under DATA_DIR: that many conversions run at once, more wait


@contextlib.contextmanager
def _libreoffice_profile():
    """A persistent LibreOffice user profile, held exclusively (flock) for one conversion.

    soffice spends most of a first run building its profile; a profile kept under DATA_DIR makes every later
    conversion start warm. Two soffice processes must never share one profile (the second hands its job to the
    first, or fails), so each conversion takes a free slot, or waits for one."""
    import fcntl

    from django.conf import settings

    base = Path(settings.DATA_DIR) / "libreoffice"
    base.mkdir(parents=True, exist_ok=True)
    slots = [base / f"profile-{i}" for i in range(PDF_PROFILES)]
    for i, profile in enumerate([*slots, slots[os.getpid() % PDF_PROFILES]]):
        handle = open(profile.with_suffix(".lock"), "w")  # noqa: SIM115 - held until the conversion ends
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if i == PDF_PROFILES else fcntl.LOCK_NB))
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield profile
        finally:
            handle.close()  # releases the lock
        return


def _convert(exe: str, src: Path, profile: Path, timeout: int) -> bytes | None:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    out = src.with_suffix(".pdf")
    subprocess.run(
        [exe, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "pdf", "--outdir", str(src.parent), str(src)],
        check=False, capture_output=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    return out.read_bytes() if out.exists() else None


def render_pdf(docx_bytes: bytes, *, timeout: int = 180) -> bytes:
    """PDF through LibreOffice (headless), with the .docx's Chinese font names mapped by fonts/fonts.conf to the
    Song/Kai/FangSong/Hei fonts scripts/system_deps.sh installs, and a persistent profile (fast after the first)."""
    exe = libreoffice()
    if exe is None:
        raise RuntimeError("未安装 LibreOffice，无法导出 PDF。")
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as tmp, _libreoffice_profile() as profile:
        src = Path(tmp) / "report.docx"
        src.write_bytes(_for_libreoffice(docx_bytes))
        pdf = _convert(exe, src, profile, timeout)
        if pdf is None:  # a profile left broken (soffice killed mid-write): start it afresh once
            shutil.rmtree(profile, ignore_errors=True)
            pdf = _convert(exe, src, profile, timeout)
        if pdf is None:
            raise RuntimeError("LibreOffice 未能生成 PDF，请稍后重试或导出 Word 文档。")
        return pdf
