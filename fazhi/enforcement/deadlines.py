"""Statutory deadlines of a case, derived from its stored facts (DESIGN.md §3) with their explanation.

Every period is a row of fazhi.core.periods (期限依据一览). Working days (Art. 85: the law's 2/3/5/7-day
periods): service, hearing request, hearing notice, publication, withdrawal. Calendar days: the party's
periods (payment, remedies) move off a rest day; the agency's limits (decide, seizure, limitation) never do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fazhi.core.calendar import Deadline, add_working_days, fmt_date
from fazhi.core.periods import count, within_statute
from fazhi.enforcement import rules
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoerciveMeasure,
    MeasureStatus,
    Outcome,
    Procedure,
    PublicationStatus,
    ServiceMethod,
    StatutorySettings,
)


@dataclass(frozen=True)
class CaseDeadline:
    key: str
    label: str
    deadline: Deadline
    done_on: dt.date | None = None  # when the act was done (None: still open)
    basis: str = ""
    window: bool = False  # a period the party has (statement, hearing request): it runs out, never "overdue"

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def open(self) -> bool:
        return self.done_on is None

    @property
    def met(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.deadline.due

    def overdue(self, today: dt.date) -> bool:
        if self.window:
            return False
        if self.done_on is not None:
            return self.done_on > self.deadline.due
        return today > self.deadline.due


def decide_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    """Art. 60: a limit on the agency, never lengthened by a rest day; one approved extension adds to it."""
    if not case.filed_on:
        return None
    note = ""
    if case.extension_days:
        note = (f"含经负责人{('于' + fmt_date(case.extension_approved_on)) if case.extension_approved_on else ''}"
                f"批准延长的{case.extension_days}日（{case.extension_reason}）。")
    return count("enf.decide", case.filed_on, s.decide_days, extended=case.extension_days,
                 extension="enf.decide_extension", note=note)


def limitation_start(case: Case) -> dt.date | None:
    """Art. 36 ¶2: from the day of the act, or the day it ended when it was continuing (None: not yet ended)."""
    if case.violation_continuing:
        return case.violation_ended_on
    return case.violation_date


def limitation_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    """Art. 36: the last day the violation may be *discovered*; None when it is still continuing."""
    start = limitation_start(case)
    if start is None:
        return None
    extended = rules.limitation_extended(case)
    key = "enf.limitation_extended" if extended else "enf.limitation"
    years = s.limitation_years_extended if extended else s.limitation_years
    note = "（违法行为有连续或者继续状态，自行为终了之日起计算）" if case.violation_continuing else ""
    return count(key, start, years, note=note)


def statement_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    """A local rule: the statute gives the right to state and defend (Arts. 44/45) but no period."""
    return count("enf.statement", case.notice_served_on, s.statement_working_days) if case.notice_served_on else None


def hearing_request_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    return count("enf.hearing_request", case.notice_served_on, s.hearing_request_working_days) \
        if case.notice_served_on else None


def earliest_hearing(notice_served_on: dt.date, s: StatutorySettings) -> Deadline:
    """Art. 64: the party is notified at least 7 (working) days before the hearing."""
    return count("enf.hearing_notice", notice_served_on, s.hearing_notice_working_days)


def latest_hearing_notice(hearing_on: dt.date, s: StatutorySettings) -> Deadline:
    """The last day the hearing notice may be served for a hearing on `hearing_on`."""
    n = s.hearing_notice_working_days
    day = hearing_on - dt.timedelta(days=1)
    while add_working_days(day, n).due > hearing_on:
        day -= dt.timedelta(days=1)
    forward = add_working_days(day, n)
    text = (f"【听证通知提前量】依据行政处罚法第六十四条第二项、第八十五条。听证日期为{fmt_date(hearing_on)}，"
            f"应当在举行听证的{n}个工作日前通知当事人；"
            f"{forward.explanation}因此听证通知最迟应于{fmt_date(day)}送达。")
    return Deadline(hearing_on, n, "working_days", day, forward.provisional, text, forward.skipped_holidays,
                    forward.makeup_workdays, period="enf.hearing_notice")


def service_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    return count("enf.service", case.decided_on, s.service_working_days) if case.decided_on else None


def public_notice_served_on(posted_on: dt.date, s: StatutorySettings) -> Deadline:
    return count("enf.public_notice_service", posted_on, s.public_notice_service_days)


def payment_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    return count("enf.payment", case.served_on, s.payment_days) if case.served_on and case.has_fine else None


def publication_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    if not case.decided_on or case.outcome != Outcome.PENALTY or case.procedure != Procedure.ORDINARY:
        return None
    return count("enf.publication", case.decided_on, s.publication_working_days)


def withdrawal_deadline(case: Case, s: StatutorySettings) -> Deadline | None:
    return count("enf.withdrawal", case.revoked_on, s.withdrawal_working_days) if case.revoked_on else None


def reconsideration_deadline(served_on: dt.date, s: StatutorySettings) -> Deadline:
    return count("enf.reconsideration", served_on, s.reconsideration_days)


def lawsuit_deadline(served_on: dt.date, s: StatutorySettings) -> Deadline:
    return count("enf.lawsuit", served_on, s.lawsuit_months)


def seizure_deadline(measure: CoerciveMeasure, s: StatutorySettings) -> Deadline:
    """行政强制法第二十五条: ≤ 30 days, a limit on the agency (never lengthened), + one approved extension."""
    extended = within_statute("enf.seizure_extension", s.seizure_extension_days) if measure.extended else 0
    note = f"延长理由：{measure.extension_reason}。" if measure.extended and measure.extension_reason else ""
    return count("enf.seizure", measure.started_on, within_statute("enf.seizure", s.seizure_days),
                 extended=extended, extension="enf.seizure_extension", note=note)


def late_fee_today(case: Case, s: StatutorySettings, today: dt.date) -> tuple[int, object]:
    """(days late, late fee) for an unpaid fine as of `today` (or as of the payment date)."""
    due = payment_deadline(case, s)
    if due is None:
        return 0, rules.late_fee(case.fine_amount, 0, s)
    until = case.paid_on or today
    days = max(0, (until - due.due).days)
    return days, rules.late_fee(case.fine_amount, days, s)


def case_deadlines(case: Case, s: StatutorySettings, *, publication=None, measures=()) -> list[CaseDeadline]:
    """Every deadline that applies to the case now, with whether and when it was met."""
    out: list[CaseDeadline] = []
    if case.procedure == Procedure.ORDINARY:
        d = decide_deadline(case, s)
        if d:
            out.append(CaseDeadline("decide", "作出处理决定", d, case.decided_on,
                                    "行政处罚法第六十条：自立案之日起九十日内作出决定"))
        if case.notice_served_on and not case.notice_waived:
            out.append(CaseDeadline("statement", "等待当事人陈述、申辩期间（本地规则）", statement_deadline(case, s),
                                    None, "本地规则：行政处罚法第四十四条、第四十五条未规定陈述、申辩期限",
                                    window=True))
            if rules.hearing_triggered(case, s) or case.hearing_requested_on:
                out.append(CaseDeadline("hearing_request", "当事人申请听证期间", hearing_request_deadline(case, s),
                                        case.hearing_requested_on, "行政处罚法第六十四条：告知后五日内提出",
                                        window=True))
        if case.decided_on and case.status != CaseStatus.REVOKED:
            out.append(CaseDeadline("service", "送达处罚决定书", service_deadline(case, s), case.served_on,
                                    "行政处罚法第六十一条：七日内依照民事诉讼法送达"))
        p = publication_deadline(case, s)
        if p and case.status != CaseStatus.REVOKED and not case.publication_exempt_ground:
            out.append(CaseDeadline("publication", "公示处罚决定", p,
                                    publication.published_on if publication else None,
                                    "行政处罚法第四十八条：具有一定社会影响的处罚决定依法公开；"
                                    "国办发〔2018〕118号：七个工作日内公开"))
    pay = payment_deadline(case, s)
    if pay and case.status not in {CaseStatus.REVOKED}:
        out.append(CaseDeadline("payment", "当事人缴纳罚款", pay, case.paid_on,
                                "行政处罚法第六十七条：收到决定书之日起十五日内缴纳"))
    w = withdrawal_deadline(case, s)
    if w:
        done = publication.withdrawn_on if publication and publication.status == PublicationStatus.WITHDRAWN \
            else (None if publication else case.revoked_on)
        out.append(CaseDeadline("withdrawal", "撤回已公示的处罚决定", w, done, "行政处罚法第四十八条第二款：三日（工作日）内撤回"))
    for m in measures:
        out.append(CaseDeadline(f"measure{m.pk}", f"{m.get_kind_display()}期限", seizure_deadline(m, s),
                                m.closed_on if m.status == MeasureStatus.CLOSED else None,
                                "行政强制法第二十五条：不得超过三十日，经批准可延长不超过三十日"))
    return out


def service_method_note(method: str) -> str:
    if method == ServiceMethod.PUBLIC:
        return "公告送达：自公告发出之日起经过规定日期即视为送达。"
    return ""


# --- 行政强制执行 (行政强制法第四章、第五章): rows enf.coercion_perform … enf.court_urge of the period table ---

def urge_deadline(coercion) -> Deadline | None:
    """Art. 35: the performance period the 催告书 gives (a party's period: a rest-day end moves, 民事诉讼法
    第八十五条; Art. 69 only makes the law's own periods of ten days or less working days)."""
    if not coercion.urged_on or not coercion.performance_days:
        return None
    return count("enf.coercion_perform", coercion.urged_on, coercion.performance_days)


def remedy_lapse(case) -> Deadline | None:
    """The later of the two remedy periods of the decision (复议60日、诉讼6个月 from its service)."""
    if not case.served_on:
        return None
    s = rules.settings_for(case.township)
    recon, suit = reconsideration_deadline(case.served_on, s), lawsuit_deadline(case.served_on, s)
    return suit if suit.due >= recon.due else recon


def court_window(case) -> Deadline | None:
    """Art. 53: within 3 months after the remedy periods lapsed (a limit on the agency: never moved)."""
    lapse = remedy_lapse(case)
    if lapse is None:
        return None
    return count("enf.court_application", lapse.due, note=f"（复议、诉讼期限至{fmt_date(lapse.due)}届满）")


def court_notice_ready(coercion) -> Deadline | None:
    """Art. 54: the 催告书 served at least 10 days before the application (working days, Art. 69)."""
    if not coercion.urged_on:
        return None
    return count("enf.court_urge", coercion.urged_on)


def self_removal_deadline(coercion) -> Deadline | None:
    """Art. 44: the period the 公告 gives the party to remove the building himself."""
    if not coercion.announced_on or not coercion.self_removal_days:
        return None
    return count("enf.self_removal", coercion.announced_on, coercion.self_removal_days)


def proxy_urge_ready(coercion) -> Deadline | None:
    """Art. 51(1)(二): 代履行三日前，催告当事人履行 — the earliest day the 代履行 may be carried out."""
    if not coercion.proxy_urged_on:
        return None
    return count("enf.proxy_urge", coercion.proxy_urged_on)


# --- the stored to-do due date (derived: recounted on every write that changes an input) ----------------

# The to-do leaves these out: not filed, closed and archived cases owe it nothing.
TODO_DONE = (CaseStatus.NOT_FILED, CaseStatus.CLOSED, CaseStatus.ARCHIVED)


_STORED = object()
# Stored by migration 0011 on every open case it found: "not counted yet" — earlier than any real due date, so
# the to-do always selects such a case and counts its deadlines itself until todo_due_count_marked runs.
TODO_RECOUNT = dt.date(1900, 1, 1)


def case_todo_due(case: Case, s: StatutorySettings | None = None, *, publication=_STORED,
                  measures=None) -> dt.date | None:
    """The nearest open statutory deadline of the case (what the to-do lists first), None when none is open.
    `publication`/`measures` default to the stored ones."""
    if case.status in TODO_DONE:
        return None
    from fazhi.enforcement.models import Publication

    if publication is _STORED:
        publication = Publication.objects.filter(case=case).first() if case.pk is not None else None
    if measures is None:
        measures = list(case.measures.all()) if case.pk is not None else []
    dues = [d.due for d in case_deadlines(case, s or rules.settings_for(case.township), publication=publication,
                                          measures=measures or ()) if d.open and not d.window]
    return min(dues, default=None)


def derive_case_todo_due(case: Case) -> None:
    """The case flow's `derive` hook: the stored due date from the case's current facts (before save)."""
    case.todo_due = case_todo_due(case)


def case_todo_due_save(case: Case, *, measures=None) -> None:
    """Recount and store the case's due date after a write to what it is counted from (a measure, the
    publication), without touching the rest of the row."""
    case = Case.objects.get(pk=case.pk)
    Case.objects.filter(pk=case.pk).update(todo_due=case_todo_due(case, measures=measures))


def derive_measure_case_todo_due(measure: CoerciveMeasure) -> None:
    """The measure flow's `derive` hook: runs before the measure is saved, so its case is counted with it."""
    others = [m for m in CoerciveMeasure.objects.filter(case_id=measure.case_id) if m.pk != measure.pk]
    case_todo_due_save(measure.case, measures=[*others, measure])


def todo_due_refresh(*, townships) -> int:
    """Recount the stored due dates of every open case in `townships` (after a settings change there);
    returns how many rows changed."""
    from fazhi.enforcement.models import Publication

    changed = 0
    for town in townships:
        s = rules.settings_for(town)
        batch = []
        pubs = {p.case_id: p for p in Publication.objects.filter(township=town)}
        cases = (Case.objects.filter(township=town).exclude(status__in=TODO_DONE, todo_due=None)
                 .prefetch_related("measures"))
        for case in cases.iterator(chunk_size=1000):
            due = case_todo_due(case, s, publication=pubs.get(case.pk), measures=list(case.measures.all()))
            if due != case.todo_due:
                case.todo_due = due
                batch.append(case)
        Case.objects.bulk_update(batch, ["todo_due"], batch_size=500)
        changed += len(batch)
    return changed


def todo_due_count_marked(**_signal) -> int:
    """Count the cases migration 0011 marked (post_migrate, when the models match the schema again): one indexed
    look when there are none."""
    from fazhi.core.models import Region

    towns = Case.objects.filter(todo_due=TODO_RECOUNT).values("township_id").distinct()
    if not towns.exists():
        return 0
    return todo_due_refresh(townships=Region.objects.filter(pk__in=towns))
