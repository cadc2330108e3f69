"""Export for review or court: a zip streamed in constant memory (files of any size, ZIP64, stored
uncompressed — recordings do not compress), with manifest.json, SHA256SUMS, the custody log and a
verification note written after the files were re-hashed on the way out."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.evidence.models import EvidenceFile
from fazhi.evidence.services import ACTION_LABELS, evidence_access
from fazhi.evidence.storage import CHUNK, open_stored, safe_filename


class _Sink:
    """A write-only, unseekable file that zipfile writes into and the response drains."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def manifest_item(ev: EvidenceFile, arcname: str | None) -> dict:
    return {
        "file": arcname, "sha256": ev.sha256, "size": ev.size, "content_type": ev.content_type,
        "original_name": ev.original_name, "township": ev.township.name,
        "subject": {"type": ev.subject_type, "id": ev.subject_id, "name": ev.subject_repr} if ev.subject_type else None,
        "stage": ev.get_stage_display(), "device": ev.device,
        "officers": [u.display_name for u in ev.officers.all()],
        "started_at": _local(ev.started_at), "ended_at": _local(ev.ended_at), "place": ev.place,
        "description": ev.description, "uploaded_by": ev.uploaded_by.display_name if ev.uploaded_by else "",
        "uploaded_at": _local(ev.created_at), "retain_until": ev.retain_until.isoformat() if ev.retain_until else "永久",
        "disposed_at": _local(ev.disposed_at), "disposal_basis": ev.disposal_basis,
    }


def custody_rows(evidences: list[EvidenceFile]) -> Iterable[AuditEntry]:
    ids = [str(e.pk) for e in evidences]
    return AuditEntry.objects.filter(object_type="evidence.evidencefile", object_id__in=ids).order_by("seq")


def evidence_export(*, actor, evidences: list[EvidenceFile], purpose: str) -> tuple[str, Iterator[bytes]]:
    """Record the export in each file's custody log, then return (zip name, byte stream)."""
    if not evidences:
        raise DomainError("请选择要导出的证据。")
    with transaction.atomic():
        for ev in evidences:
            evidence_access(actor=actor, evidence=ev, action="export", purpose=purpose)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    name = f"执法记录证据-{stamp}.zip"
    return name, _stream(actor, list(evidences), purpose)


def _stream(actor, evidences: list[EvidenceFile], purpose: str) -> Iterator[bytes]:
    sink = _Sink()
    zf = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
    items, sums, checks = [], [], []
    for index, ev in enumerate(evidences, start=1):
        arcname = None
        if ev.blob_id and not ev.is_disposed:
            arcname = f"files/{index:03d}_{safe_filename(ev.original_name)}"
            info = zipfile.ZipInfo(arcname, date_time=timezone.localtime(ev.created_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_STORED
            hasher = hashlib.sha256()
            with zf.open(info, "w", force_zip64=True) as out, open_stored(ev.blob.storage_name) as src:
                while True:
                    chunk = src.read(CHUNK)
                    if not chunk:
                        break
                    hasher.update(chunk)
                    out.write(chunk)
                    yield sink.drain()
            ok = hasher.hexdigest() == ev.sha256
            checks.append(f"{'一致' if ok else '不一致！'}  {arcname}  登记 {ev.sha256}  导出时 {hasher.hexdigest()}")
            sums.append(f"{ev.sha256}  {arcname}")
        items.append(manifest_item(ev, arcname))
    manifest = {
        "generated_at": _local(timezone.now()), "exported_by": getattr(actor, "display_name", str(actor)),
        "purpose": purpose, "hash_algorithm": "SHA-256", "items": items,
    }
    zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    zf.writestr("SHA256SUMS", "\n".join(sums) + "\n")
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["序号", "时间", "操作人", "操作", "用途/理由", "证据ID", "对象", "条目哈希", "前一条目哈希"])
    for e in custody_rows(evidences):
        writer.writerow([e.seq, _local(e.created_at), e.actor_name, ACTION_LABELS.get(e.action, e.action), e.reason,
                         e.object_id, e.object_repr, e.entry_hash, e.prev_hash])
    zf.writestr("custody.csv", "\ufeff" + buf.getvalue())  # BOM: opens correctly in Excel/WPS
    zf.writestr("VERIFY.txt", "导出时逐个重新计算 SHA-256 的结果：\n" + "\n".join(checks) + "\n\n"
                "自行核验：在解压目录执行 sha256sum -c SHA256SUMS（Windows：certutil -hashfile 文件 SHA256）。\n"
                "custody.csv 中的条目哈希可与本系统审计日志及其默克尔检查点核对。\n")
    zf.close()
    yield sink.drain()
