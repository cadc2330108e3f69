"""One decision from start to archive in the real pages (headless Chromium)."""

import datetime as dt
import io
import zipfile

import pytest
from playwright.sync_api import expect

from fazhi.decisions.models import Decision, DecisionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_decision_from_start_to_archive(demo, browser_login):
    page = browser_login("litou_legal_staff")
    page.on("dialog", lambda d: d.accept())
    today = dt.date.today().isoformat()

    page.locator("#nav").get_by_role("link", name="重大决策").click()
    page.get_by_role("link", name="登记决策事项").click()
    page.fill("input[name=title]", "乡村公益性岗位设置方案")
    page.select_option("select[name=category]", "major_matter")
    page.fill("input[name=lead_unit]", "乡社会事务综合服务中心")
    page.fill("input[name=started_on]", today)
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#decision-status")
    expect(page.locator("#decision-status")).to_contain_text("决策启动")

    def skip(reason):
        page.fill("#skip-form textarea[name=skip-skip_reason]", reason)
        with page.expect_navigation():
            page.locator("#skip-form button[type=submit]").click()

    def complete(summary, **extra):
        page.fill("#step-form textarea[name=step-summary]", summary)
        for name, value in extra.items():
            sel = f"#step-form [name=step-{name}]"
            if name == "risk_level":
                page.select_option(sel, value)
            else:
                page.fill(sel, value)
        with page.expect_navigation():
            page.locator("#step-form button[type=submit]").click()

    skip("已书面征求各村意见，不涉及社会公众切身利益")
    skip("不涉及专业技术问题")
    # Legality review cannot be reached before risk assessment, and cannot be skipped.
    complete("社会稳定风险评估：低风险", risk_level="low")
    expect(page.locator("#decision-status")).to_contain_text("风险评估")

    page.get_by_role("link", name="登记合法性审查").click()
    page.fill("input[name=submitted_on]", today)
    page.fill("input[name=reviewer]", "乡司法所")
    page.select_option("select[name=result]", "lawful")
    page.fill("input[name=concluded_on]", today)
    page.fill("textarea[name=opinion]", "合法")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".msg.error")).to_contain_text("少于7个工作日")  # the period is explained and refused
    page.fill("textarea[name=short_reason]", "岗位须于本月上岗，县司法局同意缩短审查时间")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#decision-status")
    complete("合法性审查：合法")

    page.get_by_role("link", name="登记集体讨论会议").click()
    page.fill("input[name=held_on]", today)
    page.fill("input[name=members_total]", "3")
    page.fill("input[name=head_name]", "雷斌")
    page.fill("textarea[name=attendees]", "唐晓东 副乡长\n李文杰 武装部长")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("#opinion-form")
    # The head is not offered until everybody else has spoken.
    expect(page.locator("#opinion-form select[name=attendee]")).not_to_contain_text("雷斌")
    for _ in range(3):
        page.fill("#opinion-form textarea[name=text]", "同意")
        with page.expect_navigation():
            page.locator("#opinion-form button[type=submit]").click()
    assert page.locator("#opinions li").last.inner_text().startswith("雷斌（主持人）")
    page.select_option("#finalize-form select[name=conclusion]", "adopted")
    page.fill("#finalize-form textarea[name=conclusion_text]", "同意设置公益性岗位12个")
    page.locator("#finalize-form button[type=submit]").click()
    page.wait_for_selector("#disc-status")
    expect(page.locator("#disc-status")).to_contain_text("已定稿")
    with page.expect_download() as dl:
        page.get_by_role("link", name="下载会议纪要（.docx）").click()
    assert dl.value.suggested_filename.endswith(".docx")

    page.get_by_role("link", name="返回决策事项").click()
    complete("经乡党委会议集体讨论通过")
    skip("由乡党委会议直接决定")
    skip("岗位设置在村务公开栏公示，不另行公布")
    complete("立卷归档", archive_no="犁政档-2026-009")
    expect(page.locator("#decision-status")).to_contain_text("立卷归档")

    with page.expect_download() as dl:
        page.get_by_role("link", name="下载档案包（zip）").click()
    names = zipfile.ZipFile(io.BytesIO(open(dl.value.path(), "rb").read())).namelist()
    assert "00_卷内目录.docx" in names and any(n.startswith("会议纪要/") for n in names)
    d = Decision.objects.get(title="乡村公益性岗位设置方案")
    assert d.status == DecisionStatus.ARCHIVED and d.steps.filter(skipped=True).count() == 4


def test_public_comment_on_a_phone(demo, live_server, chromium):
    from fazhi.decisions.models import PublicComment
    from fazhi.decisions.services.consultation import consultation_open
    from fazhi.decisions.tests.conftest import new_decision

    today = dt.date.today()
    d = new_decision(demo, title="集镇停车管理办法")
    consultation_open(actor=demo.user("litou_legal_staff"), decision=d, draft_text="征求意见稿正文",
                      comment_start=today, comment_end=today + dt.timedelta(days=30))
    context = chromium.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/decisions/consultations/")
    expect(page.locator("main")).to_contain_text("集镇停车管理办法")
    page.fill(f"#body-{d.pk}", "建议增加夜间免费停车时段")
    page.get_by_role("button", name="提交意见").click()
    page.wait_for_selector(".msg.success")
    expect(page.locator(".msg.success")).to_contain_text("审核后公开")
    expect(page.locator("main")).not_to_contain_text("建议增加夜间免费停车时段")  # held for moderation
    assert PublicComment.objects.get().status == "pending"
    assert page.evaluate("document.documentElement.scrollWidth") <= 380
    context.close()
