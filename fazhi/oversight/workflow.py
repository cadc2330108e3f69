"""The two oversight workflows, declared once: a 评查 round, and a 督办/整改 notice."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.oversight import draw as drawing
from fazhi.oversight import forms, permissions, selectors
from fazhi.oversight.models import (
    FileStatus,
    Notice,
    NoticeStatus,
    NoticeTransition,
    ReviewFile,
    ReviewRound,
    RoundStatus,
    RoundTransition,
    Standard,
)

ROUND_WORKFLOW = Workflow(
    "review_round",
    allowed={RoundStatus.DRAFT: {RoundStatus.DRAWN}, RoundStatus.DRAWN: {RoundStatus.FINISHED}},
    labels=dict(RoundStatus.choices),
)

# A file's status is set by scoring, not by a step page: the last sheet settles it (services._settle) and a
# 合议 resolves a difference (services.file_resolve); each change is checked here and leaves a FileTransition.
FILE_WORKFLOW = Workflow(
    "review_file",
    allowed={FileStatus.PENDING: {FileStatus.DISPUTED, FileStatus.FINAL}, FileStatus.DISPUTED: {FileStatus.FINAL}},
    labels=dict(FileStatus.choices),
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


# ---- 评查 round: draw (reproducible, recorded), then finish (results published, standard frozen) --------------


def _draw_guard(rnd, data, today):
    from fazhi.oversight.services import candidates_for

    seed = (data.get("seed") or "").strip() or drawing.new_seed()
    if len(seed) > 64:
        raise DomainError("抽取种子不能超过64个字符。")
    candidates = candidates_for(rnd.county, rnd.year, include_coercion=rnd.include_coercion)
    if not candidates:
        what = "行政处罚或行政强制执行" if rnd.include_coercion else "行政处罚"
        raise DomainError(f"{rnd.year}年本县各乡镇没有已办结的{what}案卷，无法抽取。")
    data["seed"], data["candidates"] = seed, candidates
    data["drawn"] = drawing.draw(seed, candidates, rnd.sample_rate, rnd.min_per_township)


def _draw(*, actor, obj, step, data, today):
    from fazhi.core.writes import save_audited
    from fazhi.enforcement.models import Case, CoercionProcedure

    obj.seed, obj.candidates, obj.drawn, obj.drawn_at = data["seed"], data["candidates"], data["drawn"], timezone.now()
    drawn = data["drawn"]
    cases = Case.objects.in_bulk([d["id"] for d in drawn if d.get("kind", "case") == "case"])
    coercions = CoercionProcedure.objects.select_related("case").in_bulk(
        [d["id"] for d in drawn if d.get("kind") == "coercion"])
    for d in drawn:
        if d.get("kind") == "coercion":  # the case's 强制执行 file, read as it is
            co = coercions[d["id"]]
            f = ReviewFile(round=obj, case=co.case, coercion=co, township=co.township)
        else:
            case = cases[d["id"]]
            f = ReviewFile(round=obj, case=case, township=case.township)
        save_audited(f, actor=actor, validate=False)


def _finish_guard(rnd, data, today):
    pending = rnd.files.exclude(status=FileStatus.FINAL).count()
    if pending:
        raise DomainError(f"还有{pending}件案卷未定分，不能完成评查。")


def _finish(*, actor, obj, step, data, today):
    obj.finished_on = today
    Standard.objects.filter(pk=obj.standard_id).update(frozen=True)  # a used standard never changes


def _round_sample(township):
    county = permissions.county_of(township)
    return ReviewRound.objects.filter(county=county).order_by("pk").first() if county else None


ROUND_STEPS = [
    Step("draw", "随机抽取案卷", forms.DrawForm, permissions.WRITE, target=RoundStatus.DRAWN, guards=(_draw_guard,),
         service=_draw, confirm="抽取后结果不能更改，确认抽取？", refused="您不是该县的执法监督人员，不能办理此事项。",
         reason=lambda r, d: f"随机抽取：种子 {d['seed']}，候选 {len(d['candidates'])} 件，抽中 {len(d['drawn'])} 件",
         done=lambda r: f"已随机抽取{len(r.drawn)}件案卷（种子 {r.seed}）。"),
    Step("finish", "完成评查并公布结果", forms.ConfirmForm, permissions.WRITE, target=RoundStatus.FINISHED,
         guards=(_finish_guard,), service=_finish, confirm="完成后结果向乡镇公布、评查标准冻结，确认完成评查？",
         refused="您不是该县的执法监督人员，不能办理此事项。", done="评查已完成，结果已向各乡镇公布，所用评查标准已冻结。"),
]

ROUND_FLOW = Flow(
    name="round", model=ReviewRound, workflow=ROUND_WORKFLOW, steps=ROUND_STEPS, record_model=RoundTransition,
    record_fk="round", read_roles=permissions.COUNTY_READ, queryset=selectors.rounds_for,
    detail="oversight:round_detail", heading=lambda r: r.title,
    may_act=lambda user, rnd, roles: permissions.may_oversee(user, rnd.county, roles), sample=_round_sample,
)


def round_transition(*, actor, round: ReviewRound, step: str, data: dict | None = None,
                     expected_status: str | None = None, today: dt.date | None = None) -> ReviewRound:
    """draw (seed recorded, anyone can recompute it) → finish (every file scored)."""
    return run_step(ROUND_FLOW, actor=actor, obj=round, step=step, data=data, expected_status=expected_status,
                    today=today)
