"""The statutory order of the steps and which steps each category must go through.

重大行政决策 follows 713号令 fully; 三重一大 items take the collective-decision route (厅字 rules on
“三重一大”): legality review and collective discussion are never skipped; the other steps may be
marked as not applicable, with the reason recorded."""

from __future__ import annotations

from fazhi.decisions.models import DecisionCategory as C
from fazhi.decisions.models import DecisionStatus as S

STEP_ORDER: list[str] = [S.STARTED, S.PARTICIPATION, S.EXPERT_REVIEW, S.RISK_ASSESSMENT, S.LEGALITY_REVIEW,
                         S.DISCUSSION, S.PARTY_REPORT, S.PUBLISHED, S.ARCHIVED, S.IMPLEMENTATION]

STEP_LABELS: dict[str, str] = {
    S.STARTED: "决策启动（确定承办单位）",
    S.PARTICIPATION: "公众参与（公开征求意见/听证）",
    S.EXPERT_REVIEW: "专家论证",
    S.RISK_ASSESSMENT: "风险评估",
    S.LEGALITY_REVIEW: "合法性审查",
    S.DISCUSSION: "集体讨论决定",
    S.PARTY_REPORT: "向党委请示报告",
    S.PUBLISHED: "决策公布",
    S.ARCHIVED: "立卷归档",
    S.IMPLEMENTATION: "执行与决策后评估",
}

REQUIRED = "required"
OPTIONAL = "optional"  # may be skipped with a recorded reason

_ALWAYS = {S.STARTED, S.LEGALITY_REVIEW, S.DISCUSSION, S.ARCHIVED}

# Steps that a category must complete (not skip). Everything else in STEP_ORDER is optional.
_REQUIRED_BY_CATEGORY: dict[str, set[str]] = {
    # 713号令: public participation (第十四条), legality review (第二十五条), collective discussion (第三十条),
    # report to the Party committee (第三十三条), publication (第三十六条); expert review and risk
    # assessment apply when the matter is technical or may affect stability (第十九、二十二条).
    C.MAJOR_ADMIN: _ALWAYS | {S.PARTICIPATION, S.PARTY_REPORT, S.PUBLISHED, S.IMPLEMENTATION},
    C.MAJOR_MATTER: _ALWAYS | {S.IMPLEMENTATION},
    C.APPOINTMENT: _ALWAYS | {S.PARTY_REPORT},
    C.PROJECT: _ALWAYS | {S.IMPLEMENTATION},
    C.LARGE_FUND: _ALWAYS | {S.IMPLEMENTATION},
}


def step_rule(category: str, step: str) -> str:
    return REQUIRED if step in _REQUIRED_BY_CATEGORY.get(category, set(STEP_ORDER)) else OPTIONAL


def next_step(status: str) -> str | None:
    if status not in STEP_ORDER:
        return None
    i = STEP_ORDER.index(status)
    return STEP_ORDER[i + 1] if i + 1 < len(STEP_ORDER) else None


def step_index(step: str) -> int:
    return STEP_ORDER.index(step)


# Allowed transitions: each step to the next one (done or skipped), and termination before publication.
ALLOWED: dict[str, set[str]] = {}
for _s in STEP_ORDER:
    _targets = {next_step(_s)} - {None}
    if step_index(_s) < step_index(S.PUBLISHED):
        _targets.add(S.TERMINATED)
    ALLOWED[_s] = _targets
ALLOWED[S.TERMINATED] = set()
