"""The search index: a ledger's search uses an index on both databases instead of scanning every row.

Each registered model's searchable fields are kept, per record, as a stream of character bigrams
("张三丰" → "张三 三丰 丰") in `core.SearchEntry`, indexed by SQLite FTS5 (unicode61) or by a PostgreSQL GIN
index over the stored `tsv = to_tsvector('simple', grams)` (a generated column, core/0006). The query is segmented with jieba as before (`core.search.words`),
and each word becomes the phrase of its bigrams — so a record matches exactly when every word is a
substring of one of its fields, as the `icontains` search did (word segmentation alone would lose "三丰" inside
"张三丰"; bigrams are how CJK full-text engines such as Lucene's CJK analyzer keep substrings findable).

    search_index.register(Dispute, ["number", "summary"])      # in AppConfig.ready()

Entries are written by a post_save/post_delete hook inside the service's transaction (a rolled-back write
leaves no entry); writes that skip signals (bulk_create in imports and benchmarks) call `index_new(model,
objs)` for what they wrote, or `reindex(model)`, or run `fazhi search_reindex`.

The one search box wants the newest few hits per kind in the user's scope, and a common word (a bigram of a
ledger's stock phrases) can match every row, so it never materialises the matches: the index is read newest
first and stops at the limit. On SQLite the FTS5 table (contentless, filled by triggers on core_searchentry)
has the record's kind, township and the township's county, city and province as terms of a second column
(`tags`: "k<content type> t<township> c<code> …", the codes kept in `SearchEntry.ancestors`) and its rowid is
`object_id * 2**20 + content type`, so `MATCH … ORDER BY rowid DESC LIMIT n` walks one kind's hits in the user's
townships newest first. A scope is matched by the fewest such terms (`index_scope`): a county's townships by the
county's one term, and a scope holding every township by none, so a county search costs what a township one does.
On PostgreSQL the walk checks the stored tsvector of the kind's newest entries in scope (a backward scan of
(content_type, township, object_id), merged over the scope's townships, or of (content_type, object_id) when the
scope holds every township), then, only when they hold too few hits (a rare word), asks the GIN index for the
matches below them. Candidates are then checked against the full scope (village members, roles) and, for words
with punctuation, literally; a short batch is topped up from further down.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from fazhi.core.search import search_q, words

MAX_CHARS = 20_000  # per record: far beyond any ledger field a person types; bounds the index
ROWID_SHIFT = 20  # SQLite FTS rowid = object_id << 20 | content type id (content type ids stay below 2**20)
PROBE = 1000  # PostgreSQL: the newest entries of a kind checked in id order before the GIN index is asked
MAX_SCOPE_TERMS = 300  # SQLite: a scope needing more tag terms reads the kind's hits without them
MAX_MERGED_TOWNSHIPS = 64  # PostgreSQL: a scope of more townships (not all) probes the kind's newest without them
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


def _has_township(model) -> bool:
    try:
        return model._meta.get_field("township").many_to_one
    except FieldDoesNotExist:  # a model outside the township tree: its entries keep township NULL
        return False


def ancestors_of(path: str | None) -> str:
    """The tags of a township's county, city and province from its region path ("/<code>/…/<code>/")."""
    return " ".join(f"c{code}" for code in (path or "").strip("/").split("/")[:-1] if code)


def _paths(township_ids: Iterable) -> dict[int, str]:
    from fazhi.core.models import Region

    ids = {t for t in township_ids if t is not None}
    return dict(Region.objects.filter(pk__in=ids).values_list("pk", "path")) if ids else {}


def _saved(sender, instance, raw=False, **kwargs):
    from fazhi.core.models import SearchEntry

    township = instance.township if _has_township(sender) else None  # usually the service's own object, cached
    entry = SearchEntry(content_type=_ct(sender), object_id=instance.pk, township=township,
                        ancestors=ancestors_of(township.path) if township else "",
                        grams=grams_of(record_text(instance, _REGISTRY[sender])))
    # one statement (INSERT … ON CONFLICT DO UPDATE) per write, on both databases
    SearchEntry.objects.bulk_create([entry], update_conflicts=True, unique_fields=["content_type", "object_id"],
                                    update_fields=["grams", "township", "ancestors"])


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
    ct, town, objs = _ct(model).pk, _has_township(model), list(objs)
    paths = _paths(o.township_id for o in objs) if town else {}
    return insert_rows(SearchEntry, ["content_type_id", "object_id", "township_id", "ancestors", "grams"],
                       ((ct, o.pk, o.township_id if town else None,
                         ancestors_of(paths.get(o.township_id)) if town else "",
                         grams_of(record_text(o, fields))) for o in objs))


