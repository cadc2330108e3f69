import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import DomainError
from fazhi.organization import services
from fazhi.organization.models import GroupMember, TaskProgress, TaskProof, TaskStatus
from fazhi.organization.workflow import plan_transition, task_transition


def test_progress_moves_status_and_writes_transition_rows(demo, plan):
    staff = demo.user("litou_officer")  # any township staff may report progress
    t = plan.tasks.get(title="执法资格考试")
    task_transition(actor=staff, task=t, step="progress", data={"date": dt.date(2024, 5, 1), "progress": 30,
                                                                 "note": "已报名"})
    t.refresh_from_db()
    assert t.status == TaskStatus.IN_PROGRESS and t.progress == 30
    proof = SimpleUploadedFile("合格名单.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    task_transition(actor=staff, task=t, step="progress", data={"date": dt.date(2024, 6, 1), "progress": 100,
                                                                 "note": "考试通过", "proof": proof})
    t.refresh_from_db()
    assert t.status == TaskStatus.DONE and t.completed_on == dt.date(2024, 6, 1)
    assert [r.to_status for r in t.transitions.all()] == [TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    p = TaskProof.objects.get(update__task=t)
    assert p.name == "合格名单.pdf" and p.file.read() == b"%PDF-1.4 test"


@pytest.mark.parametrize("kwargs,msg", [
    ({"progress": 101}, "0 至 100"),
    ({"date": dt.date.today() + dt.timedelta(days=1)}, "晚于今天"),
    ({"date": dt.date(2024, 1, 1)}, "不能早于上一次"),
    ({"note": "  "}, "进展情况"),
    ({"proof": SimpleUploadedFile("x.exe", b"MZ")}, "仅支持"),
])
def test_progress_guards_refuse_and_change_nothing(demo, plan, kwargs, msg):
    t = plan.tasks.get(title="集中宣传12次")
    n = TaskProgress.objects.count()
    args = {"date": dt.date(2024, 12, 21), "progress": 60, "note": "推进"} | kwargs
    with pytest.raises(DomainError, match=msg):
        task_transition(actor=demo.user("litou_legal_staff"), task=t, step="progress", data=args)
    t.refresh_from_db()
    assert t.progress == 50 and TaskProgress.objects.count() == n


def test_village_cadre_and_other_township_cannot_report_progress(demo, plan):
    t = plan.tasks.first()
    for u in ("litou_village_cadre", "demo2_leader", "county_supervisor"):
        with pytest.raises(DomainError, match="无权"):
            task_transition(actor=demo.user(u), task=t, step="progress",
                            data={"date": dt.date(2024, 4, 1), "progress": 10, "note": "x"})


def test_task_due_date_must_be_in_plan_year(demo, plan):
    with pytest.raises(DomainError, match="2024年内"):
        services.task_create(actor=demo.user("litou_leader"), plan=plan, area="other", title="x", owner_unit="x",
                             due_date=dt.date(2025, 1, 5))


def test_plan_cannot_be_issued_without_tasks(demo):
    staff = demo.user("litou_legal_staff")
    p = services.plan_create(actor=staff, township=demo.litou, year=2026, title="2026年计划",
                             issued_on=dt.date(2026, 1, 1))
    with pytest.raises(DomainError, match="尚无任务"):
        plan_transition(actor=staff, plan=p, step="issue")
    with pytest.raises(DomainError, match="已存在"):
        services.plan_create(actor=staff, township=demo.litou, year=2026, title="重复")


def test_member_changes_are_kept(demo):
    staff = demo.user("litou_legal_staff")
    g = services.group_create(actor=staff, township=demo.litou, year=2024)
    m = services.member_add(actor=staff, group=g, group_role="deputy", name="李文杰", post="党委委员、政法委员、武装部长")
    services.member_leave(actor=staff, member=m, left_on=dt.date(2024, 9, 1), reason="工作调动")
    services.member_add(actor=staff, group=g, group_role="deputy", name="新同志", post="党委委员、政法委员")
    assert GroupMember.objects.filter(group=g).count() == 2
    with pytest.raises(DomainError, match="已退出"):
        services.member_leave(actor=staff, member=m, left_on=dt.date(2024, 9, 2), reason="x")
    g2 = services.group_create(actor=staff, township=demo.litou, year=2025)
    assert list(g2.members.values_list("name", flat=True)) == ["新同志"]  # serving members carry over


def test_budget_refuses_overspending_and_other_years(demo):
    staff = demo.user("litou_legal_staff")
    line = services.budget_line_create(actor=staff, township=demo.litou, year=2024, subject="法治经费",
                                       amount=Decimal("1000"))
    services.spend_record(actor=staff, line=line, date=dt.date(2024, 5, 1), amount=Decimal("800"), purpose="印刷")
    with pytest.raises(DomainError, match="超出预算余额.*剩余200"):
        services.spend_record(actor=staff, line=line, date=dt.date(2024, 6, 1), amount=Decimal("300"), purpose="x")
    with pytest.raises(DomainError, match="预算年度"):
        services.spend_record(actor=staff, line=line, date=dt.date(2025, 1, 2), amount=Decimal("10"), purpose="x")
    with pytest.raises(DomainError, match="大于零"):
        services.spend_record(actor=staff, line=line, date=dt.date(2024, 6, 1), amount=Decimal("-1"), purpose="x")
    with pytest.raises(DomainError, match="不能低于已支出"):
        services.budget_line_update(actor=staff, line=line, amount=Decimal("500"))
    assert line.spends.count() == 1


def test_followup_completion(demo):
    staff = demo.user("litou_legal_staff")
    m = services.meeting_create(actor=staff, township=demo.litou, date=dt.date(2024, 2, 27), title="专题会",
                                attendees="赵巾英\n雷斌", agenda="部署")
    with pytest.raises(DomainError, match="早于会议日期"):
        services.followup_add(actor=staff, meeting=m, content="x", owner="y", due_date=dt.date(2024, 2, 1))
    f = services.followup_add(actor=staff, meeting=m, content="印发计划", owner="党政办", due_date=dt.date(2024, 3, 1))
    services.followup_complete(actor=staff, followup=f, done_on=dt.date(2024, 2, 28), result="已印发")
    with pytest.raises(DomainError, match="已办结"):
        services.followup_complete(actor=staff, followup=f, done_on=dt.date(2024, 2, 28), result="已印发")
    with pytest.raises(DomainError, match="参会人员"):
        services.meeting_create(actor=staff, township=demo.litou, date=dt.date(2024, 2, 27), title="x",
                                attendees=" \n", agenda="x")
