"""Writes of the reports app: saving an edited paragraph of a township's annual report draft."""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.models import Region
from fazhi.core.writes import save_audited, snapshot
from fazhi.reports import figures as F
from fazhi.reports import sources, stats_cache
from fazhi.reports.content import sign_date_bounds
from fazhi.reports.models import ReportDraft, ReportRevision, TownshipYearStats
from fazhi.reports.permissions import require_edit
from fazhi.reports.selectors import draft_get, paragraph_versions, township_report
from fazhi.reports.sources import Stats

MAX_PARAGRAPH = 5000
NUMBER = re.compile(r"\d+(?:\.\d+)?")
TITLE_QUOTE = re.compile(r"《[^》]*》")


def _check_text(text: str, key: str, report) -> None:
    """A paragraph may only state figures through placeholders: unknown placeholders, and numbers typed
    where the generated paragraph has a figure of the same value, are refused."""
    if len(text) > MAX_PARAGRAPH:
        raise DomainError(f"段落过长（{len(text)}字），每段不超过{MAX_PARAGRAPH}字。")
    unknown = [k for k in F.used_keys(text) if k not in report.figures]
    if unknown:
        raise DomainError("未知的数据占位符：" + "、".join("{" + k + "}" for k in unknown) + "。请从右侧数据列表中选择。")
    block = report.block(key)
    plain = TITLE_QUOTE.sub("", F.PLACEHOLDER.sub("", text))
    typed = set(NUMBER.findall(plain))
    default = block.default if block else ""
    for m in F.PLACEHOLDER.finditer(default):
        fig = m.group(1)
        figure = report.figures.get(fig)
        if figure is None or isinstance(figure.value, (bool, str, list)) or figure.value is None:
            continue
        number = figure.text
        unit = default[m.end():m.end() + 1]  # 起/次/人/件/份/项/条/%: a small number counts with its unit
        if (len(number) >= 2 and number in typed) or (unit and re.search(rf"(?<![\d.]){re.escape(number)}{re.escape(unit)}", plain)):
            raise DomainError(f"数字“{number}”（{figure.label}）请使用数据占位符{{{fig}}}，"
                              "报告中的数据由系统计算，不能手工填写。")


def _draft_for_update(*, actor, township: Region, year: int) -> ReportDraft:
    """The township's draft of the year, locked; made (and audited) on the first write."""
    draft = draft_get(township, year)
    if draft is None:
        try:
            with transaction.atomic():
                # not validated: the unique (township, year) is the database's, a concurrent first write loses
                draft = save_audited(ReportDraft(township=township, year=year, updated_by=actor), actor=actor,
                                     reason="新建年度报告草稿", validate=False)
        except IntegrityError:
            draft = draft_get(township, year)
    return ReportDraft.objects.select_for_update().get(pk=draft.pk)


@transaction.atomic
def draft_sign_date_set(*, actor, township: Region, year: int, signed_on: dt.date | None) -> ReportDraft:
    """The report's 落款日期 (None: back to the year's end)."""
    require_edit(actor, township)
    first, last = sign_date_bounds(year)
    if signed_on is not None and not first <= signed_on <= last:
        raise DomainError(f"落款日期应在{fmt_cn(first)}至{fmt_cn(last)}之间。")
    draft = _draft_for_update(actor=actor, township=township, year=year)
    if draft.signed_on == signed_on:
        return draft
    before = snapshot(draft, ["signed_on"])
    draft.signed_on, draft.updated_by = signed_on, actor
    return save_audited(draft, actor=actor, before=before,
                        reason=f"落款日期改为{fmt_cn(signed_on)}" if signed_on else "落款日期恢复为年末")


def fmt_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@transaction.atomic
def draft_paragraph_save(*, actor, township: Region, year: int, key: str, text: str,
                         expected_version: int | None = None) -> ReportDraft:
    """Save one narrative paragraph (empty text restores the generated one). Writes a revision row and
    an audit entry; the figures the paragraph uses are stored as they are now. `expected_version` is
    the draft version at which this paragraph was last saved when the editor opened it (0: never)."""
    require_edit(actor, township)
    text = (text or "").replace("\r\n", "\n").strip()
    report = township_report(township, year, draft=False)
    block = report.block(key)
    if block is None:
        raise DomainError("该段落不存在或不可编辑。")
    if text:
        _check_text(text, key, report)
    draft = _draft_for_update(actor=actor, township=township, year=year)
    # a conflict is another save of the same paragraph since the form was opened (all of this rolls back)
    if expected_version is not None and paragraph_versions(draft).get(key, 0) != expected_version:
        raise ConflictError("该段落已被他人修改，请刷新页面后重试。")
    before_fields = snapshot(draft, ["paragraphs", "version"])
    previous = draft.paragraphs.get(key, {}).get("text") if isinstance(draft.paragraphs.get(key), dict) else None
    before_text = previous if previous is not None else block.default
    new_state = text if text and text != block.default else None  # None: the generated paragraph
    if new_state == previous:
        return draft  # nothing changed: no revision
    paragraphs = dict(draft.paragraphs)
    if new_state is not None:
        paragraphs[key] = {"text": new_state, "figures": F.snapshot(report.figures, F.used_keys(new_state))}
    else:
        paragraphs.pop(key, None)
    after_text = new_state if new_state is not None else block.default
    draft.paragraphs = paragraphs
    draft.figures = F.snapshot(report.figures)
    draft.version += 1
    draft.updated_by = actor
    save_audited(draft, actor=actor, before=before_fields,
                 reason=f"编辑段落“{key}”" if text else f"段落“{key}”恢复为系统生成内容")
    ReportRevision.objects.create(township=township, draft=draft, version=draft.version, paragraph=key,
                                  before=before_text, after=after_text,
                                  figures=F.snapshot(report.figures, F.used_keys(after_text)), actor=actor)
    return draft


def township_stats_refresh(*, townships, year: int, today: dt.date | None = None) -> dict[int, Stats]:
    """Recompute and store the yearly statistics of `townships` (the county roll-up's rows) with the
    same code as the township report. The audit position is read before computing, so a change made
    while computing leaves the row stale rather than hiding it. Rows whose modules failed are not kept."""
    from fazhi.audit.selectors import head_seq

    today = today or dt.date.today()
    out: dict[int, Stats] = {}
    for township in townships:
        seq = head_seq()
        stats = sources.collect(township, year)
        stats.as_of = timezone.now()
        out[township.pk] = stats
        if stats.failed:
            continue
        values = {"data": stats_cache.encode(stats), "audit_seq": seq, "computed_on": today,
                  "computed_at": stats.as_of}
        try:
            with transaction.atomic():
                TownshipYearStats.objects.update_or_create(township_id=township.pk, year=year, defaults=values)
        except IntegrityError:  # another worker inserted it meanwhile: theirs or ours, both are current
            TownshipYearStats.objects.filter(township_id=township.pk, year=year).update(**values)
    return out
