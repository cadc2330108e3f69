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
