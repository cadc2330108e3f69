"""Resumable uploads (tus 1.0 core + creation + termination) into a temp file under FAZHI_DATA_DIR.

Hashing. hashlib objects cannot be saved, so the SHA-256 state cannot survive in the database.
The worker process that receives a chunk keeps the running hash in memory, keyed by (upload,
offset); the next chunk continues it if it reaches the same process at the same offset (the common
case: one browser, one keep-alive connection, one worker). If the chain is broken — a resume after
a server restart, a crash mid-chunk, another worker — nothing is re-read at that moment: the hash
is simply marked missing, and on completion ONE streaming pass over the finished file computes it.
Correct in every case (bytes below the committed offset never change), at most one extra read,
constant memory, no per-chunk re-hashing (which would be quadratic).

Durability. A chunk's bytes are fsync'ed before its offset is committed, so an acknowledged offset
is never lost; a chunk cut off half-way keeps what arrived (tus semantics); bytes written past the
committed offset by a killed worker are truncated away on the next request. Nothing becomes
evidence until the final chunk is hashed, sniffed and registered in one transaction.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import queue
import threading
from collections import OrderedDict
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import ConflictError, DomainError
from fazhi.evidence import conf
from fazhi.evidence.models import EvidenceFile, UploadSession, UploadStatus
from fazhi.evidence.services import register_spooled, validated_meta
from fazhi.evidence.sniff import (
    ARCHIVE_EXTENSIONS,
    ARCHIVE_REFUSED,
    EXECUTABLE_EXTENSIONS,
    SNIFF_BYTES,
    ContentRefused,
    check,
)
from fazhi.evidence.storage import CHUNK, hash_file, safe_filename
from fazhi.evidence.structure import verify_structure


class UploadLocked(ConflictError):
    def __init__(self):
        super().__init__("该文件正在另一个连接中上传，请稍候。")


class OffsetMismatch(ConflictError):
    def __init__(self, expected: int):
        super().__init__(f"分块偏移量不符：服务器已接收 {expected} 字节。")
        self.expected = expected


class UploadGone(DomainError):
    pass


# Request bodies are read in 1 MB pieces (gunicorn copies each piece a few times: bigger pieces
# cost more peak memory and, measured, no speed); at most 4 wait for the disk writer.
READ_SIZE = CHUNK
WRITE_QUEUE = 4
WRITEBACK_EVERY = 8 * CHUNK


def _start_writeback(fd: int, flushed: int, written: int) -> int:
    """Ask the kernel to start writing what we wrote so far (asynchronously) and not keep it cached:
    the disk works while the network delivers, so the fsync before acknowledging a chunk is short,
    and a 4 GB upload does not push everything else out of the page cache."""
    if written - flushed < WRITEBACK_EVERY:
        return flushed
    try:
        os.posix_fadvise(fd, flushed, written - flushed, os.POSIX_FADV_DONTNEED)
    except (AttributeError, OSError):
        pass
    return written


class _BackgroundWriter:
    """Writes to the temp file in a second thread while the request thread receives and hashes the
    next piece, so the network and the disk work at the same time (as `tee | openssl` do in a pipe).
    At most `depth` pieces wait in memory."""

    def __init__(self, fh, start: int, depth: int = WRITE_QUEUE):
        self.fh, self.start, self.flushed = fh, start, start
        self.written = 0
        self.error: OSError | None = None
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.thread = threading.Thread(target=self._run, name="evidence-writer", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            chunk = self.queue.get()
            try:
                if chunk is None:
                    return
                if self.error is not None:
                    continue
                view = memoryview(chunk)
                while view:
                    view = view[self.fh.write(view):]
                self.written += len(chunk)
                self.flushed = _start_writeback(self.fh.fileno(), self.flushed, self.start + self.written)
            except OSError as e:
                self.error = e
            finally:
                self.queue.task_done()

    def put(self, chunk: bytes) -> None:
        self.queue.put(chunk)

    def drain(self) -> int:
        """Wait until every queued piece is written; the bytes written so far."""
        self.queue.join()
        return self.written

    def close(self) -> int:
        self.queue.put(None)
        self.thread.join()
        return self.written


_HASHERS: OrderedDict[str, tuple[int, object]] = OrderedDict()
_HASHERS_LOCK = threading.Lock()
_HASHERS_MAX = 256


def _hasher_take(key: str, offset: int):
    with _HASHERS_LOCK:
        found = _HASHERS.pop(key, None)
    if offset == 0:
        return hashlib.sha256()
    if found and found[0] == offset:
        return found[1]
    return None


def _hasher_put(key: str, offset: int, hasher) -> None:
    if hasher is None:
        return
    with _HASHERS_LOCK:
        _HASHERS[key] = (offset, hasher)
        while len(_HASHERS) > _HASHERS_MAX:
            _HASHERS.popitem(last=False)


def temp_path(upload: UploadSession) -> Path:
    return conf.temp_dir() / f"tus-{upload.pk}.part"


def upload_create(*, actor, township, length: int, filename: str, subject=None, stage, device="", officers=(),
                  started_at=None, ended_at=None, place="", description="", purpose="上传") -> UploadSession:
    """Validate everything that can be validated before a byte is sent, then open the upload."""
    meta = validated_meta(actor=actor, township=township, subject=subject, stage=stage, officers=officers,
                           started_at=started_at, ended_at=ended_at)
    limit = conf.max_bytes()
    if length <= 0:
        raise DomainError("文件为空，不能作为证据。")
    if length > limit:
        raise DomainError(f"文件超过大小上限（{limit // 1024**2} MB）。")
    name = safe_filename(filename)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in EXECUTABLE_EXTENSIONS:
        raise ContentRefused("该文件是可执行程序或脚本，不能作为证据上传。")
    if ext in ARCHIVE_EXTENSIONS:
        raise ContentRefused(ARCHIVE_REFUSED)
    upload = UploadSession(
        township=township, user=actor, length=length, filename=name,
        metadata={
            "subject_type": subject._meta.label_lower if subject is not None else "",
            "subject_id": str(subject.pk) if subject is not None else "",
            "stage": stage, "device": device[:120], "officers": [u.pk for u in meta["officers"]],
            "started_at": started_at.isoformat() if started_at else "",
            "ended_at": ended_at.isoformat() if ended_at else "",
            "place": place[:200], "description": description, "purpose": purpose[:500],
        })
    upload.full_clean()
    upload.save()
    temp_path(upload).touch()
    return upload


def current_offset(upload: UploadSession) -> int:
    """The committed offset, lowered to what the temp file really holds (after a crash or disk loss)."""
    if upload.status != UploadStatus.RECEIVING:
        return upload.offset
    path = temp_path(upload)
    actual = path.stat().st_size if path.exists() else 0
    if actual < upload.offset:
        UploadSession.objects.filter(pk=upload.pk).update(offset=actual)
        upload.offset = actual
    return upload.offset


def _fail(upload: UploadSession, message: str) -> None:
    temp_path(upload).unlink(missing_ok=True)
    UploadSession.objects.filter(pk=upload.pk).update(status=UploadStatus.FAILED, error=message[:200])
    upload.status, upload.error = UploadStatus.FAILED, message[:200]


def upload_append(*, actor, upload: UploadSession, offset: int, stream, content_length: int | None):
    """Append a chunk at `offset` (409 if it is not where we are). Returns the updated upload and, on
    the last chunk, the registered EvidenceFile."""
    if upload.user_id != actor.pk:
        raise DomainError("只能续传本人发起的上传。")
    path = temp_path(upload)
    if upload.status != UploadStatus.RECEIVING:
        raise UploadGone(upload.error or "该上传已结束。")
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b", buffering=0) as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UploadLocked() from None
        upload.refresh_from_db()
        if upload.status != UploadStatus.RECEIVING:
            raise UploadGone(upload.error or "该上传已结束。")
        committed = current_offset(upload)
        if offset != committed:
            raise OffsetMismatch(committed)
        remaining = upload.length - committed
        if content_length is not None and content_length > remaining:
            raise DomainError("分块超出了声明的文件大小。")
        fh.truncate(committed)  # drop anything a killed request wrote past the committed offset
        fh.seek(committed)
        key = str(upload.pk)
        hasher = _hasher_take(key, committed)
        want = remaining if content_length is None else content_length
        received = 0
        error = None
        slice_bytes = conf.durable_slice_bytes()
        durable = committed  # the offset recorded in the database: fsync'ed bytes only
        writer = _BackgroundWriter(fh, committed)
        try:
            while received < want and writer.error is None:
                chunk = stream.read(min(READ_SIZE, want - received))
                if not chunk:
                    break
                if hasher is not None:
                    hasher.update(chunk)
                writer.put(chunk)
                received += len(chunk)
                if committed + received - durable >= slice_bytes and received < want:
                    # A worker killed mid-chunk (timeout, restart, OOM) keeps every slice made durable here.
                    durable = _make_durable(upload, fh, durable, committed + writer.drain())
            if content_length is None and received == want and stream.read(1):
                error = DomainError("分块超出了声明的文件大小。")  # a chunked body longer than the upload
        except OSError as e:  # connection dropped mid-chunk: keep what arrived (tus semantics)
            error = e
        finally:
            written = writer.close()
        if writer.error is not None:
            os.fsync(fh.fileno())
            UploadSession.objects.filter(pk=upload.pk, offset=durable).update(offset=committed + written)
            raise DomainError("服务器写入文件失败（磁盘空间不足？），请稍后续传。")
        if isinstance(error, DomainError):
            raise error  # nothing past the durable offset is acknowledged; the next request truncates it
        if conf.fsync_chunks():
            os.fsync(fh.fileno())
        new_offset = committed + received
        if new_offset < upload.length or error is not None:
            UploadSession.objects.filter(pk=upload.pk, offset=durable).update(offset=new_offset,
                                                                            updated_at=timezone.now())
            upload.offset = new_offset
            _hasher_put(key, new_offset, hasher)
            if error is None and new_offset >= min(SNIFF_BYTES, upload.length) and committed < SNIFF_BYTES:
                _sniff_early(upload, path)
            return upload, None
        return upload, _finish(upload, path, hasher)


def _make_durable(upload: UploadSession, fh, durable: int, offset: int) -> int:
    """fsync what was written up to `offset` and record it as the upload's offset (the resume point)."""
    if offset <= durable:
        return durable
    if conf.fsync_chunks():
        os.fsync(fh.fileno())
    UploadSession.objects.filter(pk=upload.pk, offset=durable).update(offset=offset, updated_at=timezone.now())
    return offset


