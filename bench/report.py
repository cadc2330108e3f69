#!/usr/bin/env python3
"""Benchmark (not a test): does building a township's annual report stay flat as the county grows?

Two databases, each in its own temporary FAZHI_DATA_DIR (SQLite, the embedded default):

  demo    the demo only (犁头瑶族乡 and 汇源瑶族乡, 2024)
  county  the demo plus a generated county: 30 townships × 10 years (2015–2024) of every module's
          records, cloned from 犁头瑶族乡's demo rows in the demo's own proportions (dates shifted to
          the target year, foreign keys remapped, unique values suffixed), ≥ 1 million rows in all.
          犁头瑶族乡 2024 itself is left exactly as in the demo, so both reports state the same figures.

In each database it times building 犁头瑶族乡's 2024 report (the modules' annual_stats through
fazhi.reports.sources, and the report text) and, in the county database, the county roll-up, with the
number of queries each took (django.test.utils.CaptureQueriesContext). The generator introspects
whatever module models exist, so it runs while modules are still landing.

    .venv/bin/python bench/report.py                 # ≥ 1,000,000 generated rows
    .venv/bin/python bench/report.py --rows 200000   # quicker

Last line: ratio=<county-scale township report time ÷ demo-only time> queries=<county>/<demo>.
Target: ratio ≤ 1.5 and the same number of queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE_APPS = ["organization", "education", "decisions", "disclosure", "enforcement", "evidence", "mediation"]
YEARS = list(range(2015, 2025))
DEMO_YEAR = 2024
TOWNSHIPS = 30
VILLAGES_PER_TOWNSHIP = 8


# --------------------------------------------------------------------------------------------------
# child process: one database
# --------------------------------------------------------------------------------------------------

def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    os.environ.setdefault("FAZHI_SECRET_KEY", "bench-" + os.urandom(16).hex())  # FAZHI_DEBUG=0 refuses the dev key
    import django

    django.setup()


def load_demo() -> dict[str, str]:
    from django.core.management import call_command
    from django.db import transaction

    from fazhi.core.demo import app_loaders, ensure_regions, ensure_users

    call_command("migrate", verbosity=0, interactive=False)
    failed = {}
    with transaction.atomic():
        ctx = ensure_users(ensure_regions())
        for app, load in app_loaders():
            try:
                with transaction.atomic():
                    load(ctx)
            except Exception as e:  # a module still being written: report it, bench the rest
                failed[app] = repr(e)[:160]
    return failed


def _shift(value, years: int):
    if years == 0 or value is None:
        return value
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _plan_models(litou):
    """Models to clone, parents first: every TownshipOwned model of the module apps (templates: its
    犁头瑶族乡 rows) and every model hanging off one of them by a required FK (transitions, lines, M2M)."""
    from django.apps import apps

    from fazhi.core.models import TownshipOwned

    owned, dependent = [], []
    for label in MODULE_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models(include_auto_created=True):
            if model._meta.proxy or model._meta.parents:
                continue
            (owned if issubclass(model, TownshipOwned) else dependent).append(model)
    planned = set(owned)
    changed = True
    while changed:  # dependents of dependents (e.g. a line of a transition of a case)
        changed = False
        for model in dependent:
            if model in planned:
                continue
            if any(f.many_to_one and not f.null and f.related_model in planned for f in model._meta.concrete_fields):
                planned.add(model)
                changed = True
    # parents first (FKs between planned models); cycles are broken by keeping the original pk
    order, seen = [], set()

    def visit(model, stack=()):
        if model in seen or model in stack:
            return
        for f in model._meta.concrete_fields:
            if f.many_to_one and f.related_model in planned and f.related_model is not model:
                visit(f.related_model, (*stack, model))
        seen.add(model)
        order.append(model)

    for model in sorted(planned, key=lambda m: m._meta.label):
        visit(model)
    return order


def _templates(model, litou, template_pks):
    from fazhi.core.models import TownshipOwned

    if issubclass(model, TownshipOwned):
        return list(model.objects.filter(township=litou).order_by("pk"))
    for f in model._meta.concrete_fields:
        if f.many_to_one and not f.null and f.related_model in template_pks:
            return list(model.objects.filter(**{f"{f.attname}__in": list(template_pks[f.related_model])})
                        .order_by("pk"))
    return []


# Rosters and settings: one set per township, not one per year (the officers of 2019 are not added to
# those of 2024). Cloned once into each generated township; 犁头瑶族乡 keeps its own.
ROSTERS = {"enforcement.Officer", "enforcement.EnforcementBody", "enforcement.Power", "enforcement.DiscretionBand",
           "education.Official", "education.Venue", "mediation.Committee", "decisions.LegalCounsel",
           "decisions.DecisionSettings", "decisions.DecisionCatalogue", "organization.DutyList",
           "organization.DutyObligation", "organization.LeadingGroup", "organization.GroupMember",
           "disclosure.DisclosureSettings", "enforcement.EnforcementSettings"}
AUTO_TIMESTAMPS = {"created_at", "updated_at"}


def _dated(model) -> bool:
    """Does a row of this model belong to a year (an event, a case, a plan), or to the township for good?"""
    if model._meta.label in ROSTERS:
        return False
    for f in model._meta.concrete_fields:
        if f.name in AUTO_TIMESTAMPS:
            continue
        if f.get_internal_type() in ("DateField", "DateTimeField") or f.name == "year" or f.name.endswith("_year"):
            return True
    return False


def _anchor(model, planned):
    """The required FK through which a dependent row (transition, line, M2M row) hangs off a cloned row."""
    from fazhi.core.models import TownshipOwned

    if issubclass(model, TownshipOwned):
        return None
    return next((f for f in model._meta.concrete_fields
                 if f.many_to_one and not f.null and f.related_model in planned), None)


def _unique_multi(model) -> bool:
    from django.db.models import UniqueConstraint

    meta = model._meta
    return bool(meta.unique_together) or any(isinstance(c, UniqueConstraint) for c in meta.constraints)


def generate(target_rows: int) -> dict:
    """Clone 犁头瑶族乡's demo rows over 30 townships × 10 years until ≥ target_rows are generated."""
    from django.db import connection, transaction

    from fazhi.core.models import Region, RegionLevel

    litou = Region.objects.get(code="431127201000")
    county = litou.parent
    # 28 more townships with villages (codes 431127203000…)
    towns = list(Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by("code"))
    n = 3
    while len(towns) < TOWNSHIPS:
        code = f"431127{200 + n:03d}000"
        t, _ = Region.objects.get_or_create(code=code, defaults={
            "name": f"第{n}乡", "level": RegionLevel.TOWNSHIP, "parent": county, "path": f"{county.path}{code}/",
            "population": 3000 + n * 97, "area_km2": 30 + n})
        for v in range(1, VILLAGES_PER_TOWNSHIP + 1):
            vc = f"{code[:9]}2{v:02d}"
            Region.objects.get_or_create(code=vc, defaults={
                "name": f"第{n}乡{v}村", "level": RegionLevel.VILLAGE, "parent": t, "path": f"{t.path}{vc}/"})
        towns.append(t)
        n += 1
    villages = {t.pk: list(Region.objects.filter(parent=t, level=RegionLevel.VILLAGE).order_by("code"))
                for t in towns}
    litou_villages = {v.pk: i for i, v in enumerate(villages[litou.pk])}

    order = _plan_models(litou)
    template_pks: dict = {}
    templates: dict = {}
    for model in order:
        rows = _templates(model, litou, template_pks)
        if rows:
            templates[model] = rows
            template_pks[model] = {r.pk for r in rows}
    anchors = {m: _anchor(m, set(templates)) for m in templates}
    dated = {m: _dated(m) for m in templates}
    per_slot = sum(len(v) for v in templates.values())
    # the demo year first in each township: its rosters (officers, committees…) exist before the other years
    years = [DEMO_YEAR, *(y for y in YEARS if y != DEMO_YEAR)]
    slots = [(t, y) for t in towns for y in years if not (t.pk == litou.pk and y == DEMO_YEAR)]
    if per_slot == 0:
        return {"rows": 0, "models": {}, "factor": 0, "note": "no module rows in the demo yet"}
    per_year = sum(len(v) for m, v in templates.items() if dated[m] and not _unique_multi(m))
    fixed = sum(len(v) for m, v in templates.items() if not (dated[m] and not _unique_multi(m)))
    # 25 % margin: rows whose parent is a once-only clone (unique per township-year) follow it only once
    factor = max(1, math.ceil(1.25 * (target_rows - fixed * len(slots)) / (per_year * len(slots)))) if per_year else 1

    with connection.cursor() as c:
        c.execute("PRAGMA foreign_keys=OFF")  # bench only: a clone dropped by a unique conflict leaves no error
    counts: dict[str, int] = {}
    serial = 0
    next_pk = {m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1 for m in templates}
    new_pk: dict = {}  # (model, old pk, slot index, k) -> new pk
    roster_pk: dict = {}  # (model, old pk, township pk) -> the township's clone of a roster row
    t0 = time.monotonic()
    for si, (town, year) in enumerate(slots):
        delta = year - DEMO_YEAR
        new_pk.clear()  # foreign keys are remapped within one township-year
        with transaction.atomic():
            for model, rows in templates.items():
                anchor = anchors[model]
                if anchor is None:  # a township's own record
                    if not dated[model] and (town.pk == litou.pk or year != DEMO_YEAR):
                        continue  # rosters: once per generated township
                f_model = 1 if _unique_multi(model) or not dated[model] else factor
                objs = []
                for k in range(f_model):
                    for row in rows:
                        if anchor is not None:
                            parent = getattr(row, anchor.attname)
                            if (anchor.related_model, parent, si, k) not in new_pk \
                                    and (anchor.related_model, parent, si, 0) not in new_pk:
                                continue  # its parent was not cloned into this township-year
                        values = {}
                        skip = False
                        for f in model._meta.concrete_fields:
                            v = getattr(row, f.attname)
                            if f.primary_key:
                                v = next_pk[model]
                                next_pk[model] += 1
                                new_pk[(model, row.pk, si, k)] = v
                            elif f.name == "township":
                                v = town.pk
                            elif f.many_to_one and f.related_model is Region and v is not None:
                                if v == litou.pk:
                                    v = town.pk
                                elif v in litou_villages:
                                    vs = villages[town.pk]
                                    v = vs[litou_villages[v] % len(vs)].pk if vs else v
                            elif f.many_to_one and f.related_model in templates and v is not None:
                                kk = k if (f.related_model, v, si, k) in new_pk else 0
                                mapped = new_pk.get((f.related_model, v, si, kk))
                                if mapped is None and not dated[f.related_model] and town.pk != litou.pk:
                                    mapped = roster_pk.get((f.related_model, v, town.pk))
                                if mapped is None and v in template_pks[f.related_model]:
                                    if not f.null:
                                        skip = True  # its parent is not in this township-year
                                        break
                                    mapped = None
                                v = mapped if mapped is not None or v in template_pks[f.related_model] else v
                            elif f.get_internal_type() in ("DateField", "DateTimeField"):
                                v = _shift(v, delta)
                            elif f.name == "year" or f.name.endswith("_year"):
                                v = v + delta if isinstance(v, int) else v
                            elif f.unique and isinstance(v, str):
                                serial += 1
                                suffix = f"~{serial:x}"
                                v = v[: max(0, (f.max_length or 255) - len(suffix))] + suffix
                            values[f.attname] = v
                        if skip:
                            new_pk.pop((model, row.pk, si, k), None)
                            continue
                        if not dated[model]:
                            roster_pk[(model, row.pk, town.pk)] = values[model._meta.pk.attname]
                        objs.append(model(**values))
                model.objects.bulk_create(objs, batch_size=1000, ignore_conflicts=True)
        if si % 30 == 0:
            print(f"  generated {si + 1}/{len(slots)} township-years ({time.monotonic() - t0:.0f}s)", flush=True)
    with connection.cursor() as c:
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("ANALYZE")
    for model in templates:
        counts[model._meta.label] = model.objects.count()
    return {"rows": sum(counts.values()), "models": counts, "factor": factor, "templates_per_township_year": per_slot,
            "seconds": round(time.monotonic() - t0, 1)}


