#!/usr/bin/env python3
"""Benchmark (not a test): a county at scale, served through gunicorn as scripts/serve.sh serves it.

    .venv/bin/python bench/scale.py                                   # 30 townships × 10 years, full size
    .venv/bin/python bench/scale.py --townships 30 --years 3 --scale 0.02 --levels 1,10   # a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<throw-away db> .venv/bin/python bench/scale.py

1. Generates into a new data dir (SQLite there, or the PostgreSQL database given — it is migrated and filled,
   use a throw-away one): the demo, then townships up to --townships, then clones of the demo's disputes, cases
   and information requests over every township × year (100,000 × scale rows each county-wide, unique numbers
   generated per township-year, so no clone is lost to a multi-field unique constraint) and audit entries up
   to 1,000,000 × scale with a valid hash chain and a signed checkpoint every 1,000 (verified at the end).
   Search entries are rebuilt and the county roll-up refreshed for the current year.
2. Serves it with gunicorn (gthread, FAZHI_WORKERS × 4 threads, max-requests) plus the db_worker, with the
   bench-only URLconf (bench/scale_urls.py: the product + floor views).
3. Measures p50/p95 at each --levels concurrency for every ledger (township and county view), search (township
   and county), both dashboards and the to-do, each with its floor measured in the same run; then a county
   export of the disputes (background task when over the threshold: time to the finished file, and the
   worker's RSS growth while building it) against a streamed CSV of the same rows.
4. Counts the county dashboard's queries at 10 and 100 townships (a fresh database each).

Last line: worst_page_ratio=R dashboard_queries_10=A dashboard_queries_100=B export_rss_growth_mb=M
(worst_page_ratio: the largest p95 ÷ floor p95 over the ledgers, search and to-do, goal ≤ 2; the dashboards,
whose floor is a single-row page and whose goal is ≤ 5, are printed on the line before).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
BIN = Path(os.environ.get("BIN", ROOT / ".venv" / "bin"))
sys.path.insert(0, str(BENCH))

import load  # noqa: E402  (bench/load.py: Session, free_port, wait_up)

BASE_ROWS, BASE_AUDIT = 100_000, 1_000_000


# --- generation (child process) -------------------------------------------------------------------------

def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()


def _towns(county, n: int, villages: int = 5):
    from fazhi.core.models import Region, RegionLevel

    towns = list(Region.objects.filter(parent=county, level=RegionLevel.TOWNSHIP).order_by("code"))
    k = 3
    while len(towns) < n:
        code = f"{county.code[:6]}{200 + k:03d}000"
        t, _ = Region.objects.get_or_create(code=code, defaults={
            "name": f"第{k}乡", "level": RegionLevel.TOWNSHIP, "parent": county, "path": f"{county.path}{code}/",
            "population": 3000 + k * 97, "area_km2": 30 + k})
        for v in range(1, villages + 1):
            vc = f"{code[:9]}2{v:02d}"
            Region.objects.get_or_create(code=vc, defaults={
                "name": f"第{k}乡{v}村", "level": RegionLevel.VILLAGE, "parent": t, "path": f"{t.path}{vc}/"})
        towns.append(t)
        k += 1
    return towns


def _clone(model, target: int, towns, years, unique) -> int:
    """Clone `model`'s demo rows until the county has `target` rows: every township × year gets its share,
    dates moved to that year, the village one of the township's, unique fields from `unique(obj, town, year, k)`."""
    import datetime as dt

    from django.db import models, transaction

    from fazhi.core.models import Region, RegionLevel

    templates = list(model.objects.order_by("pk"))
    have = model.objects.count()
    if not templates or have >= target:
        return have
    per_slot = math.ceil((target - have) / (len(towns) * len(years)))
    dates = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateField)
             and not isinstance(f, models.DateTimeField)]
    village_fk = "village_id" if any(f.attname == "village_id" for f in model._meta.concrete_fields) else None
    villages = {t.pk: list(Region.objects.filter(parent=t, level=RegionLevel.VILLAGE).values_list("pk", flat=True))
                for t in towns}
    today = dt.date.today()
    made, batch = 0, []
    with transaction.atomic():
        for town in towns:
            for year in years:
                delta = dt.timedelta(days=round((year - today.year) * 365.25))
                for k in range(per_slot):
                    obj = templates[k % len(templates)]
                    clone = model(**{f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields
                                     if not f.primary_key})
                    clone.township_id = town.pk
                    if village_fk and villages[town.pk]:
                        clone.village_id = villages[town.pk][k % len(villages[town.pk])]
                    for name in dates:
                        value = getattr(clone, name)
                        if value is not None:  # a past fact stays in the past; a due date may lie ahead
                            setattr(clone, name, min(value + delta, today) if value <= today else value + delta)
                    unique(clone, town, year, k)
                    batch.append(clone)
                    if len(batch) == 2000:
                        model.objects.bulk_create(batch)  # no ignore_conflicts: a duplicate would fail loudly
                        made, batch = made + len(batch), []
        model.objects.bulk_create(batch)
    return have + made + len(batch)