def _sniff_early(upload: UploadSession, path: Path) -> None:
    """Refuse an executable or unknown format as soon as its first bytes arrive, not after 4 GB."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    try:
        check(head, upload.filename)
    except DomainError as e:
        _fail(upload, e.message)
        raise


def _parse_dt(value: str):
    return dt.datetime.fromisoformat(value) if value else None


def _finish(upload: UploadSession, path: Path, hasher) -> EvidenceFile:
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    try:
        sniffed = check(head, upload.filename)
        verify_structure(path, sniffed)
    except DomainError as e:
        _fail(upload, e.message)
        raise
    if hasher is not None:
        sha256 = hasher.hexdigest()
    else:
        sha256, _ = hash_file(path)  # the one streaming pass when the in-process chain was broken
    meta = upload.metadata
    from fazhi.evidence.selectors import subject_model

    subject = None
    if meta.get("subject_type"):
        model = subject_model(meta["subject_type"])
        subject = model._default_manager.filter(pk=meta["subject_id"]).first() if model else None
        if subject is None:
            _fail(upload, "关联对象已不存在。")
            raise DomainError("关联对象已不存在。")
    try:
        with transaction.atomic():
            evidence = register_spooled(
                actor=upload.user, township=upload.township, temp_path=path, sha256=sha256, size=upload.length,
                sniffed=sniffed, filename=upload.filename, subject=subject, stage=meta["stage"],
                device=meta.get("device", ""), officers=meta.get("officers", []),
                started_at=_parse_dt(meta.get("started_at", "")), ended_at=_parse_dt(meta.get("ended_at", "")),
                place=meta.get("place", ""), description=meta.get("description", ""),
                purpose=meta.get("purpose", "") or "上传")
            UploadSession.objects.filter(pk=upload.pk).update(offset=upload.length, status=UploadStatus.DONE,
                                                              evidence=evidence, updated_at=timezone.now())
    except DomainError as e:
        _fail(upload, e.message)
        raise
    upload.offset, upload.status, upload.evidence = upload.length, UploadStatus.DONE, evidence
    return evidence


def upload_terminate(*, actor, upload: UploadSession) -> None:
    if upload.user_id != actor.pk:
        raise DomainError("只能取消本人发起的上传。")
    if upload.status == UploadStatus.DONE:
        raise DomainError("上传已完成，证据只能按规定销毁，不能取消。")
    temp_path(upload).unlink(missing_ok=True)
    upload.delete()


def uploads_cleanup(*, now=None) -> int:
    """Remove abandoned uploads (and stray temp files of interrupted imports)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=conf.upload_expiry_hours())
    stale = list(UploadSession.objects.filter(updated_at__lt=cutoff).exclude(status=UploadStatus.DONE))
    for upload in stale:
        temp_path(upload).unlink(missing_ok=True)
        upload.delete()
    UploadSession.objects.filter(updated_at__lt=cutoff, status=UploadStatus.DONE).delete()
    for stray in conf.temp_dir().glob("ingest-*.part"):
        if dt.datetime.fromtimestamp(stray.stat().st_mtime, tz=dt.UTC) < cutoff:
            stray.unlink(missing_ok=True)
    return len(stale)
