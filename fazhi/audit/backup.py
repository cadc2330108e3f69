"""`fazhi backup` / `fazhi restore`: database + every stored file + manifest (SHA-256 of each file, record counts
and the latest signed audit root), taken online while the server writes.

Consistency: the database is one snapshot (SQLite online backup API in one step; PostgreSQL `pg_dump` of an
exported REPEATABLE READ snapshot, counted in that same snapshot). Stored files are write-once and written before
the row that names them commits, so every file the snapshot refers to exists when the files are copied after it;
files that arrive later are harmless extras. The backup is built in DIR.partial and renamed at the end.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from fazhi.core.errors import DomainError

FORMAT = "fazhi-backup/1"
FILES_DIR = "files"
SQLITE_NAME = "db.sqlite3"
PG_NAME = "db.pgdump"
CHUNK = 1024 * 1024


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed})


def _snapshot_facts(cursor) -> dict:
    """Record counts and the latest signed audit root, read inside the backed-up snapshot."""
    counts = {}
    existing = set(connection.introspection.table_names())
    for table in _tables():
        if table in existing:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT tree_size, root_hash, signature, key_fingerprint FROM audit_checkpoint "
                   "WHERE signature <> '' ORDER BY tree_size DESC LIMIT 1")
    row = cursor.fetchone()
    root = dict(zip(("tree_size", "root_hash", "signature", "key_fingerprint"), row, strict=True)) if row else None
    return {"counts": counts, "audit_root": root}


def _pg_env(sd: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if sd.get(key):
            env[var] = str(sd[key])
    return env


def _backup_database(target: Path) -> tuple[str, dict]:
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dst = sqlite3.connect(target / SQLITE_NAME)
        try:
            connection.connection.backup(dst)  # one step (pages=-1): a consistent snapshot; WAL writers go on
            facts = _snapshot_facts(dst.cursor())
        finally:
            dst.close()
        return SQLITE_NAME, facts
    if connection.vendor == "postgresql":
        import psycopg

        raw = connection.get_new_connection(connection.get_connection_params())
        try:
            raw.autocommit = False
            raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            cur = raw.cursor()
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            facts = _snapshot_facts(cur)
            run = subprocess.run(["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f",
                                  str(target / PG_NAME), "-d", sd["NAME"]], env=_pg_env(sd),
                                 capture_output=True, text=True)
            if run.returncode != 0:
                raise DomainError(f"pg_dump 失败：{run.stderr.strip()[:500]}")
        finally:
            raw.close()
        return PG_NAME, facts
    raise DomainError(f"不支持备份此类数据库：{connection.vendor}")


def _walk_storage(prefix: str = ""):
    try:
        dirs, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return
    for f in sorted(files):
        yield f"{prefix}/{f}" if prefix else f
    for d in sorted(dirs):
        yield from _walk_storage(f"{prefix}/{d}" if prefix else d)


def backup_create(output: str | Path) -> dict:
    """Write a complete backup into `output` (which must not exist yet). Returns the manifest."""
    from fazhi.audit import signing
    from fazhi.audit.services import checkpoint_create

    target = Path(output).resolve()
    if target.exists():
        raise DomainError(f"备份目录已存在：{target}。请指定一个新目录，避免覆盖以前的备份。")
    partial = target.with_name(target.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)  # left by an interrupted run: never looked complete
    partial.mkdir(parents=True)
    try:
        checkpoint_create()  # sign the newest root so the manifest covers (almost) every entry
    except DomainError:
        pass  # an empty log has nothing to sign
    db_file, facts = _backup_database(partial)
    entries = [{"path": db_file, "sha256": _sha256(partial / db_file), "size": (partial / db_file).stat().st_size}]
    for name in _walk_storage():
        dest = partial / FILES_DIR / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out, CHUNK)
        except FileNotFoundError:  # removed by retention after the listing; the snapshot may still name it
            continue
        entries.append({"path": f"{FILES_DIR}/{name}", "sha256": _sha256(dest), "size": dest.stat().st_size})
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": {"vendor": connection.vendor, "file": db_file},
        "files": entries,
        "counts": facts["counts"],
        "audit_root": facts["audit_root"],
        "public_key": signing.public_key_b64(),
        "key_fingerprint": signing.fingerprint(),
        "keys": signing.keyring_export(),  # public keys only: the private key is backed up apart
    }
    with open(partial / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    partial.rename(target)
    return manifest


def manifest_check(source: str | Path) -> dict:
    """Read DIR/manifest.json and re-hash every file it lists; DomainError names what is missing or changed."""
    src = Path(source)
    if src.name.endswith(".partial"):
        raise DomainError("这是一次中断的备份（目录名以 .partial 结尾），不能用于恢复。")
    try:
        manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise DomainError(f"{src} 中没有可读的 manifest.json：不是完整的备份。") from None
    if manifest.get("format") != FORMAT:
        raise DomainError("备份格式不认识。")
    problems = []
    for f in manifest["files"]:
        path = src / f["path"]
        if not path.is_file():
            problems.append(f"缺少文件 {f['path']}")
        elif _sha256(path) != f["sha256"]:
            problems.append(f"文件 {f['path']} 的 SHA-256 与清单不符")
    if problems:
        raise DomainError("备份校验未通过：" + "；".join(problems[:10]) + ("……" if len(problems) > 10 else ""))
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def _storage_is_empty() -> bool:
    return next(iter(_walk_storage()), None) is None


def restore_run(source: str | Path) -> dict:
    """Restore a verified backup into an empty database and an empty file store, then check record counts."""
    src = Path(source)
    manifest = manifest_check(src)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise DomainError(f"备份来自 {vendor} 数据库，当前配置的是 {connection.vendor}。")
    if not _database_is_empty():
        raise DomainError("目标数据库不是空的：拒绝覆盖。请在空的数据目录或空数据库上恢复。")
    if not _storage_is_empty():
        raise DomainError("目标文件存储不是空的：拒绝覆盖。请在空的数据目录上恢复。")
    db_file = src / manifest["database"]["file"]
    if vendor == "sqlite":
        connection.close()
        name = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        backup_src = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        dst = sqlite3.connect(name)
        try:
            backup_src.backup(dst)
        finally:
            backup_src.close()
            dst.close()
    else:
        sd = connection.settings_dict
        connection.close()
        run = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", sd["NAME"],
                              str(db_file)], env=_pg_env(sd), capture_output=True, text=True)
        if run.returncode != 0:
            raise DomainError(f"pg_restore 失败：{run.stderr.strip()[:500]}")
    for f in manifest["files"]:
        if not f["path"].startswith(FILES_DIR + "/"):
            continue
        name = f["path"][len(FILES_DIR) + 1:]
        with open(src / f["path"], "rb") as fh:
            saved = default_storage.save(name, File(fh))
        if saved != name:
            raise DomainError(f"文件 {name} 恢复后名称变成了 {saved}：目标存储不是空的。")
    with connection.cursor() as cur:
        counts = _snapshot_facts(cur)["counts"]
    diff = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if diff:
        raise DomainError("恢复后的记录数与备份时不符：" + "；".join(f"{t} 备份{a}条、恢复后{b}条"
                                                          for t, (a, b) in list(diff.items())[:10]))
    _restore_keyring(manifest)
    return manifest


def _restore_keyring(manifest: dict) -> None:
    """After a key rotation the older checkpoints verify only with the retired public keys: put the backup's
    keyring back when this machine has the backed-up key but no keyring (it checks itself by its endorsements)."""
    from fazhi.audit import signing

    try:
        records = [signing.KeyRecord.from_dict(k) for k in manifest.get("keys") or []]
        if len(records) < 2 or signing.keyring_path().exists() or not signing.key_path().exists():
            return
        if records[-1].public_key == signing.public_key_bytes() and not signing.keyring_problems(records):
            signing.write_keyring(records)
    except (KeyError, TypeError, ValueError, signing.KeyringError):
        return


def key_warning(manifest: dict) -> str:
    """Checkpoints verify only with the key that signed them: it is kept apart from the backup."""
    from fazhi.audit import signing

    if not signing.key_path().exists() or signing.fingerprint() != manifest.get("key_fingerprint"):
        return (f"提示：本机的审计签名密钥（{signing.key_path()}）与备份时不同。请把原密钥文件放回该位置，"
                f"否则 audit_verify 会报告检查点签名无效。备份时公钥指纹：{manifest.get('key_fingerprint', '')}")
    return ""
