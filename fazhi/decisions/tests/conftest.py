"""Builders for decisions at a given step, through the services (so every rule is exercised)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from fazhi.decisions.models import DecisionCategory, DecisionStatus
from fazhi.decisions.services.consultation import comment_summary_publish, consultation_open
from fazhi.decisions.services.decision import decision_create, decision_review_record
from fazhi.decisions.services.discussion import discussion_create, discussion_finalize, discussion_opinion_add
from fazhi.decisions.workflow import decision_transition

S = DecisionStatus
D = dt.date

BODY = [("雷斌", "乡长"), ("唐晓东", "副乡长"), ("李文杰", "武装部长"), ("周文斌", "副乡长"), ("盘红梅", "组织委员")]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(demo):
    return demo.user("litou_legal_staff")


@pytest.fixture
def leader(demo):
    return demo.user("litou_leader")


def new_decision(demo, category=DecisionCategory.MAJOR_ADMIN, amount=None, title="测试决策事项"):
    return decision_create(actor=demo.user("litou_legal_staff"), township=demo.litou, title=title,
                           category=category, lead_unit="乡农业综合服务中心", started_on=D(2024, 2, 1),
                           amount=amount, files=[ContentFile(b"start", name="start.txt")])


def to_risk(demo, d):
    staff = demo.user("litou_legal_staff")
    consultation_open(actor=staff, decision=d, draft_text="征求意见稿", comment_start=D(2024, 3, 1),
                      comment_end=D(2024, 3, 31))
    comment_summary_publish(actor=staff, decision=d, summary="未收到意见。", published_on=D(2024, 4, 1))
    decision_transition(actor=staff, decision=d, step=S.PARTICIPATION,
                        data={"performed_on": D(2024, 4, 1), "summary": "公开征求意见30日"})
    decision_transition(actor=staff, decision=d, step="skip_expert_review",
                        data={"performed_on": D(2024, 4, 2), "skip_reason": "不涉及专业技术问题"})
    decision_transition(actor=staff, decision=d, step=S.RISK_ASSESSMENT,
                        data={"performed_on": D(2024, 4, 3), "summary": "低风险", "risk_level": "low"})
    return d


def to_reviewed(demo, d, result="lawful"):
    staff = demo.user("litou_legal_staff")
    decision_review_record(actor=staff, decision=d, submitted_on=D(2024, 4, 8), reviewer="乡司法所",
                           result=result, concluded_on=D(2024, 4, 18), opinion="审查意见")
    decision_transition(actor=staff, decision=d, step=S.LEGALITY_REVIEW,
                        data={"performed_on": D(2024, 4, 18), "summary": "审查完毕"})
    return d


def discuss(demo, d, conclusion="adopted", stances=None, head_stance="agree", reason=""):
    leader = demo.user("litou_leader")
    disc = discussion_create(actor=leader, decision=d, meeting="乡政府常务会议", held_on=D(2024, 4, 22),
                             members_total=5, head_name="雷斌",
                             attendees=[{"name": n, "post": p} for n, p in BODY])
    people = {a.name: a for a in disc.attendees.all()}
    stances = stances or ["agree"] * 4
    for (name, _), stance in zip(BODY[1:], stances, strict=True):
        discussion_opinion_add(actor=leader, discussion=disc, attendee=people[name], stance=stance,
                               text="意见")
    discussion_opinion_add(actor=leader, discussion=disc, attendee=people["雷斌"], stance=head_stance,
                           text="最后发言")
    discussion_finalize(actor=leader, discussion=disc, conclusion=conclusion, conclusion_text="决定",
                        head_departure_reason=reason)
    return disc


def to_discussed(demo, d):
    to_reviewed(demo, to_risk(demo, d))
    discuss(demo, d)
    decision_transition(actor=demo.user("litou_legal_staff"), decision=d, step=S.DISCUSSION,
                        data={"performed_on": D(2024, 4, 22), "summary": "集体讨论通过"})
    return d
