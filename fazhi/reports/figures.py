"""Figures: every number (and data-derived list) a report sentence may state, computed from the
modules' statistics. Narrative text refers to them as placeholders `{module.key}`; they are
recomputed at every render and export, never typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from fazhi.reports.sources import Stats

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_.]*)\}")
NO_DATA = "（无数据）"
ORDINAL = re.compile(r"^([（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|\d+[.、．])\s*")

LABELS: dict[str, str] = {
    "report.year": "报告年度",
    "report.name": "乡镇（县）名称",
    "report.place": "全乡（全镇/全县）",
    "report.self": "我乡（我镇/全县各乡镇）",
    "region.area_km2": "辖区面积（平方公里）",
    "region.population": "户籍人口",
    "region.villages": "行政村数",
    "organization.leading_group_text": "领导小组组成",
    "organization.plan_title": "年度工作计划名称",
    "organization.plan_tasks": "年度计划任务数",
    "organization.plan_tasks_done": "已完成任务数",
    "organization.plan_tasks_overdue": "逾期未完成任务数",
    "organization.plan_progress": "计划完成率（%）",
    "organization.topic_meetings": "专题研究会议次数",
    "organization.budget_total": "法治建设经费预算",
    "organization.budget_spent": "法治建设经费支出",
    "organization.duty_units": "普法责任单位数",
    "organization.duty_obligations": "普法责任事项数",
    "organization.duty_obligations_done": "已落实普法责任事项数",
    "education.study_sessions": "学法次数",
    "education.center_group_sessions": "党委理论中心组学法次数",
    "education.study_hours_total": "学法总学时",
    "education.laws_studied": "学习的法律法规",
    "education.leader_hours_text": "主要负责人学法情况",
    "education.publicity_events": "普法宣传活动场次",
    "education.themed_campaigns": "集中主题宣传次数",
    "education.audience": "宣传受众人次",
    "education.posters": "张贴海报份数",
    "education.leaflets": "发放宣传资料份数",
    "education.topics": "宣传主题",
    "education.villages_without_events": "全年未开展宣传的村",
    "education.villages_without_events_count": "未开展宣传的村数",
    "education.elderly_share": "受众中60岁以上占比（%）",
    "education.venues": "法治文化阵地数",
    "education.planned_events": "普法计划安排场次",
    "decisions.decisions": "重大行政决策数",
    "decisions.with_legality_review": "经合法性审查的决策数",
    "decisions.without_legality_review": "未经合法性审查的决策数",
    "decisions.with_collective_discussion": "经集体讨论的决策数",
    "decisions.with_public_participation": "公开征求意见的决策数",
    "decisions.by_category_text": "决策分类情况",
    "decisions.counsel_text": "法律顾问",
    "decisions.counsel_opinions": "法律顾问出具意见数",
    "decisions.avg_opinion_days": "法律意见平均办理天数",
    "decisions.litigation_cases": "行政应诉案件数",
    "decisions.reconsideration_cases": "行政复议案件数",
    "decisions.head_appearance_rate": "负责人出庭应诉率（%）",
    "disclosure.proactive_items": "主动公开信息条数",
    "disclosure.by_category_text": "主动公开分类情况",
    "disclosure.late_items": "超期公开信息条数",
    "disclosure.requests": "依申请公开件数",
    "disclosure.requests_answered": "已答复件数",
    "disclosure.requests_overdue": "逾期答复件数",
    "disclosure.requests_carried_over": "结转下年件数",
    "enforcement.certified_officers": "持证执法人员数",
    "enforcement.officers": "执法人员数",
    "enforcement.inspections": "行政检查次数",
    "enforcement.cases": "行政处罚案件数",
    "enforcement.cases_ordinary": "普通程序案件数",
    "enforcement.cases_simplified": "简易程序案件数",
    "enforcement.legal_reviews": "法制审核件数",
    "enforcement.collective_discussions": "集体讨论件数",
    "enforcement.process_records": "全过程记录份数",
    "enforcement.records_with_video": "音像记录份数",
    "enforcement.decisions": "处罚决定数",
    "enforcement.overdue_cases": "超期未结案件数",
    "enforcement.avg_days_to_decision": "平均办案天数",
    "enforcement.fines_total": "罚款金额",
    "enforcement.area_per_officer": "每名持证人员负责面积（平方公里）",
    "mediation.received": "排查调处矛盾纠纷数",
    "mediation.resolved": "化解纠纷数",
    "mediation.not_resolved": "未化解纠纷数",
    "mediation.in_progress": "调解中纠纷数",
    "mediation.success_rate": "调解成功率（%）",
    "mediation.avg_days_to_close": "平均化解天数",
    "mediation.overdue": "超过一个月未化解纠纷数",
    "mediation.screening_rounds": "排查轮次",
    "mediation.villages_without_screening": "未开展排查的村",
    "mediation.petitions": "信访事项数",
}
MONEY = {"organization.budget_total", "organization.budget_spent", "enforcement.fines_total"}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: object

    @property
    def text(self) -> str:
        return fmt(self.value, money=self.key in MONEY)

    @property
    def placeholder(self) -> str:
        return "{" + self.key + "}"


def fmt(value, *, money: bool = False) -> str:
    if value is None or value == "" or value == []:
        return NO_DATA
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    if isinstance(value, (float, Decimal)):
        d = Decimal(str(value))
        if money and d >= 10000:
            return _trim(d / 10000) + "万"
        return _trim(d)
    if isinstance(value, int) and money and value >= 10000:
        return _trim(Decimal(value) / 10000) + "万"
    return str(value)


def _trim(d: Decimal) -> str:
    q = d.quantize(Decimal("0.01"))
    text = format(q, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def place_words(name: str, county: bool) -> tuple[str, str]:
    """(“全乡”, “我乡”) as the seed writes them, by the kind of township."""
    if county:
        return "全县各乡镇", "全县各乡镇"
    for suffix, short in (("街道", "街道"), ("镇", "镇"), ("乡", "乡")):
        if name.endswith(suffix):
            return f"全{short}", (f"我{short}" if short != "街道" else "本街道")
    return "全乡", "我乡"


GROUP_ROLE = {"advisor": "顾问", "leader": "组长", "head": "组长", "deputy": "副组长", "member": "成员",
              "顾问": "顾问", "组长": "组长", "副组长": "副组长", "成员": "成员"}


def leading_group_text(group: list[dict]) -> str:
    """“以乡党委书记赵巾英为顾问，党委副书记、乡长雷斌为组长，…为副组长，相关工作机构负责人为成员”."""
    parts = []
    for role in ("顾问", "组长", "副组长"):
        people = [g for g in group if GROUP_ROLE.get(str(g.get("group_role", "")), "") == role]
        if people:
            who = "、".join(f"{g.get('post') or ''}{g.get('name') or ''}" for g in people)
            parts.append(f"{who}为{role}")
    if not parts:
        return ""
    return "以" + "，".join(parts) + "，相关工作机构负责人为成员"


def principal_leaders(group: list[dict]) -> list[dict]:
    """党政主要负责人: the leading group's 顾问 (党委书记) and 组长 (乡长)."""
    return [g for g in group if GROUP_ROLE.get(str(g.get("group_role", "")), "") in {"顾问", "组长"}]


