import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from fazhi.core.errors import DomainError
from fazhi.decisions.models import (
    Decision,
    DecisionCategory,
    DecisionStatus,
    DecisionStep,
    DecisionTransition,
)
from fazhi.decisions.services.consultation import consultation_open
from fazhi.decisions.services.decision import (
    catalogue_save,
    decision_create,
    decision_review_record,
    decision_update,
    settings_save,
)
from fazhi.decisions.services.discussion import discussion_create
from fazhi.decisions.tests.conftest import D, discuss, new_decision, to_discussed, to_reviewed, to_risk
from fazhi.decisions.workflow import decision_transition

S = DecisionStatus
pytestmark = pytest.mark.django_db


def unchanged(d, status):
    d.refresh_from_db()
    assert d.status == status
    return True


def test_it_creates_with_lead_unit_step_and_transition_row(demo):
    d = new_decision(demo)
    assert d.status == S.STARTED and d.number == "2024-001"
    assert DecisionStep.objects.filter(decision=d, step=S.STARTED).count() == 1
    assert DecisionTransition.objects.filter(decision=d, to_status=S.STARTED).exists()
    att = d.attachments.get()
    assert att.sha256 == hashlib.sha256(b"start").hexdigest() and att.size == 5 and att.step == S.STARTED
    assert att.file.read() == b"start"


def test_it_refuses_skipping_ahead_of_the_statutory_order(demo, staff):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="不能从"):
        decision_transition(actor=staff, decision=d, step=S.LEGALITY_REVIEW,
                            data={"summary": "跳过", "performed_on": D(2024, 2, 2)})
    assert unchanged(d, S.STARTED)
    assert not DecisionStep.objects.filter(decision=d, step=S.LEGALITY_REVIEW).exists()


def test_required_steps_cannot_be_skipped_optional_ones_need_a_reason(demo, staff):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="必经程序"):
        decision_transition(actor=staff, decision=d, step="skip_participation",
                            data={"skip_reason": "不想征求", "performed_on": D(2024, 2, 2)})
    assert unchanged(d, S.STARTED)
    fund = new_decision(demo, DecisionCategory.LARGE_FUND, amount=Decimal("100000"), title="资金")
    decision_transition(actor=staff, decision=fund, step="skip_participation",
                        data={"skip_reason": "预算内资金", "performed_on": D(2024, 2, 2)})
    step = fund.steps.get(step=S.PARTICIPATION)
    assert step.skipped and step.skip_reason == "预算内资金"


def test_participation_needs_a_consultation_and_published_summary(demo, staff):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="尚未公开征求意见"):
        decision_transition(actor=staff, decision=d, step=S.PARTICIPATION,
                            data={"summary": "x", "performed_on": D(2024, 2, 2)})
    consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 3, 1),
                      comment_end=D(2024, 3, 31))
    with pytest.raises(DomainError, match="届满后"):
        decision_transition(actor=staff, decision=d, step=S.PARTICIPATION,
                            data={"summary": "x", "performed_on": D(2024, 3, 31)})
    with pytest.raises(DomainError, match="采纳情况"):
        decision_transition(actor=staff, decision=d, step=S.PARTICIPATION,
                            data={"summary": "x", "performed_on": D(2024, 4, 1)})
    assert unchanged(d, S.STARTED)


def test_comment_period_shorter_than_30_days_needs_a_reason(demo, staff):
    d = new_decision(demo)
    # 2024-09-20 to 2024-10-19 is 29 days even though National Day falls inside: calendar days count.
    with pytest.raises(DomainError, match="少于30日"):
        consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 9, 20),
                          comment_end=D(2024, 10, 19))
    d.refresh_from_db()
    assert d.comment_start is None
    consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 9, 20),
                      comment_end=D(2024, 10, 20))
    d.refresh_from_db()
    assert d.comment_end == D(2024, 10, 20) and d.comment_short_reason == ""
    consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 9, 20),
                      comment_end=D(2024, 10, 5), short_reason="防汛紧急")
    d.refresh_from_db()
    assert d.comment_short_reason == "防汛紧急"


def test_hearing_materials_must_be_out_7_days_ahead(demo, staff):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="至少提前7日"):
        consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 3, 1),
                          comment_end=D(2024, 3, 31), hearing_date=D(2024, 3, 20),
                          hearing_materials_on=D(2024, 3, 14))
    consultation_open(actor=staff, decision=d, draft_text="稿", comment_start=D(2024, 3, 1),
                      comment_end=D(2024, 3, 31), hearing_date=D(2024, 3, 20),
                      hearing_materials_on=D(2024, 3, 13))


