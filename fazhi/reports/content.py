"""The annual report (法治政府建设年度报告) as a list of blocks, following the seed and 厅字〔2019〕28号:
title; opening; 一、工作举措及成效 (one subsection per area, and the principal leaders' performance of
their first-responsibility duty); 二、存在问题 (findings the data shows); 三、下一步工作安排 (next
year's plan). Each paragraph is a template with figure placeholders; a draft may replace the
template of any editable paragraph, the figures are always recomputed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from fazhi.reports import figures as F
from fazhi.reports.rules import CN_NUM, findings, ordinal_prefixes
from fazhi.reports.sources import READ_FAILED, Stats


@dataclass
class Block:
    kind: str  # title | h1 | para | sign
    template: str
    key: str = ""  # editable paragraphs have a key; the draft stores its text under it
    prefix: str = ""  # generated ordinal (一方面，/（一）) kept outside the editable text
    lead: str = ""  # the （一）… sentence of a subsection, set in 楷体
    edited: bool = False
    default: str = ""  # the generated template, for “恢复默认”

    def text(self, figures) -> str:
        return self.prefix + F.render(self.template, figures)


@dataclass
class Report:
    name: str
    year: int
    county: bool
    figures: dict
    blocks: list[Block]
    notes: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)  # edited paragraphs the data no longer supports

    @property
    def title(self) -> str:
        return next((b.text(self.figures) for b in self.blocks if b.kind == "title"), "")

    def paragraphs(self) -> list[tuple[str, str]]:
        return [(b.kind, b.text(self.figures)) for b in self.blocks]

    def full_text(self) -> str:
        return "\n".join(t for _, t in self.paragraphs())

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)


SUBSECTIONS = [
    # key, lead sentence (the seed's), module that must be connected
    ("organization", "（一）加强组织领导，落实法治责任。", "organization"),
    ("education", "（二）深化宣传教育，增进法治意识。", "education"),
    ("decisions", "（三）推进依法行政，促进法治政府建设。", "decisions"),
    ("disclosure", "", "disclosure"),
    ("enforcement", "（四）强化法治保障，严格行政执法行为。", "enforcement"),
    ("mediation", "（五）坚持为民服务，依法履行政府职能。", "mediation"),
    ("leaders", "（六）党政主要负责人切实履行推进法治建设第一责任人职责。", "organization"),
]


def _organization(s: Stats) -> str:
    org = s.get("organization")
    t = ""
    if org.get("leading_group"):
        t += "一方面，成立了{organization.leading_group_text}的法治政府建设工作领导小组，"
    else:
        t += "一方面，"
    if org.get("topic_meetings"):
        t += "召开专题会议{organization.topic_meetings}次对法治政府建设工作进行专题研究部署，"
    if org.get("plan_title"):
        t += "制定出台了《{organization.plan_title}》，"
    if org.get("plan_tasks"):
        t += "细化年度工作任务{organization.plan_tasks}项，已完成{organization.plan_tasks_done}项"
        if org.get("plan_tasks_overdue"):
            t += "，逾期未完成{organization.plan_tasks_overdue}项"
        t += "，"
    t += "有计划、有步骤、有重点地推进法治政府建设工作。"
    if org.get("duty_units"):
        t += "严格落实“谁执法谁普法”责任制，明确{organization.duty_units}个责任单位普法责任" \
             "{organization.duty_obligations}项，已落实{organization.duty_obligations_done}项。"
    t += "另一方面，把法治政府建设工作经费纳入财政预算"
    if org.get("budget_total"):
        t += "，全年安排经费{organization.budget_total}元，已支出{organization.budget_spent}元"
    return t + "，保障法治建设工作顺利开展。"


def _education(s: Stats) -> str:
    edu = s.get("education")
    t = "一方面，{report.place}领导干部发挥示范作用，带头学法守法用法。牢固树立社会主义法治信仰，" \
        "按照“学懂、弄通、做实”要求，"
    if edu.get("laws_studied"):
        t += "深入学习{education.laws_studied}等重要讲话精神、党内法规和法律法规"
    else:
        t += "认真学习领会习近平法治思想"
    t += "，为推进法治政府建设工作打下扎实基础。今年来，组织学法{education.study_sessions}次"
    if edu.get("center_group_sessions"):
        t += "，其中党委理论中心组学习习近平法治思想及相关法律法规{education.center_group_sessions}次"
    if edu.get("study_hours_total"):
        t += "，累计学法{education.study_hours_total}学时"
    t += "。另一方面，认真组织开展法治宣传活动。按照年初制定的普法工作计划"
    if edu.get("planned_events"):
        t += "（计划开展宣传活动{education.planned_events}场）"
    t += "，着力营造依法治乡的浓厚氛围，在辖区内深入开展丰富多彩的群众性普法文化活动"
    if edu.get("venues"):
        t += "，建设法治文化阵地{education.venues}处"
    t += "。"
    if edu.get("topics"):
        t += "重点宣传{education.topics}等与群众生产、生活密切相关的法律知识。"
    t += "全年开展普法宣传活动{education.publicity_events}场，集中主题宣传{education.themed_campaigns}次，" \
         "受众{education.audience}人次，张贴海报{education.posters}份，发放普法宣传资料{education.leaflets}份。"
    return t


def _decisions(s: Stats) -> str:
    dec = s.get("decisions")
    t = "一方面，坚持依法决策，执行重大决策法定程序。坚持民主集中制，严格执行“三重一大”事项议事规则和决策程序"
    if dec.get("decisions"):
        t += "，全年作出重大行政决策{decisions.decisions}项"
        if dec.get("by_category"):
            t += "（{decisions.by_category_text}）"
        t += "，其中经合法性审查{decisions.with_legality_review}项、公开征求意见" \
             "{decisions.with_public_participation}项、经集体讨论决定{decisions.with_collective_discussion}项"
    t += "，对重大事项决策、重要项目安排、大额资金的使用，都在充分论证评估、听取群众意见的基础上，经集体讨论研究决定，" \
         "不搞“一言堂”。"
    if dec.get("counsel"):
        t += "今年来，聘请了{decisions.counsel_text}担任法律顾问，为重大事项、重大决策、重大矛盾纠纷调处、" \
             "行政应诉等提供法律意见和建议"
        if dec.get("counsel_opinions"):
            t += "，全年出具法律意见{decisions.counsel_opinions}件"
            if dec.get("avg_opinion_days") is not None:
                t += "，平均{decisions.avg_opinion_days}日办结"
        t += "，推进各项重大决策部署合法合规。"
    if dec.get("litigation_cases") or dec.get("reconsideration_cases"):
        t += "全年办理行政应诉案件{decisions.litigation_cases}件、行政复议案件{decisions.reconsideration_cases}件"
        if dec.get("litigation_cases") and dec.get("head_appearance_rate") is not None:
            t += "，行政机关负责人出庭应诉率{decisions.head_appearance_rate}%"
        t += "。"
    return t


def _disclosure(s: Stats) -> str:
    dis = s.get("disclosure")
    t = "另一方面，深入推进政务公开，促进权力在阳光下运行。认真贯彻落实《政府信息公开条例》，进一步落实决策公开、" \
        "执行公开、管理公开、服务公开、结果公开的“五公开”要求，及时公开发布机构概况、规划计划、工作动态等信息"
    t += "，全年主动公开政府信息{disclosure.proactive_items}条"
    if dis.get("by_category"):
        t += "（{disclosure.by_category_text}）"
    if dis.get("requests"):
        t += "，受理政府信息公开申请{disclosure.requests}件，已答复{disclosure.requests_answered}件"
        if dis.get("requests_carried_over"):
            t += "，结转下年度办理{disclosure.requests_carried_over}件"
    return t + "。"


def _enforcement(s: Stats) -> str:
    enf = s.get("enforcement")
    t = "一方面，推行行政执法全程记录制度。遵守《湖南省行政执法全过程记录办法》有关规定，要求执法人员在行政执法过程中" \
        "使用执法记录仪，对日常巡查、调查取证、文书送达、行政强制等行政执法活动进行全程记录。" \
        "{report.place}持有行政执法证件人员{enforcement.certified_officers}人"
    if enf.get("inspections"):
        t += "，全年开展行政检查{enforcement.inspections}次"
    if enf.get("cases"):
        t += "，办理行政处罚案件{enforcement.cases}件（普通程序{enforcement.cases_ordinary}件、" \
             "简易程序{enforcement.cases_simplified}件）"
    if enf.get("process_records"):
        t += "，形成全过程记录{enforcement.process_records}份，其中音像记录{enforcement.records_with_video}份"
    t += "。另一方面，严把重大执法法制审核关。加强行政处罚案件法制审核，重大行政处罚案件须经法制机构对案件的事实、证据、" \
         "依据、程序、处理情况逐个审核，经乡领导班子集体讨论（审理）后，再可作出处罚决定"
    if enf.get("legal_reviews") or enf.get("collective_discussions"):
        t += "。全年法制审核案件{enforcement.legal_reviews}件，集体讨论案件{enforcement.collective_discussions}件"
    return t + "。"


def _mediation(s: Stats) -> str:
    med = s.get("mediation")
    t = "不遗余力维护社会稳定。构建社会稳定工作齐抓共管大格局，不断加强政法队伍建设，夯实工作基础，维护社会稳定"
    if med.get("screening_rounds"):
        t += "，开展矛盾纠纷集中排查{mediation.screening_rounds}轮"
    t += "，全年排查调处矛盾纠纷{mediation.received}起，化解{mediation.resolved}起，成功率{mediation.success_rate}%"
    if med.get("petitions"):
        t += "，受理信访事项{mediation.petitions}件"
    return t + "。"


def _leaders(s: Stats, county: bool) -> str:
    org, edu = s.get("organization"), s.get("education")
    principals = F.principal_leaders(org.get("leading_group") or [])
    if county:
        t = "各乡镇党政主要负责人认真履行推进法治建设第一责任人职责，把法治政府建设摆在工作全局的重要位置"
    elif principals:
        names = "、".join(f"{p.get('post') or ''}{p.get('name') or ''}" for p in principals)
        t = f"{names}作为推进法治建设第一责任人，把法治政府建设摆在工作全局的重要位置"
    else:
        t = "党政主要负责人作为推进法治建设第一责任人，把法治政府建设摆在工作全局的重要位置"
    if org.get("topic_meetings"):
        t += "，主持召开专题会议{organization.topic_meetings}次研究解决法治建设重大问题"
    t += "，对重要工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办"
    if edu.get("leader_hours"):
        t += "。带头尊法学法守法用法，{education.leader_hours_text}"
    return t + "。"


def _oversight(o: dict) -> str:
    """The county's own oversight of the year: 案卷评查, 督办/整改 and 考评 (from the oversight records)."""
    parts = []
    if o.get("files"):
        t = (f"组织开展{'{report.year}'}年度行政执法案卷评查，随机抽查{o['townships']}个乡镇案卷{o['files']}卷，"
             f"评为优秀{o['excellent']}卷、合格{o['passed'] - o['excellent']}卷、不合格{o['failed']}卷")
        if o.get("average") is not None:
            t += f"，平均得分{o['average']}分"
        if o.get("problems"):
            t += "，发现" + "、".join(f"{label}方面问题{n}项" for label, n in o["problems"])
        parts.append(t)
    if o.get("notices"):
        t = f"向乡镇发出督办、整改通知{o['notices']}件，已整改办结{o['rectified']}件"
        if o.get("overdue"):
            t += f"，逾期未答复{o['overdue']}件"
        parts.append(t)
    a = o.get("assessment")
    if a and a.get("rows"):
        top = a["rows"][0]
        parts.append(f"按照《{a['scheme'].name}》对{len(a['rows'])}个乡镇开展法治政府建设考评（满分{a['max']}分），"
                     f"{top['township'].name}以{top['total']}分位列第一")
    if not parts:
        return "县司法局加强对乡镇行政执法工作的监督指导。"
    return "县司法局" + "；".join(parts) + "。"


