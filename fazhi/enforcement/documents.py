"""Enforcement documents (.docx) built from the case's data. Numbers come from CaseDocument, assigned
when the step happened (〔2024〕第3号, per township, kind and year); building a document changes nothing."""

from __future__ import annotations

import io

from django.utils import timezone
from docx import Document

from fazhi.core.calendar import fmt_date
from fazhi.core.documents import OfficialDocument
from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines, rules
from fazhi.enforcement.models import Case, DocKind, PartyKind, PenaltyKind


class EnforcementDocument(OfficialDocument):
    """A case document in the office's layout (core's document kit); `save(buf)` writes the .docx."""

    def save(self, buf) -> None:
        buf.write(self.to_bytes())


def _doc(title: str = "", author: str = "") -> EnforcementDocument:
    return EnforcementDocument(title=title, author=author)


def _title(doc: OfficialDocument, body_name: str, title: str, number: str = "") -> None:
    """The organ's name and the document's kind (two title lines), then its number."""
    doc.title(body_name)
    doc.title(title)
    doc.number(number, align="right")


def _p(doc: OfficialDocument, text: str, indent: bool = True) -> None:
    if indent:
        doc.para(text)
    else:
        doc.line(text)


def _sign(doc: OfficialDocument, body_name: str, day) -> None:
    doc.signature(body_name, day)


def _table(doc: OfficialDocument, rows: list[tuple[str, str]]) -> None:
    doc.fields(rows)


def _number(case: Case, kind: str) -> str:
    doc = next((d for d in case.documents.all() if d.kind == kind), None)
    return doc.number if doc else ""


def _party(case: Case) -> str:
    id_label = "统一社会信用代码" if case.party_kind == PartyKind.ORG else "身份证号码"
    parts = [f"当事人：{case.party_name}"]
    if case.party_id_no:
        parts.append(f"{id_label}：{case.party_id_no}")
    if case.party_representative:
        parts.append(f"法定代表人（负责人）：{case.party_representative}")
    parts.append(f"住址（住所）：{case.party_address or '（未登记）'}")
    return "；".join(parts) + "。"


def _penalty_text(case: Case) -> str:
    if case.penalty_detail:
        return case.penalty_detail
    if case.penalty_kind == PenaltyKind.FINE and case.fine_amount:
        return f"罚款人民币{rules.fmt_money(case.fine_amount)}元"
    if case.penalty_kind == PenaltyKind.WARNING:
        return "警告"
    return case.get_penalty_kind_display()


def _officers(case: Case) -> str:
    return "、".join(f"{o.name}（执法证号：{o.cert_no}）" for o in case.officers.all())


def _remedy_bodies(case: Case) -> tuple[str, str]:
    county = case.township.parent.name if case.township.parent_id else "上一级"
    return f"{county}人民政府", f"{county}人民法院"


# --- the documents ---------------------------------------------------------------------------------

def filing(case: Case, doc) -> None:
    _title(doc, case.power.body.name, DocKind.FILING.label, _number(case, DocKind.FILING))
    _table(doc, [
        ("案号", case.number), ("案由", case.title), ("案件来源", case.get_source_display()),
        ("当事人", f"{case.party_name}（{case.get_party_kind_display()}）"), ("证件号码", case.party_id_no),
        ("联系电话", case.party_phone), ("住址（住所）", case.party_address),
        ("违法行为发生日", fmt_date(case.violation_date) if case.violation_date else ""),
        ("发现日期", fmt_date(case.discovered_on)), ("简要案情", case.facts),
        ("涉嫌违反", case.power.violation_basis), ("承办人员", _officers(case)),
        ("承办人意见", case.filing_opinion or "建议立案调查"),
        ("负责人审批意见", ("同意立案。" + (case.filing_approved_by.display_name if case.filing_approved_by else ""))
         if case.filed_on else "（待审批）"),
        ("立案日期", fmt_date(case.filed_on) if case.filed_on else ""),
    ])


def inquiry(case: Case, doc) -> None:
    _title(doc, case.power.body.name, DocKind.INQUIRY.label)
    _table(doc, [
        ("询问时间", "    年  月  日  时  分至  时  分"), ("询问地点", ""), ("询问人", _officers(case)),
        ("记录人", ""), ("被询问人", case.party_name), ("身份证号码", case.party_id_no),
        ("联系电话", case.party_phone), ("住址", case.party_address),
    ])
    _p(doc, f"问：我们是{case.power.body.name}的执法人员（出示执法证件），现就{case.title}一事依法向你进行调查询问。"
            "你有如实回答问题的义务，也有陈述、申辩的权利；如认为执法人员与本案有直接利害关系的，有申请回避的权利。"
            "你是否听清楚？是否申请回避？")
    _p(doc, "答：")
    for _ in range(6):
        _p(doc, "问：")
        _p(doc, "答：")
    _p(doc, "被询问人签名：          日期：", indent=False)
    _p(doc, "询问人签名：            记录人签名：", indent=False)


