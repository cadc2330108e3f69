"""The annual-report contract: every key the reports read from a module's statistics is a key of that
module's TypedDict (a typo is a failing test, not a silent “（无数据）”), and every module returns exactly
its contract."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from fazhi.reports import figures, rollup, sources
from fazhi.reports.tests.fakes import SEED

REPORTS = Path(sources.__file__).parent
READERS = ["content.py", "figures.py", "dashboard.py", "rules.py", "rollup.py"]
STATS_NAMES = {"s", "stats"}  # how the reports name a Stats


def _module_of(node, env) -> str | None:
    """`stats.get("mediation")` → "mediation"; a name bound to one → its module."""
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name) and node.func.value.id in STATS_NAMES and node.args
            and isinstance(node.args[0], ast.Constant) and node.args[0].value in sources.MODULE_KEYS):
        return node.args[0].value
    if isinstance(node, ast.Name):
        return env.get(node.id)
    return None


def module_reads(source: str) -> list[tuple[str, str, int]]:
    """(module, key, line) of every `org.get("key")`, `org["key"]` and `stats.get("m").get("key")`."""
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef):
            continue
        env: dict[str, str] = {}
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    names = target.elts if isinstance(target, ast.Tuple) else [target]
                    values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
                    for name, value in zip(names, values, strict=False):
                        module = _module_of(value, {})
                        if isinstance(name, ast.Name) and module:
                            env[name.id] = module
        for node in ast.walk(fn):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                    and node.args and isinstance(node.args[0], ast.Constant)):
                module = _module_of(node.func.value, env)
                if module:
                    out.append((module, node.args[0].value, node.lineno))
            elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
                module = _module_of(node.value, env)
                if module:
                    out.append((module, node.slice.value, node.lineno))
    return out


@pytest.mark.parametrize("filename", READERS)
def test_every_key_the_reports_read_is_in_the_contract(filename):
    reads = module_reads((REPORTS / filename).read_text())
    unknown = [f"{filename}:{line} {module}.{key}" for module, key, line in reads
               if key not in sources.contract_keys(module)]
    assert not unknown, f"keys not in the module's annual_stats contract: {unknown}"


def test_the_key_finder_sees_the_reads_and_catches_a_typo():
    assert len(module_reads((REPORTS / "content.py").read_text())) >= 35
    assert len(module_reads((REPORTS / "dashboard.py").read_text())) >= 40
    typo = 'def f(stats):\n    med = stats.get("mediation")\n    return med.get("recieved"), stats.get("education")["topic"]\n'
    assert [(m, k) for m, k, _ in module_reads(typo)] == [("mediation", "recieved"), ("education", "topic")]
    assert "recieved" not in sources.contract_keys("mediation")


def test_rollup_rules_name_contract_keys():
    pairs = [*rollup.RATES, *rollup.WEIGHTED, *rollup.VILLAGE_LISTS, *rollup.VILLAGE_DICTS, *rollup.DROPPED]
    pairs += [(m, k) for (m, _), ks in rollup.RATES.items() for k in ks]
    pairs += [(m, w) for (m, _), w in rollup.WEIGHTED.items()]
    assert [(m, k) for m, k in pairs if k not in sources.contract_keys(m)] == []


def test_every_figure_label_is_a_contract_key_or_computed():
    stats = sources.Stats(year=2024, sections={m: dict(v) for m, v in SEED.items()})
    computed = figures.compute(stats, name="犁头瑶族乡", region_facts={"area_km2": 34, "population": 1, "villages": 4})
    for key in figures.LABELS:
        module, name = key.split(".", 1)
        if module in sources.MODULE_KEYS:
            assert name in sources.contract_keys(module) or key in computed, key


@pytest.mark.parametrize("filename", ["content.py", "rules.py"])
def test_every_placeholder_of_the_text_is_a_figure(filename):
    stats = sources.Stats(year=2024, sections={m: dict(v) for m, v in SEED.items()})
    computed = figures.compute(stats, name="犁头瑶族乡", region_facts={"area_km2": 34, "population": 1, "villages": 4})
    used = {k for k in figures.PLACEHOLDER.findall((REPORTS / filename).read_text()) if k.split(".")[0] in {*sources.MODULE_KEYS, "report", "region"}}
    assert len(used) >= 10
    assert sorted(k for k in used if k not in figures.LABELS or k not in computed) == []


def test_the_fakes_are_shaped_like_the_contract():
    for module in sources.MODULE_KEYS:
        assert set(SEED[module]) == sources.contract_keys(module), module


def test_every_module_returns_its_contract(demo):
    for module in sources.MODULES:
        data = module.annual_stats(demo.litou, 2024)
        assert set(data) == sources.contract_keys(module.key), module.key
        assert inspect.signature(module.annual_stats).return_annotation == module.contract.__name__