def use_db(path: str) -> None:
    """Point the default connection at another SQLite file (both databases measured in one process)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = path


def measure_interleaved(fns: dict, repeat: int) -> dict:
    """{name: (db path, fn)} -> {name: (median seconds, queries)}; runs alternate between the databases
    so that a noisy neighbour slows both equally."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times: dict = {k: [] for k in fns}
    queries: dict = {}
    for i in range(repeat + 1):
        for name, (path, fn) in fns.items():
            use_db(path)
            fn()  # warm-up after switching (connection set-up, SQLite page cache)
            if i == 0:
                with CaptureQueriesContext(connection) as ctx:
                    fn()
                queries[name] = len(ctx.captured_queries)
                continue
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: (statistics.median(times[k]), queries[k]) for k in fns}


def child_build(phase: str, rows: int) -> None:
    setup_django()
    from fazhi.core.models import Region
    from fazhi.reports import selectors

    t0 = time.monotonic()
    failed = load_demo()
    print(f"  [{phase}] migrated and loaded the demo in {time.monotonic() - t0:.0f}s", flush=True)
    for app, err in failed.items():
        print(f"  [{phase}] demo of {app} did not load: {err}", flush=True)
    result: dict = {"phase": phase, "demo_failed": sorted(failed)}
    if phase == "county":
        result["generated"] = generate(rows)
    litou = Region.objects.get(code="431127201000")
    report = selectors.township_report(litou, DEMO_YEAR)
    result["title"] = report.title
    result["notes"] = report.notes
    result["fingerprint"] = {k: f.text for k, f in report.figures.items()}
    result["townships"] = selectors.county_townships(litou.parent).count()
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)


