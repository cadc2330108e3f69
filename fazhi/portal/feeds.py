"""What other modules publish on the portal, read through their selectors."""

from __future__ import annotations

from django.urls import reverse

from fazhi.decisions.selectors import open_consultations
from fazhi.enforcement.selectors import published_decisions


def enforcement(township):
    """Published (not withdrawn) penalty decisions of the township (行政执法公示, 国办发〔2018〕118号)."""
    return published_decisions(township=township)


def consultations(township):
    """Major decisions whose public comment period is running (重大行政决策程序暂行条例第十四条)."""
    return open_consultations(township=township)


def comment_url() -> str:
    return reverse("decisions:consultations")