def notice(case: Case, doc) -> None:
    s = rules.settings_for(case.township)
    _title(doc, case.power.body.name, DocKind.NOTICE.label, _number(case, DocKind.NOTICE))
    _p(doc, f"{case.party_name}：", indent=False)
    _p(doc, f"经调查，你（单位）{case.facts}")
    if case.evidence_summary:
        _p(doc, f"以上事实有以下证据证明：{case.evidence_summary}")
    _p(doc, f"你（单位）的上述行为违反了{case.power.violation_basis}的规定。{case.reasons}")
    _p(doc, f"依据{case.power.penalty_basis}的规定，本机关拟对你（单位）作出如下行政处罚：{_penalty_text(case)}。")
    _p(doc, f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。"
            f"如需陈述、申辩，请于收到本告知书之日起{s.statement_working_days}个工作日内向本机关提出，逾期视为放弃。")
    if rules.hearing_triggered(case, s):
        _p(doc, f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，你（单位）有权要求举行听证。"
                f"如要求听证，应当在收到本告知书之日起{s.hearing_request_working_days}个工作日内提出，逾期视为放弃。")
    _p(doc, f"联系地址：{case.power.body.name}    联系人：{case.officers.first().name if case.officers.exists() else ''}")
    _sign(doc, case.power.body.name, case.notice_served_on)


def hearing_notice(case: Case, doc) -> None:
    h = case.hearings.order_by("-id").first()
    if h is None:
        raise DomainError("尚未安排听证。")
    _title(doc, case.power.body.name, DocKind.HEARING_NOTICE.label, _number(case, DocKind.HEARING_NOTICE))
    _p(doc, f"{case.party_name}：", indent=False)
    _p(doc, f"根据你（单位）的申请，本机关决定于{fmt_date(h.scheduled_on)}在{h.place}"
            f"{'公开' if h.public else '不公开'}举行听证，就{case.title}一案听取你（单位）的陈述、申辩和质证意见。")
    _p(doc, f"听证主持人：{h.presiding.name}；记录员：{h.recorder.name if h.recorder else '（另行指定）'}。"
            "你（单位）认为主持人与本案有直接利害关系的，有权申请回避。")
    _p(doc, "你（单位）可以亲自参加听证，也可以委托一至二人代理；委托代理人参加的，应当提交授权委托书。"
            "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利，本机关终止听证。")
    _sign(doc, case.power.body.name, h.notice_served_on)


