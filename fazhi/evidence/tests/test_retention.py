import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import DomainError
from fazhi.evidence.models import Blob, Stage
from fazhi.evidence.services import evidence_dispose, retention_rule_set, retention_run

from .conftest import mp4_bytes


@pytest.fixture
def old(ingest, subject_factory):
    from django.utils import timezone

    start = timezone.make_aware(dt.datetime(2020, 1, 10, 9, 0))
    return ingest(mp4_bytes(20_000), stage=Stage.PATROL, started_at=start, subject=subject_factory())


def test_retention_job_disposes_expired_evidence(old, django_capture_on_commit_callbacks):
    assert old.retain_until == dt.date(2022, 1, 10)
    name = old.blob.storage_name
    with django_capture_on_commit_callbacks(execute=True):  # bytes go once the rows are committed
        assert retention_run(today=dt.date(2022, 1, 11)) == {"disposed": 1, "kept_open": 0}
    old.refresh_from_db()
    assert old.disposed_at and old.blob_id is None and "届满" in old.disposal_basis
    assert not Blob.objects.exists() and not default_storage.exists(name)
    assert AuditEntry.objects.filter(object_id=str(old.pk), action="dispose").exists()


def test_retention_job_never_touches_an_open_case(old, monkeypatch):
    from fazhi.audit.models import AuditEntry as Subject

    monkeypatch.setattr(Subject, "evidence_locked", lambda self: True, raising=False)
    assert retention_run(today=dt.date(2030, 1, 1)) == {"disposed": 0, "kept_open": 1}
    old.refresh_from_db()
    assert old.disposed_at is None and default_storage.exists(old.blob.storage_name)


def test_not_yet_expired_is_kept(old):
    assert retention_run(today=dt.date(2022, 1, 10))["disposed"] == 0


def test_a_shared_file_stays_while_another_record_uses_it(old, ingest):
    twin = ingest(mp4_bytes(20_000), stage=Stage.DECISION)
    retention_run(today=dt.date(2022, 1, 11))
    twin.refresh_from_db()
    assert twin.blob_id and default_storage.exists(twin.blob.storage_name)


def test_disposal_by_decision_guards(old, demo, monkeypatch):
    with pytest.raises(DomainError, match="领导"):
        evidence_dispose(actor=demo.user("litou_officer"), evidence=old, basis="x")
    with pytest.raises(DomainError, match="文号"):
        evidence_dispose(actor=demo.user("litou_leader"), evidence=old, basis=" ")
    with pytest.raises(DomainError):
        evidence_dispose(actor=demo.user("demo2_leader"), evidence=old, basis="x")
    old.refresh_from_db()
    assert old.disposed_at is None


def test_retention_command_runs(old, capsys):
    call_command("evidence_retention", today="2022-01-11")
    assert "销毁到期证据 1 个" in capsys.readouterr().out


def test_retention_is_configurable_per_stage(demo, ingest):
    with pytest.raises(DomainError):
        retention_rule_set(actor=demo.user("litou_officer"), stage=Stage.PATROL, years=5)
    retention_rule_set(actor=demo.user("litou_legal_staff"), stage=Stage.PATROL, years=5, basis="湖南省办法")
    from django.utils import timezone

    ev = ingest(mp4_bytes(9000), stage=Stage.PATROL, started_at=timezone.make_aware(dt.datetime(2024, 5, 1, 8, 0)))
    assert ev.retain_until == dt.date(2029, 5, 1) and ev.retention_basis == "湖南省办法"
