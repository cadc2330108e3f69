"""The two oversight workflows, declared once: a 评查 round, and a 督办/整改 notice."""

from __future__ import annotations

import datetime as dt
import hashlib

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.oversight import forms, permissions, selectors
from fazhi.oversight.models import Notice, NoticeStatus, NoticeTransition, RoundStatus

ROUND_WORKFLOW = Workflow(
    "review_round",
    allowed={RoundStatus.DRAFT: {RoundStatus.DRAWN}, RoundStatus.DRAWN: {RoundStatus.FINISHED}},
    labels=dict(RoundStatus.choices),
)

NOTICE_WORKFLOW = Workflow(
    "notice",
    allowed={
        NoticeStatus.ISSUED: {NoticeStatus.ANSWERED},
        NoticeStatus.RETURNED: {NoticeStatus.ANSWERED},
        NoticeStatus.ANSWERED: {NoticeStatus.ACCEPTED, NoticeStatus.RETURNED},
    },
    labels=dict(NoticeStatus.choices),
)


def _answer_guard(notice, data, today):
    if not (data.get("answer") or "").strip():
        raise DomainError("请写明已采取的整改措施及结果。")
    answered_on = data.get("answered_on") or today
    if answered_on > today or answered_on < notice.issued_on:
        raise DomainError("答复日期应在通知发出之日至今天之间。")


def _return_guard(notice, data, today):
    if not (data.get("opinion") or "").strip():
        raise DomainError("退回时请写明理由和需要继续整改的内容。")


def _answer(*, actor, obj, step, data, today):
    obj.answer = data["answer"].strip()
    obj.answered_on = data.get("answered_on") or today
    obj.answered_by = actor
    proof = data.get("proof")
    if proof:
        h = hashlib.sha256()
        for chunk in proof.chunks():
            h.update(chunk)
        proof.seek(0)
        obj.proof.save(proof.name, proof, save=False)
        obj.proof_sha256 = h.hexdigest()


def _review(*, actor, obj, step, data, today):
    obj.review_opinion = (data.get("opinion") or "").strip()
    if step.name == "accept":
        obj.closed_on = today


NOTICE_STEPS = [
    Step("answer", "答复整改情况", forms.AnswerForm, permissions.TOWNSHIP_ANSWER, target=NoticeStatus.ANSWERED,
         guards=(_answer_guard,), service=_answer, reason="answer", multipart=True, done="已答复整改情况。",
         refused="只有被督办乡镇的工作人员可以答复。"),
    Step("accept", "审核通过", forms.ReviewOpinionForm, permissions.WRITE, target=NoticeStatus.ACCEPTED,
         service=_review, reason="opinion", confirm="确认整改到位、办结此通知？", done="已审核通过。",
         refused="您无权办理此环节。"),
    Step("return", "退回重新整改", forms.ReviewOpinionForm, permissions.WRITE, target=NoticeStatus.RETURNED,
         guards=(_return_guard,), service=_review, reason="opinion", confirm="确认退回乡镇重新整改？",
         done="已退回乡镇重新整改。", refused="您无权办理此环节。"),
]

NOTICE_FLOW = Flow(
    name="notice", model=Notice, workflow=NOTICE_WORKFLOW, steps=NOTICE_STEPS, record_model=NoticeTransition,
    record_fk="notice", read_roles=permissions.ANY_READ, queryset=selectors.notices_for,
    detail="oversight:notice_detail", heading=lambda n: n.number,
)


def notice_transition(*, actor, notice: Notice, step: str, data: dict | None = None,
                      expected_status: str | None = None, today: dt.date | None = None) -> Notice:
    """answer (the township, with measures and proof) → accept or return (the county, with its opinion)."""
    return run_step(NOTICE_FLOW, actor=actor, obj=notice, step=step, data=data, expected_status=expected_status,
                    today=today)