def decision(case: Case, doc, *, onsite: bool = False) -> None:
    """Art. 59: every item the decision must state, with remedies of 60 days / 6 months."""
    if not case.decided_on:
        raise DomainError("本案尚未作出决定，不能生成决定书。")
    s = rules.settings_for(case.township)
    kind = DocKind.ONSITE if onsite else DocKind.DECISION
    _title(doc, case.power.body.name, kind.label, case.decision_number or _number(case, kind))
    # (一) 当事人的姓名或者名称、地址
    _p(doc, _party(case))
    # (二) 违反法律、法规、规章的事实和证据
    if onsite:  # Art. 52: the on-the-spot decision also states the time and place
        _p(doc, f"违法行为时间、地点：{fmt_date(case.decided_on)}，{case.place or case.party_address or '（未登记）'}")
    _p(doc, f"违法事实：{case.facts}")
    _p(doc, f"证据：{case.evidence_summary or '现场检查笔录、询问笔录、现场照片及执法记录仪音像记录等'}。")
    if case.statement:
        _p(doc, f"当事人陈述、申辩意见：{case.statement}　复核意见：{case.statement_response or '不予采纳'}")
    if case.outcome == "penalty":
        # (三) 行政处罚的种类和依据
        _p(doc, f"你（单位）的上述行为违反了{case.power.violation_basis}的规定。{case.reasons or ''}")
        _p(doc, f"处罚依据：{case.power.penalty_basis}。")
        _p(doc, f"处罚种类：{case.get_penalty_kind_display()}。本机关决定对你（单位）处以：{_penalty_text(case)}。")
        # (四) 行政处罚的履行方式和期限
        if case.fine_amount:
            _p(doc, f"履行方式和期限：请自收到本决定书之日起{s.payment_days}日内，将罚款缴至"
                    f"{case.payment_place or '指定的银行或者通过电子支付系统缴纳'}。"
                    f"到期不缴纳罚款的，本机关将依据《中华人民共和国行政处罚法》第七十二条每日按罚款数额的"
                    f"{rules.fmt_money(s.late_fee_percent)}%加处罚款（加处罚款的数额不超出罚款的数额），"
                    "并依法申请人民法院强制执行。")
        else:
            _p(doc, "履行方式和期限：本决定自送达之日起生效，请自觉履行。")
    elif case.outcome == "no_penalty":
        _p(doc, f"本机关决定对你（单位）不予行政处罚。理由：{case.reasons or ''}")
    else:
        _p(doc, f"经审查，你（单位）的行为涉嫌犯罪，本机关决定将案件移送司法机关依法处理。{case.reasons or ''}")
    # (五) 申请行政复议、提起行政诉讼的途径和期限
    gov, court = _remedy_bodies(case)
    _p(doc, f"如不服本决定，可以在收到本决定书之日起{s.reconsideration_days}日内向{gov}申请行政复议，"
            f"也可以在收到本决定书之日起{s.lawsuit_months}个月内依法向{court}提起行政诉讼。"
            "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。")
    if case.served_on:
        rd = deadlines.reconsideration_deadline(case.served_on, s)
        ld = deadlines.lawsuit_deadline(case.served_on, s)
        _p(doc, f"（本决定书于{fmt_date(case.served_on)}送达，申请行政复议期限至{fmt_date(rd.due)}，"
                f"提起行政诉讼期限至{fmt_date(ld.due)}。）")
    _p(doc, f"执法人员：{_officers(case)}")
    # (六) 作出行政处罚决定的行政机关名称和作出决定的日期（加盖印章）
    _sign(doc, case.power.body.name, case.decided_on)


def receipt(case: Case, doc) -> None:
    if not case.decided_on:
        raise DomainError("本案尚未作出决定，没有需要送达的决定书。")
    _title(doc, case.power.body.name, DocKind.RECEIPT.label, _number(case, DocKind.RECEIPT))
    _table(doc, [
        ("送达文书名称及文号", f"行政处罚决定书 {case.decision_number}"),
        ("受送达人", case.party_name), ("送达地点", case.party_address),
        ("送达方式", case.get_service_method_display() if case.service_method else ""),
        ("收件人签名或盖章", case.service_recipient), ("收件日期", fmt_date(case.served_on) if case.served_on else ""),
        ("送达人", "、".join(o.name for o in case.officers.all())),
        ("备注", "送达日期以受送达人在本回证上签收的日期为准（民事诉讼法第八十七条）。"),
    ])


BUILDERS = {
    DocKind.FILING: filing, DocKind.INQUIRY: inquiry, DocKind.NOTICE: notice, DocKind.HEARING_NOTICE: hearing_notice,
    DocKind.DECISION: decision, DocKind.ONSITE: lambda c, d: decision(c, d, onsite=True), DocKind.RECEIPT: receipt,
}


def build(case: Case, kind: str) -> tuple[str, bytes]:
    if kind not in BUILDERS:
        raise DomainError("没有这种文书。")
    label = DocKind(kind).label
    doc = _doc(title=f"{case.number} {label}", author=case.power.body.name)
    BUILDERS[kind](case, doc)
    return f"{case.number}-{label}.docx", doc.to_bytes()


def text_of(data: bytes) -> str:
    """All text of a generated document (paragraphs and tables), for tests and previews."""
    d = Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# --- 行政强制执行 (行政强制法第三十五条、第三十七条、第四十四条、第五十五条) ----------------------------------

def _coercion_remedies(c) -> str:
    gov, court = _remedy_bodies(c.case)
    return (f"如不服本决定，可以自收到本决定书之日起六十日内向{gov}申请行政复议，或者自收到本决定书之日起六个月内"
            f"向{court}提起行政诉讼。")


