"""A village cadre on a 375 px phone records disputes with no connection: they wait in the outbox,
survive a reload while offline, and are sent once each when the connection returns."""
import datetime as dt
import os
import time

import pytest
from playwright.sync_api import expect

from fazhi.audit.models import AuditEntry
from fazhi.field.models import FieldSubmission
from fazhi.mediation.models import Dispute

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
expect.set_options(timeout=20_000)  # a sync is several round trips; a shared 2-core machine can take >5 s


def wait_until(page, script, timeout=15.0):
    """Polls with page.evaluate (the page's CSP forbids the eval wait_for_function uses)."""
    end = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < end, f"timed out waiting for {script}"
        time.sleep(0.1)


def record(page, summary, party, received_on=None):
    page.select_option("select[name=dispute_type]", label="邻里")
    page.fill("textarea[name=summary]", summary)
    page.fill("input[name=party1_name]", party)
    if received_on:
        page.fill("input[name=received_on]", received_on)
    page.get_by_role("button", name="存入待发送").click()


def test_cadre_records_three_disputes_offline_and_syncs_them_once(med, browser_login, live_server):
    page = browser_login("litou_village_cadre", width=375, height=812)
    page.goto(f"{live_server.url}/field/disputes/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_until(page, "caches.keys().then(k => k.some(n => n.startsWith('fazhi-field-')))")

    page.context.set_offline(True)
    assert page.reload().from_service_worker  # served by the service worker
    assert "当前离线" in page.locator("[data-net-state]").inner_text()
    # one after another without waiting for each save: the form is cleared before the save is awaited
    record(page, "两户因屋檐滴水发生争执", "盘春花")
    record(page, "宅基地界址争议", "赵石生")
    record(page, "耕牛踩坏秧苗赔偿", "李冬梅")
    future = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    record(page, "受理日期填错的一条", "黄一", received_on=future)
    expect(page.locator("[data-entry]")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 380

    page.reload()  # still offline: the outbox is in IndexedDB
    expect(page.locator("[data-entry]")).to_have_count(4)
    assert page.locator("[data-outbox-count]").inner_text() == "4"
    assert not Dispute.objects.exists()

    page.context.set_offline(False)
    page.get_by_role("button", name="立即同步").click()
    expect(page.locator("[data-entry]")).to_have_count(1)
    expect(page.locator("[data-sent-list] li")).to_have_count(3)
    refused = page.locator("[data-entry]")
    assert "未登记：受理日期不能晚于今天。" in refused.inner_text()
    assert Dispute.objects.count() == 3 and FieldSubmission.objects.count() == 3
    assert set(Dispute.objects.values_list("parties__name", flat=True)) == {"盘春花", "赵石生", "李冬梅"}
    for d in Dispute.objects.all():
        assert AuditEntry.objects.filter(action="create", object_type="mediation.dispute", object_id=str(d.pk)).exists()

    # A second sync (another tab, a lost answer) creates nothing more.
    with page.expect_response("**/field/disputes/submit/"):
        page.get_by_role("button", name="立即同步").click()
    expect(page.get_by_role("button", name="立即同步")).to_be_enabled()
    expect(refused).to_contain_text("受理日期不能晚于今天")
    assert Dispute.objects.count() == 3

    # The refused entry is corrected and resent under its key: now it is recorded.
    refused.get_by_role("button", name="修改").click()
    assert page.input_value("input[name=party1_name]") == "黄一"
    page.fill("input[name=received_on]", dt.date.today().isoformat())
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("[data-entry]")).to_have_count(0)
    assert Dispute.objects.count() == 4


def test_cadre_records_an_event_with_a_photo_offline(med, browser_login, live_server):
    from fazhi.education.models import PublicityEvent
    from fazhi.field.make_icons import png

    page = browser_login("litou_village_cadre", width=375, height=812)
    page.goto(f"{live_server.url}/field/disputes/")  # the worker caches every field page, not only this one
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    assert page.goto(f"{live_server.url}/field/events/").from_service_worker
    page.fill("input[name=place]", "犁头村文化广场")
    page.fill("input[name=theme]", "民法典进村入户")
    page.get_by_label("民法典", exact=True).check()
    page.fill("input[name=organizer]", "犁头村委会")
    page.fill("input[name=audience]", "30")
    page.set_input_files("input[name=photos]", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png(16)}])
    page.get_by_role("button", name="存入待发送").click()
    expect(page.locator("[data-entry]")).to_contain_text("照片1张")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    page.reload()
    expect(page.locator("[data-entry]")).to_have_count(1)
    assert not PublicityEvent.objects.exists()

    page.context.set_offline(False)
    page.get_by_role("button", name="立即同步").click()
    expect(page.locator("[data-sent-list] li")).to_have_count(1)
    expect(page.locator("[data-entry]")).to_have_count(0)
    e = PublicityEvent.objects.get()
    assert e.theme == "民法典进村入户" and e.photos.count() == 1
    assert e.photos.get().image.read()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_screening_recorded_meanwhile_on_the_server_shows_as_a_conflict(med, browser_login, live_server):
    from fazhi.mediation.models import ScreeningRound
    from fazhi.mediation.services.screenings import screening_create

    page = browser_login("litou_village_cadre", width=375, height=812)
    page.goto(f"{live_server.url}/field/screenings/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    assert page.reload().from_service_worker
    page.fill("input[name=screeners]", "盘春花")
    page.fill("textarea[name=findings]", "未发现矛盾纠纷")
    page.get_by_role("button", name="存入待发送").click()
    expect(page.locator("[data-entry]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 380

    # Meanwhile the township mediator records the village's round for this month on the server.
    village = med.villages["litou"][0]
    rnd = screening_create(actor=med.user("litou_mediator"), township=village.parent, village=village,
                           period_start=dt.date.today().replace(day=1), held_on=dt.date.today(),
                           screeners="乡调委会", findings="排查发现一起宅基地纠纷")

    page.context.set_offline(False)  # the `online` event syncs; 「立即同步」 too (a conflict is not resent)
    page.get_by_role("button", name="立即同步").click()
    entry = page.locator("[data-entry]")
    expect(entry).to_have_attribute("data-status", "conflict")
    expect(entry).to_contain_text("冲突：")
    expect(entry).to_contain_text(med.user("litou_mediator").display_name)
    expect(entry.get_by_role("link", name="查看服务器记录")).to_be_visible()
    rnd.refresh_from_db()
    assert ScreeningRound.objects.count() == 1 and rnd.findings == "排查发现一起宅基地纠纷"
    assert not FieldSubmission.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 380

    page.once("dialog", lambda d: d.accept())
    entry.get_by_role("button", name="放弃本条").click()
    expect(page.locator("[data-entry]")).to_have_count(0)
    assert ScreeningRound.objects.count() == 1


def test_an_inspection_with_a_photo_waits_offline_through_a_browser_restart(enf, chromium, live_server, tmp_path):
    """Closing the browser (the phone restarting) keeps the outbox: a persistent profile is closed and opened again."""
    from fazhi.conftest import CHROMIUM, CHROMIUM_ARGS
    from fazhi.enforcement.models import Inspection
    from fazhi.evidence.models import EvidenceFile
    from fazhi.field.make_icons import png

    def open_profile():
        context = chromium.browser_type.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            viewport={"width": 375, "height": 812}, locale="zh-CN")
        return context, context.pages[0] if context.pages else context.new_page()

    context, page = open_profile()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "litou_officer")
    page.fill("input[name=password]", "fazhi-demo-2024")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/field/inspections/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_until(page, "caches.keys().then(k => k.some(n => n.startsWith('fazhi-field-')))")
    context.set_offline(True)
    assert page.reload().from_service_worker
    page.fill("input[name=place]", "犁头村三组")
    page.fill("input[name=subject]", "违法建设巡查")
    page.check(f"input[name=officers][value='{enf.o1.pk}']")
    page.check(f"input[name=officers][value='{enf.o2.pk}']")
    page.set_input_files("input[name=photos]", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": png(16)}])
    page.get_by_role("button", name="存入待发送").click()
    expect(page.locator("[data-entry]")).to_contain_text("照片1张")
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    context.close()  # the browser is closed while still offline

    context, page = open_profile()
    context.set_offline(True)
    assert page.goto(f"{live_server.url}/field/inspections/").from_service_worker
    expect(page.locator("[data-entry]")).to_have_count(1)
    assert not Inspection.objects.exists()
    context.set_offline(False)
    page.get_by_role("button", name="立即同步").click()
    expect(page.locator("[data-sent-list] li")).to_have_count(1)
    expect(page.locator("[data-entry]")).to_have_count(0)
    ins = Inspection.objects.get()
    assert ins.place == "犁头村三组" and ins.officers.count() == 2
    assert EvidenceFile.objects.filter(subject_type="enforcement.inspection", subject_id=str(ins.pk)).count() == 1
    context.close()