def _grow_audit(upto: int, towns, every: int = 1000) -> int:
    """Append valid entries (hash chain, a signed checkpoint every `every`) until the log has `upto`."""
    import datetime as dt

    from django.db import transaction

    from fazhi.audit.models import GENESIS, AuditEntry, AuditHead
    from fazhi.audit.services import checkpoint_create, compute_hash

    head, _ = AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "entry_hash": GENESIS})
    seq, prev = head.seq, head.entry_hash
    start = dt.datetime(2020, 1, 5, 1, 0, tzinfo=dt.UTC)
    kinds = [("mediation.dispute", "纠纷", "调解中"), ("enforcement.case", "案件", "调查取证"),
             ("disclosure.inforequest", "依申请公开", "答复")]
    batch = []
    while seq < upto:
        seq += 1
        town = towns[seq % len(towns)]
        otype, label, what = kinds[seq % 3]
        e = AuditEntry(seq=seq, created_at=start + dt.timedelta(seconds=seq * 5), actor_id=None,
                       actor_name=f"工作人员{seq % 97}", action="update", object_type=otype,
                       object_id=str(seq // 7), object_repr=f"{town.name}{label}第{seq // 7}号",
                       township_id=town.pk, changes={"status": ["a", "b"], "note": [None, f"第{seq}次"]},
                       reason=f"依法{what}", prev_hash=prev)
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
    return seq


def generate(townships: int, years: int, scale: float) -> None:
    import datetime as dt

    _django()
    from fazhi.audit.verify import verify_chain
    from fazhi.core import search_index
    from fazhi.core.demo import load_all
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case
    from fazhi.mediation.models import Dispute
    from fazhi.reports.services import township_stats_refresh

    t0 = time.monotonic()
    ctx = load_all()
    towns = _towns(ctx.county, townships)
    this = dt.date.today().year
    span = list(range(this - years + 1, this + 1))
    serial = [0]

    def dispute_no(d, town, year, k):
        d.number, d.committee_id, d.screening_round_id, d.petition_id = f"{year}-B{k:05d}", None, None, None

    def case_no(c, town, year, k):
        c.year, c.seq = year, 10000 + k
        c.number = f"{town.name}〔{year}〕第{c.seq}号"
        c.inspection_id = None

    def tracking(r, town, year, k):
        serial[0] += 1
        r.tracking_no = f"BN{serial[0]:010d}"

    target = int(BASE_ROWS * scale)
    counts = {"disputes": _clone(Dispute, target, towns, span, dispute_no),
              "cases": _clone(Case, target, towns, span, case_no),
              "requests": _clone(InfoRequest, target, towns, span, tracking)}
    t1 = time.monotonic()
    counts["audit"] = _grow_audit(int(BASE_AUDIT * scale), towns)
    t2 = time.monotonic()
    for model in (Dispute, Case, InfoRequest):
        search_index.reindex(model)
    township_stats_refresh(townships=towns, year=this)
    result = verify_chain()
    print(json.dumps({"counts": counts, "townships": len(towns), "years": span, "litou": ctx.litou.pk,
                      "county": ctx.county.pk, "chain_ok": result.ok, "chain_checked": result.checked,
                      "seconds": {"rows": round(t1 - t0), "audit": round(t2 - t1), "total": round(time.monotonic() - t0)}}))


def dashboard_queries() -> None:
    """The county dashboard's queries at 10 and at 100 townships (this process' own fresh database)."""
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from fazhi.core.demo import ensure_regions, ensure_users
    from fazhi.reports.services import township_stats_refresh

    ctx = ensure_users(ensure_regions())
    c = Client()
    c.force_login(ctx.user("county_supervisor"))
    out = {}
    for n in (10, 100):
        towns = _towns(ctx.county, n, villages=2)
        township_stats_refresh(townships=towns, year=ctx.today.year)
        c.get("/reports/county/")  # warm caches, as a second view would find them
        with CaptureQueriesContext(connection) as q:
            r = c.get("/reports/county/")
        out[str(n)] = {"status": r.status_code, "queries": len(q.captured_queries)}
    print(json.dumps(out))


# --- measurement --------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss(pid: int) -> float:
    """RSS of `pid` and its children (the db_worker runs the task in its own process or a child)."""
    total = rss_mb(pid)
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        kids = []
    return total + sum(tree_rss(int(k)) for k in kids)


def hit(session, path: str) -> tuple[int, float, int]:
    t = time.perf_counter()
    status, body = session.request(path)
    return status, time.perf_counter() - t, len(body)


def _in_threads(count: int, target, *args) -> None:
    threads = [threading.Thread(target=target, args=args) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def warm(session, path: str) -> None:
    """Warm-up GETs, several at once so that every gunicorn worker serves the page once before it is measured
    (a worker's first view compiles templates and fills per-process caches; one sequential GET warmed only the
    worker that took it, and at 1 user the p95 of a few requests was the other worker's first view)."""
    _in_threads(4 * int(os.environ.get("FAZHI_WORKERS", "2")), hit, session, path)


def _measure_each(sessions, path: str, users: int, per_user: int) -> list[dict]:
    """`users` threads, each `per_user` rounds of one GET per session in turn (after warming every worker):
    p50/p95, count and non-200s per session. Alternating puts the machine's noise on every session alike."""
    for session in sessions:
        warm(session, path)
    times, bad, lock = [[] for _ in sessions], [], threading.Lock()

    def run():
        for _ in range(per_user):
            for i, session in enumerate(sessions):
                status, seconds, _ = hit(session, path)
                with lock:
                    times[i].append(seconds)
                    if status != 200:
                        bad.append(status)

    _in_threads(users, run)
    out = []
    for ts in times:
        q = statistics.quantiles(ts, n=20, method="inclusive") if len(ts) > 1 else ts * 19
        out.append({"p50": statistics.median(ts), "p95": q[18], "n": len(ts), "errors": bad[:5]})
    return out


def measure(session, path: str, users: int, per_user: int) -> dict:
    """`users` threads, each `per_user` sequential GETs (after warming every worker): p50/p95 and non-200s."""
    return _measure_each([session], path, users, per_user)[0]


def measure_pair(first, second, path: str, users: int, per_user: int) -> tuple[dict, dict]:
    """Like `measure` for two sessions on the same page, their requests alternating in every thread, so the
    machine's noise (other tenants, a CI run) falls on both alike: the ratio is what the session costs."""
    signed, anonymous = _measure_each([first, second], path, users, per_user)
    return signed, anonymous


def export_run(session, worker_pid: int, path: str) -> dict:
    """One export through the product: the 302 to the progress page, polled until the file is ready, then
    downloaded; the db_worker's RSS sampled meanwhile. Below the threshold the file comes at once."""
    before, peak = tree_rss(worker_pid), 0.0
    t = time.perf_counter()
    status, body = session.request(path)
    job = None
    if status == 302:
        location = session.last_location
        while time.perf_counter() - t < 1800:
            peak = max(peak, tree_rss(worker_pid))
            _, page = session.request(location)
            if "已完成" in page or "生成失败" in page:
                break
            time.sleep(0.2)
        job = location
        if "生成失败" in page:
            return {"seconds": time.perf_counter() - t, "rss_growth_mb": max(0.0, peak - before), "failed": True}
        status, body = session.request(location.rstrip("/") + "/download/")
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "status": status, "bytes": len(body), "background": job is not None,
            "rss_before_mb": round(before), "rss_peak_mb": round(peak), "rss_growth_mb": max(0.0, peak - before)}


class Session(load.Session):
    """load.Session that remembers the Location of a redirect and reads bytes (the export)."""

    last_location = ""

    def request(self, path, data=None):
        body = None if data is None else urllib.parse.urlencode(data, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body, headers={
            "X-Forwarded-For": self.forwarded_for, "Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=1800) as r:
                raw = r.read()
                return r.status, raw.decode(errors="replace") if "text" in r.headers.get("Content-Type", "") else raw
        except urllib.error.HTTPError as e:
            self.last_location = e.headers.get("Location", "")
            return e.code, e.read().decode(errors="replace")


def child(env: dict, *args: str) -> dict:
    out = subprocess.run([str(BIN / "python"), __file__, *args], env=env, cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--townships", type=int, default=30)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0: 100k rows per ledger, 1M audit entries")
    ap.add_argument("--levels", default="1,10,50", help="concurrent users")
    ap.add_argument("--per-user", type=int, default=3, help="sequential requests per user at each level")
    ap.add_argument("--query", default="排水沟", help="the search term (the demo's disputes contain it)")
    ap.add_argument("--export-threshold", type=int, help="rows above which exports run in the background")
    ap.add_argument("--data-dir", help="generate into this (new) folder and keep it; reused when it has a db")
    ap.add_argument("--pages", default="", help="measure only these (comma list of: disputes, cases, requests, "
                    "audit, search, todo, dashboard, session, export); all by default")
    ap.add_argument("--generate-only", action="store_true", help="generate the data dir, measure nothing")
    ap.add_argument("--internal", choices=["generate", "dashq"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.internal == "generate":
        return generate(args.townships, args.years, args.scale)
    if args.internal == "dashq":
        return dashboard_queries()

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="fazhi-scale-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "static").mkdir(exist_ok=True)
    secret = os.environ.get("FAZHI_SECRET_KEY") or secrets.token_urlsafe(50)
    env = {**os.environ, "FAZHI_DATA_DIR": str(data_dir), "FAZHI_SECRET_KEY": secret, "FAZHI_LOG_LEVEL": "ERROR",
           "DJANGO_SETTINGS_MODULE": "fazhi.settings", "PYTHONPATH": f"{ROOT}:{BENCH}"}
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"数据库：{db}；数据目录：{data_dir}", flush=True)
    facts_file = data_dir / "scale-facts.json"
    if facts_file.exists():
        facts = json.loads(facts_file.read_text())
    else:
        subprocess.run([str(BIN / "fazhi"), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        facts = child(env, "--internal", "generate", "--townships", str(args.townships), "--years", str(args.years),
                      "--scale", str(args.scale))
        facts_file.write_text(json.dumps(facts))
    print("生成：" + json.dumps(facts, ensure_ascii=False), flush=True)
    if args.generate_only:
        return None

    qdir = Path(tempfile.mkdtemp(prefix="fazhi-scale-q-"))
    qenv = {**env, "FAZHI_DATA_DIR": str(qdir)}
    if os.environ.get("DATABASE_URL"):
        qenv["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/fazhi_scale_queries"
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "DROP DATABASE IF EXISTS fazhi_scale_queries"],
                       check=False)
        subprocess.run(["psql", os.environ["DATABASE_URL"], "-qc", "CREATE DATABASE fazhi_scale_queries"], check=True)
    dashq = child(qenv, "--internal", "dashq")
    print(f"全县看板查询数：10个乡镇 {dashq['10']['queries']}，100个乡镇 {dashq['100']['queries']}", flush=True)

    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    senv = {**env, "DJANGO_SETTINGS_MODULE": "scale_settings"}
    if args.export_threshold is not None:
        senv["FAZHI_EXPORT_BACKGROUND_ROWS"] = str(args.export_threshold)
    worker = subprocess.Popen([str(BIN / "fazhi"), "db_worker", "--interval", "2"], env=senv, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # scripts/serve.sh's gunicorn line, with the bench settings (product URLs + floors)
    server = subprocess.Popen([str(BIN / "gunicorn"), "fazhi.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", os.environ.get("FAZHI_WORKERS", "2"), "--threads", "4",
                               "--worker-class", "gthread", "--preload", "--timeout", "1800", "--log-level", "warning",
                               "--max-requests", "1000", "--max-requests-jitter", "100"],
                              env=senv, cwd=ROOT, start_new_session=True)
    try:
        load.wait_up(base, server, 120)
        load.PASSWORD = "fazhi-demo-2024"
        town_user, county_user = Session(base, "10.8.0.1"), Session(base, "10.8.0.2")
        town_user.login("litou_legal_staff")
        county_user.login("county_supervisor")  # 县级督查: reads every module county-wide
        mediator = Session(base, "10.8.0.3")
        mediator.login("litou_mediator")
        t, q = facts["litou"], urllib.parse.quote(args.query)
        pages = []  # (name, session, page path, floor path)
        for name, url in (("disputes", "/mediation/"), ("cases", "/enforcement/"),
                          ("requests", "/disclosure/requests/"), ("audit", "/audit/")):
            pages.append((f"{name} 乡镇", town_user, url, f"/_floor/ledger/{name}/?t={t}"))
            pages.append((f"{name} 全县", county_user, url, f"/_floor/ledger/{name}/?t=all"))
        pages += [("search 乡镇", town_user, f"/search/?q={q}", f"/_floor/search/?t={t}&q={q}"),
                  ("search 全县", county_user, f"/search/?q={q}", f"/_floor/search/?t=all&q={q}"),
                  ("todo 乡镇", mediator, "/todo/", f"/_floor/todo/?t={t}"),
                  ("dashboard 乡镇", town_user, "/reports/", f"/_floor/one/?t={t}"),
                  ("dashboard 全县", county_user, "/reports/county/", f"/_floor/one/?t={t}")]
        wanted = {w.strip() for w in args.pages.split(",") if w.strip()}
        pages = [p for p in pages if not wanted or p[0].split()[0] in wanted]
        levels = [int(x) for x in args.levels.split(",")]
        results, session_ratios = [], []
        print(f"{'page':<16}{'users':>6}{'p50':>9}{'p95':>9}{'floor p95':>11}{'ratio':>8}  errors", flush=True)
        for name, session, url, floor in pages:
            for users in levels:
                page = measure(session, url, users, args.per_user)
                base_ = measure(session, floor, users, args.per_user)
                ratio = page["p95"] / base_["p95"] if base_["p95"] else float("inf")
                results.append({"page": name, "users": users, "ratio": ratio, **{k: page[k] for k in ("p50", "p95")},
                                "floor_p95": base_["p95"], "errors": page["errors"] + base_["errors"]})
                print(f"{name:<16}{users:>6}{page['p50']:>9.3f}{page['p95']:>9.3f}{base_['p95']:>11.3f}{ratio:>8.2f}"
                      f"  {page['errors'] + base_['errors'] or ''}", flush=True)
        # the session middleware's cost: a signed-in trivial page against an anonymous one (goal ≤ 1.5×)
        anonymous = Session(base, "10.8.0.4")
        trivial = (("登录/匿名 空白页", "/_floor/trivial/"), ("登录/匿名 站点框架", "/_floor/trivial-site/"))
        for (label, path), users in itertools.product(trivial, levels if not wanted or "session" in wanted else ()):
            signed, anon = measure_pair(town_user, anonymous, path, users, args.per_user * 20)
            ratio = signed["p95"] / anon["p95"] if anon["p95"] else float("inf")
            session_ratios.append(ratio)
            print(f"{label:<12}{users:>6}{signed['p50']:>9.4f}{signed['p95']:>9.4f}{anon['p95']:>11.4f}"
                  f"{ratio:>8.2f}  p50 {signed['p50'] / anon['p50']:.2f}（匿名 p50 {anon['p50']:.4f}，"
                  f"各 {signed['n']} 次）{signed['errors'] + anon['errors'] or ''}", flush=True)
        exp = {"rss_growth_mb": float("nan")}
        if not wanted or "export" in wanted:
            # the first task loads openpyxl, the views and templates into the worker: warm it, then measure
            cold = export_run(county_user, worker.pid, "/mediation/?export=xlsx")
            print(f"export (warm-up): {cold['seconds']:.1f} s, db_worker RSS {cold.get('rss_before_mb')} → "
                  f"{cold.get('rss_peak_mb')} MB", flush=True)
            exp = export_run(county_user, worker.pid, "/mediation/?export=xlsx")
            t0 = time.perf_counter()
            status, body = county_user.request("/_floor/export/disputes/?t=all")
            floor_s = time.perf_counter() - t0
            print(f"export 全县纠纷 {facts['counts']['disputes']} 行：{exp['seconds']:.1f} s"
                  f"（后台：{exp.get('background')}），CSV 下限 {floor_s:.1f} s，比值 {exp['seconds'] / floor_s:.2f}；"
                  f"db_worker RSS {exp.get('rss_before_mb')} → {exp.get('rss_peak_mb')} MB", flush=True)
        errors = [r for r in results if r["errors"]]
        if errors:
            print(f"非200响应：{len(errors)} 组", flush=True)
        pages_only = [r for r in results if not r["page"].startswith("dashboard")]
        worst = max(pages_only, key=lambda r: r["ratio"]) if pages_only else {"ratio": float("nan")}
        if pages_only:
            print(f"最差页面（目标 ≤ 2）：{worst['page']} × {worst['users']} 用户，p95 {worst['p95']:.3f} s，"
                  f"下限 {worst['floor_p95']:.3f} s", flush=True)
        dashes = [r for r in results if r["page"].startswith("dashboard")]
        if dashes:
            dash = max(dashes, key=lambda r: r["ratio"])
            print(f"最差看板（目标 ≤ 5 × 单行页面）：{dash['page']} × {dash['users']} 用户，p95 {dash['p95']:.3f} s，"
                  f"比值 {dash['ratio']:.2f}", flush=True)
        if session_ratios:
            print(f"登录页与匿名页之比（目标 ≤ 1.5）：最高 {max(session_ratios):.2f}", flush=True)
        print(f"worst_page_ratio={worst['ratio']:.2f} dashboard_queries_10={dashq['10']['queries']} "
              f"dashboard_queries_100={dashq['100']['queries']} export_rss_growth_mb={exp['rss_growth_mb']:.1f}")
    finally:
        for proc in (server, worker):
            try:
                os.killpg(proc.pid, 15)
            except ProcessLookupError:
                pass
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
