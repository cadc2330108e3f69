"""期限依据一览: every period Fazhi computes, with its article, unit, whom it binds and the rest-day rule.

Every app's deadlines are counted through `count(key, start, n)`, so each explanation names the article it
applies and the page at core:periods shows this same table (DESIGN.md §3). Who a period binds decides the
rest-day rule: a party's period that ends on a rest day ends on the next working day (民事诉讼法第八十五条);
a limit on the agency is never lengthened. Values a province or township sets are labelled local rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from fazhi.core.calendar import Deadline, add_days, add_months, add_working_days

PARTY, AGENCY = "party", "agency"
WORKING_DAYS, DAYS, MONTHS, YEARS = "working_days", "days", "months", "years"
UNIT_LABELS = {WORKING_DAYS: "工作日", DAYS: "日（自然日）", MONTHS: "个月", YEARS: "年"}
BINDS_LABELS = {PARTY: "当事人（含作为被申请人、被告的乡镇）", AGENCY: "行政机关"}


@dataclass(frozen=True)
class Period:
    key: str
    module: str
    label: str
    n: int
    unit: str
    binds: str
    article: str  # the article applied, with its words; for a local rule, what the statute says instead
    changeable: str = ""  # who may change the number, and where it is set ("" = fixed by the statute)
    local: bool = False  # the number is a local rule (the statute fixes none)
    minimum: bool = False  # a minimum lead time or duration (at least N), not a time limit
    per_record: bool = False  # the statute leaves the number to the document (催告书, 公告); n is a default
    note: str = ""

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def binds_label(self) -> str:
        return BINDS_LABELS[self.binds]

    @property
    def rest_day_rule(self) -> str:
        if self.unit == WORKING_DAYS:
            return "按工作日计算，不计法定节假日和休息日，届满日必为工作日"
        if self.minimum:
            return "最短期限，按自然日计算，不因休息日变动"
        if self.binds == PARTY:
            return "届满日为休息日或法定节假日的，顺延至其后第一个工作日（民事诉讼法第八十五条）"
        return "约束行政机关的期限，届满日为休息日的不顺延"

    @property
    def source_label(self) -> str:
        return "本地规则（非法定）" if self.local else "法定"


_E, _D, _P, _M, _C = "行政执法", "重大行政决策与复议应诉", "政务公开", "矛盾纠纷调解与信访", "通用"
_O = "县级执法监督"

ROWS = [
    # --- 行政处罚法 / 行政强制法 -----------------------------------------------------------------------
    Period("enf.limitation", _E, "追责时效（违法行为被发现的期限）", 2, YEARS, AGENCY,
           "行政处罚法第三十六条第一款：违法行为在二年内未被发现的，不再给予行政处罚；第二款：从违法行为发生之日起计算，"
           "违法行为有连续或者继续状态的，从行为终了之日起计算",
           note="以发现日期（而非立案日期）判断；法律另有规定的除外"),
    Period("enf.limitation_extended", _E, "追责时效（涉及公民生命健康安全、金融安全且有危害后果）", 5, YEARS, AGENCY,
           "行政处罚法第三十六条第一款：涉及公民生命健康安全、金融安全且有危害后果的，上述期限延长至五年",
           note="须同时具备“涉及生命健康或金融安全”和“有危害后果”"),
    Period("enf.statement", _E, "等待当事人陈述、申辩的期间", 5, WORKING_DAYS, PARTY,
           "行政处罚法第四十四条、第四十五条规定当事人享有陈述、申辩权，但未规定陈述、申辩期限",
           changeable="省、乡镇可在执法法定参数中设定", local=True,
           note="本期间为本地工作规则，期间届满前不作出决定"),
    Period("enf.hearing_request", _E, "当事人要求听证的期限", 5, WORKING_DAYS, PARTY,
           "行政处罚法第六十四条第一项：当事人要求听证的，应当在行政机关告知后五日内提出；第八十五条：“五日”为工作日"),
    Period("enf.hearing_notice", _E, "听证通知提前量", 7, WORKING_DAYS, AGENCY,
           "行政处罚法第六十四条第二项：行政机关应当在举行听证的七日前通知当事人；第八十五条：“七日”为工作日",
           minimum=True),
    Period("enf.decide", _E, "作出行政处罚决定的期限", 90, DAYS, AGENCY,
           "行政处罚法第六十条：应当自行政处罚案件立案之日起九十日内作出行政处罚决定；法律、法规、规章另有规定的，从其规定",
           changeable="法律、法规、规章另有规定的，在执法法定参数中设定"),
    Period("enf.decide_extension", _E, "办案期限延长（一次）", 30, DAYS, AGENCY,
           "行政处罚法第六十条未规定延长；部门规章（如市场监督管理行政处罚程序规定第六十四条）规定经负责人批准可延长",
           changeable="依部门规章在执法法定参数中设定上限", local=True,
           note="只能延长一次、不超过上限、须负责人在原期限届满前批准"),
    Period("enf.service", _E, "送达行政处罚决定书", 7, WORKING_DAYS, AGENCY,
           "行政处罚法第六十一条：当事人不在场的，应当在七日内依照民事诉讼法的有关规定送达；第八十五条：“七日”为工作日"),
    Period("enf.public_notice_service", _E, "公告送达视为送达", 30, DAYS, AGENCY,
           "民事诉讼法第九十五条：自发出公告之日起，经过三十日，即视为送达"),
    Period("enf.payment", _E, "当事人缴纳罚款", 15, DAYS, PARTY,
           "行政处罚法第六十七条第三款：当事人应当自收到行政处罚决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款"),
    Period("enf.publication", _E, "公示行政处罚决定", 7, WORKING_DAYS, AGENCY,
           "行政处罚法第四十八条：具有一定社会影响的行政处罚决定应当依法公开；国办发〔2018〕118号：自作出决定之日起七个工作日内公开",
           changeable="省级规定可在执法法定参数中调整",
           note="依法不予公开（国家秘密、商业秘密、个人隐私、未成年人、无社会影响）经记录后不再公示"),
    Period("enf.withdrawal", _E, "撤回已公开的处罚决定信息", 3, WORKING_DAYS, AGENCY,
           "行政处罚法第四十八条第二款：公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，应当在三日内撤回"
           "并公开说明理由；第八十五条：“三日”为工作日"),
    Period("enf.reconsideration", _E, "当事人申请行政复议", 60, DAYS, PARTY,
           "行政复议法第二十条：自知道或者应当知道该行政行为之日起六十日内提出行政复议申请"),
    Period("enf.lawsuit", _E, "当事人提起行政诉讼", 6, MONTHS, PARTY,
           "行政诉讼法第四十六条：自知道或者应当知道作出行政行为之日起六个月内提出"),
    Period("enf.seizure", _E, "查封、扣押期限", 30, DAYS, AGENCY,
           "行政强制法第二十五条：查封、扣押的期限不得超过三十日"),
    Period("enf.seizure_extension", _E, "查封、扣押期限延长（一次）", 30, DAYS, AGENCY,
           "行政强制法第二十五条：情况复杂的，经行政机关负责人批准，可以延长，但是延长期限不得超过三十日；法律、行政法规另有规定的除外",
           note="只能延长一次、须负责人在原期限届满前批准"),
    Period("enf.coercion_perform", _E, "催告书载明的履行期限", 10, DAYS, PARTY,
           "行政强制法第三十五条：催告应当以书面形式作出，并载明下列事项：（一）履行义务的期限；（二）履行义务的方式；"
           "（三）涉及金钱给付的，应当有明确的金额和给付方式；（四）当事人依法享有的陈述权和申辩权",
           changeable="由催告书确定（此处为默认天数）", per_record=True,
           note="催告书确定的是当事人的履行期间：届满日为休息日的顺延（民事诉讼法第八十五条）；第六十九条只规定本法十日以内的期限为工作日"),
    Period("enf.self_removal", _E, "公告限期当事人自行拆除", 10, DAYS, PARTY,
           "行政强制法第四十四条：对违法的建筑物、构筑物、设施等需要强制拆除的，应当由行政机关予以公告，限期当事人自行拆除",
           changeable="由公告确定（此处为默认天数）", per_record=True),
    Period("enf.court_application", _E, "申请人民法院强制执行", 3, MONTHS, AGENCY,
           "行政强制法第五十三条：当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，"
           "没有行政强制执行权的行政机关可以自期限届满之日起三个月内，依照本章规定申请人民法院强制执行",
           note="自复议、诉讼期限中较晚届满之日起算"),
    Period("enf.court_urge", _E, "申请法院强制执行前的催告", 10, WORKING_DAYS, AGENCY,
           "行政强制法第五十四条：行政机关申请人民法院强制执行前，应当催告当事人履行义务。催告书送达十日后当事人仍未履行义务的，"
           "行政机关可以向所在地有管辖权的人民法院申请强制执行；第六十九条：本法中十日以内期限的规定是指工作日",
           minimum=True, note="最短期限：催告书送达满十个工作日后方可申请"),
    Period("enf.proxy_urge", _E, "代履行前的催告", 3, DAYS, AGENCY,
           "行政强制法第五十一条第一款第二项：代履行三日前，催告当事人履行，当事人履行的，停止代履行",
           minimum=True, note="最短期限：催告满三日后方可实施代履行；立即代履行（第五十二条）不适用"),
    Period("enf.inspection_publish", _E, "公示双随机抽查结果", 20, WORKING_DAYS, AGENCY,
           "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见（国发〔2019〕5号）要求抽查检查结果"
           "及时公开，未规定具体日数",
           changeable="本地工作规则", local=True,
           note="自检查结果录入之日起计算；农户等自然人只公示姓氏（某某户），不公示地址"),
    # --- 行政复议法 / 行政诉讼法（乡镇作为被申请人、被告） / 713号令 -------------------------------------
    Period("dec.reconsideration_reply", _D, "行政复议答复", 10, WORKING_DAYS, PARTY,
           "行政复议法第四十八条：被申请人应当自收到申请书副本或者申请笔录复印件之日起十日内提出书面答复；"
           "第八十八条：“十日”为工作日"),
    Period("dec.defence_statement", _D, "行政诉讼答辩", 15, DAYS, PARTY,
           "行政诉讼法第六十七条：被告应当在收到起诉状副本之日起十五日内向人民法院提交作出行政行为的证据和所依据的"
           "规范性文件，并提出答辩状"),
    Period("dec.comment_period", _D, "公开征求意见期限", 30, DAYS, AGENCY,
           "重大行政决策程序暂行条例第十五条：征求意见的期限一般不少于30日；因情况紧急等原因需要缩短的，应当予以说明",
           changeable="可在决策参数中设定", minimum=True),
    Period("dec.counsel_opinion", _D, "法律顾问出具法律意见", 5, WORKING_DAYS, AGENCY,
           "法律顾问工作规则无统一期限，由聘用合同或征求意见时确定", local=True,
           changeable="可在决策参数中设定默认值，每次征求意见时可另定"),
    Period("dec.hearing_notice", _D, "决策听证提前公布", 7, DAYS, AGENCY,
           "重大行政决策程序暂行条例第十八条：应当提前公布决策草案及其说明等材料，明确听证时间、地点等信息；"
           "条例未规定提前日数",
           changeable="乡镇可在决策参数中设定", local=True, minimum=True),
    Period("dec.legality_review", _D, "合法性审查时间", 7, WORKING_DAYS, AGENCY,
           "重大行政决策程序暂行条例第二十七条：送请合法性审查，应当保证必要的审查时间，一般不少于7个工作日",
           changeable="可在决策参数中设定", minimum=True),
    # --- 政府信息公开条例 -------------------------------------------------------------------------------
    Period("dis.publish", _P, "主动公开政府信息", 20, WORKING_DAYS, AGENCY,
           "政府信息公开条例第二十六条：自该政府信息形成或者变更之日起20个工作日内及时公开",
           changeable="法律、法规另有规定的，从其规定"),
    Period("dis.correction", _P, "告知申请人补正", 7, WORKING_DAYS, AGENCY,
           "政府信息公开条例第三十条：应当自收到申请之日起7个工作日内一次性告知申请人作出补正"),
    Period("dis.third_party", _P, "第三方提出意见", 15, WORKING_DAYS, PARTY,
           "政府信息公开条例第三十二条：第三方应当自收到征求意见书之日起15个工作日内提出意见"),
    Period("dis.answer", _P, "答复政府信息公开申请", 20, WORKING_DAYS, AGENCY,
           "政府信息公开条例第三十三条第二款：不能当场答复的，应当自收到申请之日起20个工作日内予以答复；"
           "第三款：征求第三方和其他机关意见所需时间不计算在前款规定的期限内"),
    Period("dis.answer_extension", _P, "答复期限延长（一次）", 20, WORKING_DAYS, AGENCY,
           "政府信息公开条例第三十三条第二款：需要延长答复期限的，应当经政府信息公开工作机构负责人同意并告知申请人，"
           "延长的期限最长不得超过20个工作日",
           note="只能延长一次、须在原期限届满前批准"),
    # --- 人民调解法 / 信访工作条例 ----------------------------------------------------------------------
    Period("med.target", _M, "调解工作目标期限", 1, MONTHS, AGENCY,
           "人民调解法未规定调解期限；本期限为调解工作目标",
           changeable="可在调解参数中设定", local=True),
    Period("med.confirmation", _M, "申请司法确认", 30, DAYS, PARTY,
           "人民调解法第三十三条：双方当事人可以自调解协议生效之日起三十日内共同向人民法院申请司法确认",
           note="逾期申请的不予登记，并说明理由"),
    Period("med.followup", _M, "调解成功后回访", 30, DAYS, AGENCY,
           "人民调解法未规定回访期限；本期限为工作规则",
           changeable="可在调解参数中设定", local=True),
    Period("med.petition_receipt", _M, "书面告知信访人是否受理", 15, DAYS, AGENCY,
           "信访工作条例第三十一条：应当自收到信访事项之日起15日内书面告知信访人是否受理"),
    Period("med.petition_conclude", _M, "信访事项办结", 60, DAYS, AGENCY,
           "信访工作条例第三十五条：应当自受理之日起60日内办结"),
    Period("med.petition_extension", _M, "信访办理期限延长（一次）", 30, DAYS, AGENCY,
           "信访工作条例第三十五条：情况复杂的，经本机关负责人批准，可以适当延长办理期限，但延长期限不得超过30日",
           note="只能延长一次、须在原期限届满前批准"),
    # --- 县级执法监督 ---------------------------------------------------------------------------------
    Period("ovs.notice_answer", _O, "答复督办、整改通知", 15, WORKING_DAYS, AGENCY,
           "督办、整改的答复期限无法定统一规定，由县司法局在通知中确定", local=True,
           changeable="每份通知另定（此处为默认值）"),
]

PERIODS: dict[str, Period] = {p.key: p for p in ROWS}


def count(key: str, start: dt.date, n: int | None = None, *, note: str = "", extended: int = 0,
          extension: str = "") -> Deadline:
    """The deadline of period `key` from `start` (n: the number in force, default the statute's), with an
    explanation that names the article, labels a local value, and says how a rest-day end was handled.

    `extended`: days (in the period's unit) of an approved extension under row `extension`; it is named as
    the extension with its own article, never as a local change of the statute's number."""
    p = PERIODS[key]
    n = p.n if n is None else n
    total = n + extended
    party = p.binds == PARTY and not p.minimum
    if p.unit == WORKING_DAYS:
        d = add_working_days(start, total)
    elif p.unit == DAYS:
        d = add_days(start, total, party=party)
    else:
        d = add_months(start, total * (12 if p.unit == YEARS else 1), party=party)
    head = f"【{p.label}】"
    if p.local:
        head += f"本地规则{n}{p.unit_label}（{p.article}）。"
    elif p.per_record:
        head += f"依据{p.article}；本件文书确定为{n}{p.unit_label}。"
    elif n != p.n:
        head += f"依据{p.article}；本地参数设定为{n}{p.unit_label}（法定{p.n}{p.unit_label}）。"
    else:
        head += f"依据{p.article}。"
    if extended:
        ext = PERIODS[extension] if extension else None
        basis = "" if ext is None else f"（本地规则：{ext.article}）" if ext.local else f"（依据{ext.article}）"
        head += f"经批准延长{extended}{p.unit_label}{basis}，合计{total}{p.unit_label}。"
    return replace(d, explanation=head + d.explanation + note, period=key)


def within_statute(key: str, value: int) -> int:
    """A locally set number for row `key`, never beyond the statute's ceiling: where the statute fixes the
    number (an agency's limit, an extension's cap) a local value may be stricter, never longer."""
    p = PERIODS[key]
    return value if p.local or p.per_record or p.minimum or p.changeable else min(value, p.n)


SHORT_UNITS = {WORKING_DAYS: "个工作日", DAYS: "日", MONTHS: "个月", YEARS: "年"}


def refuse_beyond_statute(values: dict[str, int | None]) -> None:
    """A settings save: a local number longer than the statute allows is refused with the article (the
    deadlines would clamp it anyway, silently — the person setting it should know at once)."""
    from fazhi.core.errors import DomainError

    for key, value in values.items():
        if value is not None and within_statute(key, value) < value:
            p = PERIODS[key]
            source = p.article.split("：")[0]
            raise DomainError(f"{source}规定“{p.label}”不得超过{p.n}{SHORT_UNITS[p.unit]}，本地只能设得更短，"
                              f"不能设为{value}{SHORT_UNITS[p.unit]}。")


def with_note(d: Deadline, extra: str) -> Deadline:
    return replace(d, explanation=d.explanation + extra)


def period_table() -> list[Period]:
    return list(ROWS)
