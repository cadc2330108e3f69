#!/usr/bin/env python3
"""Benchmark (not a test): is `audit_verify` linear in time and constant in memory?

In a temporary FAZHI_DATA_DIR (SQLite, the embedded default) it bulk-inserts a valid hash chain of N entries
(realistic bodies: actor, object, a small `changes` dict, a reason) with a signed checkpoint every 1,000 entries
(each with its consistency proof), then times the full verification (chain + every checkpoint's root, signature
and proof) in a fresh process and reads that process's peak RSS. It grows the same log to each size in turn.

    .venv/bin/python bench/audit_verify.py                    # 100,000 and 1,000,000 entries
    .venv/bin/python bench/audit_verify.py --sizes 20000,100000
    .venv/bin/python bench/audit_verify.py --sizes 200000     # one size: baseline at a tenth of it, same run
    .venv/bin/python bench/audit_verify.py --sizes 20000,200000 --rotate   # a key rotation after each size
    .venv/bin/python bench/audit_verify.py --data-dir /tmp/audit1m  # keep the generated log
    .venv/bin/python bench/audit_verify.py --verify-child /tmp/audit1m  # time verifying it again (JSON line)

--data-dir keeps the generated log (generation is 10-15 min for 1M entries on a busy machine), so the
verification can be timed again later, when the machine is quiet, without generating again.

The baseline is always measured in the same run (the smallest size; with one size given, a tenth of it is
measured first), so the ratio compares like with like on a shared machine.
Last line: ratio=<time per entry at the largest size ÷ at the baseline> (1.0 = linear), the same for CPU time
(cpu_ratio: wall time on a shared machine mostly measures the other tenants) and the peak RSS of each.
With --rotate the signing key is rotated (audit_rotate_key) after each size is grown, so the later checkpoints
are signed by a newer key and verification walks the keyring windows too.
Target: 1,000,000 entries verified in under 60 s, ratio ≈ 1, RSS flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: Path) -> None:
    os.environ["FAZHI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    # FAZHI_DEBUG=0 (no query log: DEBUG would keep every query in memory) refuses the development key
    os.environ.setdefault("FAZHI_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def grow(upto: int, every: int) -> None:
    """Append valid entries until the chain has `upto`, with a signed checkpoint every `every` entries."""
    from django.db import transaction

    from fazhi.audit.models import GENESIS, AuditEntry, AuditHead
    from fazhi.audit.services import checkpoint_create, compute_hash

    head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "entry_hash": GENESIS})
    seq, prev = head.seq, head.entry_hash
    start = dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)
    batch = []
    while seq < upto:
        seq += 1
        e = AuditEntry(seq=seq, created_at=start + dt.timedelta(seconds=seq), actor_id=seq % 97 + 1,
                       actor_name=f"执法队员{seq % 97}", action="update", object_type="enforcement.case",
                       object_id=str(seq // 7), object_repr=f"蓝山县犁头瑶族乡第{seq // 7}号案件",
                       township_id=None, changes={"status": ["investigating", "review"], "note": [None, f"第{seq}次"]},
                       reason="依法调查取证", prev_hash=prev)
        e.entry_hash = compute_hash(e)
        prev = e.entry_hash
        batch.append(e)
        if len(batch) == every or seq == upto:
            with transaction.atomic():
                AuditEntry.objects.bulk_create(batch, batch_size=1000)
                AuditHead.objects.filter(pk=1).update(seq=seq, entry_hash=prev)
            batch = []
            if seq % every == 0:
                checkpoint_create(seq)


def verify_child() -> None:
    from fazhi.audit.verify import verify_chain

    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    result = verify_chain()
    elapsed = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime
    print(json.dumps({"ok": result.ok, "checked": result.checked, "seconds": elapsed, "cpu": cpu,
                      "rss_mib": r1.ru_maxrss / 1024, "problem": result.problem}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--every", type=int, default=1000, help="checkpoint interval")
    parser.add_argument("--rotate", action="store_true", help="rotate the signing key after each size")
    parser.add_argument("--data-dir", help="generate into this (new) folder and keep it")
    parser.add_argument("--verify-child", metavar="DATA_DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.verify_child:
        _setup(Path(args.verify_child))
        verify_child()
        return
    keep = bool(args.data_dir)
    data_dir = Path(args.data_dir) if keep else Path(tempfile.mkdtemp(prefix="fazhi-bench-audit-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        _setup(data_dir)
        from django.core.management import call_command

        call_command("migrate", "audit", verbosity=0)
        results = []
        sizes = sorted(int(s) for s in args.sizes.split(","))
        if len(sizes) == 1:
            sizes.insert(0, max(sizes[0] // 10, args.every))  # the baseline, measured in this run
        for n in sizes:
            t0 = time.perf_counter()
            grow(n, args.every)
            if args.rotate:
                from fazhi.audit.services import audit_rotate_key

                audit_rotate_key()
            gen = time.perf_counter() - t0
            out = subprocess.run([sys.executable, __file__, "--verify-child", str(data_dir)], capture_output=True,
                                 text=True, check=True).stdout.strip().splitlines()[-1]
            r = json.loads(out)
            assert r["ok"] and r["checked"] == n, r
            r["n"] = n
            results.append(r)
            size_mib = (data_dir / "fazhi.sqlite3").stat().st_size / 2**20
            print(f"n={n:>9,}  generate {gen:7.1f} s  verify {r['seconds']:6.1f} s  "
                  f"({r['seconds'] / n * 1e6:5.1f} µs/entry)  cpu {r['cpu']:6.1f} s  peak RSS {r['rss_mib']:5.0f} MiB  db {size_mib:6.0f} MiB",
                  flush=True)
        first, last = results[0], results[-1]
        ratio = (last["seconds"] / last["n"]) / (first["seconds"] / first["n"])
        cpu_ratio = (last["cpu"] / last["n"]) / (first["cpu"] / first["n"])
        print(f"baseline n={first['n']} ({first['seconds'] / first['n'] * 1e6:.1f} µs/entry) vs n={last['n']} "
              f"({last['seconds'] / last['n'] * 1e6:.1f} µs/entry), same run")
        print(f"ratio={ratio:.2f} cpu_ratio={cpu_ratio:.2f} size_ratio={last['n'] / first['n']:.0f} time_ratio="
              f"{last['seconds'] / first['seconds']:.1f} rss_mib={first['rss_mib']:.0f}/{last['rss_mib']:.0f}")
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
