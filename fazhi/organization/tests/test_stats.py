"""annual_stats on the seed township's demo data and on known small data."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.organization import services, workflow
from fazhi.organization.selectors import annual_stats

KEYS = {"leading_group", "plan_title", "plan_tasks", "plan_tasks_done", "plan_tasks_overdue", "topic_meetings",
        "budget_total", "budget_spent", "next_year_items", "duty_units", "duty_obligations_done",
        "duty_obligations"}


def test_seed_figures(seeded):
    s = annual_stats(seeded.litou, 2024)
    assert set(s) == KEYS
    assert s["leading_group"][:3] == [
        {"name": "赵巾英", "post": "乡党委书记", "group_role": "顾问"},
        {"name": "雷斌", "post": "党委副书记、乡长", "group_role": "组长"},
        {"name": "李文杰", "post": "党委委员、政法委员、武装部长", "group_role": "副组长"}]
    assert all(m["group_role"] == "成员" and m["post"].endswith("负责人") for m in s["leading_group"][3:])
    assert s["plan_title"] == "2024年犁头瑶族乡法治政府建设工作计划"
    assert s["plan_tasks"] >= 10 and s["plan_tasks_done"] < s["plan_tasks"]
    assert s["topic_meetings"] >= 1
    assert s["budget_total"] > 0 and isinstance(s["budget_spent"], Decimal)
    for item in ("完善法治建设工作机制", "加强干部队伍建设，提高运用法治思维和法治方式解决问题的能力", "做实做细普法宣传"):
        assert item in s["next_year_items"]
    assert s["duty_units"] == 5 and 0 < s["duty_obligations_done"] < s["duty_obligations"]


def test_known_data(demo, plan):
    staff = demo.user("litou_legal_staff")
    line = services.budget_line_create(actor=staff, township=demo.litou, year=2024, subject="经费",
                                       amount=Decimal("1000.50"))
    services.spend_record(actor=staff, line=line, date=dt.date(2024, 4, 1), amount=Decimal("200.25"), purpose="印刷")
    services.budget_line_create(actor=staff, township=demo.litou, year=2023, subject="往年", amount=Decimal("99"))
    s = annual_stats(demo.litou, 2024, today=dt.date(2025, 1, 10))
    assert (s["plan_tasks"], s["plan_tasks_done"], s["plan_tasks_overdue"]) == (3, 1, 2)
    assert s["budget_total"] == Decimal("1000.50") and s["budget_spent"] == Decimal("200.25")
    assert s["next_year_items"] == [] and s["leading_group"] == [] and s["topic_meetings"] == 0
    s_mid = annual_stats(demo.litou, 2024, today=dt.date(2024, 6, 1))
    assert s_mid["plan_tasks_overdue"] == 1  # only 执法资格考试 (due 2024-02-29) had passed
    workflow.plan_carry_over(actor=staff, plan=plan)
    assert annual_stats(demo.litou, 2024)["next_year_items"] == ["集中宣传12次", "执法资格考试", "做实做细普法宣传"]
    assert annual_stats(demo.demo2, 2024)["plan_tasks"] == 0


def test_constant_number_of_queries(seeded):
    with CaptureQueriesContext(connection) as few:
        annual_stats(seeded.demo2, 2024)
    with CaptureQueriesContext(connection) as many:
        annual_stats(seeded.litou, 2024)
    assert len(few) == len(many) <= 10
