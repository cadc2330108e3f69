"""A `load_demo` killed half-way (SIGKILL), then run again, ends exactly like a clean load: the same
records and no file in storage that no row points to."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COUNT = """
import json
from django.apps import apps
from fazhi.core.files import orphan_files
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()
          if m._meta.label not in ("sessions.Session", "django_tasks_database.DBTaskResult")}
print(json.dumps({"counts": counts, "orphans": orphan_files()}))
"""


def _env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite in its own data dir
    return {**env, "FAZHI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "fazhi.settings",
            "FAZHI_LOG_LEVEL": "ERROR"}


def _fazhi(data_dir: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "fazhi"), *args], env=_env(data_dir), capture_output=True, text=True,
                          timeout=900, check=True, **kw)


def _state(data_dir: Path) -> dict:
    return json.loads(_fazhi(data_dir, "shell", "-c", COUNT).stdout.strip().splitlines()[-1])


def test_killed_load_demo_rerun_equals_a_clean_load(tmp_path):
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    clean.mkdir()
    _fazhi(clean, "migrate", "-v0")
    shutil.copytree(clean, killed)  # the same migrated database, without migrating twice
    _fazhi(clean, "load_demo")

    proc = subprocess.Popen([str(BIN / "fazhi"), "load_demo"], env=_env(killed), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    files = killed / "files"
    # Kill it once it has started writing files (or after a few seconds), never after it finished.
    while time.time() < deadline and proc.poll() is None:
        if files.exists() and any(p.is_file() for p in files.rglob("*")):
            time.sleep(0.5)
            break
        time.sleep(0.2)
    assert proc.poll() is None, "load_demo finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    _fazhi(killed, "load_demo")
    after, reference = _state(killed), _state(clean)
    assert after["orphans"] == []
    assert after["counts"] == reference["counts"]
