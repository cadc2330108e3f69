"""One transition service per workflow, built on this helper (STYLE.md): lock the row, check the
allowed-transition table and the guards, save, write the transition row and the audit entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from django.db import transaction

from fazhi.audit.services import audit_record
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.writes import clean


class Workflow:
    def __init__(self, name: str, allowed: Mapping[str, Iterable[str]], labels: Mapping[str, str]):
        self.name = name
        self.allowed = {k: frozenset(v) for k, v in allowed.items()}
        self.labels = dict(labels)

    def label(self, status: str) -> str:
        return self.labels.get(status, status)

    def targets(self, status: str) -> frozenset:
        return self.allowed.get(status, frozenset())

    def check(self, current: str, target: str) -> None:
        if target not in self.targets(current):
            raise DomainError(f"不能从“{self.label(current)}”变更为“{self.label(target)}”。")


Guard = Callable[[object], None]  # raises DomainError to refuse


def transition(obj, *, workflow: Workflow, to: str, actor, record_model, record_fk: str, reason="",
               guards: Iterable[Guard] = (), expected_status: str | None = None,
               on_apply: Callable[[object], None] | None = None, status_field: str = "status"):
    """Move `obj` to `to`. Refuses with DomainError (nothing changed) or ConflictError (changed meanwhile)."""
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, status_field)
        if expected_status is not None and current != expected_status:
            raise ConflictError(f"该记录已被他人处理（当前状态：{workflow.label(current)}），请刷新页面后重试。")
        workflow.check(current, to)
        for guard in guards:
            guard(locked)
        setattr(locked, status_field, to)
        if on_apply is not None:
            on_apply(locked)
        clean(locked)  # a model rule broken by the step comes back as a Chinese DomainError
        locked.save()
        if callable(reason):  # a reason that says what the step did (e.g. what a draw drew)
            reason = reason(locked)
        record_model.objects.create(**{record_fk: locked}, actor=actor, from_status=current, to_status=to,
                                    reason=reason)
        audit_record(actor=actor, action="transition", obj=locked, reason=reason,
                     changes={status_field: [workflow.label(current), workflow.label(to)]})
    return locked