BUILDERS = {"organization": _organization, "education": _education, "decisions": _decisions,
            "disclosure": _disclosure, "enforcement": _enforcement, "mediation": _mediation}


def _opening() -> str:
    return ("{report.year}年，{report.name}以习近平新时代中国特色社会主义思想为指导，紧紧围绕县委、县政府中心工作，"
            "严格按照《湖南省法治政府建设实施方案（2021—2025年）》等文件要求，认真开展法治政府建设各项工作，"
            "不断提高依法决策、依法管理、依法行政水平，法治政府建设工作取得了新成效。现将有关情况报告如下：")


def build(stats: Stats, *, name: str, region_facts: dict, county: bool = False, edits: dict | None = None,
          signer: str = "", date: dt.date | None = None) -> Report:
    """The report for one township (or a county roll-up); `edits` maps paragraph key -> edited template."""
    edits = edits or {}
    figures = F.compute(stats, name=name, region_facts=region_facts, county=county)
    blocks: list[Block] = []

    def para(key: str, default: str, *, prefix: str = "", lead: str = "", kind: str = "para"):
        text = edits.get(key)
        blocks.append(Block(kind, text if text is not None else default, key=key, prefix=prefix, lead=lead,
                            edited=text is not None, default=default))

    suffix = "（各乡镇汇总）" if county else ""
    para("title", "{report.year}年{report.name}法治政府建设工作总结" + suffix, kind="title")
    para("opening", _opening())
    blocks.append(Block("h1", "一、工作举措及成效"))
    for key, lead, module in SUBSECTIONS:
        if key == "leaders":
            if stats.connected("organization") or stats.connected("education"):
                para(key, _leaders(stats, county), prefix=lead, lead=lead)
            else:
                para(key, f"【{READ_FAILED}】", prefix=lead, lead=lead)
        elif stats.connected(module):
            para(key, BUILDERS[key](stats), prefix=lead, lead=lead)
        else:
            para(key, f"【{READ_FAILED}】", prefix=lead, lead=lead)

    if county and region_facts.get("oversight"):
        lead = "（七）加强执法监督，推动问题整改。"
        para("oversight", _oversight(region_facts["oversight"]), prefix=lead, lead=lead)

    blocks.append(Block("h1", "二、存在问题"))
    found = findings(stats, region_facts)
    if found:
        para("problems_intro", "法治政府建设工作期间，{report.self}积极开展了一系列法治建设工作，虽然取得了一定的成绩，"
                               "积累了一些经验，但还存在一些不足，与上级相关部门要求还有一定差距，"
                               "存在的不足和原因主要表现在：")
        for (rule_key, text), prefix in zip(found, ordinal_prefixes(len(found)), strict=True):
            para(f"problem_{rule_key}", text, prefix=prefix)
    else:
        para("problems_intro", "对照全年各项工作数据，{report.self}法治政府建设工作未发现突出问题，"
                               "但法治工作永远在探索和前进的道路上，仍需持续用力、久久为功。")
    orphans = [k for k in edits if k.startswith("problem_") and not any(b.key == k for b in blocks)]

    blocks.append(Block("h1", "三、下一步工作安排"))
    items = stats.get("organization").get("next_year_items") or []
    if not stats.connected("organization"):
        para("next_1", f"【{READ_FAILED}】")
    elif not items:
        para("next_1", "下一年度法治政府建设工作计划尚未制定，请在年度计划中录入下一年度工作安排。")
    for i in range(1, len(items) + 1):
        para(f"next_{i}", "{organization.next_year_item_" + str(i) + "}", prefix=f"（{CN_NUM[i]}）")
    blocks.append(Block("sign", signer or f"{name}人民政府"))
    day = date or default_sign_date(stats.year)
    blocks.append(Block("sign", f"{day.year}年{day.month}月{day.day}日"))
    report = Report(name=name, year=stats.year, county=county, figures=figures, blocks=blocks,
                    notes=stats.notes(), orphans=orphans)
    return report


def default_sign_date(year: int, today: dt.date | None = None) -> dt.date:
    """A year's report is signed at that year's end (or today while the year is still running)."""
    return min(today or timezone.localdate(), dt.date(year, 12, 31))


def sign_date_bounds(year: int) -> tuple[dt.date, dt.date]:
    """落款 may fall in the report's year or the next (published by 1 April, 厅字〔2019〕28号)."""
    return dt.date(year, 1, 1), dt.date(year + 1, 12, 31)


def editable_keys(report: Report) -> list[str]:
    return [b.key for b in report.blocks if b.key]
