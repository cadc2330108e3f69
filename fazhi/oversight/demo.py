"""Demo: 蓝山县's finished 2024 案卷评查 (drawn from both townships' concluded cases, scored by two
reviewers, one problem found and rectified through a 整改通知) and its 2024 考评 scheme."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from fazhi.oversight import services
from fazhi.oversight.models import (
    FileStatus,
    NoticeKind,
    NoticeStatus,
    ReviewRound,
    Scheme,
    Section,
    Standard,
)
from fazhi.oversight.workflow import notice_transition, round_transition

D = dt.date
SEED = "lanshan-2024"  # fixed in the demo so the draw is the same on every load (and anyone can redo it)
PROOF_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PROBLEM = "案卷材料未按卷宗顺序排列，缺少卷内目录"


def load(ctx) -> None:
    county, a, b = ctx.county, ctx.user("county_legal"), ctx.user("county_legal2")
    std = Standard.objects.filter(region=county).order_by("pk").first() or services.standard_create_default(
        actor=a, region=county)
    if not Scheme.objects.filter(county=county, year=2024).exists():
        services.scheme_create_default(actor=a, county=county, year=2024)
    if ReviewRound.objects.filter(county=county, year=2024).exists():
        return
    rnd = services.round_create(actor=a, county=county, year=2024, title="蓝山县2024年度行政处罚案卷评查",
                                standard=std, sample_rate=40, min_per_township=1, double_review=True)
    rnd = round_transition(actor=a, round=rnd, step="draw", data={"seed": SEED})
    archive_item = std.items.filter(section=Section.ARCHIVE).first()
    flagged = None
    for f in rnd.files.select_related("township").order_by("township__code", "id"):
        problem = flagged is None and f.township_id == ctx.litou.pk
        for reviewer in (a, b):
            scores = {}
            if problem:
                scores[archive_item.pk] = {"deducted": 3, "comment": PROBLEM}
            services.sheet_submit(actor=reviewer, file=f, scores=scores,
                                  opinion="案件事实清楚，程序合法；归档不规范。" if problem else "案卷规范。")
        if problem:
            flagged = f
    round_transition(actor=a, round=rnd, step="finish", today=D(2025, 3, 14))
    flagged.refresh_from_db()
    if flagged.status != FileStatus.FINAL:
        return
    n = services.notice_issue(actor=a, township=ctx.litou, kind=NoticeKind.RECTIFY, review_file=flagged,
                              title=f"关于{flagged.case.number}案卷评查问题的整改通知",
                              content=f"2024年度案卷评查发现：{PROBLEM}。请按卷宗顺序重新整理装订，补齐卷内目录，"
                                      "并对本乡镇2024年已结案卷一并自查整改，于期限内书面报告整改情况。",
                              period_working_days=15, issued_on=D(2025, 3, 20), today=D(2025, 3, 20))
    n = notice_transition(actor=ctx.user("litou_legal_staff"), notice=n, step="answer", today=D(2025, 4, 2),
                                   data={"answer": "已按立案、调查取证、告知、决定、送达、执行、结案顺序重新整理装订该案卷，"
                                                   "补齐卷内目录；对2024年已结的其他7件案卷逐卷自查，均已补齐目录。",
                                         "answered_on": D(2025, 4, 2),
                                         "proof": ContentFile(PROOF_PDF, name="整改情况报告.pdf")})
    notice_transition(actor=b, notice=n, step="accept", today=D(2025, 4, 7),
                               data={"opinion": "经抽查复核，整改到位。"})
    assert n.status == NoticeStatus.ANSWERED
