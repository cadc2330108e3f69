import pytest

from fazhi.core.errors import DomainError
from fazhi.decisions.documents import minutes_docx
from fazhi.decisions.models import DiscussionOpinion
from fazhi.decisions.services.discussion import (
    discussion_attendee_add,
    discussion_create,
    discussion_finalize,
    discussion_opinion_add,
)
from fazhi.decisions.tests.conftest import BODY, D, discuss, new_decision, to_reviewed, to_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(demo, leader):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)))
    absent = {"周文斌"}
    return discussion_create(
        actor=leader, decision=d, meeting="乡政府常务会议", held_on=D(2024, 4, 22), members_total=5, head_name="雷斌",
        attendees=[{"name": n, "post": p, "present": n not in absent, "absence_reason": "出差" if n in absent else ""}
                   for n, p in BODY] + [{"name": "唐法治", "post": "司法所长", "is_member": False}])


def people(disc):
    return {a.name: a for a in disc.attendees.all()}


def test_head_cannot_speak_before_the_others(meeting, leader):
    p = people(meeting)
    discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["唐晓东"], stance="agree", text="同意")
    with pytest.raises(DomainError, match="行政首长应当最后发言"):
        discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["雷斌"], stance="agree", text="同意")
    assert meeting.opinions.count() == 1


def test_nobody_speaks_after_the_head_and_order_is_kept(meeting, leader):
    p = people(meeting)
    for n in ("唐晓东", "李文杰", "盘红梅"):
        discussion_opinion_add(actor=leader, discussion=meeting, attendee=p[n], stance="agree", text="同意")
    discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["雷斌"], stance="agree", text="同意")
    with pytest.raises(DomainError):
        discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["周文斌"], stance="agree", text="补充")
    with pytest.raises(DomainError, match="不是出席会议的组成人员"):
        discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["唐法治"], stance="agree", text="列席")
    orders = list(DiscussionOpinion.objects.filter(discussion=meeting).values_list("attendee__name", "order", "is_head"))
    assert orders[-1] == ("雷斌", 4, True)


def test_absent_and_guest_cannot_vote(meeting, leader):
    p = people(meeting)
    with pytest.raises(DomainError, match="不是出席会议的组成人员"):
        discussion_opinion_add(actor=leader, discussion=meeting, attendee=p["周文斌"], stance="agree", text="x")


def test_quorum_is_two_thirds_of_members(demo, leader):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)))
    disc = discussion_create(
        actor=leader, decision=d, meeting="会", held_on=D(2024, 4, 22), members_total=5, head_name="雷斌",
        attendees=[{"name": n, "post": p, "present": n in ("雷斌", "唐晓东", "李文杰"),
                    "absence_reason": "" if n in ("雷斌", "唐晓东", "李文杰") else "请假"} for n, p in BODY])
    p = people(disc)
    for n in ("唐晓东", "李文杰", "雷斌"):
        discussion_opinion_add(actor=leader, discussion=disc, attendee=p[n], stance="agree", text="同意")
    with pytest.raises(DomainError, match="未达到"):
        discussion_finalize(actor=leader, discussion=disc, conclusion="adopted", conclusion_text="通过")
    disc.refresh_from_db()
    assert not disc.finalized


def test_head_departing_from_majority_must_give_reason(demo, leader):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)))
    with pytest.raises(DomainError, match="多数人的意见不一致"):
        discuss(demo, d, conclusion="adopted", stances=["disagree", "disagree", "disagree", "agree"])
    disc = d.discussions.get()
    assert not disc.finalized
    discussion_finalize(actor=leader, discussion=disc, conclusion="adopted", conclusion_text="通过",
                        head_departure_reason="项目时限紧迫，已采纳风险防控意见")
    disc.refresh_from_db()
    assert disc.finalized and disc.head_departure_reason


def test_dissent_is_recorded_in_the_minutes(demo):
    d = to_reviewed(demo, to_risk(demo, new_decision(demo)))
    disc = discuss(demo, d, stances=["agree", "disagree", "agree", "conditional"])
    assert [o.attendee.name for o in disc.opinions.all() if o.dissent] == ["李文杰"]
    import io

    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(minutes_docx(disc))).paragraphs)
    assert "不同意见" in text and "李文杰" in text and "主持人" in text
    with pytest.raises(DomainError, match="已定稿"):
        discussion_attendee_add(actor=demo.user("litou_leader"), discussion=disc, name="新人")


def test_officer_cannot_record_discussion(meeting, demo):
    with pytest.raises(DomainError, match="无权"):
        discussion_attendee_add(actor=demo.user("litou_officer"), discussion=meeting, name="某人")
