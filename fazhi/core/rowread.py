"""Rows without the ORM's query compiler, for the reads every signed-in request makes.

Building a `.get(pk=…)` queryset costs ≈ 0.25 ms of Python before the database is asked (≈ 0.04 ms on
SQLite): for the session, the user and their memberships that was most of what a signed-in trivial page
cost over an anonymous one. The SQL and the value converters are built once per model, database and
condition; values are prepared by their fields and each row goes through the same converters and
`Model.from_db` as a queryset's rows, so the instances are the ones `.get()` / `select_related` give.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connections, router

OPERATORS = {"=", ">", "<", ">=", "<="}


def columns(connection, model, table_alias: str):
    """SELECT list, attnames and (index, col, converters) of a model's concrete fields."""
    quote, fields = connection.ops.quote_name, model._meta.concrete_fields
    select = [f"{table_alias}.{quote(f.column)}" for f in fields]
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((i, col, found))
    return select, [f.attname for f in fields], converters


@lru_cache(maxsize=64)
def _plan(model, alias: str, conditions: tuple[tuple[str, str], ...], related: str | None):
    connection = connections[alias]
    quote, opts = connection.ops.quote_name, model._meta
    where = [opts.get_field(name) for name, _ in conditions]
    if not all(op in OPERATORS for _, op in conditions):
        raise ValueError(conditions)
    parts = [columns(connection, model, "t0")]
    sql_from = f"{quote(opts.db_table)} t0"
    fk = None
    if related:  # one forward foreign key, joined as select_related would
        fk = opts.get_field(related)
        target = fk.related_model
        parts.append(columns(connection, target, "t1"))
        sql_from += (f" INNER JOIN {quote(target._meta.db_table)} t1"
                     f" ON t1.{quote(fk.target_field.column)} = t0.{quote(fk.column)}")
    sql = (f"SELECT {', '.join(c for p in parts for c in p[0])} FROM {sql_from} WHERE "
           + " AND ".join(f"t0.{quote(f.column)} {op} %s" for f, (_, op) in zip(where, conditions, strict=True))
           + f" ORDER BY t0.{quote(opts.pk.column)}")
    return sql, where, fk, [(p[1], p[2]) for p in parts]


def instance(model, alias, connection, attnames, converters, values):
    """A model instance from its row's values, converted as a queryset converts them."""
    values = list(values)
    for i, col, funcs in converters:
        for convert in funcs:
            values[i] = convert(values[i], col, connection)
    return model.from_db(alias, attnames, values)


def fetch_all(model, conditions: tuple[tuple[str, str], ...], values: list, *, related: str | None = None,
              alias: str | None = None) -> list:
    """Instances of `model` whose rows meet every (field name, operator) condition with its value, in primary
    key order; `related` names a foreign key whose row is joined and cached on each instance. Reads where the
    router sends a read of `model`."""
    alias = alias or router.db_for_read(model)
    sql, where, fk, parts = _plan(model, alias, conditions, related)
    connection = connections[alias]
    if len(values) != len(where):
        raise TypeError(f"{len(where)} conditions, {len(values)} values")
    try:  # a malformed value (a tampered session's user id) matches nothing, as the ORM would find nothing
        params = [f.get_db_prep_value(f.to_python(v), connection) for f, v in zip(where, values, strict=True)]
    except (ValidationError, TypeError, ValueError):
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    (attnames, converters), width = parts[0], len(parts[0][0])
    for row in rows:
        obj = instance(model, alias, connection, attnames, converters, row[:width])
        if fk is not None:
            target_attnames, target_converters = parts[1]
            fk.set_cached_value(obj, instance(fk.related_model, alias, connection, target_attnames,
                                               target_converters, row[width:]))
        found.append(obj)
    return found


def fetch_one(model, conditions: tuple[tuple[str, str], ...], values: list, *, alias: str | None = None):
    """The instance for a unique condition (`.get()`'s), or None."""
    found = fetch_all(model, conditions, values, alias=alias)
    return found[0] if found else None


def by_pk(model, pk, *, alias: str | None = None):
    return fetch_one(model, ((model._meta.pk.name, "="),), [pk], alias=alias)
