"""Overdue and due-soon items feed the to-do list and the overdue ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.todo import todo_for
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.selectors import annual_stats, overdue_items
from fazhi.enforcement.tests.conftest import advance, make_case

pytestmark = pytest.mark.django_db
D = dt.date


def test_undecided_case_past_90_days_is_overdue_everywhere(enf, client, login, django_assert_max_num_queries):
    late = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)  # filed 4 March 2024 → decide by 2 June (a Sunday: an agency limit never moves)
    served = advance(enf, make_case(enf), CaseStatus.SERVED)  # served 16 April, never published nor paid
    rows = {(r["case"].pk, r["deadline"].key): r["days"] for r in overdue_items(enf.officer_user, today=D(2024, 6, 4))}
    assert rows == {(late.pk, "decide"): 2, (served.pk, "publication"): 41, (served.pk, "payment"): 29}
    items = [i for i in todo_for(enf.officer_user, D(2024, 6, 4)) if i.module == "行政执法"]
    assert any(i.overdue(D(2024, 6, 4)) and late.number in i.title for i in items)
    assert annual_stats(enf.town, 2024)["overdue_cases"] == 1
    login(enf.officer_user)
    with django_assert_max_num_queries(40):
        r = client.get(reverse("enforcement:overdue"))
    assert late.number in r.content.decode()
    login(enf.demo.user("demo2_officer"))
    assert late.number not in client.get(reverse("enforcement:overdue")).content.decode()


def test_service_and_publication_due_soon_on_todo(enf):
    case = advance(enf, make_case(enf), CaseStatus.DECIDED)  # decided Mon 15 April 2024
    items = {i.title: i for i in todo_for(enf.officer_user, D(2024, 4, 16)) if i.module == "行政执法"}
    serve = items[f"{case.number} 送达处罚决定书"]
    assert serve.due == D(2024, 4, 24) and "7个工作日" in serve.explanation
    assert f"{case.number} 公示处罚决定" in items
