"""A mediator checks two disputes in the ledger and assigns them in one go (confirmation first), exports
only the checked rows, and marks several villages' monthly screening done at once."""
import datetime as dt
import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from fazhi.mediation.models import Dispute, DisputeTransition
from fazhi.mediation.tests.conftest import village_mediator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
expect.set_options(timeout=20_000)
S = Dispute.Status


def test_mediator_assigns_checked_disputes_and_exports_only_those(med, make_dispute, browser_login, live_server):
    v = med.villages["litou"][0]
    a, b, c = make_dispute(village=v), make_dispute(village=v), make_dispute(village=v)
    page = browser_login("litou_mediator")
    page.goto(f"{live_server.url}/mediation/")
    for d in (a, b):
        page.check(f"input[name=ids][value='{d.pk}']")

    with page.expect_download() as dl:
        page.get_by_role("button", name="导出所选").click()
    sheet = load_workbook(io.BytesIO(open(dl.value.path(), "rb").read())).active
    cells = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert a.number in cells and b.number in cells and c.number not in cells

    page.get_by_role("button", name="批量指定调解员").click()
    page.wait_for_url("**/mediation/bulk/start/**")
    assert a.number in page.content() and b.number in page.content() and c.number not in page.content()
    page.check(f"input[name=mediators][value='{village_mediator(a).pk}']")
    page.fill("input[name=started_on]", dt.date.today().isoformat())  # the suite's pinned today
    page.once("dialog", lambda d: d.accept())  # 确认为这2件纠纷指定调解员并开始调解？
    page.get_by_role("button", name="确认指定").click()
    page.wait_for_url("**/mediation/")
    expect(page.locator(".msg").first).to_contain_text("已为2件纠纷指定调解员")
    assert set(Dispute.objects.filter(status=S.MEDIATING).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert DisputeTransition.objects.filter(dispute__in=[a, b], to_status=S.MEDIATING).count() == 2
    c.refresh_from_db()
    assert c.status == S.RECEIVED


def test_mediator_marks_several_villages_screened_at_once(med, browser_login, live_server):
    from fazhi.mediation.models import ScreeningRound

    page = browser_login("litou_mediator")
    page.goto(f"{live_server.url}/mediation/screening/bulk/")
    boxes = page.locator("input[name=villages]")
    assert boxes.count() >= 3
    for i in range(boxes.count()):  # the villages not yet screened this month come checked
        boxes.nth(i).set_checked(i < 2)
    page.fill("input[name=screeners]", "盘春花、赵石生")
    page.get_by_role("button", name="下一步：确认").click()
    expect(page.locator("main")).to_contain_text("共 2 个村")
    assert not ScreeningRound.objects.exists()  # nothing written before the confirmation
    page.get_by_role("button", name="确认登记").click()
    page.wait_for_load_state()
    assert ScreeningRound.objects.count() == 2
