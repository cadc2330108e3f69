import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED = {
    "litou_leader": ["工作台", "待办事项"],
    "litou_legal_staff": ["工作台", "待办事项"],
    "litou_officer": ["工作台", "期限计算"],
    "litou_mediator": ["工作台"],
    "litou_village_cadre": ["工作台"],
    "litou_counsel": ["工作台"],
    "county_supervisor": ["工作台", "审计日志"],
}


def test_each_role_signs_in_and_sees_its_menu(demo, browser_login):
    for username, labels in EXPECTED.items():
        page = browser_login(username)
        nav = page.locator("#nav")
        for label in labels:
            assert nav.get_by_role("link", name=label).count() == 1, (username, label)
        assert nav.get_by_role("link", name="用户管理").count() == 0
        page.context.close()


def test_admin_is_sent_to_two_factor_setup(demo, browser_login):
    page = browser_login("litou_admin")
    assert "/accounts/2fa/setup/" in page.url
    assert page.locator("svg").count() >= 1
    assert TOTPDevice.objects.filter(user__username="litou_admin", confirmed=False).exists()


def test_navigation_works_on_a_375px_phone(demo, browser_login):
    page = browser_login("litou_officer", width=375, height=812)
    nav = page.locator("#nav")
    assert not nav.is_visible()
    page.get_by_role("button", name="菜单").click()
    assert nav.is_visible()
    nav.get_by_role("link", name="期限计算").click()
    page.wait_for_url("**/deadline/")
    page.fill("input[name=start]", "2024-09-30")
    page.fill("input[name=n]", "7")
    page.get_by_role("button", name="计算").click()
    page.wait_for_selector("#deadline-result")
    expect(page.locator("#deadline-result")).to_contain_text("2024年10月15日")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways at 375 px ({width}px)"
