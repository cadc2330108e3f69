"""Worker memory for a large ledger export: RSS before and after exporting N audit entries (default
100,000) through the real view, in one process. Usage:
    FAZHI_DATA_DIR=/tmp/fazhi-bench .venv/bin/python bench/export_rss.py [rows]
Last line: export_rows=N export_seconds=S export_rss_growth_mb=M export_peak_growth_mb=P"""

import os
import resource
import sys
import time


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    # the inline (streaming) path in this process; bench/scale.py measures the background task's worker
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 10**9
    call_command("migrate", verbosity=0)
    from fazhi.audit.models import AuditEntry
    from fazhi.core.demo import ensure_regions, ensure_users

    ctx = ensure_users(ensure_regions())
    have = AuditEntry.objects.filter(township=ctx.litou).count()
    if have < rows:
        start = (AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
        now = timezone.now()
        batch = []
        for i in range(rows - have):
            batch.append(AuditEntry(seq=start + i, created_at=now, actor_name="基准", action="update",
                                    object_type="mediation.dispute", object_id=str(i), object_repr=f"纠纷{i}",
                                    township_id=ctx.litou.pk, changes={"status": ["a", "b"]},
                                    reason=f"基准数据第{i}条", prev_hash="0" * 64, entry_hash="0" * 64))
            if len(batch) == 5000:
                AuditEntry.objects.bulk_create(batch)
                batch = []
        AuditEntry.objects.bulk_create(batch)
    c = Client()
    c.force_login(ctx.user("litou_legal_staff"))
    c.get("/audit/")  # warm up imports and templates
    import gc

    gc.collect()
    before, peak_before = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    r = c.get("/audit/", {"export": "xlsx"})
    size = sum(len(b) for b in (r.streaming_content if r.streaming else [r.content]))
    seconds = time.perf_counter() - t
    gc.collect()
    after, peak_after = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"status={r.status_code} streaming={r.streaming} bytes={size} rss_before={before:.0f}MB "
          f"rss_after={after:.0f}MB peak_before={peak_before:.0f}MB peak_after={peak_after:.0f}MB")
    print(f"export_rows={AuditEntry.objects.filter(township=ctx.litou).count()} export_seconds={seconds:.1f} "
          f"export_rss_growth_mb={after - before:.1f} export_peak_growth_mb={peak_after - peak_before:.1f}")


if __name__ == "__main__":
    main()
