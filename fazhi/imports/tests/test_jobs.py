"""Large files go to the background (django-tasks); the page polls the job's progress until it ends."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from fazhi.imports import jobs
from fazhi.imports.ledgers import LEDGERS
from fazhi.imports.models import ImportJob
from fazhi.imports.tests.test_ledgers import GOOD, sheet
from fazhi.mediation.models import Dispute


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(jobs, "BACKGROUND_BYTES", 1)


def _file(town, rows):
    spec, user = LEDGERS["disputes"], town.user("litou_mediator")
    f = io.BytesIO(sheet(spec, user, town.litou, rows))
    f.name = "大台账.xlsx"
    return f


def test_a_large_file_is_imported_in_the_background_with_progress(town, login, small_threshold,
                                                                  django_capture_on_commit_callbacks):
    c = login(town.user("litou_mediator"))
    rows = [dict(GOOD["disputes"][0], party1_name=f"后台{i}") for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("imports:upload") + "?ledger=disputes", {"file": _file(town, rows)})
    job = ImportJob.objects.get(township=town.litou, filename="大台账.xlsx")
    assert r.status_code == 302 and r["Location"] == reverse("imports:job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and job.created_count == 3
    assert [(t.from_status, t.to_status) for t in job.transitions.all()] == [
        ("", "queued"), ("queued", "running"), ("running", "done")]  # a row for every status change
    assert Dispute.objects.filter(parties__name__startswith="后台").distinct().count() == 3
    page = c.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "已导入3条记录" in page and 'value="100"' in page
    fragment = c.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment  # finished: the page stops polling


def test_a_bad_row_in_a_background_file_writes_nothing_and_keeps_the_report(town, login, small_threshold,
                                                                           django_capture_on_commit_callbacks):
    c = login(town.user("litou_mediator"))
    rows = [dict(GOOD["disputes"][0], party1_name="后台好"), dict(GOOD["disputes"][0], village="不存在村")]
    before = Dispute.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("imports:upload") + "?ledger=disputes", {"file": _file(town, rows)})
    job = ImportJob.objects.get(township=town.litou, filename="大台账.xlsx")
    assert job.status == ImportJob.Status.REJECTED and Dispute.objects.count() == before
    assert job.transitions.last().to_status == "rejected"
    assert job.errors[0]["row"] == 3 and job.errors[0]["column"] == "所在村"
    page = c.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "没有导入任何记录" in page and "下载错误报告" in page
    r = c.get(reverse("imports:report") + f"?name={job.report_name}")
    assert r.status_code == 200


def test_a_running_job_polls_and_shows_its_phase(town, login):
    job = ImportJob.objects.create(township=town.litou, ledger="disputes", actor=town.user("litou_mediator"),
                                   filename="x.xlsx", status=ImportJob.Status.RUNNING)
    jobs._write_progress(job.pk, 300, 1000, "写入")
    assert jobs.job_progress(job)["percent"] == 65  # validation is the first half of the bar
    c = login(town.user("litou_mediator"))
    fragment = c.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "写入 300/1000 行" in fragment


def test_another_townships_job_is_not_found(town, login):
    job = ImportJob.objects.create(township=town.litou, ledger="disputes", actor=town.user("litou_mediator"),
                                   filename="x.xlsx")
    c = login(town.user("demo2_mediator"))
    assert c.get(reverse("imports:job", args=[job.pk])).status_code == 404


def test_an_unexpected_failure_ends_the_job_as_failed_with_a_reason(town, login, small_threshold, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    from fazhi.imports import engine

    def boom(**kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(engine, "run", boom)
    c = login(town.user("litou_mediator"))
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("imports:upload") + "?ledger=disputes", {"file": _file(town, [GOOD["disputes"][0]] * 3)})
    job = ImportJob.objects.get(township=town.litou, filename="大台账.xlsx")
    assert job.status == ImportJob.Status.FAILED and "未写入任何记录" in job.message
    assert [t.to_status for t in job.transitions.all()] == ["queued", "running", "failed"]
