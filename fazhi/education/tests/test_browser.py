"""A village cadre records a publicity event in the browser; it shows in the ledger and on coverage."""

import os

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def test_village_cadre_records_a_publicity_event(demo, browser_login, live_server):
    from fazhi.education.models import PublicityEvent

    page = browser_login("litou_village_cadre")
    page.locator("#nav").get_by_role("link", name="普法活动", exact=True).click()  # not 现场登记普法活动（离线）
    page.wait_for_url("**/education/events/")
    page.get_by_role("link", name="登记普法活动", exact=True).click()
    page.wait_for_url("**/education/events/new/")
    page.fill("input[name=date]", "2024-10-12")
    assert page.locator("select[name=village] option").count() == 2  # blank + own village only
    page.select_option("select[name=village]", label="犁头村")
    page.fill("input[name=place]", "犁头村村部广场")
    page.fill("input[name=theme]", "重阳节婚姻家庭法律宣传")
    page.get_by_label("婚姻家庭").check()
    page.get_by_label("民法典").check()
    page.select_option("select[name=format]", value="campaign")
    page.fill("input[name=organizer]", "犁头村委会")
    page.fill("input[name=audience]", "15")
    page.fill("input[name=aud_18_39]", "2")
    page.fill("input[name=aud_40_59]", "3")
    page.fill("input[name=aud_60_plus]", "9")  # 14 ≠ 15: refused with a clear message
    page.fill("input[name=posters]", "6")
    page.fill("input[name=leaflets]", "120")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.locator("main")).to_contain_text("不一致")
    assert not PublicityEvent.objects.exists()
    page.fill("input[name=aud_60_plus]", "10")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/education/events/*/")
    main = page.locator("main").inner_text()
    assert "重阳节婚姻家庭法律宣传" in main and "15 人次" in main and "60岁及以上 10" in main
    page.wait_for_selector("section.history")  # the history partial loads over HTMX
    expect(page.locator("section.history")).to_contain_text("新建")
    e = PublicityEvent.objects.get()
    assert e.village.name == "犁头村" and e.recorded_by.username == "litou_village_cadre"
    page.goto(f"{live_server.url}/education/events/?year=2024")
    expect(page.locator("#ledger-rows")).to_contain_text("重阳节婚姻家庭法律宣传")


def test_coverage_page_on_a_phone(demo, browser_login, live_server):
    from fazhi.education import demo as education_demo
    from fazhi.organization import demo as organization_demo

    organization_demo.load(demo)
    education_demo.load(demo)
    page = browser_login("litou_leader", width=375, height=812)
    page.goto(f"{live_server.url}/education/coverage/?year=2024")
    assert page.locator("svg.chart").count() == 5
    text = page.locator("main").inner_text()
    assert "覆盖面窄" in text and "毛栗坪村" in text and "年龄偏大" in text
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways at 375 px ({width}px)"
