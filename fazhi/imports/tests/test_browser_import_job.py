"""A clerk uploads a ledger large enough to go to the background: the job page's progress bar moves
(校验, then 写入) while the import runs, and the page ends on the result without a reload."""
import io
import os
import threading
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from fazhi.imports import engine, jobs
from fazhi.imports.ledgers import LEDGERS
from fazhi.imports.tests.test_ledgers import sheet
from fazhi.mediation.models import Dispute, DisputeType
from fazhi.mediation.services import bulk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
expect.set_options(timeout=20_000)
ROWS = 60


class _Worker:
    """The task queue's worker, in a thread: the job runs while the page polls (the test settings' immediate
    backend would run it inside the upload request, before the page is shown)."""

    def __init__(self):
        self.threads = []

    def enqueue(self, job_id):
        def work():
            try:
                jobs.job_run(job_id)
            finally:
                connection.close()

        t = threading.Thread(target=work, daemon=True)
        self.threads.append(t)
        t.start()


def test_a_background_import_shows_its_progress_and_ends_on_the_result(demo, browser_login, live_server,
                                                                       monkeypatch):
    from fazhi.mediation.demo import ensure_committees

    ensure_committees(demo, demo.litou, demo.villages["litou"], mediator_user=demo.user("litou_mediator"))
    DisputeType.objects.get_or_create(name="邻里")
    worker = _Worker()
    monkeypatch.setattr("fazhi.imports.tasks.import_job_task", worker)
    monkeypatch.setattr(jobs, "BACKGROUND_BYTES", 1)
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 5)
    monkeypatch.setattr(bulk, "WRITE_CHUNK", 10)
    report = jobs._write_progress

    def slow_progress(job_id, done, total, phase):  # a few seconds of progress, so the 2 s poll sees it move
        report(job_id, done, total, phase)
        if phase in {"校验", "写入"}:
            time.sleep(0.35)

    monkeypatch.setattr(jobs, "_write_progress", slow_progress)
    spec, user = LEDGERS["disputes"], demo.user("litou_mediator")
    village = demo.villages["litou"][0].name
    rows = [{"received_on": "2024-05-06", "village": village, "dispute_type": "邻里", "source": "当事人申请",
             "summary": f"第{i}号：共用水渠纠纷", "party1_name": f"后台{i}", "party2_name": f"对方{i}",
             "other_parties": f"第三人{i}//13900000000/被申请人", "risk_level": "一般"} for i in range(ROWS)]
    data = sheet(spec, user, demo.litou, rows)

    page = browser_login("litou_mediator")
    page.goto(f"{live_server.url}/imports/upload/?ledger=disputes")
    page.set_input_files("input[type=file]", files=[{
        "name": "大台账.xlsx", "buffer": io.BytesIO(data).getvalue(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.uncheck("input[name=dry_run]")  # checked by default: a real import this time
    page.get_by_role("button", name="上传").click()
    page.wait_for_url("**/imports/jobs/*/")
    seen, deadline = [], time.monotonic() + 30
    while time.monotonic() < deadline:
        value = int(page.locator("#import-job progress").get_attribute("value"))
        if not seen or seen[-1] != value:
            seen.append(value)
        if value == 100:
            break
        page.wait_for_timeout(300)
    expect(page.locator("#import-job")).to_contain_text(f"已导入{ROWS}条记录")
    assert seen[-1] == 100 and seen == sorted(seen)
    assert len([v for v in seen if 0 < v < 100]) >= 2, seen  # the bar moved while the import ran
    for t in worker.threads:
        t.join(timeout=10)
    assert Dispute.objects.filter(township=demo.litou, parties__name__startswith="后台").distinct().count() == ROWS
