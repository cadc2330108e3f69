"""Concurrent writers against the real server: gunicorn started exactly as scripts/serve.sh starts it.

    .venv/bin/python bench/load.py [--writers 24] [--seconds 60] [--max-requests 20000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench .venv/bin/python bench/load.py

A temp data dir (SQLite, or the PostgreSQL database in DATABASE_URL, which is flushed by `migrate` +
the setup below — use a throw-away database) gets the demo regions and users plus bench accounts; then
each writer signs in as its own user (mediators, officers, legal staff of both demo townships) and
posts the real HTML forms with their CSRF token for the given time: disputes, cases, information
requests, consultation comments. Only 127.0.0.1. Prints requests, errors by status, p50/p95 latency,
and checks afterwards that dispute and case numbers are unique and consecutive per township.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(os.environ.get("BIN", ROOT / ".venv" / "bin"))
PASSWORD = "fazhi-bench-2026"
KINDS = ("dispute", "case", "request", "comment")


# --- setup (runs in a child process with the bench's environment) ---------------------------------

def setup_world(writers: int) -> None:
    import datetime as dt
    from decimal import Decimal

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from django.contrib.auth.hashers import make_password

    from fazhi.accounts.models import Membership, User
    from fazhi.core.demo import ensure_regions, ensure_users
    from fazhi.decisions import services as decisions
    from fazhi.enforcement import services as enforcement
    from fazhi.mediation.demo import ensure_committees
    from fazhi.mediation.models import DisputeType

    demo = ensure_users(ensure_regions())
    DisputeType.objects.get_or_create(name="邻里", defaults={"order": 20})
    today = dt.date.today()
    valid = {"cert_issuer": "湖南省人民政府", "cert_valid_from": dt.date(2020, 1, 1),
             "cert_valid_until": dt.date(2099, 12, 31), "cert_status": "valid"}
    hashed = make_password(PASSWORD)
    for key, town in (("litou", demo.litou), ("demo2", demo.demo2)):
        ensure_committees(demo, town, demo.villages[key], mediator_user=demo.user(f"{key}_mediator"))
        leader = demo.user(f"{key}_leader")
        body = enforcement.body_save(actor=leader, township=town, name=f"{town.name}人民政府", kind="government")
        enforcement.power_save(
            actor=leader, township=town, body=body, code="BENCH-001", name="未经批准擅自建房", category="planning",
            violation_basis="《中华人民共和国城乡规划法》第四十一条", penalty_basis="《中华人民共和国城乡规划法》第六十五条",
            penalty_range="责令停止建设、限期改正", fine_min=None, fine_max=Decimal("50000"))
        for i in (1, 2):
            enforcement.officer_save(actor=leader, township=town, name=f"{key}执法{i}", cert_no=f"4311{key}{i}", **valid)
        d = decisions.decision_create(actor=demo.user(f"{key}_legal_staff"), township=town, title="集镇管理办法",
                                      category="major_admin", lead_unit="乡综合服务中心", started_on=today)
        decisions.consultation_open(actor=demo.user(f"{key}_legal_staff"), decision=d, draft_text="征求意见稿正文",
                                    comment_start=today - dt.timedelta(days=1), comment_end=today + dt.timedelta(days=29))
        # One account per writer: mediators, officers and legal staff of the two townships.
        for n in range(writers):
            role = ("mediator", "officer", "legal_staff")[n % 3]
            user, _ = User.objects.get_or_create(username=f"bench_{key}_{role}_{n}", defaults={
                "full_name": f"压测{role}{n}", "post": "压测账号", "password": hashed})
            Membership.objects.get_or_create(user=user, region=town, role=role)


def world_facts() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from fazhi.core.demo import ensure_regions
    from fazhi.decisions.models import Decision
    from fazhi.enforcement.models import Officer, Power
    from fazhi.mediation.models import DisputeType

    demo = ensure_regions()
    out = {"type": DisputeType.objects.get(name="邻里").pk}
    for key, town in (("litou", demo.litou), ("demo2", demo.demo2)):
        out[key] = {"code": town.code, "village": demo.villages[key][0].pk,
                    "power": Power.objects.get(township=town, code="BENCH-001").pk,
                    "officers": list(Officer.objects.filter(township=town, name__startswith=key)
                                     .values_list("pk", flat=True)),
                    "decision": Decision.objects.filter(township=town, title="集镇管理办法").latest("pk").pk}
    return out


def check_numbers() -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from fazhi.core.demo import ensure_regions
    from fazhi.decisions.models import PublicComment
    from fazhi.disclosure.models import InfoRequest
    from fazhi.enforcement.models import Case
    from fazhi.mediation.models import Dispute

    demo = ensure_regions()
    report = {}
    for key, town in (("litou", demo.litou), ("demo2", demo.demo2)):
        disputes = [int(n[5:]) for n in Dispute.objects.filter(township=town).values_list("number", flat=True)]
        seqs = list(Case.objects.filter(township=town).values_list("seq", flat=True))
        report[key] = {
            "disputes": len(disputes), "disputes_ok": sorted(disputes) == list(range(1, len(disputes) + 1)),
            "cases": len(seqs), "cases_ok": sorted(seqs) == list(range(1, len(seqs) + 1)),
            "requests": InfoRequest.objects.filter(township=town).count(),
            "comments": PublicComment.objects.filter(township=town).count()}
    tracking = list(InfoRequest.objects.values_list("tracking_no", flat=True))
    report["tracking_unique"] = len(tracking) == len(set(tracking))
    return report


# --- the load ---------------------------------------------------------------------------------------

class Session:
    def __init__(self, base: str, forwarded_for: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.forwarded_for = forwarded_for

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={
            "X-Forwarded-For": self.forwarded_for, "Referer": self.base + path})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read().decode(errors="replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def csrf(self, path: str) -> str:
        status, page = self.request(path)
        m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not m:
            raise RuntimeError(f"无 CSRF 令牌：{path} {status}")
        return m.group(1)

    def post_form(self, path: str, data: dict) -> int:
        return self.request(path, {"csrfmiddlewaretoken": self.csrf(path), **data})[0]

    def login(self, username: str) -> None:
        status = self.post_form("/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"{username} 登录失败（{status}）")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def writer_forms(kind: str, key: str, facts: dict, i: str) -> tuple[str, dict]:
    f, today = facts[key], time.strftime("%Y-%m-%d")
    if kind == "dispute":
        return "/mediation/new/", {
            "village": f["village"], "dispute_type": facts["type"], "source": "screening",
            "summary": f"两户因排水沟发生争执（压测{i}）", "party1_name": "盘春花", "party1_phone": "13800001111",
            "party1_id": "", "party2_name": "赵石生", "party2_phone": "", "risk_level": "low", "received_on": today}
    if kind == "case":
        return "/enforcement/cases/new/", {
            "title": f"擅自建房案（压测{i}）", "power": f["power"], "source": "inspection", "party_kind": "person",
            "party_name": "张三", "party_id_no": "431127198001011234", "party_phone": "13812345678",
            "discovered_on": today, "facts": "当事人未经批准建房", "officers": f["officers"]}
    if kind == "request":
        return f"/public/t/{f['code']}/request/", {
            "applicant_kind": "person", "applicant_name": f"李四{i}", "id_type": "居民身份证",
            "id_number": "431127199001011234", "contact_phone": "13812345678", "contact_email": "li@example.cn",
            "contact_address": "犁头村1组", "description": "2024年犁头村低保对象名单", "delivery_form": "electronic",
            "consent": "on", "website": ""}
    return "/decisions/consultations/", {"decision": f["decision"], "body": f"建议增设优先摊位（压测{i}）", "name": "居民"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, proc, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn 启动失败")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn 未在规定时间内就绪")


def child(env: dict, *args: str) -> str:
    out = subprocess.run([str(BIN / "python"), __file__, *args], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--writers", type=int, default=24)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--max-requests", type=int, default=20000)
    ap.add_argument("--internal", choices=["setup", "facts", "check"])
    args = ap.parse_args()
    if args.internal == "setup":
        return setup_world(args.writers)
    if args.internal == "facts":
        import json
        return print(json.dumps(world_facts()))
    if args.internal == "check":
        import json
        return print(json.dumps(check_numbers()))

    import json

    data_dir = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    (data_dir / "static").mkdir()  # WhiteNoise looks for it; the forms need no static files
    env = {**os.environ, "FAZHI_DATA_DIR": str(data_dir), "FAZHI_TRUSTED_PROXY_COUNT": "1",
           "DJANGO_SETTINGS_MODULE": "fazhi.settings", "FAZHI_LOG_LEVEL": "ERROR"}
    db = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"数据库：{db}；数据目录：{data_dir}")
    subprocess.run([str(BIN / "fazhi"), "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    child(env, "--internal", "setup", "--writers", str(args.writers))
    facts = json.loads(child(env, "--internal", "facts"))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Exactly scripts/serve.sh's gunicorn line (workers from FAZHI_WORKERS, 4 threads, gthread).
    server = subprocess.Popen([str(BIN / "gunicorn"), "fazhi.wsgi:application", "--bind", f"127.0.0.1:{port}",
                               "--workers", os.environ.get("FAZHI_WORKERS", "2"), "--threads", "4",
                               "--worker-class", "gthread", "--preload", "--timeout", "600", "--log-level", "warning"],
                              env=env, cwd=ROOT, start_new_session=True)
    try:
        wait_up(base, server)
        roles = ("mediator", "officer", "legal_staff")
        kind_of = {"mediator": "dispute", "officer": "case"}
        plan = []
        for n in range(args.writers):
            key = ("litou", "demo2")[n % 2]
            role = roles[n % 3]
            # Legal staff accounts sign in too, and play the public (requests and comments) from their session.
            kind = kind_of.get(role) or ("request", "comment")[(n // 6) % 2]
            plan.append((f"bench_{key}_{role}_{n}", key, kind))
        sessions = []
        for n, (username, _, _) in enumerate(plan):
            s = Session(base, f"10.9.{n}.1")
            s.login(username)
            sessions.append(s)
        print(f"已登录 {len(sessions)} 个账号；{args.writers} 个并发写入者，{args.seconds:.0f} 秒")

        lock = threading.Lock()
        statuses: Counter = Counter()
        per_kind: Counter = Counter()
        latencies: list[float] = []
        budget = [args.max_requests]
        stop_at = time.time() + args.seconds
        barrier = threading.Barrier(len(plan))

        def run(n: int) -> None:
            username, key, kind = plan[n]
            s = sessions[n]
            barrier.wait()
            i = 0
            while time.time() < stop_at:
                with lock:
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                i += 1
                if kind in ("request", "comment"):  # a fresh public address per submission (limits are per client)
                    s.forwarded_for = f"10.{n % 200}.{(i // 250) % 250}.{i % 250 + 1}"
                path, data = writer_forms(kind, key, facts, f"{n}-{i}")
                t0 = time.perf_counter()
                try:
                    status = s.post_form(path, data)
                except Exception as e:  # noqa: BLE001 - counted, the load goes on
                    status = f"异常 {type(e).__name__}"
                dt_ = time.perf_counter() - t0
                with lock:
                    statuses[status] += 1
                    per_kind[(kind, status)] += 1
                    latencies.append(dt_)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(len(plan))]
        t_start = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - t_start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    total = sum(statuses.values())
    errors = {k: v for k, v in statuses.items() if k != 302}
    q = statistics.quantiles(latencies, n=20) if len(latencies) >= 20 else [0] * 19
    print(f"请求（每次：取表单 + 提交）：{total}，用时 {elapsed:.1f} 秒，{total / elapsed:.1f} 次/秒")
    print(f"成功（302）：{statuses.get(302, 0)}；错误（按状态）：{errors or '无'}")
    print(f"p50 {statistics.median(latencies) * 1000:.0f} ms，p95 {q[18] * 1000:.0f} ms")
    for kind in KINDS:
        print(f"  {kind}: " + "，".join(f"{s}×{c}" for (k, s), c in sorted(per_kind.items(), key=str) if k == kind))
    report = json.loads(child(env, "--internal", "check"))
    print("编号检查：", json.dumps(report, ensure_ascii=False))
    ok = report["tracking_unique"] and all(report[k]["disputes_ok"] and report[k]["cases_ok"] for k in ("litou", "demo2"))
    print("编号唯一且连续：" + ("是" if ok else "否"))
    sys.exit(0 if ok and not any(str(k).startswith("5") for k in errors) else 1)


if __name__ == "__main__":
    main()
