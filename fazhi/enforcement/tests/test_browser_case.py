"""Browser: one ordinary case from registration to closing, through the real pages."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _status(page):
    return page.locator("#case-status")


def _submit(page) -> None:
    """Submit the page's form (a step form's button is the step's name) and land on the case page
    (or fail showing what the page said)."""
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").first.click()
    if page.locator("#case-status").count() == 0:
        raise AssertionError(page.locator("main").inner_text())


def test_ordinary_case_from_filing_to_closing(enf, browser_login):
    officer = browser_login("litou_officer")
    officer.goto(officer.url.split("/", 3)[0] + "//" + officer.url.split("/", 3)[2] + "/enforcement/cases/new/")
    officer.fill("input[name=title]", "张某擅自建房案")
    officer.select_option("select[name=power]", label="未经批准擅自建房")
    officer.fill("input[name=party_name]", "张某")
    officer.fill("input[name=party_id_no]", "431127198001011234")
    officer.fill("textarea[name=facts]", "当事人未经批准在犁头村建房。")
    officer.get_by_label("李执法（证号43110001）").check()
    officer.get_by_label("赵队员（证号43110002）").check()
    _submit(officer)
    expect(_status(officer)).to_have_text("待立案审批")
    case_url = officer.url

    leader = browser_login("litou_leader")
    leader.goto(case_url)
    leader.get_by_role("link", name="立案审批").click()
    _submit(leader)
    expect(_status(leader)).to_have_text("调查取证")

    officer.goto(case_url)
    officer.get_by_role("link", name="送达事先告知书").click()
    officer.fill("textarea[name=reasons]", "违反乡村建设规划许可规定")
    officer.select_option("select[name=penalty_kind]", "fine")
    officer.fill("input[name=fine_amount]", "3000")
    officer.get_by_label("当事人书面放弃陈述、申辩和听证权利").check()
    _submit(officer)
    expect(_status(officer)).to_have_text("已告知（陈述申辩期）")

    leader.goto(case_url)
    leader.get_by_role("link", name="作出处理决定").click()
    _submit(leader)
    expect(_status(leader)).to_have_text("已作出决定")
    expect(leader.locator("main")).to_contain_text("罚决字")

    officer.goto(case_url)
    officer.get_by_role("link", name="送达决定书").click()
    officer.select_option("select[name=service_method]", "direct")
    officer.fill("input[name=service_recipient]", "张某")
    _submit(officer)
    expect(_status(officer)).to_have_text("已送达")

    officer.get_by_role("link", name="登记缴款").click()
    officer.fill("input[name=paid_amount]", "3000")
    _submit(officer)
    officer.get_by_role("link", name="结案").click()
    _submit(officer)
    expect(_status(officer)).to_have_text("已结案")
    officer.wait_for_selector("#history .timeline")
    expect(officer.locator("#history")).to_contain_text("状态变更")
    with officer.expect_download() as dl:
        officer.get_by_role("link", name="行政处罚决定书（.docx）").click()
    assert dl.value.suggested_filename.endswith("行政处罚决定书.docx")


def test_public_list_and_roster_on_a_phone(enf, browser_login, live_server):
    import datetime as dt
    from decimal import Decimal

    from fazhi.enforcement import publication
    from fazhi.enforcement.models import CaseStatus
    from fazhi.enforcement.tests.conftest import advance, make_case

    case = advance(enf, make_case(enf, fine=Decimal("1000")), CaseStatus.SERVED)
    publication.publication_publish(actor=enf.officer_user, case=case, published_on=dt.date(2024, 4, 17),
                                 today=dt.date(2024, 4, 17))
    page = browser_login("litou_officer", width=375, height=812)
    page.goto(f"{live_server.url}/enforcement/officers/")
    assert page.locator("#certified-count").inner_text() == "3"
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    anon = page.context.browser.new_context(viewport={"width": 375, "height": 812}).new_page()
    anon.goto(f"{live_server.url}/enforcement/public/")
    text = anon.locator("main").inner_text()
    assert case.decision_number in text and "431127********1234" in text
    assert anon.evaluate("document.documentElement.scrollWidth") <= 380
    anon.context.close()
