"""Evidence settings, each overridable in settings.py or the environment (no literals in services)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

GIB = 1024**3


def _setting(name: str, default):
    if hasattr(settings, name):
        return getattr(settings, name)
    value = os.environ.get(name)
    if value is None:
        return default
    return type(default)(value) if not isinstance(default, bool) else value.lower() in {"1", "true", "yes", "on"}


def max_bytes() -> int:
    """Largest file accepted (body cameras split at ~4 GB; a whole day from a dock may be larger)."""
    return int(_setting("FAZHI_EVIDENCE_MAX_BYTES", 20 * GIB))


def fsync_chunks() -> bool:
    """fsync each received chunk before acknowledging its offset, so a power cut never acknowledges lost bytes."""
    return bool(_setting("FAZHI_EVIDENCE_FSYNC", True))


def durable_slice_bytes() -> int:
    """A PATCH body is fsync'ed and its offset recorded every this many bytes (a killed worker loses less)."""
    return max(1, int(_setting("FAZHI_EVIDENCE_DURABLE_SLICE_BYTES", 8 * 1024 * 1024)))


def upload_expiry_hours() -> int:
    return int(_setting("FAZHI_EVIDENCE_UPLOAD_EXPIRY_HOURS", 72))


def access_grant_minutes() -> int:
    """How long a stated purpose opens playback/download (one custody entry per session, not per seek)."""
    return int(_setting("FAZHI_EVIDENCE_ACCESS_MINUTES", 240))


def temp_dir() -> Path:
    """Partial uploads live next to the storage folder (same file system: finishing is a rename)."""
    base = Path(getattr(settings, "DATA_DIR", settings.MEDIA_ROOT))
    path = Path(_setting("FAZHI_EVIDENCE_TMP_DIR", str(base / "tmp" / "evidence")))
    path.mkdir(parents=True, exist_ok=True)
    return path


# Default retention (years after the recording; None = permanently). Overridden per stage by the
# RetentionRule catalogue (admin page) or settings.FAZHI_EVIDENCE_RETENTION_YEARS.
DEFAULT_RETENTION_YEARS = {
    "patrol": (2, "未立案的巡查记录：保存至处罚时效（行政处罚法第三十六条，二年）届满"),
    "filing": (30, "行政执法案卷（定期30年）"),
    "investigation": (30, "行政执法案卷（定期30年）"),
    "review": (30, "行政执法案卷（定期30年）"),
    "decision": (30, "行政执法案卷（定期30年）"),
    "service": (30, "行政执法案卷（定期30年）"),
    "coercion": (30, "行政执法案卷（定期30年）"),
    "execution": (30, "行政执法案卷（定期30年）"),
    "hearing": (30, "行政执法案卷（定期30年）"),
    "other": (10, "其他执法记录（定期10年）"),
}


def retention_defaults() -> dict:
    override = getattr(settings, "FAZHI_EVIDENCE_RETENTION_YEARS", None) or {}
    out = dict(DEFAULT_RETENTION_YEARS)
    for stage, years in override.items():
        out[stage] = (years, "系统配置")
    return out
