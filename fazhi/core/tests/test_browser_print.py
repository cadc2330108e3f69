"""Browser: a ledger and a case print on A4 through Chromium — no navigation or filters, every column
inside the page width, the township header — and come out as an A4 PDF."""

from __future__ import annotations

import os
import re

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_POINTS = (595.0, 842.0)
A4_CSS_WIDTH = 794 - int((12 + 12) / 25.4 * 96)  # 210 mm less the 12 mm margins, at 96 px per inch


def _printed(page, url):
    page.goto(url)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_CSS_WIDTH, "height": 1100})
    state = page.evaluate("""() => ({
        nav: getComputedStyle(document.querySelector('#nav')).display,
        toolbar: [...document.querySelectorAll('.toolbar')].every(e => getComputedStyle(e).display === 'none'),
        head: getComputedStyle(document.querySelector('.print-head')).display,
        width: document.documentElement.scrollWidth,
        tables: [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right),
        text: document.querySelector('main').innerText })""")
    pdf = page.pdf(format="A4", print_background=False)
    return state, pdf


def _media_boxes(pdf: bytes):
    return [tuple(float(v) for v in m.groups()[2:]) for m in
            re.finditer(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)]


def _check(state, pdf, must):
    assert state["nav"] == "none" and state["toolbar"] and state["head"] != "none"
    assert state["width"] <= A4_CSS_WIDTH + 1, state["width"]
    assert all(r <= A4_CSS_WIDTH + 1 for r in state["tables"]), state["tables"]
    for text in must:
        assert text in state["text"], text
    assert pdf.startswith(b"%PDF")
    boxes = _media_boxes(pdf)
    assert boxes and all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in boxes), boxes


def test_a_ledger_and_a_case_print_on_a4(demo, browser_login, live_server):
    from fazhi.enforcement.demo import load
    from fazhi.enforcement.models import Case

    load(demo)
    page = browser_login("litou_legal_staff")
    state, pdf = _printed(page, f"{live_server.url}/enforcement/")
    _check(state, pdf, ["行政执法案件", "罚款（元）", "乡镇", "犁头瑶族乡"])
    case = Case.objects.filter(township=demo.litou).exclude(number="").first()
    state, pdf = _printed(page, f"{live_server.url}/enforcement/cases/{case.pk}/")
    _check(state, pdf, [case.number])
