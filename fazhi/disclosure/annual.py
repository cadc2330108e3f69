"""政府信息公开工作年度报告 (条例第五十条) in the tables of the national template (国办公开办函〔2021〕30号),
built from this module's data and the enforcement module's figures; exported as .xlsx here, as .docx by
`documents.report_docx`, and as HTML for the portal item."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import Count, Q, Sum

from fazhi.disclosure.models import (
    AnnualReportExtra,
    ApplicantKind,
    ExemptReason,
    InfoRequest,
    ReplyType,
    RequestStatus,
)
from fazhi.disclosure.selectors import annual_stats
from fazhi.enforcement.selectors import annual_stats as enforcement_stats

EXEMPT_ROWS = [(f"{i}.{label}", value) for i, (value, label) in enumerate(ExemptReason.choices, start=1)]
REVIEW_COLS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW_KEYS = ["maintained", "corrected", "other", "pending"]


def _row_key(reply_type: str, exempt: str, status: str, corrected_asked: bool) -> str:
    """Which line of table 三 a closed request belongs to."""
    if status == RequestStatus.WITHDRAWN:
        return "other_no_correction" if corrected_asked else "other_other"
    return {
        ReplyType.ALREADY_PUBLIC: "public",
        ReplyType.PROVIDED: "public",
        ReplyType.PARTIAL: "partial",
        ReplyType.NOT_DISCLOSED: f"exempt_{exempt or ExemptReason.LAW_FORBIDS}",
        ReplyType.SPECIAL_CHANNEL: f"exempt_{ExemptReason.QUERY}",
        ReplyType.NOT_EXIST: "cannot_not_held",
        ReplyType.NOT_OURS: "cannot_not_held",
        ReplyType.REPEAT: "ignore_repeat",
    }.get(reply_type, "other_other")


ROWS = [
    ("new", "一、本年新收政府信息公开申请数量", 0),
    ("carried_in", "二、上年结转政府信息公开申请数量", 0),
    ("h_result", "三、本年度办理结果", 0),
    ("public", "（一）予以公开", 1),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1),
    ("h_exempt", "（三）不予公开", 1),
    *[(f"exempt_{value}", label, 2) for label, value in EXEMPT_ROWS],
    ("h_cannot", "（四）无法提供", 1),
    ("cannot_not_held", "1.本机关不掌握相关政府信息", 2),
    ("cannot_make", "2.没有现成信息需要另行制作", 2),
    ("cannot_unclear", "3.补正后申请内容仍不明确", 2),
    ("h_ignore", "（五）不予处理", 1),
    ("ignore_petition", "1.信访举报投诉类申请", 2),
    ("ignore_repeat", "2.重复申请", 2),
    ("ignore_publication", "3.要求提供公开出版物", 2),
    ("ignore_mass", "4.无正当理由大量反复申请", 2),
    ("ignore_confirm", "5.要求行政机关确认或重新出具已获取信息", 2),
    ("h_other", "（六）其他处理", 1),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2),
    ("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2),
    ("other_other", "3.其他", 2),
    ("total", "（七）总计", 1),
    ("carried_out", "四、结转下年度继续办理", 0),
]


def report_tables(township, year: int) -> dict:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    stats = annual_stats(township, year)
    reqs = InfoRequest.objects.filter(township=township, received_on__isnull=False, received_on__lte=end)
    counts = {key: {ApplicantKind.PERSON: 0, ApplicantKind.ORG: 0} for key, _, _ in ROWS}
    for kind, new, carried, carried_out in reqs.values_list("applicant_kind").annotate(
            new=Count("id", filter=Q(received_on__gte=start)),
            carried=Count("id", filter=Q(received_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))),
            carried_out=Count("id", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end))):
        counts["new"][kind] += new
        counts["carried_in"][kind] += carried
        counts["carried_out"][kind] += carried_out
    closed = (reqs.filter(status__in=[RequestStatus.ANSWERED, RequestStatus.WITHDRAWN], closed_on__year=year)
              .values_list("applicant_kind", "reply_type", "exempt_reason", "status", "correction_requested_on")
              .annotate(n=Count("id")))
    for kind, reply_type, exempt, status, asked, n in closed:
        counts[_row_key(reply_type, exempt, status, asked is not None)][kind] += n
        counts["total"][kind] += n
    fees = reqs.filter(reply_on__year=year).aggregate(s=Sum("fee_amount"))["s"] or Decimal("0")
    request_rows = []
    for key, label, level in ROWS:
        if key.startswith("h_"):
            request_rows.append({"label": label, "level": level, "heading": True})
            continue
        c = counts[key]
        request_rows.append({"label": label, "level": level, "heading": False, "person": c[ApplicantKind.PERSON],
                             "org": c[ApplicantKind.ORG], "total": c[ApplicantKind.PERSON] + c[ApplicantKind.ORG]})
    extra = AnnualReportExtra.objects.filter(township=township, year=year).first()
    # Reconsiderations and lawsuits about disclosure are not held by any module: staff enter them.
    review = {key: getattr(extra, key, {}) or {} for key in ("reconsideration", "litigation_direct",
                                                             "litigation_after")}
    review_rows = []
    for key, label in (("reconsideration", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
                       ("litigation_after", "行政诉讼（复议后起诉）")):
        values = [int((review.get(key) or {}).get(k, 0) or 0) for k in REVIEW_KEYS]
        review_rows.append({"label": label, "values": [*values, sum(values)]})
    official = [
        {"label": "行政处罚（本年处理决定数量）", "n": enforcement_stats(township, year).get("decisions", 0)},
        {"label": "其中行政处罚决定公示（行政执法公示类目）", "n": stats["by_category"].get("行政执法公示", 0)},
    ]
    return {
        "title": f"{township.name}{year}年政府信息公开工作年度报告",
        "official_rows": official,
        "township": township, "year": year, "stats": stats,
        "proactive_rows": [{"label": k, "n": v} for k, v in stats["by_category"].items()],
        "request_rows": request_rows, "review_rows": review_rows, "review_cols": REVIEW_COLS,
        "fees": fees, "problems": getattr(extra, "problems", ""), "other": getattr(extra, "other", ""),
    }


def report_xlsx(t) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "年度报告"
    bold = Font(bold=True)
    ws.append([t["title"]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["二、主动公开政府信息情况（按公开类目）"])
    ws.append(["公开类目", "本年公开数量"])
    for r in t["proactive_rows"]:
        ws.append([r["label"], r["n"]])
    ws.append(["合计", t["stats"]["proactive_items"]])
    ws.append(["其中超过法定期限公开", t["stats"]["late_items"]])
    for r in t["official_rows"]:
        ws.append([r["label"], r["n"]])
    ws.append([])
    ws.append(["三、收到和处理政府信息公开申请情况"])
    ws.append(["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "自然人", "法人或其他组织", "总计"])
    for r in t["request_rows"]:
        label = "    " * r["level"] + r["label"]
        ws.append([label] if r["heading"] else [label, r["person"], r["org"], r["total"]])
    ws.append([])
    ws.append(["四、政府信息公开行政复议、行政诉讼情况"])
    ws.append(["", *t["review_cols"]])
    for r in t["review_rows"]:
        ws.append([r["label"], *r["values"]])
    ws.append([])
    ws.append(["信息处理费（元）", float(t["fees"])])
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value[:2] in ("二、", "三、", "四、"):
                cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 60
    for col in "BCDEF":
        ws.column_dimensions[col].width = 14
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_html(t) -> str:
    """The tables as simple HTML for the portal item (cleaned again by the item service)."""
    from django.utils.html import escape

    s = t["stats"]
    parts = [f"<p>{t['year']}年，本机关主动公开政府信息{s['proactive_items']}条；新收政府信息公开申请{s['requests']}件，"
             f"上年结转{s['requests_carried_over']}件，本年答复{s['requests_answered']}件。</p>",
             "<h3>二、主动公开政府信息情况</h3><table><tr><th>公开类目</th><th>本年公开数量</th></tr>"]
    parts += [f"<tr><td>{escape(r['label'])}</td><td>{r['n']}</td></tr>" for r in t["proactive_rows"]]
    parts.append("</table><h3>三、收到和处理政府信息公开申请情况</h3>"
                 "<table><tr><th></th><th>自然人</th><th>法人或其他组织</th><th>总计</th></tr>")
    for r in t["request_rows"]:
        label = "　" * r["level"] + escape(r["label"])
        parts.append(f"<tr><td colspan=\"4\"><strong>{label}</strong></td></tr>" if r["heading"] else
                     f"<tr><td>{label}</td><td>{r['person']}</td><td>{r['org']}</td><td>{r['total']}</td></tr>")
    parts.append("</table><h3>四、政府信息公开行政复议、行政诉讼情况</h3><table><tr><th></th>"
                 + "".join(f"<th>{c}</th>" for c in t["review_cols"]) + "</tr>")
    for r in t["review_rows"]:
        parts.append(f"<tr><td>{r['label']}</td>" + "".join(f"<td>{v}</td>" for v in r["values"]) + "</tr>")
    parts.append("</table>")
    if t["problems"]:
        parts.append(f"<h3>五、存在的主要问题及改进情况</h3><p>{escape(t['problems'])}</p>")
    parts.append(f"<p>本年度收取信息处理费{t['fees']}元。</p>")
    return "".join(parts)
