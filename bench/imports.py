#!/usr/bin/env python3
"""Benchmark (not a test): importing a large dispute ledger (issue 19: ≥ 20,000 rows within a minute).

In a temporary FAZHI_DATA_DIR (SQLite, the embedded default): migrate, load the demo, write an .xlsx of
N dispute rows (3 parties each, the 其他当事人 cell included), then time `imports.engine.run` for 犁头瑶族乡
as litou_mediator: the read, the validation of every row, and the creation through the service.

    .venv/bin/python bench/imports.py                # 20,000 rows
    .venv/bin/python bench/imports.py --rows 2000 --profile

Progress every 1,000 rows (wall and CPU seconds: the machine is shared, CPU time is what the import costs).
Last line: rows=<N> read_s=… validate_s=… write_s=… total_s=… cpu_s=… rows_per_s=…
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="fazhi-bench-imports-")
    os.environ["FAZHI_DATA_DIR"] = tmp
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-" + os.urandom(16).hex())
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    try:
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args):
    from django.core.management import call_command
    from openpyxl import Workbook

    from fazhi.accounts.models import User
    from fazhi.core.demo import load_all
    from fazhi.core.models import Region
    from fazhi.imports import engine
    from fazhi.imports.engine import phases
    from fazhi.imports.ledgers import LEDGERS

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_all()
    print(f"setup {time.perf_counter() - t:.1f}s", flush=True)
    spec = LEDGERS["disputes"]
    actor = User.objects.get(username="litou_mediator")
    town = Region.objects.get(name="犁头瑶族乡")
    villages = list(Region.objects.filter(parent=town).values_list("name", flat=True))
    cols = engine.columns(spec, actor, town)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([engine.header_of(f) for _n, f in cols])
    for i in range(args.rows):
        row = {"received_on": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", "village": villages[i % len(villages)],
               "dispute_type": "邻里", "source": "当事人申请", "summary": f"第{i}号：两户因排水沟发生争执。",
               "party1_name": f"甲{i}", "party1_phone": "13800000000", "party2_name": f"乙{i}",
               "other_parties": f"丙{i}//13900000000/被申请人", "risk_level": "一般"}
        ws.append([row.get(n) for n, _f in cols])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    print(f"file {len(data) / 1e6:.1f} MB", flush=True)
    prof = None
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    import resource

    def cpu():
        return resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_SELF).ru_stime

    t0, c0 = time.perf_counter(), cpu()

    def progress(done, total, phase):
        if done % 1000 == 0:
            print(f"  {phase} {done}/{total} wall={time.perf_counter() - t0:.0f}s cpu={cpu() - c0:.0f}s", flush=True)

    result = engine.run(spec=spec, actor=actor, township=town, data=data, filename="big.xlsx", progress=progress)
    total = time.perf_counter() - t0
    cpu_total = cpu() - c0
    if prof:
        import pstats

        prof.disable()
        prof.dump_stats(os.environ.get("FAZHI_BENCH_PROFILE", f"/tmp/fazhi-bench-imports-{args.rows}.prof"))
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    assert result.ok, result.errors[:5]
    p = phases(result)
    print(f"rows={args.rows} read_s={p['read']:.1f} validate_s={p['validate']:.1f} write_s={p['write']:.1f} "
          f"total_s={total:.1f} cpu_s={cpu_total:.1f} rows_per_s={args.rows / total:.0f}")


if __name__ == "__main__":
    main()