def leader_hours_text(leader_hours: list[dict], principals: list[dict]) -> str:
    names = {p.get("name") for p in principals}
    rows = [r for r in leader_hours if not names or r.get("name") in names] or leader_hours
    out = []
    for r in rows:
        post = f"（{r['post']}）" if r.get("post") else ""
        out.append(f"{r.get('name', '')}{post}参加学法{r.get('sessions', 0)}次、{fmt(r.get('hours', 0))}学时")
    return "，".join(out)


def _by_text(d: dict | None, unit: str) -> str:
    if not d:
        return ""
    return "、".join(f"{k}{v}{unit}" for k, v in d.items() if v)


def compute(stats: Stats, *, name: str, region_facts: dict, county: bool = False) -> dict[str, Figure]:
    """Every figure of the report, keyed `module.key`."""
    place, self_word = place_words(name, county)
    values: dict[str, object] = {
        "report.year": stats.year, "report.name": name, "report.place": place, "report.self": self_word,
        "region.area_km2": region_facts.get("area_km2"), "region.population": region_facts.get("population"),
        "region.villages": region_facts.get("villages"),
    }
    for module, data in stats.sections.items():
        for key, value in data.items():
            full = f"{module}.{key}"
            if full in LABELS and not isinstance(value, dict) and not (
                    isinstance(value, list) and value and isinstance(value[0], dict)):
                values[full] = value
    org, edu = stats.get("organization"), stats.get("education")
    dec, enf = stats.get("decisions"), stats.get("enforcement")
    if stats.connected("organization"):
        group = org.get("leading_group") or []
        values["organization.leading_group_text"] = leading_group_text(group)
        tasks = org.get("plan_tasks") or 0
        values["organization.plan_progress"] = (
            int(round((org.get("plan_tasks_done") or 0) * 100 / tasks)) if tasks else None)
        for i, item in enumerate(org.get("next_year_items") or [], start=1):
            item = ORDINAL.sub("", str(item).strip())
            values[f"organization.next_year_item_{i}"] = item if item.endswith(("。", "；", "！")) else item + "。"
    if stats.connected("education"):
        principals = principal_leaders(org.get("leading_group") or [])
        values["education.leader_hours_text"] = leader_hours_text(edu.get("leader_hours") or [], principals)
        values["education.villages_without_events_count"] = len(edu.get("villages_without_events") or [])
    if stats.connected("decisions"):
        values["decisions.by_category_text"] = _by_text(dec.get("by_category"), "项")
        counsel = dec.get("counsel")
        if isinstance(counsel, dict):
            values["decisions.counsel_text"] = "".join(x for x in (counsel.get("firm"), counsel.get("name")) if x)
        elif isinstance(counsel, list):
            values["decisions.counsel_text"] = "、".join(
                "".join(x for x in (c.get("firm"), c.get("name")) if x) for c in counsel)
        values["decisions.without_legality_review"] = max(
            (dec.get("decisions") or 0) - (dec.get("with_legality_review") or 0), 0)
    if stats.connected("disclosure"):
        values["disclosure.by_category_text"] = _by_text(stats.get("disclosure").get("by_category"), "条")
    if stats.connected("enforcement"):
        area, certified = region_facts.get("area_km2"), enf.get("certified_officers") or 0
        values["enforcement.area_per_officer"] = (
            (Decimal(str(area)) / certified).quantize(Decimal("0.1")) if area and certified else None)
    figures = {}
    for key, value in values.items():
        label = LABELS.get(key)
        if label is None and key.startswith("organization.next_year_item_"):
            label = f"下一年度工作安排第{key.rsplit('_', 1)[1]}项"
        figures[key] = Figure(key, label or key, value)
    return figures


def render(template: str, figures: dict[str, Figure]) -> str:
    return PLACEHOLDER.sub(lambda m: figures[m.group(1)].text if m.group(1) in figures else NO_DATA, template)


def segments(template: str, figures: dict[str, Figure], changed: set[str] = frozenset()) -> list[dict]:
    """Text split into plain runs and figures, for the browser preview (figures highlighted)."""
    out, pos = [], 0
    for m in PLACEHOLDER.finditer(template):
        if m.start() > pos:
            out.append({"text": template[pos:m.start()]})
        key = m.group(1)
        fig = figures.get(key)
        out.append({"text": fig.text if fig else NO_DATA, "key": key, "label": fig.label if fig else key,
                    "changed": key in changed, "figure": True})
        pos = m.end()
    if pos < len(template):
        out.append({"text": template[pos:]})
    return out


def used_keys(template: str) -> list[str]:
    return list(dict.fromkeys(PLACEHOLDER.findall(template)))


def snapshot(figures: dict[str, Figure], keys=None) -> dict[str, str]:
    """Figure texts as stored with a draft revision, to show later which figures changed."""
    keys = figures.keys() if keys is None else keys
    return {k: figures[k].text if k in figures else NO_DATA for k in keys}
