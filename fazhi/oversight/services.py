"""Writes of the oversight module. The county writes only these rows; a township's own records are
read (case files) but never changed from here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import audit_create, audit_record, snapshot
from fazhi.core.errors import DomainError
from fazhi.core.models import Region, RegionLevel
from fazhi.core.writes import save_audited
from fazhi.oversight import draw as drawing
from fazhi.oversight import permissions
from fazhi.oversight.models import (
    FileStatus,
    FileTransition,
    Grade,
    Indicator,
    IndicatorSource,
    ManualScore,
    Notice,
    NoticeKind,
    NoticeSource,
    NoticeStatus,
    NoticeTransition,
    ReviewFile,
    ReviewRound,
    RoundStatus,
    Scheme,
    Section,
    Sheet,
    SheetScore,
    Standard,
    StandardItem,
)

DEFAULT_ITEMS = [
    (Section.SUBJECT, "执法主体合法，在法定职权（或依法赋予的权限）范围内实施", 5, True),
    (Section.SUBJECT, "执法人员不少于两人且持有有效行政执法证件（行政处罚法第42条）", 5, True),
    (Section.SUBJECT, "管辖正确，回避情形处理得当", 5, False),
    (Section.FACTS, "违法事实清楚，当事人认定准确", 10, False),
    (Section.FACTS, "证据确实充分，收集程序合法，证据之间能相互印证", 10, False),
    (Section.FACTS, "执法全过程记录完整，现场检查、查封扣押等有音像记录（第47条）", 5, False),
    (Section.LAW, "适用法律、法规、规章正确，引用条款具体到条、款、项", 10, False),
    (Section.LAW, "处罚种类和幅度符合裁量基准，裁量理由说明充分", 10, False),
    (Section.PROCEDURE, "立案、调查经审批，符合立案条件和时效（第36条）", 5, False),
    (Section.PROCEDURE, "作出决定前依法告知事实、理由、依据及陈述、申辩、听证权利（第44条）", 8, True),
    (Section.PROCEDURE, "重大执法决定经法制审核、情节复杂的经集体讨论（第57、58条）", 7, False),
    (Section.PROCEDURE, "在法定期限内作出决定并依法送达（第60、61条）", 5, False),
    (Section.DOCUMENTS, "文书齐全、格式规范，文号、签章、日期完整", 5, False),
    (Section.DOCUMENTS, "处罚决定书载明第59条规定的事项及救济途径和期限", 5, False),
    (Section.ARCHIVE, "案卷材料按顺序排列、装订规范，结案后及时归档", 5, False),
]

DEFAULT_INDICATORS = [
    ("案卷评查合格率", IndicatorSource.REVIEW_PASS, 20),
    ("法制审核率", IndicatorSource.LEGAL_REVIEW, 15),
    ("复议诉讼未被纠错率", IndicatorSource.RECONSIDERATION_UPHELD, 15),
    ("信息公开按期答复率", IndicatorSource.DISCLOSURE_ON_TIME, 15),
    ("矛盾纠纷化解率", IndicatorSource.MEDIATION_SUCCESS, 15),
    ("普法活动覆盖村比例", IndicatorSource.VILLAGE_COVERAGE, 10),
    ("督办整改按期答复率", IndicatorSource.NOTICES_ON_TIME, 10),
]


def _need(actor, county: Region, roles=permissions.WRITE) -> None:
    if not permissions.may_oversee(actor, county, roles):
        raise DomainError("您不是该县的执法监督人员，不能办理此事项。")


def _dec(value, label: str) -> Decimal:
    try:
        d = Decimal(str(value if value not in (None, "") else "0"))
    except (InvalidOperation, ValueError):
        raise DomainError(f"{label}不是有效的数字。") from None
    if not d.is_finite():
        raise DomainError(f"{label}不是有效的数字。")
    return d


# ---- standards ---------------------------------------------------------------------------------------


@transaction.atomic
def standard_create_default(*, actor, region: Region, name: str = "") -> Standard:
    """A standard modelled on the common provincial ones (six sections, 100 points, veto items)."""
    if region.level not in {RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE}:
        raise DomainError("评查标准由县级及以上制定。")
    _need_standard_writer(actor, region)
    std = Standard.objects.create(
        region=region, name=name or f"{region.name}行政处罚案卷评查标准",
        basis="参照《湖南省行政处罚案卷评查标准（试行）》的结构（一卷一表）")
    for order, (section, text, points, veto) in enumerate(DEFAULT_ITEMS, start=1):
        StandardItem.objects.create(standard=std, section=section, text=text, points=Decimal(points), veto=veto,
                                    order=order)
    audit_create(actor=actor, obj=std)
    return std


def _need_standard_writer(actor, region: Region) -> None:
    """Oversight staff of a county at or below the standard's region (a county's own, or its province's)."""
    if not permissions.counties_for(actor, permissions.WRITE).filter(path__startswith=region.path).exists():
        raise DomainError("您无权制定或修改该区划的评查标准。")