def reindex(model, *, chunk: int = 2000) -> int:
    """Rebuild the entries of `model` (after writes that skipped signals). Returns the number indexed."""
    from django.db import transaction

    from fazhi.core.models import Region, RegionLevel, SearchEntry

    fields, ct, n = _REGISTRY[model], _ct(model), 0
    town = ["township"] if _has_township(model) else []
    paths = dict(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("pk", "path")) if town else {}
    with transaction.atomic():
        SearchEntry.objects.filter(content_type=ct).delete()
        batch = []
        for obj in model._base_manager.only("pk", *town, *fields).iterator(chunk_size=chunk):
            batch.append(SearchEntry(content_type=ct, object_id=obj.pk, township_id=obj.township_id if town else None,
                                     ancestors=ancestors_of(paths.get(obj.township_id)) if town else "",
                                     grams=grams_of(record_text(obj, fields))))
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


def _fts5(expr: str, ct: int, terms: Sequence[str] | None = None) -> str:
    """The FTS5 query: the words in `grams`, the kind (and the scope's terms) in `tags`."""
    out = f"grams : ({expr}) AND tags : k{ct}"
    if terms is not None:
        out += " AND tags : (" + " OR ".join(terms) + ")"
    return out


@dataclass(frozen=True)
class IndexScope:
    """Where the index walk looks: `townships` (PostgreSQL) and the FTS5 tag terms (SQLite) naming exactly them;
    both None when the scope holds every township (no condition at all)."""

    townships: tuple[int, ...] | None
    terms: tuple[str, ...] | None


EVERYWHERE = IndexScope(None, None)


def index_scope(townships: Sequence[int] | None) -> IndexScope:
    """The scope of the walk for `townships`: each region (county, city, province) all of whose townships are in
    it is one term ("c<code>") instead of its townships' ("t<id>"); every township of the tree is no term."""
    from fazhi.core.models import Region, RegionLevel

    if townships is None:
        return EVERYWHERE
    wanted = {int(t) for t in townships}
    if len(wanted) <= 1:  # one township (or none): its own term, no tree to read
        return IndexScope(tuple(sorted(wanted)), tuple(f"t{t}" for t in sorted(wanted)))
    rows = list(Region.objects.exclude(level=RegionLevel.VILLAGE).values_list("pk", "parent_id", "level", "code"))
    node = {pk: (level, code) for pk, _, level, code in rows}
    children: dict = {}
    for pk, parent, _, _ in rows:
        children.setdefault(parent if parent in node else None, []).append(pk)
    every = {pk for pk, (level, _) in node.items() if level == RegionLevel.TOWNSHIP}
    if wanted >= every:
        return EVERYWHERE

    def cover(pk) -> tuple[bool, list[str], int]:
        """(all its townships wanted, the terms of the wanted ones, how many townships below)."""
        level, code = node[pk]
        if level == RegionLevel.TOWNSHIP:
            return pk in wanted, [f"t{pk}"] if pk in wanted else [], 1
        full, terms, n = True, [], 0
        for child in children.get(pk, ()):
            f, t, k = cover(child)
            full, terms, n = full and f, terms + t, n + k
        return (True, [f"c{code}"], n) if full and n else (False, terms, n)

    terms = [t for root in children.get(None, ()) for t in cover(root)[1]]
    terms += [f"t{t}" for t in sorted(wanted - every)]  # not a township of the tree: kept as it is
    return IndexScope(tuple(sorted(wanted)), tuple(sorted(terms)))


def ids_sql(model, match: tuple[str, str]) -> tuple[str, tuple]:
    """The index lookup: SELECT the ids of `model`'s records whose entry matches (every hit, for a ledger)."""
    kind, expr = match
    ct = _ct(model).pk
    if kind == "fts5":
        return (f"SELECT rowid >> {ROWID_SHIFT} FROM core_search_fts WHERE core_search_fts MATCH %s",
                (_fts5(expr, ct),))
    return ("SELECT object_id FROM core_searchentry WHERE content_type_id = %s "
            "AND tsv @@ to_tsquery('simple'::regconfig, %s)", (ct, expr))


