#!/usr/bin/env python3
"""Benchmark (not a test): upload 1 GB and 4 GB recordings through the real tus endpoint of a running
server — gunicorn serving fazhi.wsgi exactly as scripts/serve.sh does in production — and compare
with the physical floor of the job measured on the same file in the same run:

    tee DEST < FILE | openssl dgst -sha256 ; sync        (one pass: copy + hash in C, into the same folder)

Prints per-size figures, and in its LAST line:  ratio=<upload MB/s ÷ baseline MB/s> rss_mb=<peak server RSS>
(worst size for the ratio, highest VmHWM of any gunicorn process for the RSS). Targets: ratio ≥ 0.5,
rss_mb < 150. Everything lives in a temp FAZHI_DATA_DIR that is deleted afterwards.

    .venv/bin/python bench/evidence.py                 # 1 GB and 4 GB
    .venv/bin/python bench/evidence.py --sizes 0.25    # quick check
"""

from __future__ import annotations

import argparse
import base64
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MB = 1024 * 1024
PASSWORD = "fazhi-demo-2024"
USER = "litou_officer"
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom\x00\x00\x00\x08free"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def generate(path: Path, size: int) -> None:
    """A fake recording: MP4 magic then incompressible bytes (a 16 MB random block, repeated)."""
    block = os.urandom(16 * MB)
    with open(path, "wb") as fh:
        fh.write(MP4_HEAD + (size - len(MP4_HEAD)).to_bytes(4, "big") + b"mdat")  # boxes tile the file
        left = size - len(MP4_HEAD) - 8
        while left > 0:
            n = min(left, len(block))
            fh.write(block[:n])
            left -= n
    subprocess.run(["sync"], check=True)


def baseline(src: Path, dest: Path) -> tuple[float, str]:
    subprocess.run(["sync"], check=True)
    t0 = time.monotonic()
    out = subprocess.run(f'tee "{dest}" < "{src}" | openssl dgst -sha256; sync', shell=True, check=True,
                         capture_output=True, text=True, executable="/bin/bash").stdout
    elapsed = time.monotonic() - t0
    dest.unlink()
    subprocess.run(["sync"], check=True)
    return elapsed, out.strip().split()[-1]


class Session:
    """A browser-like client: one keep-alive connection, cookies, CSRF header."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900, blocksize=MB)
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt == 2 or hasattr(body, "read"):
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=900, blocksize=MB)
        data = resp.read()
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return resp, data

    def send_file(self, method, path, fh, offset, count, headers):
        """A request whose body goes straight from the file to the socket (sendfile, no copies in
        Python): the client shares this machine's CPUs with the server and should cost as little as
        a browser on another computer would."""
        headers = {**headers, "Content-Length": str(count),
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if self.conn.sock is None:
            self.conn.connect()
        self.conn.putrequest(method, path)
        for k, v in headers.items():
            self.conn.putheader(k, v)
        self.conn.endheaders()
        self.conn.sock.sendfile(fh, offset, count)
        resp = self.conn.getresponse()
        return resp, resp.read()

    def login(self):
        _, html = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
        body = f"username={USER}&password={PASSWORD}&csrfmiddlewaretoken={token}".encode()
        resp, _ = self.request("POST", "/accounts/login/", body, {
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"})
        if resp.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login failed: {resp.status}")

    def csrf(self) -> dict:
        return {"X-CSRFToken": self.cookies["csrftoken"], "Tus-Resumable": "1.0.0"}


def upload(session: Session, src: Path, chunk: int) -> tuple[float, str]:
    size = src.stat().st_size
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in
                    {"filename": src.name, "stage": "investigation", "purpose": "性能测试"}.items())
    subprocess.run(["sync"], check=True)
    t0 = time.monotonic()
    resp, body = session.request("POST", "/evidence/tus/", b"", {
        **session.csrf(), "Upload-Length": str(size), "Upload-Metadata": meta})
    if resp.status != 201:
        raise SystemExit(f"create failed: {resp.status} {body.decode(errors='replace')}")
    path = urlsplit(resp.getheader("Location")).path
    offset, evidence_url = 0, None
    with open(src, "rb") as fh:
        while offset < size:
            n = min(chunk, size - offset)
            resp, body = session.send_file("PATCH", path, fh, offset, n, {
                **session.csrf(), "Upload-Offset": str(offset),
                "Content-Type": "application/offset+octet-stream"})
            if resp.status != 204:
                raise SystemExit(f"PATCH at {offset} failed: {resp.status} {body.decode(errors='replace')}")
            offset = int(resp.getheader("Upload-Offset"))
            evidence_url = resp.getheader("Fazhi-Evidence-Url") or evidence_url
    subprocess.run(["sync"], check=True)
    elapsed = time.monotonic() - t0
    if not evidence_url:
        raise SystemExit("upload finished without an evidence record")
    return elapsed, evidence_url


def worker_pids(master: int) -> list[int]:
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return pids


def peak_rss_mb(master: int) -> float:
    peak = 0
    for pid in worker_pids(master):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        if m:
            peak = max(peak, int(m.group(1)))
    return peak / 1024


def reset_peak_rss(master: int) -> None:
    """Forget the peak so far (Linux: writing 5 to clear_refs resets VmHWM). Signing in verifies an
    Argon2 password hash, which by design takes ~100 MB for a moment; that is the login's cost, not
    the upload's, so the peak is measured from after the login."""
    for pid in worker_pids(master):
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            pass