def urge(c, doc) -> None:
    """Art. 35: written; the period and method of performance, the amount, the right to state and defend."""
    from fazhi.enforcement import deadlines as dl

    if not c.urged_on:
        raise DomainError("尚未催告，不能生成催告书。")
    case = c.case
    _title(doc, case.power.body.name, "催告书")
    _p(doc, f"{case.party_name}：", indent=False)
    _p(doc, f"本机关于{fmt_date(case.decided_on)}对你（单位）作出{case.decision_number or '行政处罚'}决定，"
            f"该决定书已于{fmt_date(case.served_on)}送达。你（单位）至今未履行下列义务：{c.obligation}")
    due = dl.urge_deadline(c)
    _p(doc, f"依据《中华人民共和国行政强制法》第三十五条，现催告你（单位）在收到本催告书之日起{c.performance_days}日内"
            f"（至{fmt_date(due.due)}）履行上述义务。履行方式：{c.perform_method}。")
    if c.amount:
        _p(doc, f"应当给付的金额：人民币{rules.fmt_money(c.amount)}元，给付方式：{c.perform_method}。")
    _p(doc, "你（单位）依法享有陈述权和申辩权，可以在收到本催告书后向本机关提出陈述、申辩意见（行政强制法第三十六条）。"
            "逾期仍不履行且无正当理由的，本机关将依法强制执行。")
    _sign(doc, case.power.body.name, c.urged_on)


def coercion_decision(c, doc) -> None:
    """Art. 37: the party, the reasons and basis, the means and time, the remedies, the organ's name and seal."""
    if not c.decided_on or c.route in {"proxy", "proxy_now"}:
        raise DomainError("尚未作出强制执行决定，不能生成决定书。")
    case = c.case
    _title(doc, case.power.body.name, "强制执行决定书")
    _p(doc, _party(case))
    _p(doc, f"本机关于{fmt_date(c.urged_on)}送达催告书，催告你（单位）履行：{c.obligation}你（单位）逾期仍未履行，"
            "且无正当理由。")
    if c.statement:
        _p(doc, f"你（单位）的陈述、申辩意见：{c.statement}　复核意见：{c.statement_response}")
    _p(doc, f"强制执行的理由和依据：{c.decision_reason}")
    _p(doc, f"强制执行的方式和时间：{c.means}。本机关将于本决定书送达后依法实施，"
            "不在夜间或者法定节假日实施（情况紧急的除外）。")
    _p(doc, _coercion_remedies(c))
    _sign(doc, case.power.body.name, c.decided_on)


def announcement(c, doc) -> None:
    """Art. 44: the 公告 with the period to remove the building oneself."""
    from fazhi.enforcement import deadlines as dl

    if not c.announced_on:
        raise DomainError("尚未公告，不能生成公告。")
    case = c.case
    _title(doc, case.power.body.name, "公告")
    due = dl.self_removal_deadline(c)
    _p(doc, f"{case.party_name}位于{case.place or case.party_address or '（未登记）'}的建筑物、构筑物、设施，"
            f"经本机关{case.decision_number or '行政处罚决定'}认定为违法建设，应予拆除：{c.obligation}")
    _p(doc, f"依据《中华人民共和国行政强制法》第四十四条，现予公告：限当事人自本公告发布之日起{c.self_removal_days}日内"
            f"（至{fmt_date(due.due)}）自行拆除。当事人在法定期限内不申请行政复议或者提起行政诉讼，又不拆除的，"
            "本机关将依法强制拆除。")
    _sign(doc, case.power.body.name, c.announced_on)


def application(c, doc) -> None:
    """Art. 55: the application to the court, with the decision, the 催告 and the party's non-performance."""
    if not c.applied_on:
        raise DomainError("尚未申请人民法院强制执行，不能生成申请书。")
    case = c.case
    _title(doc, case.power.body.name, "强制执行申请书")
    _p(doc, f"申请人：{case.power.body.name}", indent=False)
    _p(doc, f"被申请人：{_party(case)}", indent=False)
    _p(doc, f"申请事项：请求{c.court}强制执行{case.decision_number or '行政处罚决定'}：{c.obligation}")
    _p(doc, f"事实和理由：本机关于{fmt_date(case.decided_on)}作出上述决定，于{fmt_date(case.served_on)}送达。"
            "被申请人在法定期限内未申请行政复议、未提起行政诉讼，又不履行。本机关于"
            f"{fmt_date(c.urged_on)}送达催告书，催告书送达十日后被申请人仍未履行义务。依据《中华人民共和国行政强制法》"
            "第五十三条、第五十四条、第五十五条，特申请强制执行。")
    _p(doc, "附：行政决定书及作出决定的事实、理由和依据；当事人的意见及行政机关催告情况；申请强制执行标的情况。")
    _p(doc, f"此致\n{c.court}")
    _sign(doc, case.power.body.name, c.applied_on)


