"""Plain multi-row INSERTs for rows a bulk service has already built and checked (a 20,000-row import writes
~300,000 rows: model instances and Django's per-value insert compilation cost more than the database).

    insert_rows(AuditEntry, ["seq", "created_at", …], rows)   # rows: tuples in that field order

Each value is converted by its field as a save would (dates, JSON); text, numbers and foreign-key ids pass as
they are. No signals, no RETURNING: for rows whose ids the caller needs, use bulk_create."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection, models

_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey)


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *, batch_size: int = 2000) -> int:
    """INSERT `rows` (value tuples in `fields` order; a foreign key by its `<name>_id`). Returns the count."""
    meta, qn = model._meta, connection.ops.quote_name
    fs = [meta.get_field(name.removesuffix("_id") if name.endswith("_id") and not _has(meta, name) else name)
          for name in fields]
    preps = [None if isinstance(f, _AS_IS) and not isinstance(f, models.JSONField | models.BooleanField) else f
             for f in fs]
    sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fs)}) "
           f"VALUES ({', '.join(['%s'] * len(fs))})")
    seen: dict = {}  # a batch repeats its dates and timestamps: convert each once

    def prep(p, v):
        if p is None or v is None:
            return v
        if isinstance(v, dt.date):
            key = (p, v)
            if key not in seen:
                seen[key] = p.get_db_prep_save(v, connection)
            return seen[key]
        return p.get_db_prep_save(v, connection)

    def convert(row):
        return tuple(prep(p, v) for p, v in zip(preps, row, strict=True))
    n, batch = 0, []
    with connection.cursor() as cur:
        for row in rows:
            batch.append(convert(row))
            if len(batch) >= batch_size:
                cur.executemany(sql, batch)
                n, batch = n + len(batch), []
        if batch:
            cur.executemany(sql, batch)
    return n + len(batch)


def _has(meta, name: str) -> bool:
    try:
        meta.get_field(name)
    except Exception:
        return False
    return True


def insert_objects(model, objs: Sequence[models.Model], *, batch_size: int = 2000) -> int:
    """insert_rows for unsaved instances: every concrete field but the auto id, created_at/updated_at (auto_now)
    stamped as a save would. The ids are not read back: the caller finds its rows by a key it knows (the
    rows' number, their parent) — on PostgreSQL another writer's ids may interleave."""
    from django.utils import timezone

    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, models.AutoField))]
    now = timezone.now()
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for o in objs:
                setattr(o, f.attname, now)
    names = [f.attname for f in fields]
    return insert_rows(model, names, ([getattr(o, n) for n in names] for o in objs), batch_size=batch_size)
