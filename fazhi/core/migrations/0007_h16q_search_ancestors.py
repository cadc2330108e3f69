import importlib

from django.db import migrations, models

# Each entry keeps its township's county, city and province (`ancestors`, "c<code> …") as FTS5 tags, so a
# county's scope is one term instead of 30 (core/search_index.py, index_scope). SQLite's FTS table is rebuilt with
# them; PostgreSQL only gains the column (its walk merges the townships' index scans).
old = importlib.import_module("fazhi.core.migrations.0006_h16s_search_scope")
SHIFT = old.SHIFT


def _values(row):
    return (f"({row}.object_id << {SHIFT}) + {row}.content_type_id, {row}.grams, "
            f"'k' || {row}.content_type_id || ' t' || coalesce({row}.township_id, '') || ' ' || {row}.ancestors")


SQLITE_FTS = [
    "CREATE VIRTUAL TABLE core_search_fts USING fts5(grams, tags, content='', columnsize=0, prefix='1', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER core_search_ai AFTER INSERT ON core_searchentry BEGIN "
    f"INSERT INTO core_search_fts(rowid, grams, tags) VALUES ({_values('new')}); END",
    "CREATE TRIGGER core_search_ad AFTER DELETE ON core_searchentry BEGIN "
    f"INSERT INTO core_search_fts(core_search_fts, rowid, grams, tags) VALUES ('delete', {_values('old')}); END",
    "CREATE TRIGGER core_search_au AFTER UPDATE ON core_searchentry BEGIN "
    f"INSERT INTO core_search_fts(core_search_fts, rowid, grams, tags) VALUES ('delete', {_values('old')}); "
    f"INSERT INTO core_search_fts(rowid, grams, tags) VALUES ({_values('new')}); END",
]
SQLITE_FTS_FILL = [
    f"INSERT INTO core_search_fts(rowid, grams, tags) SELECT {_values('e')} FROM core_searchentry e",
    "INSERT INTO core_search_fts(core_search_fts) VALUES ('optimize')",
]


def _sqlite(schema_editor):
    return schema_editor.connection.vendor == "sqlite"


def drop_fts(apps, schema_editor):
    """Before the column is added (SQLite remakes the table) and filled, so no trigger rewrites the FTS per row."""
    if _sqlite(schema_editor):
        for sql in old.SQLITE_FTS_DROP:
            schema_editor.execute(sql)


def fill(apps, schema_editor):
    """Each township's entries take its ancestors (one UPDATE per township), then SQLite's FTS is rebuilt."""
    Region = apps.get_model("core", "Region")
    for pk, path in Region.objects.filter(level="township").values_list("pk", "path"):
        ancestors = " ".join(f"c{code}" for code in path.strip("/").split("/")[:-1] if code)
        schema_editor.execute("UPDATE core_searchentry SET ancestors = %s WHERE township_id = %s", [ancestors, pk])
    if _sqlite(schema_editor):
        for sql in SQLITE_FTS + SQLITE_FTS_FILL:
            schema_editor.execute(sql)
    elif schema_editor.connection.vendor == "postgresql":
        # the UPDATE rewrote every row: without fresh statistics the planner sorts a kind's entries instead of
        # scanning (content_type, object_id) backwards
        schema_editor.execute("ANALYZE core_searchentry")


def restore_fts(apps, schema_editor):
    """Backwards: 0006's FTS table (kind and township tags only)."""
    if _sqlite(schema_editor):
        for sql in old.SQLITE_FTS_DROP + old.SQLITE_FTS + old.SQLITE_FTS_FILL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0006_h16s_search_scope'),
    ]

    operations = [
        migrations.RunPython(drop_fts, restore_fts),
        migrations.AddField(
            model_name='searchentry',
            name='ancestors',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='上级区划'),
        ),
        migrations.RunPython(fill, drop_fts),
    ]