def _scope_sql_pg(ct: int, townships: Sequence[int] | None, before: int | None) -> tuple[str, list]:
    sql, params = "content_type_id = %s", [ct]
    if townships is not None:
        if len(townships) == 1:  # an equality keeps the (kind, township, object_id) index in id order
            sql += " AND township_id = %s"
            params.append(townships[0])
        else:
            sql += " AND township_id = ANY(%s)"
            params.append(list(townships))
    if before is not None:
        sql += " AND object_id < %s"
        params.append(before)
    return sql, params


def _newest_pg(ct: int, townships: Sequence[int] | None, before: int | None) -> tuple[str, list]:
    """The kind's newest PROBE entries in scope, in id order: one backward index scan, or for several townships
    their scans merged (`township_id = ANY` would read every entry of the townships and sort them)."""
    parts = [townships] if townships is None or len(townships) == 1 else [[t] for t in townships]
    sqls, params = [], []
    for part in parts:
        where, p = _scope_sql_pg(ct, part, before)
        sqls.append(f"(SELECT object_id, tsv FROM core_searchentry WHERE {where} ORDER BY object_id DESC LIMIT %s)")
        params += [*p, PROBE]
    if len(sqls) == 1:
        return sqls[0], params
    return f"(SELECT * FROM ({' UNION ALL '.join(sqls)}) u ORDER BY object_id DESC LIMIT %s)", [*params, PROBE]


def _as_scope(scope) -> IndexScope:
    return scope if isinstance(scope, IndexScope) else index_scope(scope)


def newest_ids_sql(model, match: tuple[str, str], *, townships, before: int | None,
                   limit: int) -> list[tuple[str, tuple]]:
    """The statements of the index walk for `model`'s newest `limit` matching records (below `before`, in
    `townships` — township ids or an `index_scope` — when given). SQLite: one FTS5 query in rowid order.
    PostgreSQL: a probe of the kind's newest PROBE entries in id order (a common word is found there), then —
    only if that found too few — the GIN lookup of the matches below them (a rare word: few rows to sort). Which
    is cheap depends on how common the word is, and the planner's estimate for a phrase of bigrams is too rough
    to choose between them."""
    kind, expr = match
    ct = _ct(model).pk
    scope = _as_scope(townships)
    if kind == "fts5":
        sql = f"SELECT rowid >> {ROWID_SHIFT} FROM core_search_fts WHERE core_search_fts MATCH %s"
        terms = scope.terms if scope.terms is None or len(scope.terms) <= MAX_SCOPE_TERMS else None
        params = [_fts5(expr, ct, terms)]
        if before is not None:
            sql += " AND rowid < %s"
            params.append(before << ROWID_SHIFT)
        return [(sql + " ORDER BY rowid DESC LIMIT %s", (*params, limit))]
    towns = scope.townships if scope.townships is None or len(scope.townships) <= MAX_MERGED_TOWNSHIPS else None
    newest_sql, params = _newest_pg(ct, towns, before)
    probe = (f"SELECT s.object_id, s.tsv @@ to_tsquery('simple'::regconfig, %s) FROM {newest_sql} s "
             "ORDER BY s.object_id DESC")
    where, gin_params = _scope_sql_pg(ct, scope.townships, before)
    gin = ("WITH hits AS MATERIALIZED (SELECT object_id FROM core_searchentry WHERE "
           f"{where} AND tsv @@ to_tsquery('simple'::regconfig, %s)) "
           "SELECT object_id FROM hits ORDER BY object_id DESC LIMIT %s")
    return [(probe, (expr, *params)), (gin, (*gin_params, expr, limit))]


