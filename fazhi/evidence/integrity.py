"""Re-hash stored evidence (the `evidence_verify` command and the verification shown in exports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone

from fazhi.evidence.models import Blob, EvidenceFile
from fazhi.evidence.storage import hash_file, open_stored


@dataclass
class VerifyReport:
    checked: int = 0
    ok: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def verify_all(*, township_code: str | None = None, progress=None) -> VerifyReport:
    report = VerifyReport()
    blobs = Blob.objects.select_related("township").order_by("pk")
    if township_code:
        blobs = blobs.filter(township__code=township_code)
    known = set()
    for blob in blobs.iterator(chunk_size=200):
        known.add(blob.storage_name)
        report.checked += 1
        label = f"{blob.township.name} {blob.storage_name}"
        try:
            digest, size = hash_file(open_stored(blob.storage_name))
        except (FileNotFoundError, OSError) as e:
            report.problems.append(f"缺失：{label}（{e.__class__.__name__}）")
            continue
        report.bytes += size
        if digest != blob.sha256 or size != blob.size:
            report.problems.append(f"不一致：{label} 登记 {blob.sha256}/{blob.size} 实际 {digest}/{size}")
            continue
        report.ok += 1
        Blob.objects.filter(pk=blob.pk).update(verified_at=timezone.now())
        if progress:
            progress(f"一致 {blob.sha256} {label}")
    for ev in EvidenceFile.objects.filter(blob__isnull=False).exclude(blob__sha256=F("sha256")):
        report.problems.append(f"登记不一致：证据 #{ev.pk} 的哈希与存储内容不同")
    if not township_code:
        report.warnings += [f"存储中有未登记的文件（中断的入库留下）：{n}" for n in _stored_names() - known]
    return report


def _stored_names() -> set[str]:
    """Every file under evidence/ in storage (local disk or any backend with listdir)."""
    out: set[str] = set()

    def walk(prefix: str):
        try:
            dirs, files = default_storage.listdir(prefix)
        except (FileNotFoundError, NotImplementedError, OSError):
            return
        out.update(f"{prefix}/{f}" for f in files)
        for d in dirs:
            walk(f"{prefix}/{d}")

    walk("evidence")
    return out