def _editable(standard: Standard) -> None:
    if standard.frozen:
        raise DomainError("该评查标准已用于完成的评查，已冻结，不能修改（如需调整请复制为新标准）。")


@transaction.atomic
def standard_item_save(*, actor, standard: Standard, item: StandardItem | None = None, section: str, text: str,
                       points, veto: bool, order: int = 0) -> StandardItem:
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _editable(standard)
    _need_standard_writer(actor, standard.region)
    points = _dec(points, "分值")
    if not (Decimal("0") <= points <= Decimal("100")):
        raise DomainError("分值应在0至100之间。")
    if section not in Section.values:
        raise DomainError("评查项目类别不正确。")
    before = snapshot(item) if item else None
    item = item or StandardItem(standard=standard)
    item.section, item.text, item.points, item.veto, item.order = section, text, points, veto, order
    save_audited(item, actor=actor, before=before)
    return item


@transaction.atomic
def standard_copy(*, actor, standard: Standard, name: str) -> Standard:
    _need_standard_writer(actor, standard.region)
    new = Standard.objects.create(region=standard.region, name=name, basis=standard.basis,
                                  excellent_score=standard.excellent_score, pass_score=standard.pass_score)
    for i in standard.items.all():
        StandardItem.objects.create(standard=new, section=i.section, text=i.text, points=i.points, veto=i.veto,
                                    order=i.order)
    audit_create(actor=actor, obj=new, reason=f"复制自“{standard.name}”")
    return new


# ---- rounds and the draw -----------------------------------------------------------------------------


@transaction.atomic
def round_create(*, actor, county: Region, year: int, title: str, standard: Standard, sample_rate: int = 20,
                 min_per_township: int = 1, double_review: bool = True, tolerance=Decimal("5"),
                 include_coercion: bool = False) -> ReviewRound:
    _need(actor, county)
    if county.level != RegionLevel.COUNTY:
        raise DomainError("评查以县为单位组织。")
    if not standard.items.exists():
        raise DomainError("所选评查标准没有评查项目。")
    rnd = ReviewRound(county=county, year=year, title=title, standard=standard, sample_rate=sample_rate,
                      min_per_township=min_per_township, double_review=double_review,
                      include_coercion=bool(include_coercion), tolerance=_dec(tolerance, "两评差异容许"), created_by=actor)
    save_audited(rnd, actor=actor)
    return rnd


COERCION_KEY = "（强制执行）"  # a 强制执行 file's draw key: its case number and this mark


def candidates_for(county: Region, year: int, *, include_coercion: bool = False) -> list[dict]:
    """Concluded penalty case files of the county's townships decided in `year` (closed or archived, or
    simplified-procedure decisions, which conclude on the spot), in a fixed order; with `include_coercion`
    also the 强制执行 files concluded in `year` (执行完毕 or 终结执行), read only, keyed "<案号>（强制执行）"."""
    from django.db.models import Q

    from fazhi.enforcement.models import (
        Case,
        CaseStatus,
        CoercionProcedure,
        CoercionStatus,
        Outcome,
        Procedure,
    )

    concluded = Q(status__in=[CaseStatus.CLOSED, CaseStatus.ARCHIVED]) | Q(
        procedure=Procedure.SIMPLIFIED, status__in=[CaseStatus.DECIDED, CaseStatus.SERVED])  # 当场办结
    qs = (Case.objects.filter(concluded, township__path__startswith=county.path,
                              township__level=RegionLevel.TOWNSHIP, outcome=Outcome.PENALTY, decided_on__year=year)
          .select_related("township").order_by("township__code", "year", "seq"))
    out = [{"id": c.pk, "number": c.number, "township": c.township.code, "township_name": c.township.name}
           for c in qs]
    if include_coercion:
        done = (Q(status=CoercionStatus.EXECUTED, executed_at__year=year)
                | Q(status=CoercionStatus.TERMINATED, terminated_on__year=year))
        coercions = (CoercionProcedure.objects.filter(done, township__path__startswith=county.path,
                                                      township__level=RegionLevel.TOWNSHIP)
                     .select_related("township", "case").order_by("township__code", "case__year", "case__seq", "pk"))
        out += [{"id": c.pk, "kind": "coercion", "case": c.case_id, "number": f"{c.case.number}{COERCION_KEY}",
                 "township": c.township.code, "township_name": c.township.name} for c in coercions]
    return out


def redo_draw(round: ReviewRound) -> list[dict]:
    """Recompute the draw from what the round recorded (for anyone checking it)."""
    return drawing.draw(round.seed, round.candidates, round.sample_rate, round.min_per_township)


