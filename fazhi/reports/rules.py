"""二、存在问题: findings written only when the year's data shows them. Each rule reads the
statistics and returns a paragraph template (figures as placeholders) or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fazhi.reports.sources import Stats

# Thresholds are working judgements of the county's 法治办, not statute; kept together so a county can
# tune them. Art. 42 行政处罚法 needs two certified officers on every act: fewer than five means at most
# two teams can ever be in the field at once.
THRESHOLDS = {
    "min_certified_officers": 5,
    "max_cases_per_certified_officer": 30,
    "max_area_km2_per_certified_officer": 8,
    "elderly_share_percent": 50,
    "min_mediation_success_rate": 90,
}


@dataclass(frozen=True)
class Rule:
    key: str
    title: str
    check: Callable[[Stats, dict], str | None]


def _publicity(stats: Stats, facts: dict) -> str | None:
    if not stats.connected("education"):
        return None
    edu = stats.get("education")
    parts = []
    share = edu.get("elderly_share")
    if share is not None and share >= THRESHOLDS["elderly_share_percent"]:
        parts.append("普法学习对象发展不平衡、年龄偏大，宣传受众中60岁以上群众占{education.elderly_share}%，"
                     "青壮年群众参与较少，部分群众法律意识不强、法治观念淡薄")
    if edu.get("villages_without_events"):
        parts.append("宣传工作覆盖面窄，{education.villages_without_events}全年未开展普法宣传活动，"
                     "法治元素融入少、渗透不足")
    planned, held = edu.get("planned_events") or 0, edu.get("publicity_events") or 0
    if planned and held < planned:
        parts.append("年度普法计划安排宣传活动{education.planned_events}场，实际开展{education.publicity_events}场，"
                     "宣传活动开展受客观条件制约，出现时紧时松现象")
    if not parts:
        return None
    return "法治宣传教育工作有待加强。" + "；".join(parts) + "。"


def _team(stats: Stats, facts: dict) -> str | None:
    if not stats.connected("enforcement"):
        return None
    enf = stats.get("enforcement")
    certified = enf.get("certified_officers") or 0
    cases = enf.get("cases") or 0
    area = facts.get("area_km2")
    few = certified < THRESHOLDS["min_certified_officers"]
    busy = certified and cases / certified > THRESHOLDS["max_cases_per_certified_officer"]
    wide = certified and area and float(area) / certified > THRESHOLDS["max_area_km2_per_certified_officer"]
    if not (few or busy or wide):
        return None
    text = "乡镇法治建设队伍单薄。虽然机构健全但从事法律工作人员很少且专业知识不强，"
    if certified:
        text += "{report.self}持有执法证件的干部仅{enforcement.certified_officers}人"
    else:
        text += "{report.self}尚无持有执法证件的干部"
    if cases or enf.get("inspections"):
        text += "，全年办理行政处罚案件{enforcement.cases}件、开展行政检查{enforcement.inspections}次"
    if area and certified:
        text += "；{report.place}辖区面积{region.area_km2}平方公里"
        if facts.get("population"):
            text += "、户籍人口{region.population}人"
        text += "，每名持证人员负责面积约{enforcement.area_per_officer}平方公里，人口分散"
    return text + "，法律专业知识工作人员配备紧张，不便于工作开展。"


def _enforcement(stats: Stats, facts: dict) -> str | None:
    enf = stats.get("enforcement")
    if not enf.get("overdue_cases"):
        return None
    return ("行政执法规范化水平有待提高。{enforcement.overdue_cases}件行政处罚案件超过法定期限仍未作出处理决定，"
            "案件办理时效有待提升。")


def _disclosure(stats: Stats, facts: dict) -> str | None:
    dis = stats.get("disclosure")
    parts = []
    if dis.get("late_items"):
        parts.append("{disclosure.late_items}条政府信息未在形成或变更之日起20个工作日内公开")
    if dis.get("requests_overdue"):
        parts.append("{disclosure.requests_overdue}件政府信息公开申请未在法定期限内答复")
    if not parts:
        return None
    return "政务公开时效性有待提高。" + "，".join(parts) + "。"


def _decisions(stats: Stats, facts: dict) -> str | None:
    dec = stats.get("decisions")
    if not dec or (dec.get("decisions") or 0) <= (dec.get("with_legality_review") or 0):
        return None
    return "依法决策程序有待规范。全年{decisions.decisions}项重大行政决策中，" \
           "{decisions.without_legality_review}项未经合法性审查。"


def _mediation(stats: Stats, facts: dict) -> str | None:
    med = stats.get("mediation")
    if not med:
        return None
    parts = []
    rate = med.get("success_rate")
    if rate is not None and med.get("received") and rate < THRESHOLDS["min_mediation_success_rate"]:
        parts.append("矛盾纠纷调解成功率为{mediation.success_rate}%")
    if med.get("overdue"):
        parts.append("{mediation.overdue}起矛盾纠纷超过一个月仍未化解")
    if med.get("villages_without_screening"):
        parts.append("{mediation.villages_without_screening}未按要求开展矛盾纠纷排查")
    if not parts:
        return None
    return "矛盾纠纷排查化解仍有短板。" + "，".join(parts) + "。"


def _plan(stats: Stats, facts: dict) -> str | None:
    org = stats.get("organization")
    if not org.get("plan_tasks_overdue"):
        return None
    return "年度工作计划落实不够到位。年度计划{organization.plan_tasks}项任务中，" \
           "{organization.plan_tasks_overdue}项逾期未完成。"


def _review(stats: Stats, facts: dict) -> str | None:
    """The county's 案卷评查 of the year found problems (oversight); say what and whether they were fixed."""
    r = facts.get("review") or {}
    if not r.get("files") or not r.get("problems"):
        return None
    problems = "、".join(f"{label}方面{n}项" for label, n in r["problems"])
    whose = "各乡镇" if facts.get("county") else "本乡镇"
    text = (f"行政执法案卷质量仍需提高。县司法局案卷评查抽查{whose}案卷{r['files']}卷，合格{r['passed']}卷，"
            f"发现{problems}问题")
    if r.get("repeats"):
        text += "，其中" + "；".join(f"{name}{'、'.join(items)}" for name, items in r["repeats"]) + "问题反复出现"
    if r.get("notices"):
        done = "已全部整改到位" if r["rectified"] == r["notices"] else f"已整改{r['rectified']}件，其余正在整改"
        text += f"，县司法局发出整改通知{r['notices']}件，{done}"
    return text + "。"


RULES: tuple[Rule, ...] = (
    Rule("publicity", "法治宣传教育", _publicity),
    Rule("team", "法治工作队伍", _team),
    Rule("enforcement", "执法时效", _enforcement),
    Rule("disclosure", "政务公开时效", _disclosure),
    Rule("decisions", "决策程序", _decisions),
    Rule("mediation", "纠纷化解", _mediation),
    Rule("plan", "计划落实", _plan),
    Rule("review", "案卷评查", _review),
)


def findings(stats: Stats, facts: dict) -> list[tuple[str, str]]:
    """[(rule key, paragraph template)] for every rule the data supports, in the seed's order."""
    out = []
    for rule in RULES:
        text = rule.check(stats, facts)
        if text:
            out.append((rule.key, text))
    return out


def ordinal_prefixes(n: int) -> list[str]:
    """How the seed introduces parallel findings: 一方面/另一方面 for two, 一是/二是… for more."""
    if n == 1:
        return [""]
    if n == 2:
        return ["一方面，", "另一方面，"]
    return [f"{CN_NUM[i]}是" for i in range(1, n + 1)]


CN_NUM = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