def newest_ids(model, match: tuple[str, str], *, townships, before: int | None, limit: int) -> list[int]:
    """Run the index walk of `newest_ids_sql`: ids newest first."""
    scope = _as_scope(townships)
    with connection.cursor() as cursor:
        if match[0] == "fts5":
            cursor.execute(*newest_ids_sql(model, match, townships=scope, before=before, limit=limit)[0])
            return [row[0] for row in cursor.fetchall()]
        (probe, probe_params), _ = newest_ids_sql(model, match, townships=scope, before=before, limit=limit)
        cursor.execute(probe, probe_params)
        rows = cursor.fetchall()
        ids = [oid for oid, hit in rows if hit][:limit]
        if len(ids) >= limit or len(rows) < PROBE:
            return ids
        _, (gin, gin_params) = newest_ids_sql(model, match, townships=scope, before=rows[-1][0],
                                              limit=limit - len(ids))
        cursor.execute(gin, gin_params)
        return ids + [row[0] for row in cursor.fetchall()]


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
    return Q(pk__in=RawSQL(*ids_sql(model, match))) & _literal_q(query, fields)


def _literal_q(query: str, fields) -> Q:
    """The literal check of the words with punctuation inside (the index matched their letter/digit runs)."""
    literal = [w for w in words(query) if _runs(w) and not all(_is_token_char(ch) for ch in w)]
    return _all_literal(literal, fields) if literal else Q()


def _all_literal(literal: list[str], fields) -> Q:
    q = Q()
    for word in literal:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": word})
        q &= any_field
    return q


def newest(queryset, query: str, *, limit: int, townships: Sequence[int] | IndexScope | None = None) -> list:
    """The newest `limit` records of `queryset` (its filters are the scope) matching `query`, newest first —
    exactly `queryset.filter(search_filter(...)).order_by("-pk")[:limit]`, read from the index newest first.
    `townships` (ids, or their `index_scope`) narrows the index walk to a superset of the queryset's townships
    (None: every township).
    A query without letters or digits finds nothing (the search box shows no kind for it)."""
    model = queryset.model
    fields = _REGISTRY[model]
    if connection.vendor not in {"sqlite", "postgresql"}:  # no index on this database: the scan
        return list(queryset.filter(search_q(query, fields)).order_by("-pk")[:limit])
    match = _match_sql(query)
    if match is None:
        return []
    scope = _as_scope(townships) if _has_township(model) else EVERYWHERE
    if scope.townships == ():  # no township in scope: no record of a township's ledger either
        return []
    checked = queryset.filter(_literal_q(query, fields))
    found: list = []
    before, size = None, limit
    while True:
        ids = newest_ids(model, match, townships=scope, before=before, limit=size)
        if ids:  # the candidates the scope (village, role) or the literal check keeps, newest first
            found += list(checked.filter(pk__in=ids).order_by("-pk")[:limit - len(found)])
        if len(found) >= limit or len(ids) < size:
            return found
        before, size = ids[-1], min(size * 4, 4096)


def scope_townships(user, roles: Iterable[str] | None = None) -> list[int]:
    """The townships of the user's memberships (with `roles`): a superset of what `visible_to` lets through."""
    from fazhi.core.models import RegionLevel
    from fazhi.core.scope import _townships_below, memberships

    wanted = set(roles) if roles is not None else None
    out: set[int] = set()
    for m in memberships(user):
        if wanted is not None and m.role not in wanted:
            continue
        if m.region.level == RegionLevel.VILLAGE:
            out.add(m.region.parent_id)
        elif m.region.level == RegionLevel.TOWNSHIP:
            out.add(m.region_id)
        else:
            out.update(_townships_below(m))
    return sorted(out)


def search_everywhere(user, query: str, *, per_kind: int = 10) -> list[dict]:
    """The one search box: every registered kind the user may read, scope applied, newest first."""
    from fazhi.core.scope import has_role

    out, scopes = [], {}
    if _match_sql(query) is None:
        return out
    for s in searchables():
        if not has_role(user, s.read_roles):
            continue
        towns = tuple(scope_townships(user, s.read_roles))
        if towns not in scopes:  # the kinds mostly share one scope: the region tree is read once
            scopes[towns] = index_scope(towns)
        rows = newest(s.model.objects.visible_to(user, roles=s.read_roles), query, limit=per_kind + 1,
                      townships=scopes[towns])
        if rows:
            out.append({"kind": s, "rows": [(obj, s.url(obj)) for obj in rows[:per_kind]],
                        "more": len(rows) > per_kind})
    return out
