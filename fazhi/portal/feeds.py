"""What other modules publish, read through their selectors, imported lazily: the portal still works
(showing nothing) when a module is absent or lacks the selector."""

from __future__ import annotations

import importlib

from django.urls import NoReverseMatch, reverse


def _selector(module: str, name: str):
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def enforcement_available() -> bool:
    return _selector("fazhi.enforcement.selectors", "published_decisions") is not None


def enforcement(township):
    """Published (not withdrawn) penalty decisions of the township (行政执法公示, 国办发〔2018〕118号)."""
    fn = _selector("fazhi.enforcement.selectors", "published_decisions")
    return fn(township=township) if fn else []


def consultations_available() -> bool:
    return _selector("fazhi.decisions.selectors", "open_consultations") is not None


def consultations(township):
    """Major decisions whose public comment period is running (重大行政决策程序暂行条例第十四条)."""
    fn = _selector("fazhi.decisions.selectors", "open_consultations")
    return fn(township=township) if fn else []


def comment_url() -> str | None:
    try:
        return reverse("decisions:consultations")
    except NoReverseMatch:
        return None
