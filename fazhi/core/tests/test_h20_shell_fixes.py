"""Small things every visit meets: /favicon.ico, and a refused request logged without a traceback."""

import io
import logging

import pytest
from django.test import Client

from fazhi.core.logfilters import NoTracebackBelow500

pytestmark = pytest.mark.django_db


def test_favicon_is_served():
    r = Client().get("/favicon.ico")
    assert r.status_code == 200 and r["Content-Type"] == "image/x-icon"
    assert b"".join(r.streaming_content)[:4] == b"\x00\x00\x01\x00"


def _console_handler():
    for h in logging.getLogger().handlers:
        if any(isinstance(f, NoTracebackBelow500) for f in h.filters):
            return h
    raise AssertionError("the console handler lacks the 4xx filter (settings.LOGGING)")


def test_a_403_is_one_log_line_without_traceback(demo, login):
    handler = _console_handler()
    stream, old = io.StringIO(), handler.stream
    handler.stream = stream
    try:
        c = login(demo.user("litou_village_cadre"), Client())
        assert c.get(f"/reports/annual/{demo.litou.code}/2024/").status_code == 403
    finally:
        handler.stream = old
    out = stream.getvalue()
    assert "Forbidden" in out and "Traceback" not in out


def test_a_500_keeps_its_traceback():
    rec = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", (), None)
    try:
        raise ValueError("x")
    except ValueError:
        import sys

        rec.exc_info = sys.exc_info()
    rec.status_code = 500
    NoTracebackBelow500().filter(rec)
    assert rec.exc_info is not None
