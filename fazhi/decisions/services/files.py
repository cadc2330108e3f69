"""Attachments: write-once files in Django storage, content-addressed by a SHA-256 computed while
streaming the upload (constant memory, any size)."""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage

from fazhi.core.errors import DomainError
from fazhi.core.files import deleted_on_error
from fazhi.core.writes import save_audited
from fazhi.decisions.models import Attachment

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


def attachment_store(*, actor, township, upload, **links) -> Attachment:
    """Store `upload` (a Django File) and link it to a decision step, an opinion or a case (`links`).
    Runs inside the caller's transaction."""
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
        if size > MAX_ATTACHMENT_BYTES:
            raise DomainError(f"附件“{upload.name}”超过{MAX_ATTACHMENT_BYTES // 1024 // 1024}MB，请压缩或拆分后上传。")
    if size == 0:
        raise DomainError(f"附件“{upload.name}”是空文件。")
    name = (upload.name or "附件").rsplit("/", 1)[-1][:200]
    att = Attachment(township=township, sha256=digest.hexdigest(), size=size, original_name=name,
                     uploaded_by=actor, **links)
    path = att.file.field.generate_filename(att, name)
    with deleted_on_error() as written:
        if default_storage.exists(path):  # same content already stored: write-once, reuse it
            att.file.name = path
        else:
            upload.seek(0)
            att.file.save(name, upload, save=False)
            written(att.file)  # new here: removed if the row below is refused
        save_audited(att, actor=actor)
    return att