def test_legality_review_period_counts_working_days_over_national_day(demo, staff):
    from fazhi.decisions.deadlines import review_period

    d = to_risk(demo, new_decision(demo))
    # Submitted 2024-09-27 (Fri): 9-29 (Sun) is a make-up working day, 10-1..10-7 holiday, 10-12 (Sat) make-up.
    with pytest.raises(DomainError, match="少于7个工作日"):
        decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 9, 27), reviewer="司法所",
                               result="lawful", concluded_on=D(2024, 10, 11), opinion="合法")
    d.refresh_from_db()
    assert d.review_result == ""
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 9, 27), reviewer="司法所",
                           result="lawful", concluded_on=D(2024, 10, 12), opinion="合法")
    d.refresh_from_db()
    period = review_period(d)
    assert period.due == D(2024, 10, 12)
    assert "国庆节" in period.explanation and "调休" in period.explanation


def test_short_review_with_a_reason_is_accepted(demo, staff):
    d = to_risk(demo, new_decision(demo))
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 4, 8), reviewer="司法所",
                           result="lawful", concluded_on=D(2024, 4, 9), opinion="合法",
                           short_reason="应急事项，县司法局同意")
    decision_transition(actor=staff, decision=d, step=S.LEGALITY_REVIEW,
                        data={"summary": "审查", "performed_on": D(2024, 4, 9)})
    assert unchanged(d, S.LEGALITY_REVIEW)


def test_unreviewed_draft_cannot_go_to_discussion(demo, staff, leader):
    d = to_risk(demo, new_decision(demo))
    with pytest.raises(DomainError, match="尚未送请合法性审查"):
        decision_transition(actor=staff, decision=d, step=S.LEGALITY_REVIEW,
                            data={"summary": "x", "performed_on": D(2024, 4, 5)})
    with pytest.raises(DomainError, match="未经合法性审查"):
        discussion_create(actor=leader, decision=d, meeting="会", held_on=D(2024, 4, 5), members_total=5,
                          head_name="雷斌")
    with pytest.raises(DomainError):
        decision_transition(actor=staff, decision=d, step=S.DISCUSSION,
                            data={"summary": "x", "performed_on": D(2024, 4, 5)})
    assert unchanged(d, S.RISK_ASSESSMENT)


def test_unlawful_draft_cannot_go_to_discussion(demo, staff, leader):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)), result="unlawful")
    with pytest.raises(DomainError, match="不合法"):
        discussion_create(actor=leader, decision=d, meeting="会", held_on=D(2024, 4, 22), members_total=5,
                          head_name="雷斌")
    with pytest.raises(DomainError, match="不合法"):
        decision_transition(actor=staff, decision=d, step=S.DISCUSSION,
                            data={"summary": "x", "performed_on": D(2024, 4, 22)})
    assert unchanged(d, S.LEGALITY_REVIEW)
    assert not d.discussions.exists()


def test_discussion_step_needs_an_adopted_finalized_discussion(demo, staff):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)))
    with pytest.raises(DomainError, match="尚未完成集体讨论"):
        decision_transition(actor=staff, decision=d, step=S.DISCUSSION,
                            data={"summary": "x", "performed_on": D(2024, 4, 22)})
    discuss(demo, d, conclusion="deferred")
    with pytest.raises(DomainError, match="暂缓"):
        decision_transition(actor=staff, decision=d, step=S.DISCUSSION,
                            data={"summary": "x", "performed_on": D(2024, 4, 22)})
    assert unchanged(d, S.LEGALITY_REVIEW)


def test_full_route_to_implementation(demo, staff):
    d = to_discussed(demo, new_decision(demo))
    for to, extra in [(S.PARTY_REPORT, {}), (S.PUBLISHED, {"published_on": D(2024, 4, 25)}),
                      (S.ARCHIVED, {"archive_no": "档-1"}), (S.IMPLEMENTATION, {})]:
        decision_transition(actor=staff, decision=d, step=to,
                            data={"summary": "办理", "performed_on": D(2024, 4, 25), **extra})
    d.refresh_from_db()
    assert d.status == S.IMPLEMENTATION and d.archive_no == "档-1" and d.published_on == D(2024, 4, 25)
    assert DecisionTransition.objects.filter(decision=d).count() == 10  # one row per step, the first from creation
    with pytest.raises(DomainError):
        decision_transition(actor=staff, decision=d, step="terminate", data={"reason": "x"})


def test_archive_needs_number_and_publish_needs_date(demo, staff):
    d = to_discussed(demo, new_decision(demo))
    decision_transition(actor=staff, decision=d, step=S.PARTY_REPORT,
                        data={"summary": "报告", "performed_on": D(2024, 4, 23)})
    with pytest.raises(DomainError, match="公布日期"):
        decision_transition(actor=staff, decision=d, step=S.PUBLISHED,
                            data={"summary": "公布", "performed_on": D(2024, 4, 23)})
    assert unchanged(d, S.PARTY_REPORT)


