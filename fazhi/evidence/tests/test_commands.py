import hashlib
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.evidence.models import Blob, EvidenceFile

from .conftest import mp4_bytes


def test_import_a_camera_dock_folder(tmp_path, demo, capsys):
    (tmp_path / "DCIM").mkdir()
    (tmp_path / "DCIM" / "DSJ_20240315_093012_0001.MP4").write_bytes(mp4_bytes(50_000))
    (tmp_path / "DCIM" / "copy.mp4").write_bytes(mp4_bytes(50_000))
    call_command("evidence_import", str(tmp_path), user="litou_officer", stage="patrol", device="DSJ-A8")
    assert EvidenceFile.objects.count() == 2 and Blob.objects.count() == 1
    ev = EvidenceFile.objects.get(original_name="DSJ_20240315_093012_0001.MP4")
    assert ev.started_at.astimezone().strftime("%Y-%m-%d %H:%M") in {"2024-03-15 09:30"}
    assert ev.sha256 == hashlib.sha256(mp4_bytes(50_000)).hexdigest()
    assert "sha256=" in capsys.readouterr().out


def test_import_refuses_an_executable_and_exits_1(tmp_path, demo):
    (tmp_path / "video.mp4").write_bytes(b"MZ" + b"\x00" * 9000)
    with pytest.raises(CommandError) as e:
        call_command("evidence_import", str(tmp_path / "video.mp4"), user="litou_officer")
    assert e.value.returncode == 1
    assert not EvidenceFile.objects.exists()


def test_verify_passes_then_finds_tampering(ingest, capsys):
    ev = ingest(mp4_bytes(30_000))
    call_command("evidence_verify")
    assert "一致 1" in capsys.readouterr().out
    path = default_storage.path(ev.blob.storage_name)
    os.chmod(path, 0o644)
    with open(path, "r+b") as fh:
        fh.seek(1000)
        fh.write(b"X")
    with pytest.raises(CommandError) as e:
        call_command("evidence_verify")
    assert e.value.returncode == 1
    assert "不一致" in capsys.readouterr().err


def test_verify_reports_a_missing_file(ingest, capsys):
    ev = ingest(mp4_bytes(30_000))
    os.chmod(default_storage.path(ev.blob.storage_name), 0o644)
    default_storage.delete(ev.blob.storage_name)
    with pytest.raises(CommandError):
        call_command("evidence_verify")
    assert "缺失" in capsys.readouterr().err
