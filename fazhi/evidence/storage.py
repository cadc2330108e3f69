"""Streaming to a temp file while hashing, then a write-once, content-addressed move into storage.

Constant memory whatever the size: bytes go through one CHUNK-sized buffer, hashed on the way.
Storage is Django's default storage (local disk under MEDIA_ROOT, or S3 when configured); on local
disk the finished temp file is renamed into place (same file system), never copied.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage

from fazhi.core.errors import DomainError
from fazhi.evidence import conf
from fazhi.evidence.sniff import SNIFF_BYTES, Sniffed, check
from fazhi.evidence.structure import verify_structure

CHUNK = 1024 * 1024


def safe_filename(name: str) -> str:
    """The name as the user saw it, made harmless: no directories, no '..', no control characters.
    It is only ever shown and put in Content-Disposition; storage names are the SHA-256."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\.{2,}", ".", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else name[:200]
    return name or "未命名文件"


def blob_name(township_code: str, sha256: str) -> str:
    return f"evidence/{township_code}/{sha256[:2]}/{sha256}"


def new_temp_path(prefix: str = "ingest-") -> Path:
    fd, path = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=conf.temp_dir())
    os.close(fd)
    return Path(path)


@dataclass
class Spooled:
    path: Path
    sha256: str
    size: int
    sniffed: Sniffed


def spool(fileobj, filename: str) -> Spooled:
    """Copy `fileobj` into a temp file, hashing while streaming; refuse non-evidence content as soon as
    the first bytes arrive and anything over the size limit. The temp file is removed on any error."""
    limit = conf.max_bytes()
    path = new_temp_path()
    hasher = hashlib.sha256()
    size = 0
    head = b""
    sniffed = None
    try:
        with open(path, "wb") as out:
            while True:
                chunk = fileobj.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise DomainError(f"文件超过大小上限（{limit // 1024**2} MB）。")
                if sniffed is None:
                    head += chunk[: SNIFF_BYTES - len(head)]
                    if len(head) >= SNIFF_BYTES:
                        sniffed = check(head, filename)
                hasher.update(chunk)
                out.write(chunk)
            if sniffed is None:
                sniffed = check(head, filename)
            out.flush()
            os.fsync(out.fileno())
        verify_structure(path, sniffed)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path, hasher.hexdigest(), size, sniffed)


def hash_file(path_or_file) -> tuple[str, int]:
    """SHA-256 and size of a file (path or open binary file), streaming."""
    hasher = hashlib.sha256()
    size = 0
    fh = open(path_or_file, "rb") if isinstance(path_or_file, (str, Path)) else path_or_file
    try:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            hasher.update(chunk)
            size += len(chunk)
    finally:
        fh.close()
    return hasher.hexdigest(), size


class _TempFile(File):
    """Tells FileSystemStorage it may move the file instead of copying it."""

    def __init__(self, path: Path):
        super().__init__(open(path, "rb"), name=path.name)
        self._path = str(path)

    def temporary_file_path(self) -> str:
        return self._path


def store_once(temp_path: Path, name: str) -> str:
    """Move the finished temp file into storage under its content address. An existing file at that
    name can only be an orphan left by a crash between the move and the database commit (registered
    content is found through its Blob row first), so it is replaced."""
    storage = default_storage
    if storage.exists(name):
        storage.delete(name)
    wrapped = _TempFile(temp_path)
    try:
        saved = storage.save(name, wrapped)
    finally:
        wrapped.close()
    Path(temp_path).unlink(missing_ok=True)  # a copying backend (S3) leaves the temp file behind
    try:
        os.chmod(storage.path(saved), 0o444)  # write-once on local disk
    except (NotImplementedError, AttributeError, OSError):
        pass
    return saved


def delete_stored(name: str) -> None:
    storage = default_storage
    try:
        os.chmod(storage.path(name), 0o644)
    except (NotImplementedError, AttributeError, OSError):
        pass
    storage.delete(name)


def open_stored(name: str):
    return default_storage.open(name, "rb")
