"""Writes for field mode: run the module's own create service once per idempotency key.

The record and its FieldSubmission row are saved in one transaction, so either both exist or neither:
a refused submission leaves nothing, and its key may be sent again after the entry is corrected."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db import IntegrityError, transaction

from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.writes import save_audited
from fazhi.field.models import FieldSubmission


class FieldConflict(ConflictError):
    """The record the offline entry would write was recorded or changed by someone else meanwhile (HTTP 409):
    never overwritten; the outbox shows it as 冲突 with this message and a link to the server's record."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(message)
        self.url = url


KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def check_key(key: str) -> str:
    key = (key or "").strip()
    if not KEY_RE.fullmatch(key):
        raise DomainError("缺少或无效的提交编号（幂等键），请从离线待发送列表重新发送。")
    return key


def field_submit(*, actor, key: str, kind: str, create: Callable[[], tuple]) -> tuple[FieldSubmission, bool]:
    """(submission, created). `create()` runs the module's service and returns (record, township, label, url)."""
    key = check_key(key)
    first = FieldSubmission.objects.filter(user=actor, key=key).first()
    if first is None:
        try:
            with transaction.atomic():
                record, township, label, url = create()
                sub = FieldSubmission(township=township, user=actor, key=key, kind=kind, object_id=record.pk,
                                      label=label, url=url)
                save_audited(sub, actor=actor, reason="离线现场登记同步")
                return sub, True
        except IntegrityError:
            # Two tabs sent the same entry at once: the other one won, answer with its result.
            first = FieldSubmission.objects.filter(user=actor, key=key).first()
            if first is None:
                raise
    if first.kind != kind:
        raise DomainError("该提交编号已用于其他表单，请重新登记。")
    return first, False
