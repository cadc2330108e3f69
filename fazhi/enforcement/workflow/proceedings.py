"""What is recorded beside a case: a legal review round, a hearing, a collective discussion."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Max

from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CollectiveDiscussion,
    DiscussionOpinion,
    DocKind,
    Hearing,
    LegalReview,
    Officer,
)
from fazhi.enforcement.workflow.statute import assign_document, investigators

S = CaseStatus


def review_round(*, actor, case: Case, reviewer: Officer, submitted_on) -> LegalReview:
    """A new round of legal review (every round is kept); rounds are numbered per case."""
    last = case.reviews.aggregate(m=Max("round"))["m"] or 0
    review = LegalReview(township=case.township, case=case, round=last + 1, reviewer=reviewer,
                         submitted_on=submitted_on)
    return save_audited(review, actor=actor)


def hearing_schedule(*, actor, case: Case, notice_served_on, scheduled_on, place, presiding: Officer,
                     recorder: Officer | None = None, public: bool = True, today=None) -> Hearing:
    today = today or dt.date.today()
    require_role(actor, case.township, permissions.CASE_WRITE, f"您无权在{case.township.name}安排听证。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != S.HEARING:
            raise DomainError("案件不在听证环节，请先登记当事人的听证申请。")
        if presiding.township_id != case.township_id:
            raise DomainError("听证主持人不属于本乡镇。")
        if presiding.pk in investigators(case):
            raise DomainError(f"{presiding.name}是本案调查人员，不能担任听证主持人（行政处罚法第六十四条）。")
        if recorder is not None and recorder.pk == presiding.pk:
            raise DomainError("记录员不能由主持人兼任。")
        if notice_served_on > today:
            raise DomainError("听证通知送达日期不能晚于今天。")
        if notice_served_on < case.hearing_requested_on:
            raise DomainError("听证通知送达日期不能早于申请听证日期。")
        s = rules.settings_for(case.township)
        earliest = deadlines.earliest_hearing(notice_served_on, s)
        if scheduled_on < earliest.due:
            raise DomainError(f"应当在举行听证的{s.hearing_notice_working_days}个工作日前通知当事人"
                              f"（行政处罚法第六十四条、第八十五条），听证最早可安排在{earliest}：{earliest.explanation}")
        h = Hearing(township=case.township, case=case, notice_served_on=notice_served_on, scheduled_on=scheduled_on,
                    place=place, presiding=presiding, recorder=recorder, public=public)
        save_audited(h, actor=actor)
        assign_document(case, DocKind.HEARING_NOTICE, actor, year=notice_served_on.year)
    return h


def discussion_record(*, actor, case: Case, held_on, chair, attendees, conclusion, opinions, place="", minutes="",
                      today=None) -> CollectiveDiscussion:
    """opinions: [(person, stance, opinion)] in speaking order; each attendee's view is kept."""
    today = today or dt.date.today()
    require_role(actor, case.township, permissions.DISCUSSION_WRITE, f"您无权在{case.township.name}记录集体讨论。")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.status != S.COLLECTIVE:
            raise DomainError("案件不在集体讨论环节。")
        if held_on > today or (case.filed_on and held_on < case.filed_on):
            raise DomainError("讨论日期应在立案日期与今天之间。")
        names = [a.strip() for a in re.split(r"[、,，;；\s]+", attendees or "") if a.strip()]
        if len(names) < 3:
            raise DomainError("集体讨论应由负责人集体进行，出席人员不少于3人。")
        opinions = [(p.strip(), st, o.strip()) for p, st, o in opinions if p.strip() and o.strip()]
        if not opinions:
            raise DomainError("请逐一记录出席人员的意见。")
        if not (conclusion or "").strip():
            raise DomainError("请填写讨论决定。")
        d = CollectiveDiscussion(township=case.township, case=case, held_on=held_on, place=place, chair=chair,
                                 attendees="、".join(names), conclusion=conclusion, minutes=minutes,
                                 recorded_by=actor)
        save_audited(d, actor=actor)
        for i, (person, stance, text) in enumerate(opinions, start=1):
            op = DiscussionOpinion(township=case.township, discussion=d, person=person, stance=stance, opinion=text,
                                   order=i)
            op.full_clean()
            op.save()
    return d
