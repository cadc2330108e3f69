"""Files in storage that no database row points to (orphans), and their removal.

A write that stops half-way — a killed `load_demo`, a rolled-back upload registration, a server
killed mid-request — can leave a file on disk whose row never committed. Storage cannot take part in
the database transaction, so the rule is: a file counts only if a committed row names it, and
`sweep_orphans()` removes the rest (`fazhi files_sweep`; `load_demo` runs it before loading)."""

from __future__ import annotations

import time
from contextlib import contextmanager

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models


def referenced_names() -> set[str]:
    """Every storage name a row holds: all FileFields, plus the evidence store's content addresses."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField):
                names.update(n for n in model._default_manager.exclude(**{f.name: ""})
                             .values_list(f.name, flat=True).iterator() if n)
        if model._meta.label_lower == "evidence.blob":
            names.update(model._default_manager.values_list("storage_name", flat=True).iterator())
    return names


def stored_names(storage=default_storage, prefix: str = "") -> list[str]:
    """Every file in storage below `prefix` (local disk or any backend with listdir)."""
    out: list[str] = []
    try:
        dirs, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return out
    out.extend(f"{prefix}{f}" for f in files)
    for d in dirs:
        out.extend(stored_names(storage, f"{prefix}{d}/"))
    return out


# Folders whose files no row names on purpose and whose own retention removes them: temporary files, backups,
# and the imports' uploads, error reports and progress files (`fazhi purge_expired`, FAZHI_IMPORT_FILES_HOURS).
KEPT_ELSEWHERE = ("tmp/", "backups/", "imports/")


def orphan_files(*, older_than: float = 0, storage=default_storage) -> list[str]:
    """Files no row names, last modified more than `older_than` seconds ago (in-flight uploads are younger)."""
    known = referenced_names()
    now = time.time()
    orphans = []
    for name in stored_names(storage):
        if name in known or name.startswith(KEPT_ELSEWHERE):
            continue
        if older_than:
            try:
                if now - storage.get_modified_time(name).timestamp() < older_than:
                    continue
            except (NotImplementedError, OSError):
                continue
        orphans.append(name)
    return orphans


def sweep_orphans(*, older_than: float = 3600, storage=default_storage) -> list[str]:
    """Delete the orphans; returns their names."""
    removed = orphan_files(older_than=older_than, storage=storage)
    for name in removed:
        storage.delete(name)
    return removed


@contextmanager
def deleted_on_error(storage=default_storage):
    """Files written inside the block are removed again if the block raises (their rows never saved).

        with deleted_on_error() as written:
            obj.save()            # a FileField writes its file here
            written(obj.file)     # a FieldFile or a storage name
            audit_create(...)     # fails → the file goes too

    A rollback after the block (an outer transaction) leaves the file to `sweep_orphans()`."""
    names: list[str] = []

    def written(f) -> None:
        name = getattr(f, "name", f)
        if name and getattr(f, "_committed", True):
            names.append(name)

    try:
        yield written
    except BaseException:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                pass
        raise
