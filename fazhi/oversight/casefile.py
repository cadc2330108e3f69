"""One-click case-file export (卷宗) for 评查, 复议 or 诉讼: every document and record of a case in
卷宗 order, its evidence, a table of contents with page numbers, and a manifest with the SHA-256 of
every file that `fazhi casefile_verify` re-checks.

Pages: a generated document counts the A4 pages of its text at the GB/T 9704 grid (22 lines × 28
characters); an electronic evidence file counts as one page (its listing sheet in the paper file)."""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from fazhi.core.errors import DomainError

SECTIONS = ["立案", "调查取证", "审查", "告知", "听证", "法制审核", "集体讨论", "决定", "送达", "执行", "结案"]
# process-record / evidence stages → 卷宗 section
STAGE_SECTION = {"patrol": "调查取证", "filing": "立案", "investigation": "调查取证", "review": "审查",
                 "hearing": "听证", "decision": "决定", "service": "送达", "coercion": "执行", "execution": "执行",
                 "other": "调查取证"}
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
PURPOSES = {"review": "案卷评查", "reconsideration": "行政复议答复", "litigation": "行政诉讼答辩"}


@dataclass
class Piece:
    section: str
    title: str
    arcname: str
    data: bytes | None = None  # generated documents
    evidence: object | None = None  # an EvidenceFile, streamed from the store
    pages: int = 1
    sha256: str = ""
    size: int = 0


def _pages_of_text(text: str) -> int:
    lines = sum(max(1, math.ceil(len(line) / CHARS_PER_LINE)) for line in text.splitlines() or [""])
    return max(1, math.ceil(lines / LINES_PER_PAGE))


def _docx(title: str, rows: list[tuple[str, str]], paragraphs: list[str], body_name: str) -> bytes:
    """A generated piece of the file in the office's layout (core.documents, GB/T 9704): the organ's name
    and the piece's kind as the two title lines, a label/value table, then the body."""
    from fazhi.core.documents import OfficialDocument

    doc = OfficialDocument(title=title, author=body_name)
    doc.title(body_name)
    doc.title(title)
    doc.blank()
    if rows:
        doc.fields(rows)
    for text in paragraphs:
        doc.para(text)
    return doc.to_bytes()


def _text_of(data: bytes) -> str:
    from fazhi.enforcement.documents import text_of

    return text_of(data)


