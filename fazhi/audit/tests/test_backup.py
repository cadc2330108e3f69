"""Backup → restore → verify drill, with a writer busy during the backup (SQLite here; PostgreSQL when
DATABASE_URL is set). The commands run as separate processes against a real database, as in production."""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from fazhi.audit.backup import manifest_check
from fazhi.audit.services import audit_record, checkpoint_create
from fazhi.core.errors import DomainError

WRITER = """
import os, sys, time, django
django.setup()
from fazhi.audit.services import audit_record
stop, started = sys.argv[1], sys.argv[2]
i = 0
while not os.path.exists(stop) and i < 2000:
    audit_record(actor=None, action="update", object_type="drill.row", object_id=str(i), reason="备份期间写入")
    i += 1
    if i == 20:
        open(started, "w").close()
print(i)
"""


def _env(data_dir: Path, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "FAZHI_TEST_TODAY"}}
    env["FAZHI_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "fazhi.settings"
    env["FAZHI_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _fazhi(env, *args):
    return subprocess.run([sys.executable, "-m", "fazhi.manage", *args], env=env, capture_output=True, text=True,
                          timeout=600)


def _pg_url(name: str) -> str:
    sd = connection.settings_dict
    auth = sd["USER"] + (f":{sd['PASSWORD']}" if sd.get("PASSWORD") else "")
    return f"postgres://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{name}"


def _seed(demo) -> list[str]:
    from fazhi.evidence.models import Stage
    from fazhi.evidence.services import evidence_ingest
    from fazhi.evidence.tests.conftest import (
        mp4_bytes,  # a well-formed container (the store checks the boxes)
    )

    names = []
    for fill in (b"\x11", b"\x22"):
        names.append(evidence_ingest(actor=demo.user("litou_officer"), township=demo.litou, stage=Stage.INVESTIGATION,
                        fileobj=io.BytesIO(mp4_bytes(5000, fill)), filename="现场.mp4").blob.storage_name)
    for i in range(30):
        audit_record(actor=None, action="update", obj=demo.litou, reason=f"第{i}次")
    checkpoint_create()
    return names


@pytest.mark.django_db(transaction=True)
def test_backup_while_writing_then_restore_and_verify(demo, tmp_path):
    stored = _seed(demo)
    src, dst = tmp_path / "src", tmp_path / "dst"
    for d in (src, dst):
        d.mkdir()
        shutil.copy(settings.FAZHI_AUDIT_KEY_FILE, d / "audit_ed25519.key")  # the key is kept apart from backups
    shutil.copytree(settings.MEDIA_ROOT, src / "files")
    restore_db = None
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(src / "fazhi.sqlite3")
        connection.connection.backup(copy)  # the test database as the live server's file
        copy.execute("PRAGMA journal_mode=WAL")
        copy.close()
        src_env, dst_env = _env(src, None), _env(dst, None)
    else:
        import psycopg

        restore_db = f"{connection.settings_dict['NAME']}_restore"
        with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restore_db}"')
            admin.execute(f'CREATE DATABASE "{restore_db}"')
        src_env = _env(src, _pg_url(connection.settings_dict["NAME"]))
        dst_env = _env(dst, _pg_url(restore_db))
    try:
        stop, started = tmp_path / "stop", tmp_path / "started"
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(stop), str(started)], env=src_env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        backup_result = {}

        def run_backup():  # the backup runs in a thread while the writer process appends entries
            while not started.exists() and writer.poll() is None:
                time.sleep(0.05)
            backup_result["run"] = _fazhi(src_env, "backup", "--output", str(tmp_path / "bk"))

        thread = threading.Thread(target=run_backup)
        thread.start()
        thread.join(timeout=600)
        stop.touch()
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        run = backup_result["run"]
        assert run.returncode == 0, run.stderr
        assert int(out) >= 20
        bk = tmp_path / "bk"
        assert not (tmp_path / "bk.partial").exists()
        manifest = json.loads((bk / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["audit_root"]["tree_size"] >= 51  # seed entries + the writer's first 20
        assert {f"files/{n}" for n in stored} <= {f["path"] for f in manifest["files"]}

        run = _fazhi(dst_env, "restore", str(bk))
        assert run.returncode == 0, run.stderr
        assert "记录数与备份一致" in run.stdout
        run = _fazhi(dst_env, "audit_verify", "--against", str(bk / "manifest.json"))
        assert run.returncode == 0, run.stderr + run.stdout
        run = _fazhi(dst_env, "evidence_verify")
        assert run.returncode == 0, run.stderr + run.stdout
        assert "不一致或缺失 0" in run.stdout
        # The restored log is the source's log up to the snapshot: the source still verifies against it too.
        run = _fazhi(src_env, "audit_verify", "--against", str(bk / "manifest.json"))
        assert run.returncode == 0, run.stderr
        run = _fazhi(dst_env, "restore", str(bk))
        assert run.returncode != 0 and "拒绝覆盖" in run.stderr
    finally:
        if restore_db:
            import psycopg

            with psycopg.connect(_pg_url("postgres"), autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{restore_db}" WITH (FORCE)')


def test_a_backup_with_a_changed_file_or_an_interrupted_one_is_refused(tmp_path):
    bk = tmp_path / "bk"
    (bk / "files").mkdir(parents=True)
    (bk / "files" / "a.bin").write_bytes(b"abc")
    import hashlib

    manifest = {"format": "fazhi-backup/1", "files": [{"path": "files/a.bin", "size": 3,
                                                        "sha256": hashlib.sha256(b"abc").hexdigest()}]}
    (bk / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert manifest_check(bk)["format"] == "fazhi-backup/1"
    (bk / "files" / "a.bin").write_bytes(b"abd")
    with pytest.raises(DomainError, match="SHA-256 与清单不符"):
        manifest_check(bk)
    (bk / "files" / "a.bin").unlink()
    with pytest.raises(DomainError, match="缺少文件"):
        manifest_check(bk)
    partial = tmp_path / "x.partial"
    shutil.copytree(bk, partial)
    with pytest.raises(DomainError, match="中断的备份"):
        manifest_check(partial)
    with pytest.raises(DomainError, match="不是完整的备份"):
        manifest_check(tmp_path / "empty")


def test_backup_refuses_an_existing_directory(db, tmp_path):
    from fazhi.audit.backup import backup_create

    (tmp_path / "bk").mkdir()
    with pytest.raises(DomainError, match="备份目录已存在"):
        backup_create(tmp_path / "bk")
