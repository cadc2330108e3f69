"""The search index: a ledger's search uses an index on both databases instead of scanning every row.

Each registered model's searchable fields are kept, per record, as a stream of character bigrams
("张三丰" → "张三 三丰 丰") in `core.SearchEntry`, indexed by SQLite FTS5 (unicode61) or by a PostgreSQL GIN
index over `to_tsvector('simple', grams)`. The query is segmented with jieba as before (`core.search.words`),
and each word becomes the phrase of its bigrams — so a record matches exactly when every word is a
substring of one of its fields, as the `icontains` search did (word segmentation alone would lose "三丰" inside
"张三丰"; bigrams are how CJK full-text engines such as Lucene's CJK analyzer keep substrings findable).

    search_index.register(Dispute, ["number", "summary"])      # in AppConfig.ready()

Entries are written by a post_save/post_delete hook inside the service's transaction (a rolled-back write
leaves no entry); writes that skip signals (bulk_create in imports and benchmarks) call `index_new(model,
objs)` for what they wrote, or `reindex(model)`, or run `fazhi search_reindex`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from fazhi.core.search import words

MAX_CHARS = 20_000  # per record: far beyond any ledger field a person types; bounds the index
_REGISTRY: dict[type, tuple[str, ...]] = {}


@dataclass(frozen=True)
class Searchable:
    """How the one search box shows a model's records (only models registered with read_roles appear)."""

    model: type
    label: str                      # 纠纷、案件、依申请公开…
    read_roles: frozenset
    url: Callable                   # url(obj) -> the record page
    ledger: str = ""                # URL name of the ledger ("查看全部" goes there with ?q=)
    order: int = 100


_SEARCHABLE: dict[type, Searchable] = {}


def _is_token_char(ch: str) -> bool:
    """The characters unicode61 (and PostgreSQL's parser) keep inside a token: letters and digits."""
    return unicodedata.category(ch)[0] in {"L", "N"}


def _runs(text: str) -> list[str]:
    out, cur = [], []
    for ch in (text or "").lower():
        if _is_token_char(ch):
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def grams_of(text: str) -> str:
    """Bigrams of every run of letters/digits, then the run's last character alone (for one-character words)."""
    tokens = []
    for run in _runs(text[:MAX_CHARS]):
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        tokens.append(run[-1])
    return " ".join(tokens)


def record_text(obj, fields: Sequence[str]) -> str:
    return "\n".join(str(getattr(obj, f, "") or "") for f in fields)


def register(model, fields: Iterable[str], *, label: str = "", read_roles: Iterable[str] | None = None,
             url: Callable | None = None, ledger: str = "", order: int = 100) -> None:
    """Index `fields` of `model`; with label/read_roles/url its records also appear in the one search box."""
    _REGISTRY[model] = tuple(fields)
    if read_roles is not None and url is not None:
        _SEARCHABLE[model] = Searchable(model, label or str(model._meta.verbose_name), frozenset(read_roles), url,
                                        ledger, order)
    uid = f"search-index-{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid + "-save", weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid + "-delete", weak=False)


def unregister(model) -> None:
    uid = f"search-index-{model._meta.label}"
    post_save.disconnect(sender=model, dispatch_uid=uid + "-save")
    post_delete.disconnect(sender=model, dispatch_uid=uid + "-delete")
    _REGISTRY.pop(model, None)
    _SEARCHABLE.pop(model, None)


def searchables() -> list[Searchable]:
    return sorted(_SEARCHABLE.values(), key=lambda s: (s.order, s.label))


def registered_models() -> list:
    return list(_REGISTRY)


def registered_fields(model) -> tuple[str, ...] | None:
    return _REGISTRY.get(model)


def _ct(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model, for_concrete_model=False)


def _saved(sender, instance, raw=False, **kwargs):
    from fazhi.core.models import SearchEntry

    entry = SearchEntry(content_type=_ct(sender), object_id=instance.pk,
                        grams=grams_of(record_text(instance, _REGISTRY[sender])))
    # one statement (INSERT … ON CONFLICT DO UPDATE) per write, on both databases
    SearchEntry.objects.bulk_create([entry], update_conflicts=True, unique_fields=["content_type", "object_id"],
                                    update_fields=["grams"])


def _deleted(sender, instance, **kwargs):
    from fazhi.core.models import SearchEntry

    SearchEntry.objects.filter(content_type=_ct(sender), object_id=instance.pk).delete()


