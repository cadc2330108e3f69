"""事前公示 on the portal: generated from the roster, the catalogue and the workflow declaration."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.enforcement.models import Officer, certified_q
from fazhi.enforcement.workflow.cases import CASE_WORKFLOW


@pytest.fixture
def page(full_demo):
    def get():
        r = Client().get(reverse("portal:enforcement_prior", args=[full_demo.litou.code]))
        assert r.status_code == 200
        return r.content.decode()
    return get


def test_it_lists_exactly_the_certified_officers_with_nothing_personal(full_demo, page):
    today = dt.date.today()
    body = page()
    table = body[body.index('id="officers"'):body.index("</table>", body.index('id="officers"'))]
    certified = Officer.objects.filter(certified_q(today), township=full_demo.litou)
    for o in Officer.objects.filter(township=full_demo.litou):
        assert (o.name in table) == certified.filter(pk=o.pk).exists(), o.name
        if o.cert_no and certified.filter(pk=o.pk).exists():
            assert o.cert_no in table
    assert not re.search(r"1[3-9]\d{9}", table) and not re.search(r"\d{17}[\dXx]", table)  # no phone, no ID


def test_it_changes_the_moment_the_roster_does(full_demo, page):
    o = Officer.objects.filter(certified_q(dt.date.today()), township=full_demo.litou).first()
    assert o.name in page()
    Officer.objects.filter(pk=o.pk).update(cert_status="suspended")
    table = page().split('id="officers"')[1].split("</table>")[0]
    assert o.name not in table


def test_the_procedure_chart_is_drawn_from_the_workflow_declaration(full_demo, page):
    body = page()
    chart = body[body.index("<svg"):body.index("</svg>")]
    for state in CASE_WORKFLOW.allowed:
        if state != "revoked":
            assert CASE_WORKFLOW.label(state) in chart
    assert "申请行政复议" in body and "提起行政诉讼" in body and "蓝山县人民政府" in body


def test_it_lists_the_annual_inspection_plan(full_demo, page):
    """事前公示 of the 双随机 plan: each item with its basis, frequency and object scope, from the data."""
    from django.utils import timezone

    from fazhi.enforcement import plans
    from fazhi.enforcement.models import PlanItem

    body = page()
    table = body[body.index('id="plan"'):body.index("</table>", body.index('id="plan"'))]
    demo_item = PlanItem.objects.get(township=full_demo.litou, year=2025)
    for words in (demo_item.item, "《中华人民共和国消防法》第五十三条", demo_item.frequency, "企业、个体工商户", "2次"):
        assert words in table, words
    assert "本年度抽查计划尚未录入" in body and "（2025年度）" in body  # the pinned today is later than 2025
    year, officer = timezone.localdate().year, full_demo.user("litou_officer")
    plans.plan_item_save(actor=officer, township=full_demo.litou, year=year, item="农村自建房安全抽查",
                         basis="《中华人民共和国城乡规划法》第五十三条", object_kind="", frequency="每年一次", yearly_limit=1)
    plans.plan_item_save(actor=officer, township=full_demo.litou, year=year, item="已停用的事项", basis="无",
                         active=False)
    plans.plan_item_save(actor=full_demo.user("demo2_officer"), township=full_demo.demo2, year=year,
                         item="汇源的抽查事项", basis="《森林防火条例》")
    body = page()
    table = body[body.index('id="plan"'):body.index("</table>", body.index('id="plan"'))]
    assert "农村自建房安全抽查" in table and "名录中全部检查对象" in table and "每年一次" in table
    assert demo_item.item not in table and "已停用的事项" not in table and "汇源的抽查事项" not in body
    assert f"（{year}年度）" in body and "本年度抽查计划尚未录入" not in body
