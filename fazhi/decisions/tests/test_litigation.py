import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.decisions.deadlines import reply_deadline
from fazhi.decisions.models import Litigation
from fazhi.decisions.services.decision import settings_save
from fazhi.decisions.services.litigation import litigation_save
from fazhi.decisions.tests.conftest import new_decision
from fazhi.decisions.workflow import litigation_transition

pytestmark = pytest.mark.django_db
D = dt.date


def register(demo, **kw):
    args = {"kind": "litigation", "case_no": "（2024）湘1127行初1号", "organ": "蓝山县人民法院", "claimant": "黄某某",
            "subject": "拆除决定", "received_on": D(2024, 9, 23)} | kw
    return litigation_save(actor=demo.user("litou_legal_staff"), township=demo.litou, **args)


def test_defence_due_15_days_after_copy_received(demo):
    case = register(demo)
    deadline = reply_deadline(case)
    # 行政诉讼法第六十七条: 9-23 + 15 days = 10-8, a working day (the old 10-day default was no statute's).
    assert deadline.due == D(2024, 10, 8)
    assert "第六十七条" in deadline.explanation


def test_reconsideration_reply_period_is_its_own_setting(demo, staff):
    """Issue 15: 行政复议法第四十八条 fixes 10 working days; a township may plan to reply sooner, never later."""
    with pytest.raises(DomainError, match="10个工作日"):
        settings_save(actor=staff, township=demo.litou, reconsideration_reply_days=12)
    settings_save(actor=staff, township=demo.litou, reconsideration_reply_days=8)
    case = register(demo, kind="reconsideration", received_on=D(2024, 3, 1))
    assert reply_deadline(case).due == D(2024, 3, 13)  # 8 working days (行政复议法第八十八条)
    assert "本地参数设定为8" in reply_deadline(case).explanation


def test_closing_needs_outcome_and_head_appearance_after_hearing(demo, staff):
    case = register(demo, hearing_on=D(2024, 10, 20))
    with pytest.raises(DomainError, match="先填写提交答复"):
        litigation_transition(actor=staff, case=case, step="answer")
    with pytest.raises(DomainError, match="结果"):
        litigation_transition(actor=staff, case=case, step="close")
    case = litigation_save(actor=staff, township=demo.litou, case=case, outcome="revoked",
                           outcome_on=D(2024, 11, 1))
    with pytest.raises(DomainError, match="负责人是否出庭"):
        litigation_transition(actor=staff, case=case, step="close")
    with pytest.raises(DomainError, match="说明理由"):
        litigation_save(actor=staff, township=demo.litou, case=case, head_appeared=False)
    litigation_save(actor=staff, township=demo.litou, case=case, head_appeared=True, head_name="雷斌")
    litigation_transition(actor=staff, case=case, step="close")
    case.refresh_from_db()
    assert case.status == "closed" and case.transitions.count() == 2


def test_links_to_a_decision_of_the_same_township(demo):
    d = new_decision(demo)
    case = register(demo, subject_type="decisions.decision", subject_id=d.pk)
    assert case.subject_id == d.pk
    with pytest.raises(DomainError, match="不属于本乡镇"):
        register(demo, subject_type="decisions.decision", subject_id=d.pk + 100, case_no="x")
    assert Litigation.objects.count() == 1


def test_bad_dates_and_roles_are_refused(demo):
    with pytest.raises(DomainError, match="不能早于"):
        register(demo, reply_submitted_on=D(2024, 9, 1))
    with pytest.raises(DomainError, match="无权"):
        litigation_save(actor=demo.user("litou_officer"), township=demo.litou, kind="litigation",
                        case_no="x", organ="y", claimant="z", subject="s", received_on=D(2024, 1, 1))
    with pytest.raises(DomainError, match="状态只能"):
        register(demo, status="closed")
    assert not Litigation.objects.exists()
