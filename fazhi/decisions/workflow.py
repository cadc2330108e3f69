"""The three workflows of 依法决策, declared once and driven by core (fazhi.core.steps):

- a decision through the statutory steps of 713号令 (complete or, where the category allows, skip with a
  reason; terminate before publication) — DECISION_FLOW / decision_transition;
- an opinion request to the retained counsel (answer by the assigned counsel, or withdraw) — OPINION_FLOW;
- a reconsideration / litigation case (reply submitted, closed) — LITIGATION_FLOW.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.decisions import forms, permissions, rules, selectors
from fazhi.decisions.deadlines import comment_period, hearing_notice, review_is_short, review_period
from fazhi.decisions.models import (
    CommentStatus,
    Decision,
    DecisionCategory,
    DecisionSettings,
    DecisionStatus,
    DecisionStep,
    DecisionTransition,
    DiscussionConclusion,
    Litigation,
    LitigationKind,
    LitigationOutcome,
    LitigationStatus,
    LitigationTransition,
    OpinionRequest,
    OpinionStatus,
    OpinionTransition,
    ReviewResult,
    RiskLevel,
)
from fazhi.decisions.services.files import attachment_store

S = DecisionStatus

# --- 重大决策 ------------------------------------------------------------------------------------------

DECISION_WORKFLOW = Workflow("重大决策", allowed=rules.ALLOWED, labels=dict(DecisionStatus.choices))

STEP_FIELDS = {S.RISK_ASSESSMENT: ("risk_level",), S.PUBLISHED: ("published_on",), S.ARCHIVED: ("archive_no",)}
STEP_FORMS = {S.RISK_ASSESSMENT: forms.RiskStepForm, S.PUBLISHED: forms.PublishStepForm,
              S.ARCHIVED: forms.ArchiveStepForm}
# Steps some category may mark as not applicable (rules.step_rule says which, per category).
SKIPPABLE = [s for s in rules.STEP_ORDER[1:]
             if any(rules.step_rule(c, s) == rules.OPTIONAL for c in DecisionCategory.values)]


def _settings(d: Decision) -> DecisionSettings:
    return DecisionSettings.for_township(d.township)


def _performed_on(data: dict, today: dt.date) -> dt.date:
    return data.get("performed_on") or today


def _known(*keys):
    """Refuse data the step does not take (a typo in a caller, a forged form)."""
    allowed = {"performed_on", "files", *keys}

    def guard(d, data, today):
        unknown = set(data) - allowed
        if unknown:
            raise DomainError(f"不认识的字段：{'、'.join(sorted(unknown))}。")
    return guard


def _dated(d: Decision, data: dict, today: dt.date) -> None:
    performed_on = _performed_on(data, today)
    if performed_on > today:
        raise DomainError("办理日期不能晚于今天。")
    last = d.steps.order_by("-performed_on", "-id").first()
    if last and performed_on < last.performed_on:
        raise DomainError(f"办理日期不能早于上一环节（{last.get_step_display()}，{last.performed_on:%Y-%m-%d}）。")


def _summary_given(code: str):
    def guard(d, data, today):
        if not (data.get("summary") or "").strip():
            raise DomainError(f"请填写“{rules.STEP_LABELS[code]}”的办理情况。")
    return guard


def _skip_allowed(code: str):
    def guard(d, data, today):
        if rules.step_rule(d.category, code) == rules.REQUIRED:
            raise DomainError(f"“{rules.STEP_LABELS[code]}”是{d.get_category_display()}事项的必经程序，不能跳过。")
        if not (data.get("skip_reason") or "").strip():
            raise DomainError("请填写不适用理由。")
    return guard


# What each completed step must have before it counts as done.

def _guard_participation(d: Decision, data: dict, today: dt.date) -> None:
    settings = _settings(d)
    if not (d.comment_start and d.comment_end):
        raise DomainError("尚未公开征求意见：请先发布征求意见稿并确定征求意见期限。")
    period = comment_period(d.comment_start, d.comment_end, settings.comment_period_days)
    if period.short and not d.comment_short_reason.strip():
        raise DomainError(period.explanation)
    if _performed_on(data, today) <= d.comment_end:
        raise DomainError(f"征求意见期限至{d.comment_end:%Y年%-m月%-d日}届满，届满后方可完成公众参与环节。")
    if d.hearing_date:
        if not d.hearing_materials_on:
            raise DomainError("举行听证的，须登记听证材料公布/送达日期。")
        notice = hearing_notice(d.hearing_materials_on, d.hearing_date, settings.hearing_notice_days)
        if notice.short:
            raise DomainError(notice.explanation)
    if d.comments.filter(status=CommentStatus.PENDING).exists():
        raise DomainError("还有公众意见未审核，请先审核全部意见。")
    if not (d.comment_summary.strip() and d.comment_summary_published_on):
        raise DomainError("请先公布公众意见的采纳情况。")


def _guard_risk(d: Decision, data: dict, today: dt.date) -> None:
    level = data.get("risk_level") or d.risk_level
    if level not in RiskLevel.values:
        raise DomainError("请选择风险评估结论（风险等级）。")
    if level == RiskLevel.HIGH:
        raise DomainError("风险评估认为风险不可控：须调整决策草案、采取措施确保风险可控后方可继续（713号令第二十四条）。")


def _guard_legality(d: Decision, data: dict, today: dt.date) -> None:
    settings = _settings(d)
    if not d.review_submitted_on:
        raise DomainError("决策草案尚未送请合法性审查。")
    if not d.review_result:
        period = review_period(d, settings)
        raise DomainError(f"合法性审查尚未出具意见（审查时间不少于{settings.legality_review_working_days}个工作日：{period.explanation}）。")
    if review_is_short(d, settings) and not d.review_short_reason.strip():
        raise DomainError("合法性审查时间少于法定工作日，须说明理由。")


def _guard_discussion(d: Decision, data: dict, today: dt.date) -> None:
    if not d.review_result:
        raise DomainError("未经合法性审查的决策草案，不得提交集体讨论（713号令第二十五条）。")
    if d.review_result == ReviewResult.UNLAWFUL:
        raise DomainError("合法性审查认为不合法的决策草案，不得提交集体讨论；请修改后重新送审。")
    last = d.discussions.filter(finalized=True).order_by("-held_on", "-id").first()
    if last is None:
        raise DomainError("尚未完成集体讨论：请登记会议、出席人员和每位成员的发言并定稿。")
    if last.conclusion != DiscussionConclusion.ADOPTED:
        raise DomainError(f"最近一次集体讨论的结论为“{last.get_conclusion_display()}”，决策未获通过。")


def _guard_published(d: Decision, data: dict, today: dt.date) -> None:
    if not data.get("published_on") and not d.published_on:
        raise DomainError("请填写决策公布日期。")


def _guard_archived(d: Decision, data: dict, today: dt.date) -> None:
    if not (data.get("archive_no") or d.archive_no):
        raise DomainError("请填写档案号。")


GUARDS = {
    S.PARTICIPATION: _guard_participation,
    S.RISK_ASSESSMENT: _guard_risk,
    S.LEGALITY_REVIEW: _guard_legality,
    S.DISCUSSION: _guard_discussion,
    S.PUBLISHED: _guard_published,
    S.ARCHIVED: _guard_archived,
}


def _record_step(*, actor, obj, step, data, today):
    """What the step did (or why it does not apply), and the files that show it."""
    code = step.target
    skip_reason = (data.get("skip_reason") or "").strip()
    DecisionStep.objects.create(township=obj.township, decision=obj, step=code, actor=actor,
                                performed_on=_performed_on(data, today), summary=(data.get("summary") or "").strip(),
                                skipped=bool(skip_reason), skip_reason=skip_reason)
    for f in data.get("files") or ():
        attachment_store(actor=actor, township=obj.township, upload=f, decision=obj, step=code)


def _terminate_guard(d, data, today):
    if not (data.get("reason") or "").strip():
        raise DomainError("终止决策须说明理由。")


def _terminate(*, actor, obj, step, data, today):
    for f in data.get("files") or ():
        attachment_store(actor=actor, township=obj.township, upload=f, decision=obj, step="")


def _today_initial(obj):
    return {"performed_on": timezone.localdate()}


def _complete_step(code: str) -> Step:
    label = rules.STEP_LABELS[code]
    return Step(code, f"完成“{label}”", STEP_FORMS.get(code, forms.StepForm), permissions.WRITE_ROLES, target=code,
                fields=STEP_FIELDS.get(code, ()), service=_record_step, reason="summary", multipart=True,
                guards=(_known("summary", *STEP_FIELDS.get(code, ())), _dated, _summary_given(code),
                        *((GUARDS[code],) if code in GUARDS else ())),
                done=f"已完成“{label}”。", initial=_today_initial, refused=permissions.REFUSED_DECISION)


def _skip_step(code: str) -> Step:
    label = rules.STEP_LABELS[code]
    return Step(f"skip_{code}", f"记录“{label}”不适用", forms.SkipForm, permissions.WRITE_ROLES, target=code,
                service=_record_step, reason="skip_reason", guards=(_known("skip_reason"), _dated, _skip_allowed(code)),
                done=f"已记录“{label}”不适用及理由。", initial=_today_initial, refused=permissions.REFUSED_DECISION,
                intro="本环节对部分类别的事项不是必经程序；不适用的，记录理由后进入下一环节。")


DECISION_STEPS = [
    *(_complete_step(code) for code in rules.STEP_ORDER[1:]),
    *(_skip_step(code) for code in SKIPPABLE),
    Step("terminate", "终止决策", forms.TerminateForm, permissions.WRITE_ROLES, target=S.TERMINATED,
         guards=(_terminate_guard,), service=_terminate, confirm="确定终止该决策事项？", done="决策事项已终止。",
         refused=permissions.REFUSED_DECISION),
]

DECISION_FLOW = Flow(
    name="decision", model=Decision, workflow=DECISION_WORKFLOW, steps=DECISION_STEPS,
    record_model=DecisionTransition, record_fk="decision", read_roles=permissions.READ_ROLES,
    queryset=selectors.decision_list_for, detail="decisions:detail", heading=lambda d: d.title,
)


def next_steps(decision: Decision) -> tuple[Step | None, Step | None]:
    """(complete, skip) for the next statutory step; skip is None where the category requires the step."""
    code = rules.next_step(decision.status) if decision.status != S.TERMINATED else None
    if code is None:
        return None, None
    skip = f"skip_{code}" if rules.step_rule(decision.category, code) == rules.OPTIONAL else None
    return DECISION_FLOW.step(code), DECISION_FLOW.step(skip) if skip else None


def decision_transition(*, actor, decision: Decision, step: str, data: dict | None = None,
                        expected_status: str | None = None, today: dt.date | None = None) -> Decision:
    """Complete the next statutory step (step = its status: data performed_on, summary, files and the step's
    field), mark it not applicable (step = "skip_<status>": data performed_on, skip_reason) or terminate
    (step = "terminate": data reason). The order is fixed (rules.STEP_ORDER); steps required for the
    category cannot be skipped; each completed step must meet its guard."""
    d = run_step(DECISION_FLOW, actor=actor, obj=decision, step=step, data=data, expected_status=expected_status,
                 today=today)
    decision.refresh_from_db()
    return d


# --- 法律意见 ------------------------------------------------------------------------------------------

OPINION_WORKFLOW = Workflow("法律意见", allowed={
    OpinionStatus.SENT: {OpinionStatus.ANSWERED, OpinionStatus.WITHDRAWN},
}, labels=dict(OpinionStatus.choices))


def _answer_guard(o: OpinionRequest, data: dict, today: dt.date) -> None:
    if not (data.get("answer") or "").strip():
        raise DomainError("请填写法律意见。")
    answered_on = data.get("answered_on") or today
    if answered_on < o.asked_on or answered_on > today:
        raise DomainError("出具日期应在提出日期之后、且不晚于今天。")


def _answer(*, actor, obj, step, data, today):
    # The role check (counsel in the township) ran first; this is "the counsel it was sent to".
    if not permissions.is_assigned_counsel(actor, obj):
        raise DomainError(permissions.REFUSED_ANSWER)
    obj.answer, obj.answered_on = data["answer"].strip(), data.get("answered_on") or today
    for f in data.get("files") or ():
        attachment_store(actor=actor, township=obj.township, upload=f, opinion=obj)


def _withdraw_guard(o, data, today):
    if not (data.get("reason") or "").strip():
        raise DomainError("请说明撤回理由。")


OPINION_STEPS = [
    Step("answer", "出具法律意见", forms.AnswerForm, permissions.COUNSEL_ROLES, target=OpinionStatus.ANSWERED,
         fields=("answer", "answered_on"), guards=(_answer_guard,), service=_answer, reason="", multipart=True,
         done="已出具法律意见。", initial=lambda o: {"answered_on": timezone.localdate()},
         refused=permissions.REFUSED_ANSWER),
    Step("withdraw", "撤回征询", forms.WithdrawForm, permissions.ASK_ROLES, target=OpinionStatus.WITHDRAWN,
         guards=(_withdraw_guard,), confirm="确定撤回？", done="已撤回。", refused="您无权撤回该征求意见。"),
]

OPINION_FLOW = Flow(
    name="opinion", model=OpinionRequest, workflow=OPINION_WORKFLOW, steps=OPINION_STEPS,
    record_model=OpinionTransition, record_fk="opinion", read_roles=permissions.OPINION_READ_ROLES,
    queryset=selectors.opinion_list_for, detail="decisions:opinion_detail", heading=str,
)


def opinion_transition(*, actor, opinion: OpinionRequest, step: str, data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> OpinionRequest:
    """answer (only the counsel the request was sent to: data answer, answered_on, files) or withdraw
    (township staff: data reason)."""
    return run_step(OPINION_FLOW, actor=actor, obj=opinion, step=step, data=data, expected_status=expected_status,
                    today=today)


# --- 复议应诉 ------------------------------------------------------------------------------------------

LITIGATION_WORKFLOW = Workflow("复议应诉", allowed={
    LitigationStatus.RECEIVED: {LitigationStatus.ANSWERED, LitigationStatus.CLOSED},
    LitigationStatus.ANSWERED: {LitigationStatus.CLOSED},
}, labels=dict(LitigationStatus.choices))


def _guard_answered(c: Litigation, data, today) -> None:
    if not c.reply_submitted_on:
        raise DomainError("请先填写提交答复/答辩状的日期。")


def _guard_closed(c: Litigation, data, today) -> None:
    if not c.outcome or c.outcome == LitigationOutcome.PENDING:
        raise DomainError("结案须填写结果（维持、撤销、变更、撤回等）。")
    if not c.outcome_on:
        raise DomainError("结案须填写结案日期。")
    if c.kind == LitigationKind.LITIGATION and c.hearing_on and c.head_appeared is None:
        raise DomainError("已开庭审理的行政诉讼，须登记负责人是否出庭应诉。")


LITIGATION_STEPS = [
    Step("answer", "已提交答复/答辩", forms.CaseStepForm, permissions.WRITE_ROLES, target=LitigationStatus.ANSWERED,
         guards=(_guard_answered,), done="已更新案件状态。", refused=permissions.REFUSED_CASE,
         intro="先在“编辑”中填写提交答复/答辩状的日期。"),
    Step("close", "结案", forms.CaseStepForm, permissions.WRITE_ROLES, target=LitigationStatus.CLOSED,
         guards=(_guard_closed,), done="已更新案件状态。", refused=permissions.REFUSED_CASE,
         intro="先在“编辑”中填写结果和结案日期；已开庭的行政诉讼还须登记负责人是否出庭应诉。"),
]

LITIGATION_FLOW = Flow(
    name="litigation", model=Litigation, workflow=LITIGATION_WORKFLOW, steps=LITIGATION_STEPS,
    record_model=LitigationTransition, record_fk="litigation", read_roles=permissions.READ_ROLES,
    queryset=selectors.litigation_list_for, detail="decisions:litigation_detail", heading=lambda c: c.case_no,
)


def litigation_transition(*, actor, case: Litigation, step: str, data: dict | None = None,
                          expected_status: str | None = None, today: dt.date | None = None) -> Litigation:
    """answer (the reply or defence statement was submitted) → close (outcome and date entered)."""
    return run_step(LITIGATION_FLOW, actor=actor, obj=case, step=step, data=data, expected_status=expected_status,
                    today=today)
