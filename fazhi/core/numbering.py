"""One way to hand out sequential numbers (案号、文书文号、纠纷/信访/决策编号) on every database.

`allocate()` locks the (township, kind, year) counter row inside the caller's transaction, so the
number is consecutive, never duplicated under concurrent writers (PostgreSQL does not serialise them
the way SQLite does), and a rolled-back write leaves no gap. The counter never goes below what is
already stored (`floor`), so data numbered before the counter existed, or loaded by hand, is respected.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, connection, transaction

from fazhi.core.errors import DomainError


def allocate(*, township, kind: str, year: int, floor: Callable[[], int] | None = None, count: int = 1) -> int:
    """The next number for (township, kind, year). Call inside the transaction that saves the record.
    With `count`, reserves that many consecutive numbers for a batch and returns the first."""
    from fazhi.core.models import Counter

    if not connection.in_atomic_block:
        raise RuntimeError("numbering.allocate() must run inside the record's transaction.atomic()")
    counter = _locked(Counter, township, kind, year)
    if floor is not None:
        # Under the lock: the highest number already stored (existing data, imports) is the floor.
        counter.last = max(counter.last, floor() or 0)
    if count < 1:
        raise ValueError("count must be at least 1")
    counter.last += count
    counter.save(update_fields=["last"])
    return counter.last - count + 1


def _locked(Counter, township, kind: str, year: int):
    rows = Counter.objects.select_for_update()
    for _ in range(3):
        counter = rows.filter(township=township, kind=kind, year=year).first()
        if counter is not None:
            return counter
        try:
            with transaction.atomic():  # savepoint: a concurrent first writer makes this insert fail, not the caller
                Counter.objects.create(township=township, kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # created by the other writer meanwhile: lock theirs on the next pass
    raise DomainError("编号分配繁忙，请稍后重试。")


def save_unique(obj, *, field: str, make: Callable[[], str], attempts: int = 10) -> None:
    """Save `obj` whose `field` holds a random unique value (查询码), drawing a new one on a collision."""
    manager = type(obj)._default_manager
    for attempt in range(attempts):
        if attempt or not getattr(obj, field):
            setattr(obj, field, make())
        try:
            with transaction.atomic():  # savepoint: a collision must not break the caller's transaction
                obj.save(force_insert=True)
            return
        except IntegrityError:
            if not manager.filter(**{field: getattr(obj, field)}).exists():
                raise  # another constraint failed: not ours to hide
            obj.pk = None
    raise DomainError("系统繁忙，请稍后再试。")