def stored_sha256(env, evidence_id: str) -> str:
    code = ("import django; django.setup(); from fazhi.evidence.models import EvidenceFile; "
            f"print(EvidenceFile.objects.get(pk={evidence_id}).sha256)")
    return subprocess.run([str(BIN / "python"), "-c", code], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,4", help="file sizes in GB, comma-separated (default 1,4)")
    parser.add_argument("--chunk-mb", type=int, default=64, help="PATCH size (the browser adapts up to 64 MB)")
    parser.add_argument("--workers", default=os.environ.get("FAZHI_WORKERS", "2"))
    parser.add_argument("--tmp", default=None, help="parent folder for the temp data dir (default: system temp)")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]

    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-", dir=args.tmp))
    data_dir = work / "data"
    data_dir.mkdir()
    env = {**os.environ, "FAZHI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "fazhi.settings",
           "FAZHI_SECRET_KEY": "bench-" + os.urandom(8).hex(), "FAZHI_DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    server = None
    results = []
    try:
        print(f"数据目录 {data_dir}", flush=True)
        subprocess.run([str(BIN / "fazhi"), "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
        subprocess.run([str(BIN / "python"), "-c", "import django; django.setup(); "
                        "from fazhi.core.demo import ensure_regions, ensure_users; ensure_users(ensure_regions())"],
                       env=env, check=True, cwd=ROOT)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "fazhi.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
             args.workers, "--threads", "4", "--worker-class", "gthread", "--timeout", "600",
             "--log-level", "warning"], env=env, cwd=ROOT, start_new_session=True)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        session = Session(port)
        session.login()
        login_peak = peak_rss_mb(server.pid)
        reset_peak_rss(server.pid)
        print(f"登录后（含 Argon2 口令校验）进程峰值 {login_peak:.0f} MB；以下峰值自登录后重新计量", flush=True)
        for gb in sizes:
            size = int(gb * 1024 * MB)
            src = work / f"bench-{gb:g}GB.mp4"
            print(f"生成 {gb:g} GB 测试文件…", flush=True)
            generate(src, size)
            dest_dir = data_dir / "files" / "baseline"
            dest_dir.mkdir(parents=True, exist_ok=True)
            base_s, base_digest = baseline(src, dest_dir / src.name)
            up_s, url = upload(session, src, args.chunk_mb * MB)
            digest = stored_sha256(env, url.strip("/").split("/")[-1])
            if digest != base_digest:
                raise SystemExit(f"hash mismatch: server {digest} openssl {base_digest}")
            rss = peak_rss_mb(server.pid)
            base_tp, up_tp = size / MB / base_s, size / MB / up_s
            results.append((up_tp / base_tp, rss))
            print(f"{gb:g} GB: baseline {base_tp:.0f} MB/s ({base_s:.1f} s), upload {up_tp:.0f} MB/s ({up_s:.1f} s), "
                  f"ratio {up_tp / base_tp:.2f}, peak server RSS {rss:.0f} MB, sha256 ok", flush=True)
            src.unlink()
            # the stored copy is not needed any more: free the disk before the next size
            shutil.rmtree(data_dir / "files" / "evidence", ignore_errors=True)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"ratio={min(r for r, _ in results):.2f} rss_mb={max(m for _, m in results):.0f}")


if __name__ == "__main__":
    main()
