"""Statutory periods of the 政府信息公开条例, derived from stored facts with fazhi.core.calendar.

The answer clock (Art. 33) runs from receipt — or from receipt of the corrected request (Art. 30) —
for `answer_working_days`, plus an approved extension; working days while a third party is being
consulted (Art. 32/33) are not counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from fazhi.core.calendar import Deadline, add_working_days, fmt_date, working_days_between
from fazhi.core.periods import PERIODS, count, within_statute

DEFAULTS = {
    "publish_working_days": 20,
    "correction_working_days": 7,
    "third_party_working_days": 15,
    "answer_working_days": 20,
    "extension_max_working_days": 20,
    "public_requests_per_hour": 5,
    "public_lookups_per_hour": 60,
}


def settings_for(township):
    """The township's settings row, or an unsaved one holding the statute's defaults."""
    from fazhi.disclosure.models import DisclosureSettings

    found = DisclosureSettings.objects.filter(township=township).first() if township is not None else None
    return found or DisclosureSettings(township=township, **DEFAULTS)


def publish_deadline(item, conf=None) -> Deadline:
    conf = conf or settings_for(item.township)
    return count("dis.publish", item.formed_on, conf.publish_working_days)


def correction_deadline(req, conf=None) -> Deadline | None:
    """By when the agency may ask once for a correction (Art. 30)."""
    if not req.received_on:
        return None
    conf = conf or settings_for(req.township)
    return count("dis.correction", req.received_on, within_statute("dis.correction", conf.correction_working_days))


def third_party_deadline(stop, conf=None) -> Deadline:
    conf = conf or settings_for(stop.township)
    return count("dis.third_party", stop.started_on, conf.third_party_working_days,
                 note="逾期未提出意见的，由行政机关依照条例决定是否公开。")


@dataclass(frozen=True)
class AnswerDeadline:
    deadline: Deadline
    paused_days: int
    running: bool  # False while a third-party consultation is open (the date will move)
    explanation: str

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def provisional(self) -> bool:
        return self.deadline.provisional or not self.running

    def is_overdue(self, today: dt.date) -> bool:
        return self.running and today > self.due


def answer_deadline(req, *, stops=None, conf=None, today: dt.date | None = None) -> AnswerDeadline | None:
    """The answer due date with how it was counted; None while the clock has not started."""
    start = req.clock_start
    if start is None:
        return None
    conf = conf or settings_for(req.township)
    today = today or dt.date.today()
    stops = list(req.clock_stops.all()) if stops is None else list(stops)
    base = within_statute("dis.answer", conf.answer_working_days)  # Art. 33 ¶2: 20 at most, whatever the setting
    parts = []
    if req.corrected_on:
        parts.append(f"申请人于{fmt_date(req.corrected_on)}提交补正，期限自收到补正申请之日重新起算（条例第三十条）")
    else:
        parts.append(f"自收到申请之日{fmt_date(req.received_on)}起算")
    statute = PERIODS["dis.answer"].n
    parts.append(f"答复期限{base}个工作日（条例第三十三条第二款）" if base == statute else
                 f"答复期限按本地参数{base}个工作日（条例第三十三条第二款规定{statute}个工作日）")
    total = base
    if req.extension_days:
        total += req.extension_days
        parts.append(f"经批准延长{req.extension_days}个工作日（条例第三十三条第二款）")
    paused, running = 0, True
    cap = conf.third_party_working_days
    for s in sorted(stops, key=lambda s: s.started_on):
        if s.started_on < start:
            continue
        due_so_far = add_working_days(start, total + paused).due
        if s.started_on > due_so_far:
            # A clock stops only while it runs: consulting after the answer was due rescues nothing.
            parts.append(f"{fmt_date(s.started_on)}征求意见时答复期限已于{fmt_date(due_so_far)}届满，"
                         "期限届满后的征求意见不产生暂停计时的效果")
            continue
        end = s.ended_on or today
        n = working_days_between(s.started_on, max(end, s.started_on))
        agency = getattr(s, "kind", "third_party") == "agency"
        who = "其他机关" if agency else "第三方"
        if not agency and n > cap:
            # Art. 32: the third party has `cap` working days; after that the office decides and the clock runs.
            paused += cap
            parts.append(f"自{fmt_date(s.started_on)}起征求第三方意见，第三方{cap}个工作日内"
                         f"{'未提出意见' if not s.ended_on else '未按期提出意见'}，按{cap}个工作日不计入，"
                         "期满后恢复计时（条例第三十二条、第三十三条第三款）")
        elif s.ended_on:
            paused += n
            parts.append(f"征求{who}意见{fmt_date(s.started_on)}至{fmt_date(s.ended_on)}，"
                         f"其间{n}个工作日不计入（条例第三十三条第三款）")
        else:
            paused += n
            running = False
            limit = f"，最多{cap}个工作日" if not agency else "；征求其他机关意见所需时间据实记录，条例未设上限"
            parts.append(f"自{fmt_date(s.started_on)}起征求{who}意见，暂停计时（截至今日{n}个工作日不计入{limit}），"
                         "答复期限将随之顺延")
    total += paused
    d = add_working_days(start, total)
    text = ("【答复政府信息公开申请】" + "；".join(parts) + f"；合计{total}个工作日。" + d.explanation)
    return AnswerDeadline(replace(d, period="dis.answer"), paused, running, text)


# --- the stored to-do due date (derived: recounted on every step and settings change) -------------------

def request_todo_due(req, conf=None) -> dt.date | None:
    """The due date of what the request owes the to-do now (disclosure.todo): the confirmation of an online
    request, the answer, or the open consultation's period; None when it owes nothing."""
    from django.utils import timezone

    from fazhi.disclosure.models import RequestStatus

    if req.status == RequestStatus.SUBMITTED:
        return add_working_days(timezone.localtime(req.submitted_at).date(), 1).due if req.submitted_at else None
    if req.status == RequestStatus.RECEIVED:
        return req.answer_due
    if req.status == RequestStatus.CONSULTING and req.pk is not None:
        stop = req.clock_stops.filter(ended_on__isnull=True).first()
        return third_party_deadline(stop, conf or settings_for(req.township)).due if stop else None
    return None


def derive_request_todo_due(req) -> None:
    """The request flow's `derive` hook (after the step's service, before save)."""
    req.todo_due = request_todo_due(req)
