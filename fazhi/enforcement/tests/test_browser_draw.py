"""Browser: one 双随机 draw through the real pages — the plan item entered, the draw, its 复核 (一致), the
inspection's result, its publication, and the result on the public portal."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fazhi.enforcement import plans

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page, expect_in: str) -> None:
    """Submit the page's form and check where it landed (or fail showing what the page said)."""
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    if expect_in not in page.url:
        raise AssertionError(page.locator("main").inner_text())


def test_random_draw_from_plan_item_to_portal(enf, browser_login, live_server):
    year = timezone.localdate().year  # the suite's pinned today: the draw happens "today"
    plans.object_save(actor=enf.officer_user, township=enf.town, name="犁头街兴旺超市", kind="business",
                      address="犁头街12号")
    officer = browser_login("litou_officer")
    base = live_server.url

    officer.goto(f"{base}/enforcement/inspections/plan/new/")
    officer.fill("input[name=year]", str(year))
    officer.fill("input[name=item]", "经营场所消防安全检查")
    officer.fill("textarea[name=basis]", "《中华人民共和国消防法》第五十三条")
    officer.select_option("select[name=object_kind]", "business")
    officer.fill("input[name=frequency]", "每半年一次")
    officer.fill("input[name=yearly_limit]", "1")
    _submit(officer, "/inspections/plan/")
    expect(officer.locator("main")).to_contain_text("经营场所消防安全检查")

    officer.goto(f"{base}/enforcement/inspections/draws/new/")
    officer.select_option("select[name=plan_item]", label=f"{year}年 经营场所消防安全检查")
    officer.fill("input[name=object_count]", "1")
    _submit(officer, "/inspections/draws/")
    expect(officer.locator("#result")).to_contain_text("犁头街兴旺超市")
    seed = officer.locator("#seed").inner_text()
    assert len(seed) >= 16

    officer.locator("#verify").click()
    expect(officer.locator("#verify-result")).to_contain_text("复核一致")

    officer.get_by_role("link", name="犁头街兴旺超市").first.click()  # the inspection the draw created
    form = officer.locator("#form-result")  # the record page offers the step inline
    form.locator("textarea[name=findings]").fill("消防器材齐全有效，安全出口畅通。")
    form.locator("select[name=result]").select_option("none")
    with officer.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(officer.locator("body")).to_contain_text("已录入检查结果")
    officer.once("dialog", lambda d: d.accept())  # the step asks before it publishes
    with officer.expect_navigation():
        officer.locator("#form-publish button[type=submit]").click()
    expect(officer.locator("body")).to_contain_text("已公示检查结果")

    portal = officer.context.new_page()
    portal.goto(f"{base}/public/t/{enf.town.code}/enforcement/inspections/")
    expect(portal.locator("main")).to_contain_text("犁头街兴旺超市")
    expect(portal.locator("main")).to_contain_text("经营场所消防安全检查")
