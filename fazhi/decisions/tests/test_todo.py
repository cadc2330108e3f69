import datetime as dt

import pytest

from fazhi.core.todo import todo_for
from fazhi.decisions.services.decision import decision_review_record
from fazhi.decisions.services.litigation import litigation_save
from fazhi.decisions.tests.conftest import new_decision, to_risk
from fazhi.decisions.todo import staff_todo

pytestmark = pytest.mark.django_db
D = dt.date


def test_pending_legality_review_and_reply_deadlines_reach_staff(demo, staff):
    d = to_risk(demo, new_decision(demo))
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 9, 27), reviewer="司法所")
    litigation_save(actor=staff, township=demo.litou, kind="reconsideration", case_no="复1", organ="县政府",
                    claimant="某", subject="罚款", received_on=D(2024, 9, 23))
    items = staff_todo(staff, D(2024, 10, 1), 14)
    by_title = {i.title.split("：")[0]: i for i in items}
    assert by_title["合法性审查意见"].due == D(2024, 10, 12)
    assert "国庆节" in by_title["合法性审查意见"].explanation
    assert by_title["提交行政复议答复"].due == D(2024, 10, 11)  # 10 working days over 国庆 (复议法第八十八条)
    assert staff_todo(demo.user("demo2_legal_staff"), D(2024, 10, 1), 14) == []
    assert staff_todo(demo.user("litou_officer"), D(2024, 10, 1), 14) == []
    # registered providers are reached through the shared to-do list
    assert any(i.module == "依法决策" for i in todo_for(staff, D(2024, 10, 1)))
