"""Mediation documents (.docx, on the core document kit — GB/T 9704 layout): 人民调解申请书, 调解笔录,
人民调解协议书, 回访记录, 终止人民调解告知书. Each builder returns the document's bytes."""

from __future__ import annotations

from fazhi.core.calendar import fmt_date
from fazhi.core.documents import OfficialDocument
from fazhi.core.errors import DomainError
from fazhi.mediation.models import Dispute
from fazhi.mediation.selectors import agreement_state, current_agreement


def _doc(title: str, d: Dispute) -> OfficialDocument:
    """The document's kind as its title, the committee that issues it below."""
    doc = OfficialDocument(title=title, author=_committee(d))
    doc.title(title)
    doc.line(_committee(d), align="center")
    doc.blank()
    return doc


def _para(doc: OfficialDocument, label: str, value: str = "") -> None:
    """“标签：内容” on one line (a form's field), or a sentence of the body."""
    if value:
        doc.line(f"{label}{value}")
    elif len(label) > 28:  # longer than a line: a body paragraph, first line indented
        doc.para(label)
    else:
        doc.line(label)


def _parties(doc: OfficialDocument, d: Dispute) -> None:
    for p in d.parties.all():
        _para(doc, f"{p.get_side_display()}：", f"{p.name}，身份证号码：{p.id_number or '（未登记）'}，"
                                               f"联系电话：{p.phone or '（未登记）'}，住址：{p.address or '（未登记）'}")


def _committee(d: Dispute) -> str:
    return d.committee.name if d.committee_id else f"{d.township.name}人民调解委员会"


def application(d: Dispute) -> bytes:
    doc = _doc("人民调解申请书", d)
    _para(doc, "编号：", d.number)
    _parties(doc, d)
    _para(doc, "纠纷类型：", d.dispute_type.name)
    _para(doc, "纠纷简要情况及申请事项：", d.summary)
    _para(doc, "申请人自愿申请人民调解委员会调解，并知悉人民调解不收取任何费用（人民调解法第四条）。")
    _para(doc, "申请人（签名或按指印）：")
    _para(doc, "申请日期：", fmt_date(d.received_on))
    return doc.to_bytes()


def record(d: Dispute) -> bytes:
    sessions = list(d.sessions.all())
    if not sessions:
        raise DomainError("尚无调解记录，不能生成调解笔录。")
    doc = _doc("调解笔录", d)
    _para(doc, "纠纷编号：", d.number)
    for i, s in enumerate(sessions, 1):
        doc.heading(f"第{i}次调解", level=2)
        _para(doc, "时间：", fmt_date(s.held_on))
        _para(doc, "地点：", s.place)
        _para(doc, "参加人员：", s.participants)
        _para(doc, "调解情况：", s.record)
        if s.next_step:
            _para(doc, "下一步安排：", s.next_step)
    _para(doc, "当事人（签名）：")
    _para(doc, "调解员（签名）：")
    _para(doc, "记录人（签名）：")
    return doc.to_bytes()


def agreement(d: Dispute) -> bytes:
    a = current_agreement(d)
    if a is None:
        raise DomainError("尚未登记调解协议。")
    state = agreement_state(a)
    doc = _doc("人民调解协议书", d)
    _para(doc, "编号：", d.number)
    _parties(doc, d)
    _para(doc, "纠纷主要事实、争议事项及各方当事人的责任：", a.facts)
    _para(doc, "经调解，自愿达成如下协议：", a.terms)
    _para(doc, "履行方式：", a.performance_method)
    _para(doc, "履行期限：", fmt_date(a.performance_due))
    _para(doc, f"本协议一式{a.copies}份，当事人各执一份，人民调解委员会留存一份。"
               "本协议自各方当事人签名（盖章或按指印）、人民调解员签名并加盖人民调解委员会印章之日起生效。"
               "当事人可自协议生效之日起三十日内共同向人民法院申请司法确认（人民调解法第三十三条）。")
    for p in state["parties"]:
        signed = next((s for s in state["signatures"] if s.party_id == p.pk), None)
        _para(doc, f"当事人（{p.name}）：", f"已{signed.get_method_display()}，{fmt_date(signed.signed_on)}" if signed else "")
    mediator = next((s for s in state["signatures"] if s.kind == "mediator"), None)
    _para(doc, "人民调解员（签名）：", f"{mediator.mediator.name}，{fmt_date(mediator.signed_on)}" if mediator else "")
    _para(doc, "人民调解委员会（印章）：", fmt_date(state["effective_on"]) if state["effective_on"] else "")
    return doc.to_bytes()


def followup(d: Dispute) -> bytes:
    visits = list(d.followups.all())
    if not visits:
        raise DomainError("尚无回访记录。")
    doc = _doc("人民调解回访记录", d)
    _para(doc, "纠纷编号：", d.number)
    for v in visits:
        _para(doc, "回访日期：", fmt_date(v.visited_on))
        _para(doc, "回访方式：", v.get_method_display())
        _para(doc, "回访人：", v.visitor)
        _para(doc, "协议履行情况：", v.get_performance_display())
        _para(doc, "回访情况：", v.note or "—")
    return doc.to_bytes()


def termination(d: Dispute) -> bytes:
    if d.status not in (Dispute.Status.NOT_RESOLVED, Dispute.Status.NOT_ACCEPTED):
        raise DomainError("只有调解不成或当事人拒绝调解的纠纷才出具终止调解告知。")
    doc = _doc("终止人民调解告知书", d)
    names = "、".join(p.name for p in d.parties.all())
    _para(doc, f"{names}：")
    last = d.transitions.order_by("-created_at", "-id").first()
    why = last.reason if last else ""
    if d.status == Dispute.Status.NOT_ACCEPTED:
        body = (f"你们之间的{d.dispute_type.name}纠纷（编号{d.number}），因当事人{d.refused_by}明确拒绝调解，"
                f"根据《中华人民共和国人民调解法》第十七条，本委员会不予调解。{why}")
    else:
        body = (f"你们之间的{d.dispute_type.name}纠纷（编号{d.number}），经调解未能达成协议，根据《中华人民共和国"
                f"人民调解法》第二十六条，本委员会决定终止调解。{why}")
    _para(doc, body)
    _para(doc, "你们可以依法通过仲裁、行政、司法等途径维护自己的权利。"
               + (f"（引导去向：{d.referral}）" if d.referral else ""))
    _para(doc, "特此告知。")
    doc.sign_lines([_committee(d), fmt_date(d.closed_on) if d.closed_on else ""])
    return doc.to_bytes()


BUILDERS = {
    "application": ("人民调解申请书", application),
    "record": ("调解笔录", record),
    "agreement": ("人民调解协议书", agreement),
    "followup": ("回访记录", followup),
    "termination": ("终止调解告知书", termination),
}