def pieces_for(case) -> list[Piece]:
    """Everything in the case file, in 卷宗 order (documents first within a section, then records)."""
    from fazhi.enforcement import documents
    from fazhi.enforcement.models import CaseStatus, DocKind
    from fazhi.evidence.selectors import evidence_by_subject, evidence_for

    body = case.power.body.name if case.power_id and case.power.body_id else case.township.name
    out: dict[str, list[Piece]] = {s: [] for s in SECTIONS}

    def doc(section, kind):
        name, data = documents.build(case, kind)
        out[section].append(Piece(section, DocKind(kind).label, "", data=data))

    reached = {t.to_status for t in case.transitions.all()} | {case.status}
    if not case.is_simplified:
        doc("立案", DocKind.FILING)
        doc("调查取证", DocKind.INQUIRY)
    if case.notice_served_on or case.notice_waived:
        doc("告知", DocKind.NOTICE)
    if case.hearings.exists() or CaseStatus.HEARING in reached:
        doc("听证", DocKind.HEARING_NOTICE)
    reviews = list(case.reviews.select_related("reviewer").all())
    if reviews:
        rows = [(f"第{r.round}轮（{r.reviewer.name}）",
                 f"送审{r.submitted_on:%Y-%m-%d}，审核{r.reviewed_on or '—'}，结论：{r.get_outcome_display()}；{r.opinion}")
                for r in reviews]
        out["法制审核"].append(Piece("法制审核", "法制审核意见", "",
                                     data=_docx("重大执法决定法制审核意见", rows, [], body)))
    for d in case.discussions.prefetch_related("opinions").all():
        paras = [f"时间：{d.held_on:%Y年%m月%d日}　地点：{d.place}", f"主持人：{d.chair}", f"出席人员：{d.attendees}"]
        paras += [f"{o.person}：{o.opinion}" for o in d.opinions.all()]
        paras += [f"讨论决定：{d.conclusion}"]
        out["集体讨论"].append(Piece("集体讨论", "集体讨论记录", "", data=_docx("案件集体讨论记录", [], paras, body)))
    if case.decided_on:
        doc("决定", DocKind.ONSITE if case.is_simplified else DocKind.DECISION)
    if case.served_on:
        doc("送达", DocKind.RECEIPT)
    if case.paid_on or case.execution_note:
        rows = [("缴款日期", f"{case.paid_on or '—'}"), ("实缴罚款（元）", f"{case.paid_amount or '—'}"),
                ("加处罚款（元）", f"{case.late_fee_paid or '0'}"), ("执行情况", case.execution_note or "")]
        out["执行"].append(Piece("执行", "执行情况记录", "", data=_docx("行政处罚执行情况", rows, [], body)))
    for co in case.coercions.prefetch_related("transitions__actor").order_by("pk"):  # 强制执行, read as it is
        rows = [("执行途径", co.get_route_display()), ("状态", co.get_status_display()),
                ("当事人应履行的义务", co.obligation), ("催告书送达日期", f"{co.urged_on or '—'}"),
                ("陈述申辩", f"{co.statement_on or '—'} {co.statement}"),
                ("强制执行决定", f"{co.decided_on or '—'} {co.means}"), ("决定书送达日期", f"{co.decision_served_on or '—'}"),
                ("执行情况", f"{co.executed_at:%Y-%m-%d %H:%M} {co.execution_note}" if co.executed_at
                 else co.execution_note or "—")]
        if co.terminated_on:
            rows.append(("终结执行", f"{co.terminated_on} {co.terminate_reason}"))
        steps = [f"{t.created_at:%Y-%m-%d %H:%M} {t.actor.full_name if t.actor else ''}："
                 f"{t.from_status or '—'} → {t.to_status} {t.reason}" for t in co.transitions.all()]
        out["执行"].append(Piece("执行", "行政强制执行情况", "", data=_docx(
            "行政强制执行情况记录", rows, ["办理过程：", *steps] if steps else [], body)))
    history = [f"{t.created_at:%Y-%m-%d %H:%M} {t.actor.full_name if t.actor else ''}："
               f"{t.from_status or '—'} → {t.to_status} {t.reason}" for t in case.transitions.select_related("actor")]
    out["结案"].append(Piece("结案", "结案报告及办理过程", "", data=_docx(
        "行政处罚结案报告", [("案号", case.number), ("案由", case.title), ("当事人", case.party_name),
                       ("结案日期", f"{case.closed_on or '—'}")], ["办理过程：", *history], body)))

    records = list(case.records.all())
    ev_by_record = evidence_by_subject(records)
    for r in records:
        section = STAGE_SECTION.get(r.stage, "调查取证")
        text = f"{r.get_stage_display()}记录（{r.recorded_at:%Y-%m-%d %H:%M}，{r.place}）\n{r.text}"
        out[section].append(Piece(section, f"{r.get_stage_display()}全过程记录", "",
                                  data=_docx("执法全过程文字记录", [], text.splitlines(), body)))
        for ev in (e for e in ev_by_record.get(r.pk, []) if e.blob_id):
            out[section].append(Piece(section, f"电子证据：{ev.original_name}", "", evidence=ev))
    for ev in evidence_for(case).filter(blob__isnull=False):
        section = STAGE_SECTION.get(ev.stage, "调查取证")
        out[section].append(Piece(section, f"电子证据：{ev.original_name}", "", evidence=ev))

    pieces = [p for s in SECTIONS for p in out[s]]
    for n, p in enumerate(pieces, start=1):
        if p.evidence is not None:
            from fazhi.evidence.storage import safe_filename

            p.arcname = f"{n:02d}-{p.section}-{safe_filename(p.evidence.original_name) or p.evidence.sha256}"
            p.sha256, p.size, p.pages = p.evidence.sha256, p.evidence.size, 1
        else:
            p.arcname = f"{n:02d}-{p.section}-{p.title}.docx"
            p.sha256, p.size = hashlib.sha256(p.data).hexdigest(), len(p.data)
            p.pages = _pages_of_text(_text_of(p.data))
    return pieces


def table_of_contents(case, pieces: list[Piece]) -> tuple[bytes, list[dict]]:
    page, rows, listing = 1, [], []
    for n, p in enumerate(pieces, start=1):
        end = page + p.pages - 1
        pages = f"{page}" if end == page else f"{page}—{end}"
        rows.append((f"{n}. {p.section}", f"{p.title}（第{pages}页）"))
        listing.append({"no": n, "section": p.section, "title": p.title, "file": p.arcname, "pages": pages})
        page = end + 1
    body = case.township.name
    data = _docx(f"卷内目录（{case.number}）", rows, [f"本卷共{page - 1}页，材料{len(pieces)}件。"], body)
    return data, listing


