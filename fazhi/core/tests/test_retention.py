"""`fazhi purge_expired`: idempotency records, finished exports and stored import files past their retention
go (rows through their apps, files through the storage API); what is still in retention, or still in use, stays."""

import datetime as dt
import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from fazhi.api.models import IdempotentRequest
from fazhi.core.models import Export
from fazhi.core.retention import purge_expired
from fazhi.imports.models import ImportJob


def _stored(name: str, age_hours: float) -> str:
    name = default_storage.save(name, ContentFile(b"x"))
    then = time.time() - age_hours * 3600
    os.utime(default_storage.path(name), (then, then))
    return name


def test_it_purges_what_outlived_its_retention_and_keeps_the_rest(demo, settings, capsys):
    settings.FAZHI_API_IDEMPOTENCY_HOURS = 24
    settings.FAZHI_IMPORT_FILES_HOURS = 48
    user = demo.user("litou_mediator")
    now = timezone.now()
    old = IdempotentRequest.objects.create(user=user, key="old", request_hash="a", status_code=201, body={})
    fresh = IdempotentRequest.objects.create(user=user, key="new", request_hash="b", status_code=201, body={})
    IdempotentRequest.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=25))
    stale_export = Export.objects.create(user=user, title="纠纷台账", path="/x/", status=Export.Status.DONE)
    stale_export.file.save("old.xlsx", ContentFile(b"xlsx"), save=True)
    export_file = stale_export.file.name
    Export.objects.filter(pk=stale_export.pk).update(created_at=now - dt.timedelta(hours=25))
    new_export = Export.objects.create(user=user, title="纠纷台账", path="/x/")
    old_report = _stored(f"imports/reports/{user.pk}-old.xlsx", 49)
    new_report = _stored(f"imports/reports/{user.pk}-new.xlsx", 1)
    running = ImportJob.objects.create(township=demo.litou, ledger="disputes", actor=user, filename="a.xlsx",
                                       status=ImportJob.Status.RUNNING)
    running_progress = _stored(f"imports/jobs/{running.pk}.json", 60)
    done_progress = _stored("imports/jobs/999999.json", 60)

    assert purge_expired(dry_run=True) == {"idempotency": 1, "exports": 1, "import_files": 2}
    assert IdempotentRequest.objects.count() == 2 and default_storage.exists(old_report)

    assert purge_expired() == {"idempotency": 1, "exports": 1, "import_files": 2}
    assert list(IdempotentRequest.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(Export.objects.values_list("pk", flat=True)) == [new_export.pk]
    assert not default_storage.exists(export_file)
    assert not default_storage.exists(old_report) and not default_storage.exists(done_progress)
    assert default_storage.exists(new_report) and default_storage.exists(running_progress)

    call_command("purge_expired")
    assert "已清理：接口幂等记录 0 条" in capsys.readouterr().out
