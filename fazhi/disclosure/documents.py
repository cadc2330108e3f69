"""Every .docx of 政务公开, on the core document kit (GB/T 9704): the reply letter (政府信息公开申请答复书),
the correction and extension notices, the annual report; and the plain-language summary of a reply
the applicant sees on the portal."""

from __future__ import annotations

from fazhi.core.calendar import fmt_date
from fazhi.core.documents import OfficialDocument
from fazhi.disclosure.deadlines import answer_deadline, settings_for
from fazhi.disclosure.models import ReplyType

ART = "《中华人民共和国政府信息公开条例》"


def _clause(text: str) -> str:
    """A typed fragment set inside the letter's own sentence: its closing stop goes (no “…金额。”。)."""
    return (text or "").strip().rstrip("。．.；;，,、 ")


def reply_summary(req) -> str:
    """What the agency decided, per 条例第三十六条/第三十七条, in the words of the reply."""
    t, extra = req.reply_type, (req.reply_text or "").strip()
    exempt = req.get_exempt_reason_display() if req.exempt_reason else ""
    if t == ReplyType.ALREADY_PUBLIC:
        text = f"您申请获取的政府信息已经主动公开。根据{ART}第三十六条第一项，现告知获取该政府信息的方式和途径：{_clause(req.where_public)}。"
    elif t == ReplyType.PROVIDED:
        text = (f"根据{ART}第三十六条第二项，本机关决定予以公开，"
                f"按您选择的方式（{req.get_delivery_form_display()}）向您提供该政府信息。")
    elif t == ReplyType.NOT_DISCLOSED:
        text = (f"经审查，您申请获取的政府信息{exempt}，依据{_clause(req.legal_basis)}，"
                f"根据{ART}第三十六条第三项，本机关决定不予公开。")
    elif t == ReplyType.NOT_EXIST:
        text = f"经检索，本机关没有您所申请公开的政府信息。根据{ART}第三十六条第四项，告知您该政府信息不存在。"
    elif t == ReplyType.NOT_OURS:
        text = (f"您申请获取的政府信息不属于本机关负责公开。根据{ART}第三十六条第五项，"
                f"告知您负责公开该政府信息的行政机关：{_clause(req.right_agency)}。")
    elif t == ReplyType.REPEAT:
        text = f"您的申请与本机关已经答复的申请内容相同，属于重复申请。根据{ART}第三十六条第六项，本机关不予重复处理。"
    elif t == ReplyType.SPECIAL_CHANNEL:
        text = (f"您申请获取的信息，有关法律、行政法规对信息的获取有特别规定。根据{ART}第三十六条第七项，"
                f"请依照有关规定办理：{_clause(req.special_channel)}。")
    elif t == ReplyType.PARTIAL:
        text = (f"您申请公开的信息中含有不应当公开的内容（{exempt}，依据{_clause(req.legal_basis)}），但能够作区分处理。"
                f"根据{ART}第三十七条，本机关向您提供可以公开的部分，不予公开的部分说明理由如上。")
    else:
        return ""
    return text + (f"\n{extra}" if extra else "")


def _office(req) -> tuple:
    conf = settings_for(req.township)
    return conf, conf.office_name or f"{req.township.name}人民政府"


def reply_docx(req) -> bytes:
    conf, office = _office(req)
    doc = OfficialDocument(title="政府信息公开申请答复书", author=office)
    doc.title("政府信息公开申请答复书")
    doc.number(f"查询码：{req.tracking_no}")
    doc.line(f"{req.applicant_name}：")
    received = fmt_date(req.received_on) if req.received_on else ""
    description = _clause(req.corrected_description or req.description)
    doc.para(f"本机关于{received}收到您提出的政府信息公开申请，申请获取“{description}”。经审查，现答复如下：")
    doc.para(reply_summary(req))
    if req.fee_amount:
        doc.para(f"本次信息处理费：{req.fee_amount}元。")
    doc.para("如对本答复不服，可以自收到本答复之日起60日内依法申请行政复议，"
             "或者自收到本答复之日起6个月内依法向人民法院提起行政诉讼。")
    if conf.office_contact:
        doc.para(f"联系方式：{conf.office_contact}")
    doc.sign_lines([office, fmt_date(req.reply_on) if req.reply_on else ""])
    return doc.to_bytes()


NOTICE_KINDS = {"correction": "政府信息公开申请补正告知书", "extension": "政府信息公开申请延期答复告知书"}


def notice_docx(req, kind: str) -> bytes:
    """The notices the statute requires be sent to the applicant: correction (Art. 30), extension (Art. 33)."""
    _conf, office = _office(req)
    doc = OfficialDocument(title=NOTICE_KINDS[kind], author=office)
    doc.title(NOTICE_KINDS[kind])
    doc.number(f"查询码：{req.tracking_no}")
    doc.line(f"{req.applicant_name}：")
    received = fmt_date(req.received_on) if req.received_on else ""
    if kind == "correction":
        doc.para(f"本机关于{received}收到您提出的政府信息公开申请。经审查，您的申请内容不明确，"
                 f"根据{ART}第三十条，请您对以下事项作出补正：")
        doc.para(req.correction_note)
        doc.para("答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，视为放弃申请，"
                 "本机关不再处理该政府信息公开申请。")
        day = req.correction_requested_on
    else:
        due = answer_deadline(req)
        doc.para(f"本机关于{received}收到您提出的政府信息公开申请。因{_clause(req.extension_reason)}，"
                 f"不能在法定期限内作出答复。根据{ART}第三十三条第二款，经政府信息公开工作机构负责人同意，"
                 f"答复期限延长{req.extension_days}个工作日，本机关将于{due.deadline}前作出答复。")
        day = req.extension_on
    doc.sign_lines([office, fmt_date(day) if day else ""])
    return doc.to_bytes()


def report_docx(t) -> bytes:
    """The Art. 50 annual report (tables of 国办公开办函〔2021〕30号) from `annual.report_tables`."""
    doc = OfficialDocument(title=t["title"], author=t["township"].name)
    doc.title(t["title"])
    doc.blank()
    s = t["stats"]
    doc.heading("一、总体情况")
    doc.para(f"{t['year']}年，本机关主动公开政府信息{s['proactive_items']}条（其中超过法定期限公开{s['late_items']}条）；"
             f"新收政府信息公开申请{s['requests']}件，上年结转{s['requests_carried_over']}件，"
             f"本年答复{s['requests_answered']}件，超期{s['requests_overdue']}件。")
    doc.heading("二、主动公开政府信息情况")
    doc.table(["公开类目", "本年公开数量"], [(r["label"], r["n"]) for r in t["proactive_rows"] + t["official_rows"]])
    doc.heading("三、收到和处理政府信息公开申请情况")
    doc.table(["", "自然人", "法人或其他组织", "总计"],
              [("　" * r["level"] + r["label"], "", "", "") if r["heading"] else
               ("　" * r["level"] + r["label"], r["person"], r["org"], r["total"]) for r in t["request_rows"]])
    doc.heading("四、政府信息公开行政复议、行政诉讼情况")
    doc.table(["", *t["review_cols"]], [(r["label"], *r["values"]) for r in t["review_rows"]])
    doc.heading("五、存在的主要问题及改进情况")
    doc.para(t["problems"] or "（待填写）")
    doc.heading("六、其他需要报告的事项")
    doc.para((t["other"] or "") + f"本年度收取信息处理费{t['fees']}元。")
    return doc.to_bytes()
