"""The case workflow, declared once: `CASE_FLOW`, a `Flow` of `Step`s driven by fazhi.core.steps, with the
guards of 行政处罚法. Every step — a status change (立案审批, 告知, 决定, 送达 …) or a record on the case
(安排听证, 集体讨论, 登记缴款 …) — goes through `case_transition()`, and the step pages are
`*CASE_FLOW.urls("cases/")` (cases/<pk>/<step>/, named enforcement:case_<step>).

This module is the declaration (statuses, steps, the buttons per status); the steps' guards and services
live in workflow/case_steps.py (`cs.`), the statutory checks they call in workflow/statute.py. Guards see the
case as the step would leave it: the first guard of every step copies the step's fields from the data onto the
locked case (refusing fields the step may not set), so the statutory checks read `case.notice_served_on`,
`case.fine_amount` …; a refusal rolls everything back."""

from __future__ import annotations

import datetime as dt

from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.enforcement import deadlines, forms, permissions, selectors
from fazhi.enforcement.models import Case, CaseStatus, CaseTransition
from fazhi.enforcement.workflow import case_steps as cs

S = CaseStatus


CASE_WORKFLOW = Workflow(
    "enforcement.case",
    allowed={
        S.ONSITE: {S.DECIDED},
        S.FILING: {S.INVESTIGATING, S.NOT_FILED},
        S.NOT_FILED: set(),
        S.INVESTIGATING: {S.NOTIFIED, S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED},
        S.NOTIFIED: {S.HEARING, S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.HEARING: {S.LEGAL_REVIEW, S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.LEGAL_REVIEW: {S.COLLECTIVE, S.DECIDED, S.INVESTIGATING},
        S.COLLECTIVE: {S.DECIDED, S.INVESTIGATING, S.LEGAL_REVIEW},
        S.DECIDED: {S.SERVED, S.REVOKED},
        S.SERVED: {S.EXECUTING, S.CLOSED, S.REVOKED},
        S.EXECUTING: {S.CLOSED, S.REVOKED},
        S.CLOSED: {S.ARCHIVED, S.REVOKED},
        S.ARCHIVED: set(),
        S.REVOKED: {S.ARCHIVED},
    },
    labels=dict(CaseStatus.choices),
)


W, L = permissions.CASE_WRITE, permissions.LEADERS
NOTICE_FIELDS = ("notice_served_on", "facts", "reasons", "evidence_summary", "penalty_kind", "fine_amount",
                 "confiscation_amount", "penalty_detail", "band", "notice_waived", "notice_waiver_note")
DECIDE_FIELDS = ("outcome", "decided_on", "penalty_kind", "fine_amount", "confiscation_amount", "penalty_detail",
                 "reasons", "payment_place", "band", "statement", "statement_response")
SERVE_FIELDS = ("served_on", "service_method", "service_recipient")

CASE_STEPS = [
    Step("approve", "立案审批", forms.ApproveForm, L, target=S.INVESTIGATING, fields=("filed_on", "filing_opinion"),
         guards=(cs.fill(("filed_on", "filing_opinion"), {"filed_on": cs.today_default}), cs.approve_guard),
         service=cs.approve, done="已批准立案，进入调查取证。",
         intro="负责人审批：同意立案的，核对2名以上持证执法人员和追责时效。"),
    Step("refuse", "不予立案", forms.RequiredReasonForm, L, target=S.NOT_FILED,
         guards=(cs.fill(()), cs.reason_required("请填写理由。")), done="已决定不予立案。",
         confirm="确定不予立案？", intro="负责人审批：不符合立案条件的，决定不予立案并写明理由。"),
    Step("notice", "送达事先告知书", forms.NoticeForm, W, target=S.NOTIFIED, fields=NOTICE_FIELDS,
         guards=(cs.fill(NOTICE_FIELDS), cs.notice_guard), service=cs.notice, prepare=cs.prep_notice,
         initial=lambda c: {"facts": c.facts, "reasons": c.reasons, "penalty_kind": c.penalty_kind,
                            "fine_amount": c.fine_amount, "evidence_summary": c.evidence_summary},
         done="已登记事先告知书送达，陈述申辩和听证申请期限开始计算。",
         intro="行政处罚法第四十四条：告知拟作出的处罚内容及事实、理由、依据，并告知陈述、申辩、要求听证的权利。"),
    Step("hearing_request", "登记听证申请", forms.HearingRequestForm, W, target=S.HEARING,
         fields=("hearing_requested_on",), guards=(cs.fill(("hearing_requested_on",)), cs.hearing_request_guard),
         done="已登记听证申请，请安排听证并提前7个工作日通知当事人。",
         intro="当事人应在告知书送达后5个工作日内提出听证申请（第六十四条、第八十五条）。"),
    Step("hearing", "安排听证", forms.HearingScheduleForm, W, service=cs.hearing, prepare=cs.prep_hearing,
         guards=(cs.status_in({S.HEARING}, "案件不在听证环节，请先登记当事人的听证申请。"),), done="已安排听证。",
         intro="应在举行听证的7个工作日前通知当事人；主持人由非本案调查人员担任。"),
    Step("review", "提交法制审核", forms.ReviewSubmitForm, W, target=S.LEGAL_REVIEW,
         guards=(cs.fill(()), cs.review_guard, cs.proposal_and_hearing), service=cs.review, prepare=cs.prep_review,
         done="已提交法制审核。", intro="审核人员须具有法律职业资格，且不是本案调查人员（行政处罚法第五十八条）。"),
    Step("collective", "提交集体讨论", forms.ReasonForm, W, target=S.COLLECTIVE,
         guards=(cs.fill(()), cs.proposal_and_hearing, cs.collective_guard), done="已提交集体讨论。",
         initial=lambda c: {"reason": "提交负责人集体讨论"}, intro="情节复杂或重大违法行为，由负责人集体讨论决定。"),
    Step("discussion", "记录集体讨论", forms.DiscussionForm, permissions.DISCUSSION_WRITE, service=cs.discussion,
         guards=(cs.status_in({S.COLLECTIVE}, "案件不在集体讨论环节。"),), done="已记录集体讨论。"),
    Step("decide", "作出处理决定", forms.DecideForm, L, target=S.DECIDED, fields=DECIDE_FIELDS,
         guards=(cs.decide_defaults, cs.fill(DECIDE_FIELDS, {"decided_on": cs.today_default}), cs.decide_guard),
         service=cs.decide, initial=cs.decide_initial,
         done=lambda c: f"已作出决定，文号{c.decision_number}。请在7个工作日内送达。",
         intro="负责人签发。系统将核对：告知已送达且期限届满（或当事人放弃）、听证已举行、法制审核已通过、集体讨论已进行。"),
    Step("onsite", "当场作出处罚决定", forms.DecideForm, W, target=S.DECIDED, fields=DECIDE_FIELDS,
         guards=(cs.onsite_guard, cs.fill(DECIDE_FIELDS, {"decided_on": cs.today_default}), cs.decide_guard),
         service=cs.decide, done=lambda c: f"已当场作出处罚决定{c.decision_number}。",
         intro="简易程序（行政处罚法第五十一条）：执法人员当场作出警告或者罚款决定。"),
    Step("serve", "送达决定书", forms.ServeForm, W, target=S.SERVED, fields=SERVE_FIELDS,
         guards=(cs.public_notice, cs.fill(SERVE_FIELDS), cs.serve_guard), service=cs.serve, done="已登记送达。",
         intro="行政处罚法第六十一条：宣告后当场交付；不在场的，7个工作日内送达。"),
    Step("execute", "进入执行", forms.ReasonForm, W, target=S.EXECUTING, guards=(cs.fill(()), cs.execute_guard),
         done="已进入执行。"),
    Step("payment", "登记缴款", forms.PaymentForm, W, service=cs.payment, done="已登记缴款。",
         intro="当事人应自收到决定书之日起15日内缴纳罚款；逾期每日按罚款数额的3%加处罚款，加处罚款不超过罚款数额。"),
    Step("close", "结案", forms.CloseForm, W, target=S.CLOSED, fields=("closed_on", "execution_note"),
         guards=(cs.fill(("closed_on", "execution_note"), {"closed_on": cs.today_default}), cs.close_guard),
         done="已结案。"),
    Step("archive", "归档", forms.ArchiveForm, W, target=S.ARCHIVED, fields=("archived_on",),
         guards=(cs.fill(("archived_on",), {"archived_on": cs.today_default}), cs.archive_guard), done="已归档。"),
    Step("revoke", "撤销决定", forms.RevokeForm, L, target=S.REVOKED, fields=("revoked_on", "revocation_reason"),
         guards=(cs.fill(("revoked_on", "revocation_reason"), {"revoked_on": cs.today_default}),
                 cs.reason_required("请填写理由。"), cs.revoke_guard),
         service=cs.revoke, confirm="确定撤销该行政处罚决定？已公示的决定将同时撤回。",
         done="处罚决定已撤销；已公示的决定已同时撤回并说明理由。",
         intro="撤销后，已公示的处罚决定将在3个工作日内撤回并说明理由（行政处罚法第四十八条）。"),
    Step("reinvestigate", "退回补充调查", forms.RequiredReasonForm, W, target=S.INVESTIGATING,
         guards=(cs.fill(()), cs.reinvestigate_guard, cs.reason_required("退回补充调查须说明理由。")),
         confirm="确定退回补充调查？", done="已退回补充调查。"),
    Step("officers", "调整承办人员", forms.OfficersForm, W, service=cs.officers, prepare=cs.prep_officers,
         initial=lambda c: {"officers": list(c.officers.all())}, done="已调整承办人员。"),
    Step("edit", "修改案件信息", forms.CaseForm, W, service=cs.edit, prepare=cs.prep_edit, initial=cs.edit_initial),
    Step("extend", "延长办案期限", forms.ExtendForm, L, service=cs.edit,
         initial=lambda c: {"extension_days": c.extension_days or 30, "extension_reason": c.extension_reason},
         done="已登记延长办案期限。",
         intro="行政处罚法第六十条：九十日内作出决定；法律、法规、规章另有规定的从其规定，延长须经批准。"),
    Step("measure", "实施查封、扣押", forms.MeasureForm, W, service=cs.measure,
         done="已登记查封、扣押措施。现场须全程录像，并在全过程记录中上传视频。",
         intro="行政强制法第二十五条：期限不得超过30日，情况复杂的经批准可延长不超过30日。"),
    Step("publish", "公示处罚决定", forms.PublishForm, W, service=cs.publish,
         done="已公示（身份证号、电话号码已作去标识化处理）。",
         intro="国办发〔2018〕118号：行政处罚决定应自作出之日起7个工作日内公开。"),
]

CASE_FLOW = Flow(
    name="case", model=Case, workflow=CASE_WORKFLOW, steps=CASE_STEPS, record_model=CaseTransition,
    record_fk="case", read_roles=permissions.READ, queryset=selectors.case_detail_qs,
    detail="enforcement:case_detail", heading=lambda c: c.number,
    derive=deadlines.derive_case_todo_due,  # the stored to-do due date follows status, dates and extensions
)

# The steps the case file offers in each status, in this order (a step's own guards still decide).
ACTIONS = {
    S.FILING: ["approve", "refuse", "officers", "edit"],
    S.INVESTIGATING: ["notice", "review", "collective", "decide", "measure", "officers", "edit", "extend"],
    S.NOTIFIED: ["hearing_request", "review", "collective", "decide", "reinvestigate", "edit", "extend"],
    S.HEARING: ["hearing", "review", "collective", "decide", "reinvestigate", "extend"],
    S.LEGAL_REVIEW: ["collective", "decide", "reinvestigate", "extend"],
    S.COLLECTIVE: ["discussion", "review", "decide", "reinvestigate", "extend"],
    S.DECIDED: ["serve", "publish", "revoke"],
    S.SERVED: ["execute", "payment", "close", "publish", "revoke"],
    S.EXECUTING: ["payment", "close", "revoke"],
    S.CLOSED: ["archive", "revoke"],
    S.REVOKED: ["archive"],
    S.ONSITE: [],
}


def case_actions(case: Case, user) -> list[Step]:
    """The steps `user` may take on the case now (the buttons of the case file)."""
    open_ = {s.name: s for s in CASE_FLOW.open_steps(case, user)}
    return [open_[name] for name in ACTIONS.get(case.status, []) if name in open_]


def case_transition(*, actor, case: Case, step: str, data: dict | None = None, expected_status: str | None = None,
                    today: dt.date | None = None) -> Case:
    """Take `step` on the case (a status change or a record on it), after every statutory guard."""
    return run_step(CASE_FLOW, actor=actor, obj=case, step=step, data=data, expected_status=expected_status,
                    today=today)