def index_new(model, objs: Iterable) -> int:
    """The entries of records just created without signals (bulk_create, core.bulk): the same text the
    post_save hook writes, as plain INSERTs (no entry can exist yet); a model not registered is left alone.
    Returns the number indexed."""
    from fazhi.core.bulk import insert_rows
    from fazhi.core.models import SearchEntry

    fields = _REGISTRY.get(model)
    if fields is None:
        return 0
    ct = _ct(model).pk
    return insert_rows(SearchEntry, ["content_type_id", "object_id", "grams"],
                       ((ct, o.pk, grams_of(record_text(o, fields))) for o in objs))


def reindex(model, *, chunk: int = 2000) -> int:
    """Rebuild the entries of `model` (after writes that skipped signals). Returns the number indexed."""
    from django.db import transaction

    from fazhi.core.models import SearchEntry

    fields, ct, n = _REGISTRY[model], _ct(model), 0
    with transaction.atomic():
        SearchEntry.objects.filter(content_type=ct).delete()
        batch = []
        for obj in model._base_manager.only("pk", *fields).iterator(chunk_size=chunk):
            batch.append(SearchEntry(content_type=ct, object_id=obj.pk, grams=grams_of(record_text(obj, fields))))
            if len(batch) >= chunk:
                SearchEntry.objects.bulk_create(batch)
                n, batch = n + len(batch), []
        SearchEntry.objects.bulk_create(batch)
    return n + len(batch)


def _word_query(word: str) -> list[tuple[str, bool]]:
    """(phrase of bigrams, is_prefix) for each letter/digit run of a query word."""
    out = []
    for run in _runs(word):
        if len(run) == 1:
            out.append((run, True))
        else:
            out.append((" ".join(run[i:i + 2] for i in range(len(run) - 1)), False))
    return out


def _match_sql(query: str) -> tuple[str, str] | None:
    """The backend's match expression for `query` (every word must match), or None if nothing to match."""
    parts = [p for w in words(query) for p in _word_query(w)]
    if not parts:
        return None
    if connection.vendor == "sqlite":
        expr = " AND ".join(f"{p}*" if prefix else f'"{p}"' for p, prefix in parts)
        return "fts5", expr
    expr = " & ".join(f"{p}:*" if prefix else "(" + " <-> ".join(p.split()) + ")" for p, prefix in parts)
    return "tsquery", expr


def ids_sql(model, match: tuple[str, str]) -> tuple[str, tuple]:
    """The index lookup: SELECT the ids of `model`'s records whose entry matches."""
    kind, expr = match
    ct = _ct(model).pk
    if kind == "fts5":
        return ("SELECT e.object_id FROM core_searchentry e JOIN core_search_fts f ON f.rowid = e.id "
                "WHERE core_search_fts MATCH %s AND e.content_type_id = %s", (expr, ct))
    return ("SELECT object_id FROM core_searchentry WHERE content_type_id = %s "
            "AND to_tsvector('simple'::regconfig, grams) @@ to_tsquery('simple'::regconfig, %s)", (ct, expr))


def search_filter(model, query: str) -> Q | None:
    """A filter on `model`'s pk from the index, or None when the model is not indexed on this database
    (the caller then falls back to `core.search.search_q`). A word with punctuation inside ("2024-007",
    "〔2024〕") is matched through the index by its letter/digit runs and then checked literally, so the
    result is exactly the `icontains` one."""
    fields = _REGISTRY.get(model)
    if fields is None or connection.vendor not in {"sqlite", "postgresql"}:
        return None
    match = _match_sql(query)
    if match is None:
        return Q()
    q = Q(pk__in=RawSQL(*ids_sql(model, match)))
    literal = [w for w in words(query) if _runs(w) and not all(_is_token_char(ch) for ch in w)]
    if literal:
        q &= _all_literal(literal, fields)
    return q


def _all_literal(literal: list[str], fields) -> Q:
    q = Q()
    for word in literal:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": word})
        q &= any_field
    return q


def search_everywhere(user, query: str, *, per_kind: int = 10) -> list[dict]:
    """The one search box: every registered kind the user may read, scope applied, newest first."""
    from fazhi.core.scope import has_role

    out = []
    for s in searchables():
        if not has_role(user, s.read_roles):
            continue
        match = search_filter(s.model, query)
        if match is None or match == Q():
            continue
        rows = list(s.model.objects.visible_to(user, roles=s.read_roles).filter(match).order_by("-pk")[:per_kind + 1])
        if rows:
            out.append({"kind": s, "rows": [(obj, s.url(obj)) for obj in rows[:per_kind]],
                        "more": len(rows) > per_kind})
    return out
