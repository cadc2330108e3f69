"""Documents built from the records, in the office layout of the core document kit (GB/T 9704):
collective-discussion minutes (.docx) and the archive bundle (a zip with a .docx index and every
attachment, each listed with its SHA-256)."""

from __future__ import annotations

import io
import zipfile

from django.utils import timezone

from fazhi.core.documents import OfficialDocument
from fazhi.decisions import rules
from fazhi.decisions.models import Decision, Discussion


def minutes_docx(discussion: Discussion) -> bytes:
    d = discussion.decision
    doc = OfficialDocument(title=f"{discussion.meeting}纪要", author=d.township.name)
    doc.title(f"{discussion.meeting}纪要")
    doc.blank()
    doc.line(f"议题：{d.title}（{d.get_category_display()}，编号{d.number}）")
    doc.line(f"时间：{discussion.held_on:%Y年%m月%d日}    地点：{discussion.place or '—'}")
    doc.line(f"主持人：{discussion.head_name}    记录人：{discussion.recorder or '—'}")
    attendees = list(discussion.attendees.all())
    members = [a for a in attendees if a.is_member]
    present = [a for a in members if a.present]
    doc.line(f"应到组成人员{discussion.members_total}人，实到{len(present)}人。")
    doc.line("出席：" + ("、".join(a.name for a in present) or "—"))
    absent = [a for a in members if not a.present]
    if absent:
        doc.line("缺席：" + "、".join(f"{a.name}（{a.absence_reason}）" for a in absent))
    guests = [a for a in attendees if not a.is_member]
    if guests:
        doc.line("列席：" + "、".join(a.name for a in guests))
    doc.line(f"合法性审查：{d.reviewer}，{d.get_review_result_display() or '—'}。")
    opinions = list(discussion.opinions.select_related("attendee"))
    doc.heading("发言情况（按发言顺序，主持人末位发言）")
    for o in opinions:
        who = o.attendee.name + ("（主持人）" if o.is_head else "")
        doc.para(f"{o.order}. {who}：{o.get_stance_display()}。{o.text}")
    dissent = [o for o in opinions if o.dissent]
    doc.heading("不同意见")
    doc.para("；".join(f"{o.attendee.name}：{o.text}" for o in dissent) if dissent else "无。")
    doc.heading("会议决定")
    doc.para(f"结论：{discussion.get_conclusion_display() or '（未定稿）'}。{discussion.conclusion_text}")
    if discussion.head_departure_reason:
        doc.para(f"主持人决定与多数意见不一致的理由：{discussion.head_departure_reason}")
    if not discussion.finalized:
        doc.para("（本纪要尚未定稿）")
    return doc.to_bytes()


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
    doc = OfficialDocument(title="重大决策档案卷内目录", author=decision.township.name)
    doc.title("重大决策档案卷内目录")
    doc.blank()
    doc.line(f"决策事项：{decision.title}")
    doc.line(f"编号：{decision.number}    类别：{decision.get_category_display()}    年度：{decision.year}")
    doc.line(f"决策承办单位：{decision.lead_unit}    当前进度：{decision.get_status_display()}")
    if decision.archive_no:
        doc.line(f"档案号：{decision.archive_no}")
    doc.heading("一、程序履行情况")
    doc.table(["环节", "日期", "经办人", "办理情况"], [
        (rules.STEP_LABELS.get(s.step, s.get_step_display()), f"{s.performed_on:%Y-%m-%d}",
         s.actor.display_name if s.actor else "—",
         f"不适用：{s.skip_reason}" if s.skipped else s.summary) for s in steps])
    doc.heading("二、集体讨论")
    for disc in discussions:
        doc.para(f"{disc.meeting}（{disc.held_on:%Y-%m-%d}）：{disc.get_conclusion_display() or '未定稿'}。"
                 f"{disc.conclusion_text}（纪要见本卷“会议纪要”）")
    if not discussions:
        doc.para("无。")
    doc.heading("三、卷内文件")
    doc.table(["序号", "文件", "环节", "大小（字节）", "SHA-256"], [
        (str(i), names[a.pk], a.get_step_display() or "—", str(a.size), a.sha256)
        for i, a in enumerate(attachments, start=1)])
    doc.para(f"本目录由系统于{timezone.localtime():%Y年%m月%d日 %H:%M}生成；文件的SHA-256可用于核验内容未被改动。")
    return doc.to_bytes()


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
