"""Files that no committed row names are found and removed; a refused row takes its new file with it."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fazhi.core.errors import DomainError
from fazhi.core.files import deleted_on_error, orphan_files, sweep_orphans

pytestmark = pytest.mark.django_db


def test_a_file_without_a_row_is_an_orphan_and_swept(demo):
    from fazhi.decisions.services.files import attachment_store

    att = attachment_store(actor=demo.user("litou_legal_staff"), township=demo.litou,
                           upload=ContentFile(b"kept", name="kept.txt"))
    stray = default_storage.save("decisions/stray-test.txt", ContentFile(b"stray"))
    now = time.time()  # the pinned test clock; the file system stamps real time
    os.utime(default_storage.path(stray), (now, now))
    assert stray in orphan_files() and att.file.name not in orphan_files()
    assert stray not in sweep_orphans(older_than=3600)  # too young: may be an upload in flight
    assert stray in sweep_orphans(older_than=0)
    assert not default_storage.exists(stray) and default_storage.exists(att.file.name)


def test_a_refused_write_removes_the_file_it_wrote():
    with pytest.raises(DomainError), deleted_on_error() as written:
        name = default_storage.save("decisions/refused-test.txt", ContentFile(b"x"))
        written(name)
        raise DomainError("记录未通过校验")
    assert not default_storage.exists(name)


def test_an_import_report_is_not_an_orphan_its_retention_removes_it(demo):
    """No row names an import's error report or progress file; files_sweep must leave them to purge_expired
    (FAZHI_IMPORT_FILES_HOURS), or an importer could not download the report an hour later."""
    from fazhi.imports.jobs import report_path

    report = default_storage.save(report_path("1-test.xlsx"), ContentFile(b"report"))
    old = time.time() - 7200
    os.utime(default_storage.path(report), (old, old))
    assert report not in orphan_files(older_than=3600)
    assert report not in sweep_orphans(older_than=0) and default_storage.exists(report)
    default_storage.delete(report)
