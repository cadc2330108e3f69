"""The one adapter between the reports and the modules: every figure comes from a module's
`selectors.annual_stats(township, year)` (reports never read another app's models), whose return type is
that module's contract (`MediationStats`, …, a TypedDict beside the function).

A module whose `annual_stats` raises gives an empty section marked “该模块数据暂时无法读取”, so one
module's fault never stops a township from getting its report.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, cast, overload

from fazhi.decisions.selectors import DecisionsStats
from fazhi.decisions.selectors import annual_stats as decisions_stats
from fazhi.disclosure.selectors import DisclosureStats
from fazhi.disclosure.selectors import annual_stats as disclosure_stats
from fazhi.education.selectors import EducationStats
from fazhi.education.selectors import annual_stats as education_stats
from fazhi.enforcement.selectors import EnforcementStats
from fazhi.enforcement.selectors import annual_stats as enforcement_stats
from fazhi.mediation.selectors import MediationStats
from fazhi.mediation.selectors import annual_stats as mediation_stats
from fazhi.organization.selectors import OrganizationStats
from fazhi.organization.selectors import annual_stats as organization_stats

READ_FAILED = "该模块数据暂时无法读取（错误已记入日志）"
log = logging.getLogger(__name__)

ModuleKey = Literal["organization", "education", "decisions", "disclosure", "enforcement", "mediation"]


@dataclass(frozen=True)
class Module:
    key: ModuleKey
    label: str
    annual_stats: Callable[..., Any]  # (township, year) -> contract
    contract: type  # the module's TypedDict: the keys reports may read


MODULES: tuple[Module, ...] = (
    Module("organization", "组织领导", organization_stats, OrganizationStats),
    Module("education", "学法普法", education_stats, EducationStats),
    Module("decisions", "依法决策", decisions_stats, DecisionsStats),
    Module("disclosure", "政务公开", disclosure_stats, DisclosureStats),
    Module("enforcement", "行政执法", enforcement_stats, EnforcementStats),
    Module("mediation", "矛盾纠纷", mediation_stats, MediationStats),
)
MODULE_KEYS = tuple(m.key for m in MODULES)
MODULE_LABELS = {m.key: m.label for m in MODULES}
CONTRACTS: dict[str, type] = {m.key: m.contract for m in MODULES}


def contract_keys(module: str) -> frozenset[str]:
    """The keys of a module's annual_stats contract."""
    return frozenset(CONTRACTS[module].__annotations__)


@dataclass
class Stats:
    """One township's (or a county's summed) statistics for a year: each module's contract, except for
    modules whose figures could not be read (`failed`)."""

    year: int
    sections: dict[str, Any] = field(default_factory=dict)  # module key -> that module's stats
    failed: set[str] = field(default_factory=set)  # its annual_stats raised (or, summed, every township's did)
    as_of: object = None  # datetime the figures were computed at, when read from TownshipYearStats
    updating: bool = False  # the township changed since `as_of`; a background refresh is queued
    # the encoded figures it was decoded from (TownshipYearStats.data): the dashboard keys its HTML on them
    stored: dict | None = field(default=None, repr=False, compare=False)

    def connected(self, module: str) -> bool:
        return module in self.sections

    @overload
    def get(self, module: Literal["organization"]) -> OrganizationStats: ...
    @overload
    def get(self, module: Literal["education"]) -> EducationStats: ...
    @overload
    def get(self, module: Literal["decisions"]) -> DecisionsStats: ...
    @overload
    def get(self, module: Literal["disclosure"]) -> DisclosureStats: ...
    @overload
    def get(self, module: Literal["enforcement"]) -> EnforcementStats: ...
    @overload
    def get(self, module: Literal["mediation"]) -> MediationStats: ...

    def get(self, module: str) -> Any:
        """The module's stats; empty (read with `.get`) when they could not be read. A county sum lacks
        the keys that have no county equivalent (rollup.DROPPED)."""
        return cast(Any, self.sections.get(module, {}))

    def notes(self) -> list[str]:
        return [f"{MODULE_LABELS[m]}：{READ_FAILED}" for m in MODULE_KEYS if m in self.failed]


def fetch(module: Module, township, year: int) -> dict:
    """One module's stats for one township and year. Tests monkeypatch this."""
    return dict(module.annual_stats(township, year))


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
            stats.failed.add(module.key)
            continue
        stats.sections[module.key] = data
    return stats
