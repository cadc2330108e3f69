"""Retention of technical leftovers (issue 19): idempotency records of API writes, finished background exports
and stored import files are kept for a while and then removed — rows through their own apps' selectors, files
through the storage API (local disk or S3 alike). `fazhi purge_expired` runs it; run it daily from cron, beside
`fazhi evidence_retention` (evidence has its own statutory retention, not this one).

Settings (settings.py or the environment): FAZHI_API_IDEMPOTENCY_HOURS (168: a field app that was offline for
days still retries safely), FAZHI_IMPORT_FILES_HOURS (168); exports are downloadable for core.exports.KEEP (24 h).
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone


def _hours(name: str, default: int) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return max(1, int(value))


def idempotency_hours() -> int:
    return _hours("FAZHI_API_IDEMPOTENCY_HOURS", 168)


def import_files_hours() -> int:
    return _hours("FAZHI_IMPORT_FILES_HOURS", 168)


def idempotency_cutoff(now=None) -> dt.datetime:
    """Idempotency records created before this have expired: a retry after it is a new request."""
    return (now or timezone.now()) - dt.timedelta(hours=idempotency_hours())


def purge_expired(*, now=None, dry_run: bool = False) -> dict[str, int]:
    """Remove what has outlived its retention; returns how many of each (only counts them when `dry_run`)."""
    from fazhi.api.services import idempotent_expired
    from fazhi.core.exports import exports_expired, exports_sweep
    from fazhi.imports.jobs import expired_files

    now = now or timezone.now()
    requests = idempotent_expired(now=now)
    files = expired_files(cutoff=now - dt.timedelta(hours=import_files_hours()))
    if dry_run:
        return {"idempotency": requests.count(), "exports": exports_expired(now).count(), "import_files": len(files)}
    with transaction.atomic():
        deleted, _ = requests.delete()
    exports = exports_sweep(now)
    for name in files:
        default_storage.delete(name)
    return {"idempotency": deleted, "exports": exports, "import_files": len(files)}
