"""Documents built from the records: collective-discussion minutes (.docx) and the archive bundle
(a zip with a .docx index and every attachment, each listed with its SHA-256)."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.decisions import rules
from fazhi.decisions.models import Decision, Discussion

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document() -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋_GB2312"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    style.font.size = Pt(14)
    return doc


def _title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = True
    run.font.size = Pt(20)
    run.font.name = "方正小标宋简体"
    run.element.rPr.rFonts.set(qn("w:eastAsia"), "方正小标宋简体")


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def minutes_docx(discussion: Discussion) -> bytes:
    d = discussion.decision
    doc = _document()
    _title(doc, f"{discussion.meeting}纪要")
    doc.add_paragraph(f"议题：{d.title}（{d.get_category_display()}，编号{d.number}）")
    doc.add_paragraph(f"时间：{discussion.held_on:%Y年%m月%d日}    地点：{discussion.place or '—'}")
    doc.add_paragraph(f"主持人：{discussion.head_name}    记录人：{discussion.recorder or '—'}")
    attendees = list(discussion.attendees.all())
    members = [a for a in attendees if a.is_member]
    present = [a for a in members if a.present]
    doc.add_paragraph(f"应到组成人员{discussion.members_total}人，实到{len(present)}人。")
    doc.add_paragraph("出席：" + ("、".join(a.name for a in present) or "—"))
    absent = [a for a in members if not a.present]
    if absent:
        doc.add_paragraph("缺席：" + "、".join(f"{a.name}（{a.absence_reason}）" for a in absent))
    guests = [a for a in attendees if not a.is_member]
    if guests:
        doc.add_paragraph("列席：" + "、".join(a.name for a in guests))
    doc.add_paragraph(f"合法性审查：{d.reviewer}，{d.get_review_result_display() or '—'}。")
    doc.add_heading("发言情况（按发言顺序，主持人末位发言）", level=2)
    for o in discussion.opinions.select_related("attendee"):
        who = o.attendee.name + ("（主持人）" if o.is_head else "")
        doc.add_paragraph(f"{o.order}. {who}：{o.get_stance_display()}。{o.text}")
    dissent = [o for o in discussion.opinions.select_related("attendee") if o.dissent]
    doc.add_heading("不同意见", level=2)
    doc.add_paragraph("；".join(f"{o.attendee.name}：{o.text}" for o in dissent) if dissent else "无。")
    doc.add_heading("会议决定", level=2)
    doc.add_paragraph(f"结论：{discussion.get_conclusion_display() or '（未定稿）'}。{discussion.conclusion_text}")
    if discussion.head_departure_reason:
        doc.add_paragraph(f"主持人决定与多数意见不一致的理由：{discussion.head_departure_reason}")
    if not discussion.finalized:
        doc.add_paragraph("（本纪要尚未定稿）")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _zip_name(att, used: set[str]) -> str:
    base = f"附件/{att.get_step_display() or '其他'}/{att.original_name}"
    name, n = base, 1
    while name in used:
        n += 1
        stem, dot, ext = base.rpartition(".")
        name = f"{stem}({n}).{ext}" if dot else f"{base}({n})"
    used.add(name)
    return name


def archive_index_docx(decision: Decision, steps, attachments, discussions, names) -> bytes:
    doc = _document()
    _title(doc, "重大决策档案卷内目录")
    doc.add_paragraph(f"决策事项：{decision.title}")
    doc.add_paragraph(f"编号：{decision.number}    类别：{decision.get_category_display()}    年度：{decision.year}")
    doc.add_paragraph(f"决策承办单位：{decision.lead_unit}    当前进度：{decision.get_status_display()}")
    if decision.archive_no:
        doc.add_paragraph(f"档案号：{decision.archive_no}")
    doc.add_heading("一、程序履行情况", level=2)
    _table(doc, ["环节", "日期", "经办人", "办理情况"], [
        [rules.STEP_LABELS.get(s.step, s.get_step_display()), f"{s.performed_on:%Y-%m-%d}",
         s.actor.display_name if s.actor else "—",
         f"不适用：{s.skip_reason}" if s.skipped else s.summary] for s in steps])
    doc.add_heading("二、集体讨论", level=2)
    for disc in discussions:
        doc.add_paragraph(f"{disc.meeting}（{disc.held_on:%Y-%m-%d}）：{disc.get_conclusion_display() or '未定稿'}。"
                          f"{disc.conclusion_text}（纪要见本卷“会议纪要”）")
    if not discussions:
        doc.add_paragraph("无。")
    doc.add_heading("三、卷内文件", level=2)
    _table(doc, ["序号", "文件", "环节", "大小（字节）", "SHA-256"], [
        [str(i), names[a.pk], a.get_step_display() or "—", str(a.size), a.sha256]
        for i, a in enumerate(attachments, start=1)])
    doc.add_paragraph(f"本目录由系统于{timezone.localtime():%Y年%m月%d日 %H:%M}生成；文件的SHA-256可用于核验内容未被改动。")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def archive_zip(decision: Decision) -> bytes:
    """One bundle per decision: 目录.docx, the minutes of each discussion, and every attachment."""
    steps = list(decision.steps.select_related("actor").order_by("performed_on", "id"))
    attachments = list(decision.attachments.order_by("created_at", "id"))
    discussions = list(decision.discussions.order_by("held_on", "id"))
    used: set[str] = set()
    names = {a.pk: _zip_name(a, used) for a in attachments}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("00_卷内目录.docx", archive_index_docx(decision, steps, attachments, discussions, names))
        for i, disc in enumerate(discussions, start=1):
            zf.writestr(f"会议纪要/{i:02d}_{disc.meeting}_{disc.held_on:%Y%m%d}.docx", minutes_docx(disc))
        for a in attachments:
            with a.file.open("rb") as fh, zf.open(names[a.pk], "w") as out:
                for chunk in iter(lambda fh=fh: fh.read(1024 * 1024), b""):
                    out.write(chunk)
    return buf.getvalue()