def grade_for(standard: Standard, score: Decimal, veto: bool) -> str:
    if veto:
        return Grade.FAIL
    if score >= standard.excellent_score:
        return Grade.EXCELLENT
    return Grade.PASS if score >= standard.pass_score else Grade.FAIL


@transaction.atomic
def sheet_submit(*, actor, file: ReviewFile, scores: dict, opinion: str = "") -> Sheet:
    """One reviewer scores every item: scores = {item_id: {"deducted": x, "failed": bool, "comment": str}}."""
    file = ReviewFile.objects.select_for_update().select_related("round__standard").get(pk=file.pk)
    rnd = file.round
    _need(actor, rnd.county)
    if rnd.status != RoundStatus.DRAWN:
        raise DomainError("该评查不在评查阶段。")
    if file.status != FileStatus.PENDING:
        raise DomainError("该案卷已评查完毕。")
    if file.sheets.filter(reviewer=actor).exists():
        raise DomainError("您已提交过该案卷的评查表；同一案卷须由另一名评查人复评。")
    items = list(rnd.standard.items.all())
    total = rnd.standard.total_points()
    deducted_sum, veto = Decimal("0"), False
    rows = []
    for item in items:
        s = scores.get(item.pk) or scores.get(str(item.pk)) or {}
        deducted = _dec(s.get("deducted"), f"“{item.text[:12]}…”的扣分")
        if deducted < 0 or deducted > item.points:
            raise DomainError(f"“{item.text[:16]}…”的扣分应在0至{item.points}分之间。")
        failed = bool(s.get("failed")) and item.veto
        comment = (s.get("comment") or "").strip()[:500]
        if (deducted > 0 or failed) and not comment:
            raise DomainError(f"“{item.text[:16]}…”有扣分或否决，请写明问题。")
        deducted_sum += deducted
        veto = veto or failed
        rows.append((item, deducted, failed, comment))
    score = (total - deducted_sum) * Decimal("100") / total if total else Decimal("0")
    sheet = Sheet.objects.create(file=file, reviewer=actor, total=score.quantize(Decimal("0.1")), veto_hit=veto,
                                 opinion=opinion.strip())
    SheetScore.objects.bulk_create([SheetScore(sheet=sheet, item=i, deducted=d, failed=f, comment=c)
                                    for i, d, f, c in rows])
    audit_create(actor=actor, obj=sheet)
    _settle(file, actor)
    return sheet


def _settle(file: ReviewFile, actor) -> None:
    """Final score once enough sheets are in: the mean, unless two reviewers differ beyond the tolerance."""
    sheets = list(file.sheets.all())
    needed = 2 if file.round.double_review else 1
    if len(sheets) < needed:
        return
    before = snapshot(file)
    std = file.round.standard
    grades = {grade_for(std, s.total, s.veto_hit) for s in sheets}
    spread = max(s.total for s in sheets) - min(s.total for s in sheets)
    if len(sheets) > 1 and (spread > file.round.tolerance or len(grades) > 1):
        _move(file, FileStatus.DISPUTED, actor, f"两名评查人评分相差{spread}分或等次不同，待合议")
    else:
        file.final_score = (sum(s.total for s in sheets) / len(sheets)).quantize(Decimal("0.1"))
        file.grade = grade_for(std, file.final_score, any(s.veto_hit for s in sheets))
        _move(file, FileStatus.FINAL, actor, f"评查定分：{file.final_score}分，{file.get_grade_display()}")
    save_audited(file, actor=actor, before=before, validate=False)


def _move(file: ReviewFile, to: str, actor, reason: str) -> None:
    """A status change by scoring, checked against FILE_WORKFLOW and recorded as a FileTransition row."""
    from fazhi.oversight.workflow import FILE_WORKFLOW

    FILE_WORKFLOW.check(file.status, to)
    FileTransition.objects.create(file=file, actor=actor, from_status=file.status, to_status=to, reason=reason)
    file.status = to


@transaction.atomic
def file_resolve(*, actor, file: ReviewFile, final_score, veto: bool, resolution: str) -> ReviewFile:
    """Two reviewers differed: the round's reviewers agree a score (合议) and record why."""
    file = ReviewFile.objects.select_for_update().select_related("round__standard").get(pk=file.pk)
    _need(actor, file.round.county)
    if file.status != FileStatus.DISPUTED:
        raise DomainError("该案卷没有待合议的评分差异。")
    if not resolution.strip():
        raise DomainError("请写明合议意见。")
    score = _dec(final_score, "合议得分")
    if not (Decimal("0") <= score <= Decimal("100")):
        raise DomainError("合议得分应在0至100之间。")
    before = snapshot(file)
    file.final_score, file.resolution, file.resolved_by = score.quantize(Decimal("0.1")), resolution.strip(), actor
    file.grade = grade_for(file.round.standard, file.final_score, veto)
    _move(file, FileStatus.FINAL, actor, f"两评差异合议：{file.final_score}分，{file.get_grade_display()}")
    save_audited(file, actor=actor, before=before, reason="两评差异合议", validate=False)
    return file


