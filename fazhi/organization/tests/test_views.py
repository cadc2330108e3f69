"""Pages of the organization app: anonymous → other township → wrong role → right role."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.organization.models import (
    AnnualPlan,
    BudgetLine,
    DutyList,
    LeadingGroup,
    PlanTask,
    TaskProof,
    TopicMeeting,
)

LISTS = ["organization:groups", "organization:meetings", "organization:plans", "organization:tasks",
         "organization:budget", "organization:duties"]
DETAILS = [("organization:group_detail", LeadingGroup), ("organization:meeting_detail", TopicMeeting),
           ("organization:plan_detail", AnnualPlan), ("organization:task_detail", PlanTask),
           ("organization:budget_detail", BudgetLine), ("organization:duty_detail", DutyList)]


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_walk_roles(seeded, login, name):
    url = reverse(name)
    r = Client().get(url)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert login(seeded.user("litou_village_cadre"), Client()).get(url).status_code == 403
    assert login(seeded.user("litou_counsel"), Client()).get(url).status_code == 403
    other = login(seeded.user("demo2_legal_staff"), Client()).get(url)
    assert other.status_code == 200 and "犁头瑶族乡" not in other.content.decode()
    mine = login(seeded.user("litou_legal_staff"), Client()).get(url)
    assert mine.status_code == 200 and "犁头瑶族乡" in mine.content.decode()
    assert login(seeded.user("county_supervisor"), Client()).get(url).status_code == 200


@pytest.mark.parametrize("name,model", DETAILS)
def test_detail_pages_are_scoped(seeded, login, name, model):
    obj = model.objects.filter(township=seeded.litou).order_by("pk").first()
    url = reverse(name, args=[obj.pk])
    assert Client().get(url).status_code == 302
    assert login(seeded.user("demo2_legal_staff"), Client()).get(url).status_code == 404
    assert login(seeded.user("litou_village_cadre"), Client()).get(url).status_code == 403
    r = login(seeded.user("litou_leader"), Client()).get(url)
    assert r.status_code == 200
    assert reverse("audit:history", args=[obj._meta.label_lower, obj.pk]) in r.content.decode()


def test_group_page_shows_the_seed_leading_group(seeded, login):
    g = LeadingGroup.objects.get(township=seeded.litou, year=2024)
    body = login(seeded.user("litou_leader"), Client()).get(reverse("organization:group_detail", args=[g.pk])).content
    text = body.decode()
    for s in ("顾问", "赵巾英", "乡党委书记", "组长", "雷斌", "副组长", "李文杰", "党委委员、政法委员、武装部长",
              "司法所负责人"):
        assert s in text


def test_list_pages_have_a_query_budget(seeded, login, django_assert_max_num_queries):
    c = login(seeded.user("litou_legal_staff"), Client())
    for name in LISTS:
        with django_assert_max_num_queries(12):
            assert c.get(reverse(name)).status_code == 200


def test_task_list_exports_xlsx(seeded, login):
    r = login(seeded.user("litou_legal_staff"), Client()).get(reverse("organization:tasks") + "?export=xlsx&year=2024")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_create_task_through_the_form(seeded, login):
    plan = AnnualPlan.objects.get(township=seeded.litou, year=2025)
    c = login(seeded.user("litou_legal_staff"), Client())
    url = reverse("organization:task_new", args=[plan.pk])
    bad = c.post(url, {"seq": 9, "area": "education", "title": "送法进校园", "owner_unit": "司法所",
                       "due_date": "2026-03-01", "priority": "normal"})
    assert bad.status_code == 200 and "完成时限应在2025年内" in bad.content.decode()
    assert not PlanTask.objects.filter(title="送法进校园").exists()
    ok = c.post(url, {"seq": 9, "area": "education", "title": "送法进校园", "owner_unit": "司法所",
                      "due_date": "2025-09-01", "priority": "normal"})
    assert ok.status_code == 302
    assert PlanTask.objects.get(title="送法进校园").plan == plan


def test_supervisor_and_officer_cannot_create_plans(seeded, login):
    data = {"year": 2027, "title": "2027年计划"}
    assert login(seeded.user("county_supervisor"), Client()).post(reverse("organization:plan_new"), data).status_code == 403
    assert login(seeded.user("litou_officer"), Client()).post(reverse("organization:plan_new"), data).status_code == 403
    assert not AnnualPlan.objects.filter(year=2027).exists()


def test_carry_over_through_the_page(demo, plan, login):
    c = login(demo.user("litou_leader"), Client())
    url = reverse("organization:plan_carry_over", args=[plan.pk])
    page = c.get(url).content.decode()
    assert "2 项未完成任务" in page and "1 项" in page
    r = c.post(url, {"reason": "年终"})
    nxt = AnnualPlan.objects.get(township=demo.litou, year=2025)
    assert r.status_code == 302 and r["Location"] == reverse("organization:plan_detail", args=[nxt.pk])
    again = c.post(url, {"reason": "再次"})
    assert "不能重复结转" in again.content.decode()


def test_proof_download_is_scoped_and_logged(seeded, login):
    from fazhi.audit.models import AuditEntry

    proof = TaskProof.objects.filter(township=seeded.litou).first()
    url = reverse("organization:proof_download", args=[proof.pk])
    assert login(seeded.user("demo2_leader"), Client()).get(url).status_code == 404
    r = login(seeded.user("litou_leader"), Client()).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download", object_id=str(proof.pk)).exists()


def test_overdue_tasks_feed_the_todo_list(demo, plan, login):
    from fazhi.core.todo import todo_for

    items = todo_for(demo.user("litou_legal_staff"), dt.date(2025, 1, 10))
    titles = {i.title for i in items if i.module == "年度计划"}
    assert titles == {"集中宣传12次", "执法资格考试"}  # the done task is not listed
    assert all(i.overdue(dt.date(2025, 1, 10)) for i in items if i.module == "年度计划")
    assert not [i for i in todo_for(demo.user("demo2_legal_staff"), dt.date(2025, 1, 10)) if i.module == "年度计划"]
    assert not [i for i in todo_for(demo.user("litou_village_cadre"), dt.date(2025, 1, 10))
                if i.module == "年度计划"]
    page = login(demo.user("litou_legal_staff"), Client()).get(reverse("core:todo"))
    assert "集中宣传12次" in page.content.decode()


def test_nav_has_the_organization_group(seeded, login):
    text = login(seeded.user("litou_leader"), Client()).get(reverse("core:home")).content.decode()
    assert "组织领导" in text and reverse("organization:plans") in text


def test_edit_through_the_form_is_audited_with_the_real_change(seeded, login):
    from fazhi.audit.models import AuditEntry

    t = PlanTask.objects.filter(township=seeded.litou, plan__year=2025).first()
    c = login(seeded.user("litou_legal_staff"), Client())
    r = c.post(reverse("organization:task_edit", args=[t.pk]), {
        "seq": t.seq, "area": t.area, "title": t.title, "description": t.description, "owner_unit": "司法所（改）",
        "owner_person": "唐法治", "due_date": t.due_date.isoformat(), "priority": t.priority})
    assert r.status_code == 302
    e = AuditEntry.objects.filter(object_type="organization.plantask", object_id=str(t.pk), action="update").last()
    assert e.changes["owner_unit"] == [t.owner_unit, "司法所（改）"] and e.changes["owner_person"] == ["", "唐法治"]


def test_a_draft_plan_of_an_ended_year_puts_nothing_in_the_todo(demo, login):
    from fazhi.core.todo import todo_for
    from fazhi.organization import services

    staff = demo.user("litou_legal_staff")
    p = services.plan_create(actor=staff, township=demo.litou, year=2024, title="2024年计划（草稿，从未印发）")
    services.task_create(actor=staff, plan=p, area="education", title="草稿里的任务", owner_unit="司法所",
                         due_date=dt.date(2024, 12, 20))
    assert "草稿里的任务" in {i.title for i in todo_for(staff, dt.date(2024, 12, 25))}  # its own year: still work
    assert "草稿里的任务" not in {i.title for i in todo_for(staff, dt.date(2025, 1, 10))}