def export_casefile(*, actor, case, purpose_key: str = "review"):
    """Write the case file to a temporary zip (evidence may be large) and return (name, file object).
    Every evidence file's custody log and the case's audit trail record the export and its purpose."""
    from django.db import transaction

    from fazhi.evidence.services import evidence_access
    from fazhi.evidence.storage import CHUNK, open_stored
    from fazhi.oversight.services import record_export

    if purpose_key not in PURPOSES:
        raise DomainError("请选择导出用途。")
    purpose = PURPOSES[purpose_key]
    pieces = pieces_for(case)
    toc, listing = table_of_contents(case, pieces)
    with transaction.atomic():
        for p in pieces:
            if p.evidence is not None:
                evidence_access(actor=actor, evidence=p.evidence, action="export", purpose=f"{purpose}：{case.number}")
        record_export(actor=actor, case=case, purpose=f"导出卷宗用于{purpose}")
    out = tempfile.TemporaryFile()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        zf.writestr("00-卷内目录.docx", toc)
        files = [{"file": "00-卷内目录.docx", "sha256": hashlib.sha256(toc).hexdigest(), "size": len(toc)}]
        for p in pieces:
            if p.evidence is not None:
                h = hashlib.sha256()
                with open_stored(p.evidence.blob.storage_name) as src, \
                        zf.open(p.arcname, "w", force_zip64=True) as dst:
                    while chunk := src.read(CHUNK):
                        h.update(chunk)
                        dst.write(chunk)
                if h.hexdigest() != p.sha256:
                    raise DomainError(f"证据文件“{p.title}”与登记的SHA-256不符，已停止导出，请联系管理员核查。")
            else:
                zf.writestr(p.arcname, p.data)
            files.append({"file": p.arcname, "sha256": p.sha256, "size": p.size})
        manifest = {"case": case.number, "title": case.title, "township": case.township.name, "purpose": purpose,
                    "exported_at": timezone.localtime().isoformat(timespec="seconds"),
                    "exported_by": getattr(actor, "full_name", "") or getattr(actor, "username", ""),
                    "contents": listing, "files": files}
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        zf.writestr("SHA256SUMS", "".join(f"{f['sha256']}  {f['file']}\n" for f in files))
    out.seek(0)
    return f"{case.number}-卷宗（{purpose}）.zip", out


def score_sheet(f) -> bytes:
    """The file's 评查表 (一卷一表) on the office's layout: every reviewer's deductions by item with the
    problem found, the totals, the 合议 if any, and the final score and grade."""
    from fazhi.core.documents import OfficialDocument

    rnd = f.round
    doc = OfficialDocument(title=f"案卷评查表（{f.label}）", author=rnd.county.name)
    doc.title(f"{rnd.county.name}司法局")
    doc.title("行政执法案卷评查表")
    doc.blank()
    doc.fields([("评查名称", rnd.title), ("评查标准", rnd.standard.name), ("被评查单位", f.township.name),
                ("案卷", f"{f.label} {f.case.title}"), ("案卷类别", f.kind_label),
                ("最终得分", "—" if f.final_score is None else f"{f.final_score}分"),
                ("等次", f.get_grade_display() or "—")])
    items = list(rnd.standard.items.all())
    for sheet in f.sheets.select_related("reviewer").prefetch_related("scores"):
        by_item = {sc.item_id: sc for sc in sheet.scores.all()}
        reviewer = sheet.reviewer.full_name or sheet.reviewer.username
        doc.heading(f"评查人：{reviewer}（得分{sheet.total}分{'，触及否决项' if sheet.veto_hit else ''}）")
        rows = []
        for i in items:
            sc = by_item.get(i.pk)
            lost = "否决" if sc and sc.failed else (f"{sc.deducted}" if sc and sc.deducted else "0")
            rows.append((i.get_section_display(), i.text, f"{i.points}", lost, sc.comment if sc else ""))
        doc.table(["评查项目", "评查内容", "分值", "扣分", "问题说明"], rows)
        if sheet.opinion:
            doc.para(f"评查意见：{sheet.opinion}")
    if f.resolution:
        doc.heading("两评差异合议")
        doc.para(f.resolution)
    doc.signature(f"{rnd.county.name}司法局", rnd.finished_on, seal=False)
    return doc.to_bytes()


def verify_casefile(fileobj) -> list[str]:
    """Problems found in an exported case file (empty: every file present and matching its SHA-256)."""
    problems = []
    try:
        zf = zipfile.ZipFile(fileobj)
    except zipfile.BadZipFile:
        return ["不是有效的卷宗压缩包。"]
    with zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except (KeyError, ValueError):
            return ["卷宗缺少清单文件 manifest.json 或清单已损坏。"]
        names = set(zf.namelist())
        for f in manifest.get("files", []):
            if f["file"] not in names:
                problems.append(f"缺少文件：{f['file']}")
                continue
            h = hashlib.sha256()
            with zf.open(f["file"]) as src:
                while chunk := src.read(1 << 20):
                    h.update(chunk)
            if h.hexdigest() != f["sha256"]:
                problems.append(f"文件已被改动：{f['file']}")
        listed = {f["file"] for f in manifest.get("files", [])} | {"manifest.json", "SHA256SUMS"}
        problems += [f"清单之外的文件：{n}" for n in sorted(names - listed)]
    return problems