# ---- notices (督办 / 整改) ------------------------------------------------------------------------------


def _next_seq(county: Region, year: int) -> int:
    # the county row is the lock: two staff issuing at once get consecutive numbers, never the same one
    Region.objects.select_for_update().get(pk=county.pk)
    last = Notice.objects.filter(county=county, year=year).order_by("-seq").values_list("seq", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def notice_issue(*, actor, township: Region, kind: str, title: str, content: str, period_working_days: int,
                 issued_on: dt.date | None = None, source: str = NoticeSource.OTHER,
                 review_file: ReviewFile | None = None, case=None, subject_label: str = "",
                 today: dt.date | None = None) -> Notice:
    today = today or timezone.localdate()
    issued_on = issued_on or today
    county = permissions.county_of(township)
    if county is None:
        raise DomainError("该乡镇不属于任何县。")
    _need(actor, county)
    if kind not in NoticeKind.values:
        raise DomainError("通知类型不正确。")
    if issued_on > today:
        raise DomainError("发出日期不能晚于今天。")
    if review_file is not None:
        if review_file.township_id != township.pk:
            raise DomainError("评查案卷不属于该乡镇。")
        source, case = NoticeSource.REVIEW, review_file.case
    if case is not None and case.township_id != township.pk:
        raise DomainError("案件不属于该乡镇。")
    seq = _next_seq(county, issued_on.year)
    word = "督" if kind == NoticeKind.SUPERVISE else "改"
    notice = Notice(township=township, county=county, kind=kind, year=issued_on.year, seq=seq,
                    number=f"{county.name}司法局{word}〔{issued_on.year}〕{seq}号", title=title.strip(),
                    content=content.strip(), source=source, review_file=review_file, case=case,
                    subject_label=subject_label.strip() or (case.number if case else ""), issued_on=issued_on,
                    period_working_days=period_working_days, issued_by=actor)
    save_audited(notice, actor=actor)
    NoticeTransition.objects.create(notice=notice, actor=actor, from_status="", to_status=NoticeStatus.ISSUED,
                                    reason=f"发出{notice.get_kind_display()}")
    return notice





# ---- 考评 scheme -------------------------------------------------------------------------------------


@transaction.atomic
def scheme_create_default(*, actor, county: Region, year: int) -> Scheme:
    _need(actor, county)
    if Scheme.objects.filter(county=county, year=year).exists():
        raise DomainError(f"{year}年考评方案已存在。")
    scheme = Scheme.objects.create(county=county, year=year, name=f"{county.name}{year}年度乡镇法治政府建设考评方案")
    for order, (name, source, weight) in enumerate(DEFAULT_INDICATORS, start=1):
        Indicator.objects.create(scheme=scheme, name=name, source=source, weight=Decimal(weight), order=order)
    audit_create(actor=actor, obj=scheme)
    return scheme


@transaction.atomic
def indicator_save(*, actor, scheme: Scheme, indicator: Indicator | None = None, name: str, source: str,
                   weight, order: int = 0) -> Indicator:
    _need(actor, scheme.county)
    if source not in IndicatorSource.values:
        raise DomainError("计算方式不正确。")
    before = snapshot(indicator) if indicator else None
    indicator = indicator or Indicator(scheme=scheme)
    indicator.name, indicator.source, indicator.weight, indicator.order = name, source, _dec(weight, "权重"), order
    save_audited(indicator, actor=actor, before=before)
    return indicator


@transaction.atomic
def manual_score_set(*, actor, indicator: Indicator, township: Region, value, proof: str) -> ManualScore:
    _need(actor, indicator.scheme.county)
    if indicator.source != IndicatorSource.MANUAL:
        raise DomainError("该指标由系统数据计算，不能人工评分。")
    if not proof.strip():
        raise DomainError("人工评分须写明评分依据。")
    value = _dec(value, "得分率")
    if not (Decimal("0") <= value <= Decimal("100")):
        raise DomainError("得分率应在0至100之间。")
    obj, created = ManualScore.objects.get_or_create(indicator=indicator, township=township,
                                                     defaults={"value": value, "proof": proof, "entered_by": actor})
    if created:
        audit_create(actor=actor, obj=obj)
    else:
        before = snapshot(obj)
        obj.value, obj.proof, obj.entered_by = value, proof, actor
        save_audited(obj, actor=actor, before=before, validate=False)
    return obj


def record_export(*, actor, case, purpose: str) -> None:
    """The case file left the township's system for 评查 / 复议 / 诉讼: on the audit chain."""
    audit_record(actor=actor, action="export", obj=case, reason=purpose)
