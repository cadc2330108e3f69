"""Periods of the decision procedure, derived from stored facts and the township's settings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi.core.calendar import Deadline, fmt_date
from fazhi.core.periods import count, within_statute
from fazhi.decisions.models import Decision, DecisionSettings, Litigation, LitigationKind


@dataclass(frozen=True)
class PeriodCheck:
    """A minimum period (comment period, hearing notice, review time): long enough, and how it was counted."""

    days: int
    minimum: int
    short: bool
    explanation: str


def comment_period(start: dt.date, end: dt.date, minimum: int) -> PeriodCheck:
    """713号令第十五条: comments open for at least `minimum` days (start day not counted)."""
    days = (end - start).days
    earliest = start + dt.timedelta(days=minimum)
    text = (f"自{fmt_date(start)}起算（起算日不计入）至{fmt_date(end)}，征求意见期限共{days}日；"
            f"重大行政决策程序暂行条例第十五条：征求意见的期限一般不少于30日"
            + (f"（本地参数设定为不少于{minimum}日）" if minimum != 30 else "")
            + f"，即截止日不早于{fmt_date(earliest)}。")
    if days < minimum:
        text += f"本次少于{minimum}日，须说明理由（同条：因情况紧急等原因需要缩短期限的，应当予以说明）。"
    return PeriodCheck(days, minimum, days < minimum, text)


def hearing_notice(materials_on: dt.date, hearing_on: dt.date, minimum: int) -> PeriodCheck:
    days = (hearing_on - materials_on).days
    text = (f"听证材料于{fmt_date(materials_on)}公布/送达，听证于{fmt_date(hearing_on)}举行，提前{days}日；"
            f"本地规则要求至少提前{minimum}日（重大行政决策程序暂行条例第十八条只要求提前公布，未规定日数）。")
    return PeriodCheck(days, minimum, days < minimum, text)


def review_period(decision: Decision, settings: DecisionSettings | None = None) -> Deadline | None:
    """713号令第二十七条: the reviewer is given at least N working days from submission."""
    if not decision.review_submitted_on:
        return None
    settings = settings or DecisionSettings.for_township(decision.township)
    return count("dec.legality_review", decision.review_submitted_on, settings.legality_review_working_days)


def review_is_short(decision: Decision, settings: DecisionSettings | None = None) -> bool:
    period = review_period(decision, settings)
    return bool(period and decision.review_concluded_on and decision.review_concluded_on < period.due)


def reply_deadline(case: Litigation, settings: DecisionSettings | None = None) -> Deadline:
    """Reply to a reconsideration: 10 *working* days (行政复议法第四十八条、第八十八条); statement of defence:
    15 days (行政诉讼法第六十七条), a litigant's period, moved off a rest day like any party's."""
    settings = settings or DecisionSettings.for_township(case.township)
    # the statute fixes both: a township may plan to answer sooner, never give itself longer
    if case.kind == LitigationKind.RECONSIDERATION:
        return count("dec.reconsideration_reply", case.received_on,
                     within_statute("dec.reconsideration_reply", settings.reconsideration_reply_days))
    return count("dec.defence_statement", case.received_on,
                 within_statute("dec.defence_statement", settings.defence_statement_days))