def test_high_risk_blocks_until_adjusted(demo, staff):
    fund = new_decision(demo, DecisionCategory.PROJECT, title="项目")
    decision_transition(actor=staff, decision=fund, step="skip_participation",
                        data={"skip_reason": "不适用", "performed_on": D(2024, 2, 2)})
    decision_transition(actor=staff, decision=fund, step="skip_expert_review",
                        data={"skip_reason": "不适用", "performed_on": D(2024, 2, 2)})
    with pytest.raises(DomainError, match="风险不可控"):
        decision_transition(actor=staff, decision=fund, step=S.RISK_ASSESSMENT,
                            data={"summary": "评估", "risk_level": "high", "performed_on": D(2024, 2, 3)})
    assert unchanged(fund, S.EXPERT_REVIEW)


def test_dates_cannot_go_backwards_or_into_the_future(demo, staff):
    d = new_decision(demo, DecisionCategory.PROJECT)
    with pytest.raises(DomainError, match="不能早于上一环节"):
        decision_transition(actor=staff, decision=d, step="skip_participation",
                            data={"skip_reason": "x", "performed_on": D(2024, 1, 1)})
    with pytest.raises(DomainError, match="晚于今天"):
        decision_transition(actor=staff, decision=d, step="skip_participation",
                            data={"skip_reason": "x", "performed_on": dt.date.today() + dt.timedelta(days=3)})
    assert unchanged(d, S.STARTED)


def test_large_fund_threshold_is_a_setting(demo, staff):
    with pytest.raises(DomainError, match="未达到本乡大额资金标准"):
        new_decision(demo, DecisionCategory.LARGE_FUND, amount=Decimal("49999"))
    settings_save(actor=staff, township=demo.litou, large_fund_threshold=Decimal("30000"))
    d = new_decision(demo, DecisionCategory.LARGE_FUND, amount=Decimal("40000"))
    assert d.category == DecisionCategory.LARGE_FUND
    with pytest.raises(DomainError, match="须填写涉及金额"):
        new_decision(demo, DecisionCategory.LARGE_FUND, amount=None, title="无金额")


def test_terminate_needs_a_reason(demo, staff):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="终止"):
        decision_transition(actor=staff, decision=d, step="terminate")
    decision_transition(actor=staff, decision=d, step="terminate", data={"reason": "上级政策调整"})
    assert unchanged(d, S.TERMINATED)


@pytest.mark.parametrize("who", ["litou_officer", "demo2_legal_staff", "county_supervisor", "litou_counsel"])
def test_only_township_decision_staff_may_act(demo, who):
    d = new_decision(demo)
    with pytest.raises(DomainError, match="无权"):
        decision_transition(actor=demo.user(who), decision=d, step="terminate", data={"reason": "x"})
    with pytest.raises(DomainError, match="无权"):
        decision_create(actor=demo.user(who), township=demo.litou, title="x", category="major_admin",
                        lead_unit="u", started_on=D(2024, 1, 1))
    assert unchanged(d, S.STARTED)
    assert Decision.objects.count() == 1


def test_stale_page_is_a_conflict(demo, staff):
    from fazhi.core.errors import ConflictError

    d = new_decision(demo)
    with pytest.raises(ConflictError):
        decision_transition(actor=staff, decision=d, step="terminate",
                            data={"reason": "x"}, expected_status=S.PARTICIPATION)


def test_catalogue_collects_the_years_major_administrative_decisions(demo, staff):
    before = new_decision(demo, title="先登记")
    fund = new_decision(demo, DecisionCategory.LARGE_FUND, amount=Decimal("90000"), title="资金")
    cat = catalogue_save(actor=staff, township=demo.litou, year=2024, title="2024年度目录")
    before.refresh_from_db()
    fund.refresh_from_db()
    assert before.catalogue == cat and fund.catalogue is None  # 三重一大 items are not catalogue items
    assert new_decision(demo, title="后登记").catalogue == cat


def test_basic_facts_can_be_corrected_until_decided(demo, staff):
    d = new_decision(demo, DecisionCategory.LARGE_FUND, amount=Decimal("80000"), title="资金安排")
    with pytest.raises(DomainError, match="未达到"):
        decision_update(actor=staff, decision=d, amount=Decimal("100"))
    with pytest.raises(DomainError, match="不能修改"):
        decision_update(actor=staff, decision=d, category="major_admin")
    decision_update(actor=staff, decision=d, title="资金安排（修订）", amount=Decimal("90000"))
    assert d.title == "资金安排（修订）" and d.amount == Decimal("90000")
    done = to_discussed(demo, new_decision(demo, title="已决"))
    with pytest.raises(DomainError, match="不能再修改"):
        decision_update(actor=staff, decision=done, title="改")
