"""The annual report as a .docx in the office layout (the document kit, `fazhi.core.documents`, which
also makes the PDF when LibreOffice is installed)."""

from __future__ import annotations

from fazhi.core.documents import H1, OfficialDocument
from fazhi.reports.content import Report


def render_docx(report: Report) -> bytes:
    doc = OfficialDocument(title=report.title, author=report.name)
    signed = []
    for kind, text in report.paragraphs():
        if kind == "title":
            doc.title(text)
            doc.blank()  # title and body separated by one blank line
        elif kind == "h1" or (kind == "para" and H1.match(text) and len(text) < 30):
            doc.heading(text)
        elif kind == "sign":
            signed.append(text)
        else:
            doc.para(text)
    doc.sign_lines(signed)
    _audit_appendix(doc)
    return doc.to_bytes()


def audit_appendix_lines() -> list[str]:
    """附：审计日志签名根 — the lines `fazhi audit_verify --against` reads back from a copy of this appendix."""
    from fazhi.audit.selectors import signed_root

    root = signed_root()
    if root is None:
        return []
    return [f"条目数：{root['tree_size']}", f"根哈希：{root['root_hash']}", f"签名：{root['signature']}",
            f"公钥指纹：{root['key_fingerprint']}",
            f"签名时间：{root['created_at'].astimezone().strftime('%Y-%m-%d %H:%M')}。本平台操作审计日志的默克尔树根"
            "（RFC 6962）及其 Ed25519 签名；可将本附录存为文本，用 fazhi audit_verify --against 核验日志未被改写。"]


def _audit_appendix(doc: OfficialDocument) -> None:
    lines = audit_appendix_lines()
    if not lines:
        return
    doc.blank()
    doc.line("附：审计日志签名根")
    for line in lines:
        doc.line(line)