def child_measure(demo_db: str, county_db: str, repeat: int) -> None:
    setup_django()
    from fazhi.core.models import Region
    from fazhi.reports import selectors, sources

    use_db(demo_db)
    litou = Region.objects.get(code="431127201000")
    county = litou.parent
    fns = {"demo": (demo_db, lambda: selectors.township_report(litou, DEMO_YEAR)),
           "county": (county_db, lambda: selectors.township_report(litou, DEMO_YEAR))}
    for m in sources.MODULES:
        if sources.stats_function(m) is not None:
            fns[f"demo:{m.key}"] = (demo_db, lambda m=m: sources.fetch(m, litou, DEMO_YEAR))
            fns[f"county:{m.key}"] = (county_db, lambda m=m: sources.fetch(m, litou, DEMO_YEAR))
    result = measure_interleaved(fns, repeat)
    result.update(measure_interleaved({"rollup": (county_db, lambda: selectors.county_report(county, DEMO_YEAR))},
                                      max(1, repeat // 3)))
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)


# --------------------------------------------------------------------------------------------------
# parent: run both phases, compare
# --------------------------------------------------------------------------------------------------

def run_child(args: list[str], data_dir: str) -> dict:
    env = {**os.environ, "FAZHI_DATA_DIR": data_dir,
           "FAZHI_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    proc = subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    result = None
    for line in proc.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
        else:
            print(line, end="", flush=True)
    if proc.wait() != 0 or result is None:
        raise SystemExit(f"{args} failed")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to generate at least (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per measurement (median)")
    parser.add_argument("--phase", choices=["demo", "county", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--demo-db", help=argparse.SUPPRESS)
    parser.add_argument("--county-db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "measure":
        child_measure(args.demo_db, args.county_db, args.repeat)
        return
    if args.phase:
        child_build(args.phase, args.rows)
        return
    print(f"bench/report.py — {dt.datetime.now():%Y-%m-%d %H:%M}")
    dirs = {p: tempfile.mkdtemp(prefix=f"fazhi-bench-{p}-") for p in ("demo", "county")}
    try:
        demo = run_child(["--phase", "demo"], dirs["demo"])
        county = run_child(["--phase", "county", "--rows", str(args.rows)], dirs["county"])
        dbs = {p: str(Path(d) / "fazhi.sqlite3") for p, d in dirs.items()}
        sizes = {p: round(Path(db).stat().st_size / 1e6, 1) for p, db in dbs.items()}
        print("  measuring both databases, runs interleaved…", flush=True)
        m = run_child(["--phase", "measure", "--demo-db", dbs["demo"], "--county-db", dbs["county"],
                       "--repeat", str(args.repeat)], dirs["county"])
    finally:
        for d in dirs.values():
            shutil.rmtree(d, ignore_errors=True)
    gen = county.get("generated", {})
    print()
    print(f"generated: {gen.get('rows', 0):,} module rows ({gen.get('factor')} clones of each dated demo row per "
          f"township-year, {county.get('townships')} townships × {len(YEARS)} years) in {gen.get('seconds')}s; "
          f"db {sizes['county']} MB vs demo {sizes['demo']} MB")
    for label, n in sorted(gen.get("models", {}).items(), key=lambda kv: -kv[1]):
        print(f"  {label:45s} {n:>10,}")
    if demo["notes"]:
        print("modules not connected: " + "；".join(demo["notes"]))
    diff = {k: (demo["fingerprint"].get(k), v) for k, v in county["fingerprint"].items()
            if demo["fingerprint"].get(k) != v}
    print(f"same figures in both databases: {'yes' if not diff else 'no'}")
    if diff:
        print("  (expected: the demo's still-open records are cloned into past years and stay open, so the year's\n"
              "   statistics rightly count them as carried over or overdue — e.g. information requests never answered;\n"
              "   likewise a cloned December record may be decided in the next January)")
        print(f"  differing figures (demo → county): {diff}")
    (t_demo, q_demo), (t_county, q_county), (t_roll, q_roll) = m["demo"], m["county"], m["rollup"]
    print(f"township report, demo-only db : {t_demo * 1000:8.1f} ms  {q_demo:4d} queries")
    print(f"township report, county db    : {t_county * 1000:8.1f} ms  {q_county:4d} queries")
    print(f"county roll-up ({county.get('townships')} townships) : {t_roll * 1000:8.1f} ms  {q_roll:4d} queries")
    print("per module (annual_stats of 犁头瑶族乡 2024): demo-only → county db")
    for key in [k.split(":", 1)[1] for k in m if k.startswith("demo:")]:
        (td, qd), (tc, qc) = m[f"demo:{key}"], m[f"county:{key}"]
        print(f"  {key:13s} {td * 1000:7.1f} ms {qd:3d} q → {tc * 1000:7.1f} ms {qc:3d} q  (×{tc / td if td else 0:.2f})")
    ratio = t_county / t_demo if t_demo else float("nan")
    verdict = "OK" if ratio <= 1.5 and q_county == q_demo else "ABOVE TARGET"
    print(f"target: ratio ≤ 1.5 with the same query count — {verdict}")
    print(f"ratio={ratio:.2f} queries={q_county}/{q_demo}")


if __name__ == "__main__":
    main()
