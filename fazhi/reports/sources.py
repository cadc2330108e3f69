"""The one adapter between the reports and the modules: every figure comes from a module's
`selectors.annual_stats(township, year)` (reports never read another app's models).

A module that is not installed yet, or does not expose `annual_stats`, gives an empty section
marked “该模块数据尚未接入”, so the report works while the modules land one by one.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

NOT_CONNECTED = "该模块数据尚未接入"
READ_FAILED = "该模块数据暂时无法读取（错误已记入日志）"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Module:
    key: str
    label: str
    selectors: str


MODULES: tuple[Module, ...] = (
    Module("organization", "组织领导", "fazhi.organization.selectors"),
    Module("education", "学法普法", "fazhi.education.selectors"),
    Module("decisions", "依法决策", "fazhi.decisions.selectors"),
    Module("disclosure", "政务公开", "fazhi.disclosure.selectors"),
    Module("enforcement", "行政执法", "fazhi.enforcement.selectors"),
    Module("mediation", "矛盾纠纷", "fazhi.mediation.selectors"),
)
MODULE_KEYS = tuple(m.key for m in MODULES)
MODULE_LABELS = {m.key: m.label for m in MODULES}


@dataclass
class Stats:
    """One township's (or a county's summed) statistics for a year: a dict per connected module."""

    year: int
    sections: dict[str, dict] = field(default_factory=dict)  # module key -> stats (connected modules only)
    missing: set[str] = field(default_factory=set)
    failed: set[str] = field(default_factory=set)  # connected, but its annual_stats raised
    as_of: object = None  # datetime the figures were computed at, when read from TownshipYearStats
    updating: bool = False  # the township changed since `as_of`; a background refresh is queued

    def connected(self, module: str) -> bool:
        return module in self.sections

    def get(self, module: str) -> dict:
        return self.sections.get(module, {})

    def notes(self) -> list[str]:
        return [f"{MODULE_LABELS[m]}：{READ_FAILED if m in self.failed else NOT_CONNECTED}"
                for m in MODULE_KEYS if m in self.missing]


def stats_function(module: Module):
    """The module's annual_stats, or None while the module (or the function) is not there yet."""
    try:
        selectors = importlib.import_module(module.selectors)
    except ModuleNotFoundError as e:
        if e.name and module.selectors.startswith(e.name):
            return None
        raise
    fn = getattr(selectors, "annual_stats", None)
    return fn if callable(fn) else None


def fetch(module: Module, township, year: int) -> dict | None:
    """One module's stats for one township and year (None: not connected). Tests monkeypatch this."""
    fn = stats_function(module)
    if fn is None:
        return None
    return dict(fn(township, year) or {})


def collect(township, year: int, modules: Iterable[str] | None = None) -> Stats:
    wanted = set(modules) if modules is not None else set(MODULE_KEYS)
    stats = Stats(year=year)
    for module in MODULES:
        if module.key not in wanted:
            continue
        try:
            data = fetch(module, township, year)
        except Exception:
            # one module's fault must not stop a township from getting its report: the section shows
            # the note and the error goes to the log for the module's maintainers
            log.exception("annual_stats of %s failed for %s %s", module.key, getattr(township, "code", ""), year)
            stats.missing.add(module.key)
            stats.failed.add(module.key)
            continue
        if data is None:
            stats.missing.add(module.key)
        else:
            stats.sections[module.key] = data
    return stats
