"""Fake module statistics shaped like the seed township's 2024 (the agreed annual_stats keys)."""

from __future__ import annotations

import copy
from decimal import Decimal

SEED = {
    "organization": {
        "leading_group": [
            {"name": "赵巾英", "post": "乡党委书记", "group_role": "顾问"},
            {"name": "雷斌", "post": "党委副书记、乡长", "group_role": "组长"},
            {"name": "李文杰", "post": "党委委员、政法委员、武装部长", "group_role": "副组长"},
            {"name": "唐法治", "post": "司法所所长", "group_role": "成员"},
        ],
        "plan_title": "2024年犁头瑶族乡法治政府建设工作计划",
        "plan_tasks": 12, "plan_tasks_done": 11, "plan_tasks_overdue": 1, "topic_meetings": 2,
        "budget_total": Decimal("50000.00"), "budget_spent": Decimal("42000.00"),
        "next_year_items": [
            "完善法治建设工作机制。坚持邀请政府法律顾问参与研究项目推进、平安建设等领域工作，分析研判法律风险，助推科学依法决策。",
            "加强干部队伍建设，提高运用法治思维和法治方式解决问题的能力。",
            "做实做细普法宣传。严格落实“谁执法谁普法”责任制。",
        ],
        "duty_units": 6, "duty_obligations_done": 17, "duty_obligations": 18,
    },
    "education": {
        "study_sessions": 14, "center_group_sessions": 11, "study_hours_total": Decimal("28.5"),
        "laws_studied": ["《中国共产党廉洁自律准则》", "《宪法》", "《民法典》"],
        "leader_hours": [{"name": "赵巾英", "post": "乡党委书记", "sessions": 11, "hours": Decimal("22")},
                         {"name": "雷斌", "post": "党委副书记、乡长", "sessions": 12, "hours": Decimal("24")}],
        "publicity_events": 16, "themed_campaigns": 10, "audience": 126, "posters": 120, "leaflets": 2150,
        "topics": ["国家安全", "信访工作条例", "社会治安", "婚姻家庭", "土地管理", "民法典"],
        "villages_without_events": ["毛栗坪村"], "audience_by_age": {"60岁以上": 80, "18-59岁": 40, "18岁以下": 6},
        "elderly_share": 63, "venues": 3, "planned_events": 18,
    },
    "decisions": {
        "decisions": 5, "by_category": {"重大事项决策": 2, "重要项目安排": 2, "大额资金使用": 1},
        "with_legality_review": 5, "with_collective_discussion": 5, "with_public_participation": 3,
        "counsel_opinions": 9, "litigation_cases": 1, "reconsideration_cases": 0,
        "counsel": {"name": "陈律师", "firm": "湖南某律师事务所"}, "opinions_by_subject": {"合同": 5},
        "head_appearance_rate": 100, "litigation_outcomes": {"维持": 1}, "avg_opinion_days": Decimal("3.5"),
    },
    "disclosure": {
        "proactive_items": 86, "by_category": {"机构概况": 6, "规划计划": 10, "工作动态": 70}, "late_items": 2,
        "requests": 3, "requests_answered": 3, "requests_overdue": 0, "by_reply_type": {"予以公开": 3},
        "requests_carried_over": 0,
    },
    "enforcement": {
        "certified_officers": 4, "officers": 9, "inspections": 48, "cases": 12, "cases_ordinary": 5,
        "cases_simplified": 7, "legal_reviews": 3, "collective_discussions": 2, "process_records": 12,
        "records_with_video": 10, "decisions": 11, "overdue_cases": 1, "avg_days_to_decision": Decimal("21.4"),
        "by_type": {"罚款": 9, "警告": 2}, "by_outcome": {"处罚": 11}, "fines_total": Decimal("6800"),
    },
    "mediation": {
        "received": 62, "resolved": 61, "not_resolved": 1, "in_progress": 0, "success_rate": 98,
        "by_type": {"婚姻家庭": 12, "土地山林": 20, "邻里纠纷": 30},
        "by_village": {"犁头村": 20, "山背村": 18, "新屋地村": 14, "毛栗坪村": 10},
        "by_source": {"排查发现": 40, "当事人申请": 22}, "by_month": {m: 5 for m in range(1, 13)} | {12: 7},
        "avg_days_to_close": Decimal("6.2"), "overdue": 0, "screening_rounds": 12,
        "villages_without_screening": [], "petitions": 4,
    },
}


def seed_stats(**overrides) -> dict:
    data = copy.deepcopy(SEED)
    for module, values in overrides.items():
        if values is None:
            data.pop(module, None)
        else:
            data[module].update(values)
    return data


class FakeModuleError(Exception):
    """A module whose annual_stats raises (its section carries the note)."""


def patch_sources(monkeypatch, data: dict | None = None, per_township: dict | None = None):
    """Make fazhi.reports.sources.fetch answer from `data` (module -> stats); a module absent from
    it fails (its annual_stats raised). `per_township` maps a township code to its own data."""
    from fazhi.reports import sources

    base = seed_stats() if data is None else data

    def fake_fetch(module, township, year):
        src = (per_township or {}).get(getattr(township, "code", None), base)
        value = src.get(module.key)
        if value is None:
            raise FakeModuleError(module.key)
        return copy.deepcopy(value)

    monkeypatch.setattr(sources, "fetch", fake_fetch)
    return base
