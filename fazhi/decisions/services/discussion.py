"""Collective discussion (713号令第三十条): quorum, each member's opinion in speaking order, the head
speaks last, and the head explains any decision that departs from the majority."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited, snapshot
from fazhi.decisions.models import (
    Decision,
    DecisionSettings,
    DecisionStatus,
    Discussion,
    DiscussionAttendee,
    DiscussionConclusion,
    DiscussionOpinion,
    ReviewResult,
    Stance,
)
from fazhi.decisions.permissions import DISCUSSION_ROLES, REFUSED_DECISION

SUPPORT = {Stance.AGREE, Stance.CONDITIONAL}


def _editable(discussion: Discussion) -> Discussion:
    d = Discussion.objects.select_for_update().get(pk=discussion.pk)
    if d.finalized:
        raise DomainError("会议记录已定稿，不能再修改。")
    return d


@transaction.atomic
def discussion_create(*, actor, decision: Decision, meeting: str, held_on: dt.date, members_total: int,
                      head_name: str, place: str = "", recorder: str = "", attendees=()) -> Discussion:
    """attendees: iterable of dicts(name, post, is_member, present, absence_reason)."""
    require_role(actor, decision.township, DISCUSSION_ROLES, REFUSED_DECISION)
    d = Decision.objects.select_for_update().get(pk=decision.pk)
    if d.status != DecisionStatus.LEGALITY_REVIEW or not d.review_result:
        raise DomainError("未经合法性审查的决策草案，不得提交集体讨论（713号令第二十五条）。")
    if d.review_result == ReviewResult.UNLAWFUL:
        raise DomainError("合法性审查认为不合法的决策草案，不得提交集体讨论；请修改后重新送审。")
    if d.discussions.filter(finalized=False).exists():
        raise DomainError("该事项已有一次未定稿的集体讨论，请先完成该次会议记录。")
    if held_on > timezone.localdate():
        raise DomainError("会议日期不能晚于今天。")
    if d.review_concluded_on and held_on < d.review_concluded_on:
        raise DomainError("集体讨论不能早于合法性审查意见出具日期。")
    if not members_total or members_total < 1:
        raise DomainError("请填写应到组成人员数。")
    if not (meeting or "").strip() or not (head_name or "").strip():
        raise DomainError("请填写会议名称和主持会议的行政首长。")
    disc = Discussion(township=d.township, decision=d, meeting=meeting.strip(), held_on=held_on, place=place,
                      members_total=members_total, head_name=head_name.strip(), recorder=recorder)
    save_audited(disc, actor=actor)
    names = {a["name"].strip() for a in attendees if a.get("name", "").strip()}
    if head_name.strip() not in names:
        attendees = [{"name": head_name.strip(), "post": "主持人", "is_member": True, "present": True}, *attendees]
    for a in attendees:
        if a.get("name", "").strip():
            _attendee_add(actor, disc, **a)
    return disc


def _attendee_add(actor, disc: Discussion, *, name: str, post: str = "", is_member: bool = True,
                  present: bool = True, absence_reason: str = "") -> DiscussionAttendee:
    name = name.strip()
    if disc.attendees.filter(name=name).exists():
        raise DomainError(f"{name}已在参会名单中。")
    if not present and not (absence_reason or "").strip():
        raise DomainError(f"请填写{name}的缺席原因。")
    if is_member and disc.attendees.filter(is_member=True).count() >= disc.members_total:
        raise DomainError(f"组成人员名单已达应到人数{disc.members_total}人。")
    a = DiscussionAttendee(township=disc.township, discussion=disc, name=name, post=post, is_member=is_member,
                           present=present, absence_reason=(absence_reason or "").strip())
    save_audited(a, actor=actor)
    return a


@transaction.atomic
def discussion_attendee_add(*, actor, discussion: Discussion, name: str, post: str = "", is_member: bool = True,
                            present: bool = True, absence_reason: str = "") -> DiscussionAttendee:
    require_role(actor, discussion.township, DISCUSSION_ROLES, REFUSED_DECISION)
    disc = _editable(discussion)
    if not (name or "").strip():
        raise DomainError("请填写姓名。")
    return _attendee_add(actor, disc, name=name, post=post, is_member=is_member, present=present,
                         absence_reason=absence_reason)


@transaction.atomic
def discussion_opinion_add(*, actor, discussion: Discussion, attendee: DiscussionAttendee, stance: str,
                           text: str) -> DiscussionOpinion:
    """Record the next speaker. The head (主持人) speaks last: only after every other member present has
    spoken, and nobody speaks after the head."""
    require_role(actor, discussion.township, DISCUSSION_ROLES, REFUSED_DECISION)
    disc = _editable(discussion)
    if attendee.discussion_id != disc.pk:
        raise DomainError("该人员不在本次会议名单中。")
    if not (attendee.is_member and attendee.present):
        raise DomainError(f"{attendee.name}不是出席会议的组成人员，不能发表表决意见。")
    if stance not in Stance.values:
        raise DomainError("请选择表态。")
    if not (text or "").strip():
        raise DomainError("请填写发言要点。")
    spoken = disc.opinions.select_related("attendee")
    if any(o.is_head for o in spoken):
        raise DomainError("行政首长已末位发言，其他成员不能在其后发言。")
    if any(o.attendee_id == attendee.pk for o in spoken):
        raise DomainError(f"{attendee.name}已经发过言。")
    is_head = attendee.name == disc.head_name
    if is_head:
        waiting = disc.attendees.filter(is_member=True, present=True).exclude(name=disc.head_name).exclude(
            pk__in=[o.attendee_id for o in spoken])
        if waiting.exists():
            names = "、".join(w.name for w in waiting)
            raise DomainError(f"行政首长应当最后发言：{names}尚未发言。")
    op = DiscussionOpinion(township=disc.township, discussion=disc, order=len(spoken) + 1, attendee=attendee,
                           is_head=is_head, stance=stance, text=text.strip())
    save_audited(op, actor=actor)
    return op


def majority(discussion: Discussion) -> str | None:
    """'support' / 'oppose' among members other than the head, or None when evenly split."""
    others = [o for o in discussion.opinions.all() if not o.is_head]
    yes = sum(1 for o in others if o.stance in SUPPORT)
    no = sum(1 for o in others if o.stance == Stance.DISAGREE)
    if yes > no:
        return "support"
    if no > yes:
        return "oppose"
    return None


def departs_from_majority(discussion: Discussion, conclusion: str) -> bool:
    m = majority(discussion)
    if m is None:
        return False
    head = next((o for o in discussion.opinions.all() if o.is_head), None)
    head_side = None if head is None else ("support" if head.stance in SUPPORT else
                                           "oppose" if head.stance == Stance.DISAGREE else None)
    decided = {DiscussionConclusion.ADOPTED: "support", DiscussionConclusion.REJECTED: "oppose"}.get(conclusion)
    return (head_side is not None and head_side != m) or (decided is not None and decided != m)


@transaction.atomic
def discussion_finalize(*, actor, discussion: Discussion, conclusion: str, conclusion_text: str,
                        head_departure_reason: str = "") -> Discussion:
    require_role(actor, discussion.township, DISCUSSION_ROLES, REFUSED_DECISION)
    disc = _editable(discussion)
    settings = DecisionSettings.for_township(disc.township)
    present = disc.attendees.filter(is_member=True, present=True).count()
    needed = settings.quorum_needed(disc.members_total)
    if present < needed:
        raise DomainError(f"出席组成人员{present}人，未达到应到{disc.members_total}人的"
                          f"{settings.quorum_numerator}/{settings.quorum_denominator}（{needed}人），会议不能作出决定。")
    if conclusion not in DiscussionConclusion.values:
        raise DomainError("请选择会议结论。")
    if not (conclusion_text or "").strip():
        raise DomainError("请填写决定事项。")
    opinions = list(disc.opinions.all())
    if not opinions or not opinions[-1].is_head:
        raise DomainError("行政首长尚未末位发言，会议记录不能定稿。")
    silent = disc.attendees.filter(is_member=True, present=True).exclude(
        pk__in=[o.attendee_id for o in opinions])
    if silent.exists():
        raise DomainError(f"{'、'.join(s.name for s in silent)}尚未发表意见。")
    reason = (head_departure_reason or "").strip()
    if departs_from_majority(disc, conclusion) and not reason:
        raise DomainError("行政首长的决定与会议组成人员多数人的意见不一致，应当在会上说明理由（713号令第三十条）。")
    before = snapshot(disc)
    disc.conclusion, disc.conclusion_text, disc.head_departure_reason = conclusion, conclusion_text.strip(), reason
    disc.finalized, disc.finalized_by, disc.finalized_at = True, actor, timezone.now()
    save_audited(disc, actor=actor, before=before, reason="会议记录定稿")
    return disc
