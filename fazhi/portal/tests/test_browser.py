"""File a request on the portal at phone width in large-font mode, answer it as staff, and check the
status as the applicant — in headless Chromium, with nothing fetched from outside the site."""

import pytest
from playwright.sync_api import expect

from fazhi.disclosure.models import InfoRequest, RequestStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LITOU = "431127201000"


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_request_filed_answered_and_tracked_on_a_phone(demo, chromium, live_server, browser_login):
    from django.core.cache import cache

    cache.clear()
    phone = chromium.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = phone.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(f"{live_server.url}/public/t/{LITOU}/")
    with page.expect_navigation():
        page.get_by_role("link", name="大字模式").click()
    assert page.evaluate("document.documentElement.classList.contains('large')")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 22
    assert no_sideways_scroll(page)

    # Keyboard: the skip link is the first stop and takes focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"

    page.get_by_role("navigation", name="栏目").get_by_role("link", name="依申请公开").click()
    page.select_option("select[name=applicant_kind]", "person")
    page.fill("input[name=applicant_name]", "盘阿婆")
    page.fill("input[name=id_number]", "431127195001011234")
    page.fill("input[name=contact_phone]", "13907461234")
    page.fill("input[name=contact_email]", "pan@example.cn")
    page.fill("textarea[name=description]", "2024年毛栗坪村农村低保资金发放名单<script>alert(1)</script>")
    page.check("input[name=consent]")
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="提交申请").click()
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    assert len(tracking_no) == 14
    assert page.evaluate("document.documentElement.classList.contains('large')")  # the cookie persisted

    req = InfoRequest.objects.get(tracking_no=tracking_no)
    assert req.status == RequestStatus.SUBMITTED and "<script" not in req.description

    staff = browser_login("litou_legal_staff")
    staff.goto(f"{live_server.url}/disclosure/requests/{req.pk}/")
    with staff.expect_navigation():
        staff.locator("#act-confirm button[type=submit]").click()
    expect(staff.locator("main")).to_contain_text("办理中")
    expect(staff.locator("main")).to_contain_text("20个工作日")  # the deadline is shown with how it was counted
    staff.get_by_text("作出答复", exact=True).first.click()
    staff.select_option("#act-answer select[name=reply_type]", "already_public")
    staff.fill("#act-answer input[name=where_public]", "本平台公众门户“社会救助”栏目")
    with staff.expect_navigation():
        staff.locator("#act-answer button[type=submit]").click()
    expect(staff.locator("main")).to_contain_text("已答复")
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED

    page.get_by_role("link", name="申请进度查询").click()
    page.fill("input[name=tracking_no]", tracking_no.lower())
    page.get_by_role("button", name="查询").click()
    assert page.locator("#status-label").inner_text() == "已答复"
    expect(page.locator("#reply-text")).to_contain_text("社会救助")
    assert "盘阿婆" not in page.content() and "431127195001011234" not in page.content()
    assert page.evaluate("document.documentElement.classList.contains('large')")
    assert no_sideways_scroll(page)
    assert not outside, outside
    phone.close()
