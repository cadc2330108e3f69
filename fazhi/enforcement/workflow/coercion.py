"""行政强制执行, declared once: `COERCION_FLOW` (行政强制法第四章、第五章; 城乡规划法第六十五条).

催告 (Art. 35) → 陈述申辩 (Art. 36) → 强制执行决定 (Art. 37, only after the 催告 period) → 送达 (Art. 38) →
[公告, for an illegal building (Art. 44)] → 执行 (Art. 43) / 执行协议 (Art. 42) / 中止 (Art. 39) / 终结 (Art. 40);
or, where the township has no power of its own, 申请人民法院强制执行 (Arts. 53–54). Every step goes through
`coercion_transition()`; a refusal changes nothing. This module is the declaration; the steps' forms,
guards and services are in workflow/coercion_steps.py (`cs.`). The periods are rows of core's period table
(enf.coercion_perform, enf.self_removal, enf.court_application, enf.court_urge), counted in `enforcement.deadlines`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, permissions, rules, selectors
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoercionProcedure,
    CoercionRoute,
    CoercionStatus,
    CoercionTransition,
    ProxyGround,
)
from fazhi.enforcement.workflow import coercion_steps as cs
from fazhi.enforcement.workflow import proxy_steps as ps
from fazhi.enforcement.workflow.cases import case_transition

C = CoercionStatus
W, LEAD = permissions.CASE_WRITE, permissions.LEADERS

COERCION_WORKFLOW = Workflow(
    "enforcement.coercion",
    allowed={
        C.PENDING: {C.URGED, C.PROXY_DONE, C.TERMINATED},
        C.URGED: {C.HEARD, C.DECIDED, C.AGREED, C.APPLIED, C.PROXY_DECIDED, C.TERMINATED},
        C.HEARD: {C.DECIDED, C.AGREED, C.APPLIED, C.PROXY_DECIDED, C.TERMINATED},
        C.DECIDED: {C.SERVED, C.TERMINATED},
        C.SERVED: {C.ANNOUNCED, C.EXECUTED, C.AGREED, C.SUSPENDED, C.TERMINATED},
        C.ANNOUNCED: {C.EXECUTED, C.SUSPENDED, C.TERMINATED},
        C.AGREED: {C.EXECUTED, C.SERVED, C.SUSPENDED, C.TERMINATED},
        C.SUSPENDED: {C.SERVED, C.TERMINATED},
        C.EXECUTED: set(),
        C.TERMINATED: set(),
        C.APPLIED: set(),
        # 代履行 (Arts. 50–51): 决定 → 送达 → 三日前催告 → 代履行 (or the party performs: stopped, Art. 51(1)(二))
        C.PROXY_DECIDED: {C.PROXY_SERVED, C.TERMINATED},
        C.PROXY_SERVED: {C.PROXY_URGED, C.EXECUTED, C.TERMINATED},
        C.PROXY_URGED: {C.EXECUTED, C.TERMINATED},
        # 立即代履行 (Art. 52): carried out at once, the party notified afterwards
        C.PROXY_DONE: {C.EXECUTED},
    },
    labels=dict(CoercionStatus.choices),
)


COERCION_STEPS = [
    Step("urge", "催告", cs.UrgeForm, W, target=C.URGED,
         fields=("urged_on", "performance_days", "perform_method", "amount"),
         guards=(cs.required("urged_on", "performance_days", "perform_method"), cs.not_after_today("urged_on"),
                 cs.urge_guard), done="已登记催告。", document="urge", reason=lambda c, d: "催告",
         intro="行政机关作出强制执行决定前，应当事先以书面形式催告当事人履行义务；催告书应当载明履行义务的期限、方式，"
               "涉及金钱给付的应当有明确的金额和给付方式，以及当事人依法享有的陈述权和申辩权（行政强制法第三十五条）。"),
    Step("statement", "听取陈述申辩", cs.StatementForm, W, target=C.HEARD,
         fields=("statement_on", "statement", "statement_response"),
         guards=(cs.required("statement_on", "statement", "statement_response"), cs.not_after_today("statement_on"),
                 cs.statement_guard), done="已记录陈述申辩。", reason=lambda c, d: "听取陈述申辩",
         intro="当事人收到催告书后有权进行陈述和申辩。行政机关应当充分听取当事人的意见，对当事人提出的事实、理由和证据，"
               "应当进行记录、复核。当事人提出的事实、理由或者证据成立的，行政机关应当采纳（行政强制法第三十六条）。"),
    Step("decide", "作出强制执行决定", cs.DecideForm, LEAD, target=C.DECIDED,
         fields=("decided_on", "means", "decision_reason"),
         guards=(cs.route(CoercionRoute.DIRECT), cs.required("decided_on", "means", "decision_reason"),
                 cs.not_after_today("decided_on"), cs.urge_period_passed("decided_on"), cs.means_guard),
         service=cs.decided_by, document="decision", done="已作出强制执行决定。", reason=lambda c, d: "强制执行决定",
         refused="强制执行决定须由行政机关负责人作出。",
         intro="经催告，当事人逾期仍不履行行政决定，且无正当理由的，行政机关可以作出强制执行决定。决定应当以书面形式作出，"
               "载明当事人、强制执行的理由和依据、方式和时间、申请复议或者提起诉讼的途径和期限（行政强制法第三十七条）。"),
    Step("serve", "送达强制执行决定书", cs.ServeForm, W, target=C.SERVED,
         fields=("decision_served_on", "service_method", "service_recipient"),
         guards=(cs.required("decision_served_on", "service_method", "service_recipient"),
                 cs.not_after_today("decision_served_on"), cs.serve_guard),
         done="已登记送达。", reason=lambda c, d: "送达强制执行决定书",
         intro="催告书、行政强制执行决定书应当直接送达当事人；当事人拒绝接收或者无法直接送达的，依照民事诉讼法的有关规定送达"
               "（行政强制法第三十八条）。"),
    Step("announce", "公告限期自行拆除", cs.AnnounceForm, W, target=C.ANNOUNCED,
         fields=("announced_on", "self_removal_days"),
         guards=(cs.demolition_only, cs.required("announced_on", "self_removal_days"), cs.not_after_today("announced_on"),
                 cs.announce_guard), document="announcement", done="已公告。", reason=lambda c, d: "公告限期自行拆除",
         when=lambda c: c.demolition,
         intro="对违法的建筑物、构筑物、设施等需要强制拆除的，应当由行政机关予以公告，限期当事人自行拆除。当事人在法定期限内"
               "不申请行政复议或者提起行政诉讼，又不拆除的，行政机关可以依法强制拆除（行政强制法第四十四条）。"),
    Step("remedy", "登记复议、诉讼情况", cs.RemedyForm, W, fields=("remedy_pending", "remedy_note"),
         guards=(cs.required("remedy_note"),), done="已登记复议、诉讼情况。", reason="remedy_note",
         when=lambda c: c.status not in {C.EXECUTED, C.TERMINATED, C.APPLIED},
         intro="当事人申请行政复议或者提起行政诉讼、尚未审结的，不得强制拆除，也不能申请人民法院强制执行。"),
    Step("execute", "实施强制执行", cs.ExecuteForm, W, target=C.EXECUTED,
         fields=("executed_at", "emergency", "emergency_reason", "execution_note"),
         guards=(cs.route(CoercionRoute.DIRECT), cs.required("executed_at", "means", "execution_note"),
                 cs.not_after_today("executed_at"), cs.means_guard, cs.night_or_holiday, cs.execute_order,
                 cs.demolition_guard),
         service=cs.execute, confirm="确认已实施强制执行？", done="已登记执行完毕。", reason="execution_note",
         intro="不得在夜间或者法定节假日实施行政强制执行，情况紧急的除外；不得对居民生活采取停止供水、供电、供热、供燃气等方式"
               "迫使当事人履行（行政强制法第四十三条）。强制拆除须全程录像。"),
    Step("agreement", "达成执行协议", cs.AgreementForm, W, target=C.AGREED, fields=("agreement_on", "agreement_terms"),
         guards=(cs.route(CoercionRoute.DIRECT), cs.required("agreement_on", "agreement_terms"),
                 cs.not_after_today("agreement_on"), cs.not_before_urge("agreement_on"), cs.agreement_guard),
         service=cs.agreement, done="已登记执行协议。", reason="agreement_terms",
         intro="实施行政强制执行，行政机关可以在不损害公共利益和他人合法权益的情况下，与当事人达成执行协议。执行协议可以约定"
               "分阶段履行；当事人不履行执行协议的，行政机关应当恢复强制执行（行政强制法第四十二条）。"),
    Step("instalment", "登记分期履行", cs.InstalmentForm, W, guards=(cs.instalment_guard, cs.paid_on_guard),
         service=cs.instalment, done="已登记本期履行。", reason=lambda c, d: "分期履行",
         when=lambda c: c.status == C.AGREED),
    Step("suspend", "中止执行", cs.SuspendForm, LEAD, target=C.SUSPENDED, fields=("suspended_on", "suspend_reason"),
         guards=(cs.required("suspended_on", "suspend_reason"), cs.not_after_today("suspended_on")),
         done="已中止执行。", reason="suspend_reason", refused="中止执行须由行政机关负责人决定。",
         intro="当事人履行行政决定确有困难或者暂无履行能力的、第三人对执行标的主张权利确有理由的、执行可能造成难以弥补的损失"
               "且中止执行不损害公共利益的，中止执行；情形消失后应当恢复执行（行政强制法第三十九条）。"),
    Step("resume", "恢复执行", cs.ResumeForm, LEAD, target=C.SERVED, guards=(cs.resume_guard,),
         when=lambda c: c.status in {C.SUSPENDED, C.AGREED}, done="已恢复执行。",
         refused="恢复执行须由行政机关负责人决定。"),
    Step("terminate", "终结执行", cs.TerminateForm, LEAD, target=C.TERMINATED, fields=("terminated_on", "terminate_reason"),
         guards=(cs.required("terminated_on", "terminate_reason"), cs.not_after_today("terminated_on")),
         confirm="确认终结执行？", done="已终结执行。", reason="terminate_reason", refused="终结执行须由行政机关负责人决定。",
         intro="公民死亡无遗产可供执行又无义务承受人、法人或者其他组织终止无财产可供执行又无义务承受人、执行标的灭失、"
               "据以执行的行政决定被撤销的，终结执行（行政强制法第四十条）。"),
    Step("court", "申请人民法院强制执行", cs.CourtForm, LEAD, target=C.APPLIED, fields=("applied_on", "court"),
         guards=(cs.route(CoercionRoute.COURT), cs.required("applied_on", "court"), cs.not_after_today("applied_on"),
                 cs.court_guard), document="application", done="已登记申请人民法院强制执行。", reason="court",
         when=lambda c: c.route == CoercionRoute.COURT, refused="申请人民法院强制执行须由行政机关负责人签署。",
         intro="当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，没有行政强制执行权的行政机关可以自期限届满之日"
               "起三个月内申请人民法院强制执行；申请前应当催告，催告书送达十日后当事人仍未履行义务的，方可申请"
               "（行政强制法第五十三条、第五十四条；第六十九条：十日为工作日）。"),
]

PROXY, PROXY_NOW = CoercionRoute.PROXY, CoercionRoute.PROXY_NOW
_SIGNED = ("proxy_supervisor", "emergency", "emergency_reason", "execution_note", "proxy_staff_signed",
           "proxy_performer_signed", "proxy_party_signed", "proxy_witness", "proxy_cost", "proxy_cost_basis")
_PERFORMED = (cs.not_after_today("executed_at"), cs.night_or_holiday, ps.proxy_signatures, ps.proxy_cost,
              ps.proxy_lawful_means)

PROXY_STEPS = [
    Step("proxy_decide", "作出代履行决定", ps.ProxyDecideForm, LEAD, target=C.PROXY_DECIDED,
         fields=("decided_on", "proxy_ground", "decision_reason", "proxy_object", "means", "proxy_planned_on",
                 "proxy_performer", "proxy_third_party", "proxy_no_interest", "proxy_budget"),
         guards=(ps.proxy_route(PROXY), cs.required("decided_on", "decision_reason", "proxy_object", "means",
                                                     "proxy_planned_on", "proxy_performer", "proxy_budget"),
                 cs.not_after_today("decided_on"), ps.proxy_not_money,
                 ps.proxy_ground(ProxyGround.TRAFFIC, ProxyGround.POLLUTION, ProxyGround.RESOURCES),
                 cs.urge_period_passed("decided_on"), ps.proxy_performer, ps.proxy_decide_guard, cs.means_guard),
         service=ps.proxy_decided, document="proxy", done="已作出代履行决定。", reason=lambda c, d: "代履行决定",
         refused="代履行决定须由行政机关负责人作出。",
         intro="当事人逾期不履行排除妨碍、恢复原状等义务，经催告仍不履行，其后果已经或者将危害交通安全、造成环境污染或者破坏"
               "自然资源的，行政机关可以代履行，或者委托没有利害关系的第三人代履行（行政强制法第五十条）。代履行决定书应当载明"
               "当事人的姓名或者名称、地址，代履行的理由和依据、方式和时间、标的、费用预算以及代履行人（第五十一条第一款第一项）。"),
    Step("proxy_serve", "送达代履行决定书", cs.ServeForm, W, target=C.PROXY_SERVED,
         fields=("decision_served_on", "service_method", "service_recipient"),
         guards=(ps.proxy_route(PROXY), cs.required("decision_served_on", "service_method", "service_recipient"),
                 cs.not_after_today("decision_served_on"), ps.proxy_serve_guard),
         done="已登记送达代履行决定书。", reason=lambda c, d: "送达代履行决定书",
         intro="代履行前送达决定书（行政强制法第五十一条第一款第一项）；送达依照第三十八条。"),
    Step("proxy_urge", "代履行前催告", ps.ProxyUrgeForm, W, target=C.PROXY_URGED, fields=("proxy_urged_on",),
         guards=(ps.proxy_route(PROXY), cs.required("proxy_urged_on"), cs.not_after_today("proxy_urged_on"),
                 ps.proxy_urge_guard), done="已登记代履行前催告。", reason=lambda c, d: "代履行三日前催告",
         intro="代履行三日前，催告当事人履行，当事人履行的，停止代履行（行政强制法第五十一条第一款第二项）。"),
    Step("proxy_perform", "实施代履行", ps.ProxyPerformForm, W, target=C.EXECUTED, fields=("executed_at", *_SIGNED),
         guards=(ps.proxy_route(PROXY), cs.required("executed_at", "execution_note"), ps.proxy_three_days,
                 *_PERFORMED),
         confirm="确认已实施代履行？", done="已登记代履行完毕。", reason="execution_note",
         intro="代履行时，作出决定的行政机关应当派员到场监督；代履行完毕，到场监督的工作人员、代履行人和当事人或者见证人应当"
               "在执行文书上签名或者盖章。代履行的费用按照成本合理确定，由当事人承担。代履行不得采用暴力、胁迫以及其他非法方式"
               "（行政强制法第五十一条）；不得在夜间或者法定节假日实施，情况紧急的除外（第四十三条）。"),
    Step("proxy_stop", "当事人已履行，停止代履行", ps.ProxyStopForm, W, target=C.EXECUTED, fields=("execution_note",),
         guards=(ps.proxy_route(PROXY), cs.required("execution_note")), when=lambda c: c.status != C.PROXY_DONE,
         confirm="确认当事人已自行履行、停止代履行？", done="当事人已履行，代履行停止。", reason="execution_note",
         intro="代履行三日前催告当事人履行，当事人履行的，停止代履行（行政强制法第五十一条第一款第二项）。"),
    Step("proxy_now", "立即代履行", ps.ProxyNowForm, W, target=C.PROXY_DONE,
         fields=("proxy_ground", "proxy_object", "means", "proxy_performer", "proxy_third_party", "proxy_no_interest",
                 "executed_at", *_SIGNED),
         guards=(ps.proxy_route(PROXY_NOW), cs.required("proxy_object", "means", "proxy_performer", "executed_at",
                                                         "execution_note"),
                 ps.proxy_not_money, ps.proxy_ground(ProxyGround.CLEAR_NOW), ps.proxy_performer, *_PERFORMED),
         service=ps.proxy_now, confirm="确认已立即实施代履行？", done="已登记立即代履行，请事后立即通知当事人。",
         reason="execution_note",
         intro="需要立即清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物，当事人不能清除的，行政机关可以决定立即实施"
               "代履行；当事人不在场的，行政机关应当在事后立即通知当事人，并依法作出处理（行政强制法第五十二条）。"),
    Step("proxy_notify", "事后通知当事人", ps.ProxyNotifyForm, W, target=C.EXECUTED,
         fields=("proxy_notified_on", "proxy_notice_method"),
         guards=(ps.proxy_route(PROXY_NOW), cs.required("proxy_notified_on", "proxy_notice_method"),
                 cs.not_after_today("proxy_notified_on"), ps.proxy_notify_guard),
         document="proxy_notice", done="已通知当事人，代履行办结。", reason="reason",
         when=lambda c: c.status == C.PROXY_DONE,
         intro="当事人不在场的，行政机关应当在事后立即通知当事人，并依法作出处理；代履行的费用由当事人承担"
               "（行政强制法第五十二条、第五十一条第二款）。"),
]
COERCION_STEPS += PROXY_STEPS

_DIRECT_ONLY = {"decide", "serve", "announce", "execute", "agreement", "instalment", "suspend", "resume"}
_PROXY_ONLY = {s.name for s in PROXY_STEPS}


class CoercionFlow(Flow):
    def open_steps(self, obj, user=None):
        steps = super().open_steps(obj, user)
        hide = set()
        if obj.route == CoercionRoute.COURT:
            hide = _DIRECT_ONLY | _PROXY_ONLY
        elif obj.route == CoercionRoute.DIRECT:
            hide = _PROXY_ONLY | {"court"}
        elif obj.route == PROXY:
            hide = _DIRECT_ONLY | {"court", "proxy_now", "proxy_notify"}
        elif obj.route == PROXY_NOW:
            hide = _DIRECT_ONLY | {"court", "urge", "statement", "proxy_decide", "proxy_serve", "proxy_urge",
                                   "proxy_perform", "proxy_stop"}
        return [s for s in steps if s.name not in hide]


COERCION_FLOW = CoercionFlow(
    name="coercion", model=CoercionProcedure, workflow=COERCION_WORKFLOW, steps=COERCION_STEPS,
    record_model=CoercionTransition, record_fk="coercion", read_roles=permissions.READ,
    queryset=selectors.coercion_list_for, detail="enforcement:coercion_detail",
    heading=lambda c: f"{c.case.number} 强制执行",
)


def coercion_transition(*, actor, coercion: CoercionProcedure, step: str, data: dict | None = None,
                        expected_status: str | None = None, today: dt.date | None = None) -> CoercionProcedure:
    return run_step(COERCION_FLOW, actor=actor, obj=coercion, step=step, data=data, expected_status=expected_status,
                    today=today)


@transaction.atomic
def coercion_start(*, actor, case: Case, obligation: str, route: str = CoercionRoute.DIRECT,
                   demolition: bool = False, today: dt.date | None = None) -> CoercionProcedure:
    """Open a 行政强制执行 on a served decision the party has not performed (the case goes to 执行中)."""
    today = today or timezone.localdate()
    require_role(actor, case.township, W, f"您无权在{case.township.name}启动行政强制执行。")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in {CaseStatus.SERVED, CaseStatus.EXECUTING}:
        raise DomainError("只有决定已送达、进入执行的案件才能启动行政强制执行。")
    if not str(obligation or "").strip():
        raise DomainError("请写明当事人应履行的义务。")
    if route not in CoercionRoute.values:
        raise DomainError("请选择执行途径。")
    open_ = {C.EXECUTED, C.TERMINATED, C.APPLIED}
    if case.coercions.exclude(status__in=open_).exists():
        raise DomainError("本案已有进行中的强制执行程序。")
    if case.has_fine:
        due = deadlines.payment_deadline(case, rules.settings_for(case.township))
        if due is not None and today <= due.due:
            raise DomainError(f"缴纳罚款的期限至{due}届满，期限届满前不能启动强制执行。")
    if case.status == CaseStatus.SERVED and case.has_fine:  # a fine's case is 执行中 (the case flow's own step)
        case = case_transition(actor=actor, case=case, step="execute", today=today,
                               data={"reason": "当事人逾期不履行，启动行政强制执行"})
    c = CoercionProcedure(township=case.township, case=case, obligation=obligation.strip(), route=route,
                          demolition=bool(demolition), created_by=actor)
    return save_audited(c, actor=actor)