def proxy_decision(c, doc) -> None:
    """Art. 51(1)(一): the party's name and address, the reasons and basis, the means and time, the object, the
    estimated cost and the performer; the cost borne by the party (Art. 51 ¶2); the remedies."""
    if not c.decided_on or c.route != "proxy":
        raise DomainError("尚未作出代履行决定，不能生成代履行决定书。")
    case = c.case
    _title(doc, case.power.body.name, "代履行决定书")
    _p(doc, _party(case))
    _p(doc, f"本机关{case.decision_number or '作出的行政决定'}要求你（单位）履行：{c.obligation}"
            f"本机关于{fmt_date(c.urged_on)}送达催告书，你（单位）经催告仍不履行，{c.get_proxy_ground_display()}。")
    _p(doc, f"代履行的理由和依据：{c.decision_reason}　依据《中华人民共和国行政强制法》第五十条、第五十一条，"
            "本机关决定代履行。")
    performer = f"{c.proxy_performer}（受本机关委托，与当事人没有利害关系）" if c.proxy_third_party else c.proxy_performer
    _table(doc, [("代履行标的", c.proxy_object), ("代履行方式", c.means),
                 ("代履行时间", fmt_date(c.proxy_planned_on)), ("代履行人", performer),
                 ("费用预算", f"人民币{rules.fmt_money(c.proxy_budget)}元")])
    _p(doc, "代履行三日前，本机关将催告你（单位）履行；你（单位）履行的，停止代履行。代履行的费用按照成本合理确定，"
            "由你（单位）承担（行政强制法第五十一条）。")
    _p(doc, _coercion_remedies(c))
    _sign(doc, case.power.body.name, c.decided_on)


def proxy_notice(c, doc) -> None:
    """Art. 52: the party, absent when the obstacle was cleared at once, is told afterwards (and the cost)."""
    if c.route != "proxy_now" or not c.executed_at:
        raise DomainError("尚未立即代履行，不能生成通知书。")
    case = c.case
    at = timezone.localtime(c.executed_at) if timezone.is_aware(c.executed_at) else c.executed_at
    _title(doc, case.power.body.name, "立即代履行通知书")
    _p(doc, f"{case.party_name}：", indent=False)
    _p(doc, f"{c.get_proxy_ground_display()}：{c.proxy_object}。你（单位）不能清除，本机关依据《中华人民共和国行政强制法》"
            f"第五十二条，决定立即实施代履行，已于{fmt_date(at.date())}{at:%H时%M分}由{c.proxy_performer}以{c.means}"
            f"的方式清除完毕，本机关{c.proxy_supervisor}到场监督。")
    if c.proxy_cost:
        _p(doc, f"代履行费用人民币{rules.fmt_money(c.proxy_cost)}元，按照成本合理确定（{c.proxy_cost_basis}），"
                "由你（单位）承担（行政强制法第五十一条第二款）。")
    _p(doc, _coercion_remedies(c).replace("本决定书", "本通知书").replace("本决定", "本机关的代履行行为"))
    _sign(doc, case.power.body.name, c.proxy_notified_on or at.date())


COERCION_BUILDERS = {"urge": ("催告书", urge), "decision": ("强制执行决定书", coercion_decision),
                     "announcement": ("公告", announcement), "application": ("强制执行申请书", application),
                     "proxy": ("代履行决定书", proxy_decision), "proxy_notice": ("立即代履行通知书", proxy_notice)}


def coercion_documents(c) -> list[tuple[str, str]]:
    """(kind, label) of the documents the procedure has by now (what its record page offers)."""
    proxy = c.route in {"proxy", "proxy_now"}
    have = {"urge": bool(c.urged_on), "decision": bool(c.decided_on) and not proxy,
            "announcement": bool(c.announced_on), "application": bool(c.applied_on),
            "proxy": bool(c.decided_on) and c.route == "proxy",
            "proxy_notice": bool(c.executed_at) and c.route == "proxy_now"}
    return [(k, label) for k, (label, _) in COERCION_BUILDERS.items() if have[k]]


def build_coercion(c, kind: str) -> tuple[str, bytes]:
    if kind not in COERCION_BUILDERS:
        raise DomainError("没有这种文书。")
    label, builder = COERCION_BUILDERS[kind]
    doc = _doc(title=f"{c.case.number} {label}", author=c.case.power.body.name)
    builder(c, doc)
    return f"{c.case.number}-{label}.docx", doc.to_bytes()
