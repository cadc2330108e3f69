"""The main flow in Chromium: choose a file, upload it in chunks through tus with progress, survive a
reload in the middle (resume from the server's offset), then play it after stating a purpose."""

import contextlib
import hashlib
import os

import pytest
from playwright.sync_api import expect

from fazhi.evidence.models import EvidenceFile, UploadSession

from .conftest import mp4_bytes

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resumable_upload_in_the_browser(live_server, chromium, tmp_path):
    from fazhi.core.demo import DEMO_PASSWORD, ensure_regions, ensure_users

    ensure_users(ensure_regions())
    data = mp4_bytes(3 * 1024 * 1024 + 321, fill=b"\x5a")
    path = tmp_path / "DSJ_20240312_093000.mp4"
    path.write_bytes(data)
    # the session's shared Chromium (fazhi/conftest.py): a second sync_playwright() in one process fails
    with contextlib.closing(chromium.new_context()) as browser:
        page = browser.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "litou_officer")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.goto(f"{live_server.url}/evidence/upload/")
        page.select_option("select[name=stage]", "patrol")
        page.fill("input[name=place]", "犁头村河道")
        # the connection drops after the first chunk: every later PATCH fails
        patches = []

        def flaky(route):
            if route.request.method == "PATCH":
                patches.append(1)
                if len(patches) > 1:
                    return route.abort()
            return route.continue_()

        page.route("**/evidence/tus/**", flaky)
        page.set_input_files("input[type=file]", str(path))
        page.click("[data-start]")
        page.wait_for_function("() => document.querySelector('[data-list]').innerText.includes('网络中断')")
        assert not EvidenceFile.objects.exists()
        assert 0 < UploadSession.objects.get().offset < len(data)
        page.unroute("**/evidence/tus/**")
        upload = UploadSession.objects.get()
        # reload the page (connection lost, tab closed…), choose the same file again
        page.reload()
        page.select_option("select[name=stage]", "patrol")
        page.set_input_files("input[type=file]", str(path))
        page.click("[data-start]")
        page.wait_for_selector("[data-evidence-link]", timeout=30_000)
        assert UploadSession.objects.count() == 1  # continued, not restarted
        ev = EvidenceFile.objects.get()
        assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.place == "犁头村河道"
        upload.refresh_from_db()
        assert upload.evidence_id == ev.pk
        text = page.inner_text("[data-list]")
        assert "100%" in text or "上传完成" in text
        page.click("[data-evidence-link]")
        page.click("text=播放 / 查看")
        page.select_option("select[name=purpose]", "案件办理")
        page.click("text=确认并播放")
        page.wait_for_selector("video", state="attached")  # fake MP4 bytes: attached, not decodable
        status = page.evaluate("async () => (await fetch(document.querySelector('video').src,"
                               " {headers: {Range: 'bytes=0-99'}})).status")
        assert status == 206
        expect(page.locator("table")).to_contain_text("播放")
