"""Issue 16: a ledger export over the threshold runs as a background task (run inline here, the immediate
backend) with a progress page and a download link only its requester may use; below it, as before."""

import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.audit.services import audit_record
from fazhi.core import exports, ledger
from fazhi.core.models import Export


@pytest.fixture
def entries(demo):
    for i in range(12):
        audit_record(actor=demo.user("litou_legal_staff"), action="update", obj=demo.litou, reason=f"理由{i}")


def queue_export(c, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):  # the task is enqueued on commit
        return c.get(reverse("audit:entries"), {"export": "xlsx", **params})


def test_a_small_export_is_sent_at_once(demo, entries, login, settings):
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 1000
    r = login(demo.user("litou_legal_staff")).get(reverse("audit:entries"), {"export": "xlsx"})
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    assert not Export.objects.exists()


def test_a_large_export_runs_in_the_background_with_progress_and_a_download(
        demo, entries, login, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 5
    monkeypatch.setattr(ledger, "EXPORT_CHUNK", 4)  # several chunks: the progress moves
    user = demo.user("litou_legal_staff")
    c = login(user)
    r = queue_export(c, django_capture_on_commit_callbacks, q="理由")
    job = Export.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("core:export_status", args=[job.pk])
    assert job.user == user and job.status == Export.Status.DONE and job.total == 12 == job.done_rows
    assert job.percent == 100 and job.file.name.startswith("exports/")
    assert [(t.from_status, t.to_status) for t in job.transitions.all()] == [
        ("", "pending"), ("pending", "running"), ("running", "done")]  # a row for every status change
    ws = load_workbook(io.BytesIO(job.file.open("rb").read())).active
    assert ws.max_row == 13  # the header and the 12 rows the search found
    assert AuditEntry.objects.filter(action="export", object_type="core.export", object_id=str(job.pk)).exists()

    page = c.get(r["Location"]).content.decode()
    assert "已完成" in page and reverse("core:export_download", args=[job.pk]) in page and "100%" in page
    d = c.get(reverse("core:export_download", args=[job.pk]))
    assert d.status_code == 200 and "attachment" in d["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(d.streaming_content))).active.max_row == 13
    assert AuditEntry.objects.filter(action="download", object_id=str(job.pk)).exists()


def test_the_progress_partial_polls_while_the_task_runs(demo, login):
    user = demo.user("litou_legal_staff")
    job = Export.objects.create(user=user, title="审计日志", path=reverse("audit:entries") + "?export=xlsx",
                                status=Export.Status.RUNNING, total=200, done_rows=50)
    r = login(user).get(reverse("core:export_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "<html" not in html and 'hx-trigger="every 1s"' in html and "50 / 200" in html and "25%" in html
    assert reverse("core:export_download", args=[job.pk]) not in html
    assert login(user).get(reverse("core:export_download", args=[job.pk])).status_code == 404  # not ready


def test_another_user_and_bad_or_expired_ids_get_a_chinese_404(demo, entries, login, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.FAZHI_EXPORT_BACKGROUND_ROWS = 5
    owner = login(demo.user("litou_legal_staff"))
    queue_export(owner, django_capture_on_commit_callbacks)
    job = Export.objects.get()
    other = login(demo.user("demo2_legal_staff"))
    for url in (reverse("core:export_status", args=[job.pk]), reverse("core:export_download", args=[job.pk]),
                reverse("core:export_status", args=[uuid.uuid4()]), "/exports/not-an-id/download/"):
        r = other.get(url)
        assert r.status_code == 404 and "未找到" in r.content.decode(), url
    Export.objects.filter(pk=job.pk).update(created_at=timezone.now() - exports.KEEP - dt.timedelta(minutes=1))
    owner = login(demo.user("litou_legal_staff"))
    r = owner.get(reverse("core:export_download", args=[job.pk]))
    assert r.status_code == 404 and "已过期" in r.content.decode()
    assert exports.exports_sweep() == 1 and not Export.objects.exists()


def test_a_failed_build_says_so_instead_of_hanging(demo, login, monkeypatch):
    user = demo.user("litou_legal_staff")
    job = Export.objects.create(user=user, title="审计日志", path="/no/such/ledger/?export=xlsx")
    assert exports.export_build(str(job.pk)) == 0
    job.refresh_from_db()
    assert job.status == Export.Status.FAILED and job.error
    html = login(user).get(reverse("core:export_status", args=[job.pk])).content.decode()
    assert "生成失败" in html and "every 1s" not in html
