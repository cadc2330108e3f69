"""行政强制执行, declared once: `COERCION_FLOW` (行政强制法第四章、第五章; 城乡规划法第六十五条).

催告 (Art. 35) → 陈述申辩 (Art. 36) → 强制执行决定 (Art. 37, only after the 催告 period) → 送达 (Art. 38) →
[公告, for an illegal building (Art. 44)] → 执行 (Art. 43) / 执行协议 (Art. 42) / 中止 (Art. 39) / 终结 (Art. 40);
or, where the township has no power of its own, 申请人民法院强制执行 (Arts. 53–54). Every step goes through
`coercion_transition()`; a refusal changes nothing. The periods are in `enforcement.deadlines` (core's period
table has no registration API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import snapshot
from fazhi.core.calendar import day_info, fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, permissions, records, rules, selectors
from fazhi.enforcement.forms import TEXT, StepForm, _date, _money
from fazhi.enforcement.models import (
    Case,
    CaseStatus,
    CoercionInstalment,
    CoercionProcedure,
    CoercionRoute,
    CoercionStatus,
    CoercionTransition,
    ServiceMethod,
)

C = CoercionStatus
W, LEAD = permissions.CASE_WRITE, permissions.LEADERS

COERCION_WORKFLOW = Workflow(
    "enforcement.coercion",
    allowed={
        C.PENDING: {C.URGED, C.TERMINATED},
        C.URGED: {C.HEARD, C.DECIDED, C.AGREED, C.APPLIED, C.TERMINATED},
        C.HEARD: {C.DECIDED, C.AGREED, C.APPLIED, C.TERMINATED},
        C.DECIDED: {C.SERVED, C.TERMINATED},
        C.SERVED: {C.ANNOUNCED, C.EXECUTED, C.AGREED, C.SUSPENDED, C.TERMINATED},
        C.ANNOUNCED: {C.EXECUTED, C.SUSPENDED, C.TERMINATED},
        C.AGREED: {C.EXECUTED, C.SERVED, C.SUSPENDED, C.TERMINATED},
        C.SUSPENDED: {C.SERVED, C.TERMINATED},
        C.EXECUTED: set(),
        C.TERMINATED: set(),
        C.APPLIED: set(),
    },
    labels=dict(CoercionStatus.choices),
)

# Art. 43 ¶2: 行政机关不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行相关行政决定。
FORBIDDEN_MEANS = ("停水", "断水", "停止供水", "停电", "断电", "停止供电", "停暖", "停热", "断暖", "停止供热",
                   "停气", "断气", "停止供气", "停止供燃气", "停止供应燃气", "拉闸", "限电")


# --- forms ---------------------------------------------------------------------------------------

class StartForm(forms.Form):
    obligation = forms.CharField(label="当事人应履行的义务", widget=TEXT)
    route = forms.ChoiceField(label="执行途径", choices=CoercionRoute.choices)
    demolition = forms.BooleanField(label="强制拆除违法建筑物、构筑物、设施", required=False)


class UrgeForm(StepForm):
    urged_on = _date("催告书送达日期", past=True)
    performance_days = forms.IntegerField(label="履行期限（日）", min_value=1, max_value=365)
    perform_method = forms.CharField(label="履行方式", max_length=200)
    amount = _money("涉及金钱给付的金额（元）")


class StatementForm(StepForm):
    statement_on = _date("听取陈述申辩日期", past=True)
    statement = forms.CharField(label="当事人陈述、申辩意见（放弃的写明放弃）", widget=TEXT)
    statement_response = forms.CharField(label="记录、复核意见（理由成立的，应当采纳）", widget=TEXT)


class DecideForm(StepForm):
    decided_on = _date("决定日期", past=True)
    means = forms.CharField(label="强制执行方式", max_length=200)
    decision_reason = forms.CharField(label="强制执行的理由和依据", widget=TEXT)


class ServeForm(StepForm):
    decision_served_on = _date("送达日期", past=True)
    service_method = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    service_recipient = forms.CharField(label="受送达人/签收人", max_length=100)


class AnnounceForm(StepForm):
    announced_on = _date("公告日期", past=True)
    self_removal_days = forms.IntegerField(label="限期自行拆除（日）", min_value=1, max_value=365)


class RemedyForm(StepForm):
    remedy_pending = forms.BooleanField(label="当事人已申请行政复议或提起行政诉讼、尚未审结", required=False)
    remedy_note = forms.CharField(label="复议、诉讼情况", max_length=300)


class ExecuteForm(StepForm):
    executed_at = forms.DateTimeField(label="实施时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    means = forms.CharField(label="执行方式", max_length=200)
    emergency = forms.BooleanField(label="情况紧急（夜间或法定节假日实施）", required=False)
    emergency_reason = forms.CharField(label="紧急情况说明", max_length=300, required=False)
    execution_note = forms.CharField(label="执行情况", widget=TEXT)


class AgreementForm(StepForm):
    agreement_on = _date("协议日期", past=True)
    agreement_terms = forms.CharField(label="协议内容", widget=TEXT)
    instalments = forms.CharField(label="分期履行（每行：日期 金额，如 2025-03-01 500）", widget=TEXT, required=False)


class InstalmentForm(StepForm):
    paid_on = _date("履行日期", past=True)


class SuspendForm(StepForm):
    suspended_on = _date("中止日期", past=True)
    suspend_reason = forms.CharField(label="中止理由（行政强制法第三十九条）", max_length=300)


class ResumeForm(StepForm):
    reason = forms.CharField(label="恢复执行的理由（中止情形已消失、当事人不履行执行协议）", widget=TEXT)


class TerminateForm(StepForm):
    terminated_on = _date("终结日期", past=True)
    terminate_reason = forms.CharField(label="终结理由（行政强制法第四十条）", max_length=300)


class CourtForm(StepForm):
    applied_on = _date("申请日期", past=True)
    court = forms.CharField(label="受理法院", max_length=100)


# --- guards (guard(coercion, data, today)) and services ---------------------------------------------

def _required(*names):
    def guard(c, data, today):
        for name in names:
            value = data.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                label = CoercionProcedure._meta.get_field(name).verbose_name
                raise DomainError(f"请填写“{label}”。")
    return guard


def _not_after_today(name):
    def guard(c, data, today):
        value = data.get(name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value is not None and value > today:
            raise DomainError(f"“{CoercionProcedure._meta.get_field(name).verbose_name}”不能晚于今天。")
    return guard


def _route(route):
    def guard(c, data, today):
        if c.route != route:
            raise DomainError("该强制执行由行政机关依法自行实施，不走申请法院途径。" if route == CoercionRoute.COURT
                              else "本案须申请人民法院强制执行，乡镇不能自行作出强制执行决定。")
    return guard


def _means_guard(c, data, today):
    text = str(data.get("means") or "")
    hit = next((w for w in FORBIDDEN_MEANS if w in text), None)
    if hit:
        raise DomainError(f"不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行（行政强制法第四十三条第二款），"
                          f"执行方式中不能有“{hit}”。")


def _urge_guard(c, data, today):
    case = c.case
    if case.status not in {CaseStatus.SERVED, CaseStatus.EXECUTING}:
        raise DomainError("只有已送达、当事人未履行的决定才能催告。")
    if data["urged_on"] < case.served_on:
        raise DomainError(f"催告书送达日期不能早于处罚决定书送达日期（{fmt_date(case.served_on)}）。")


def _statement_guard(c, data, today):
    if data["statement_on"] < c.urged_on:
        raise DomainError("听取陈述申辩的日期不能早于催告书送达日期。")


def _urge_period_passed(day_key):
    """Art. 37: 经催告，当事人逾期仍不履行行政决定，且无正当理由的 — only after the 催告 period."""
    def guard(c, data, today):
        due = deadlines.urge_deadline(c)
        day = data.get(day_key) or today
        if due is None or day <= due.due:
            raise DomainError(f"催告书载明的履行期限至{due}届满，期限届满前不能作出强制执行决定（行政强制法第三十七条）。"
                              if due else "尚未催告，不能作出强制执行决定（行政强制法第三十五条）。")
    return guard


def _decided_by(*, actor, obj, step, data, today):
    obj.decided_by = actor


def _serve_guard(c, data, today):
    if data["decision_served_on"] < c.decided_on:
        raise DomainError("送达日期不能早于强制执行决定日期。")


def _demolition_only(c, data, today):
    if not c.demolition:
        raise DomainError("只有强制拆除违法建筑物、构筑物、设施的，才须公告限期自行拆除（行政强制法第四十四条）。")


def _announce_guard(c, data, today):
    if data["announced_on"] < c.decision_served_on:
        raise DomainError("公告日期不能早于强制执行决定书送达日期。")


def _night_or_holiday(c, data, today):
    """Art. 43 ¶1: 不得在夜间或者法定节假日实施行政强制执行。但是，情况紧急的除外。"""
    at = timezone.localtime(data["executed_at"]) if timezone.is_aware(data["executed_at"]) else data["executed_at"]
    info = day_info(at.date())
    why = ""
    if at.hour >= 20 or at.hour < 6:
        why = f"夜间（{at:%H:%M}）"
    elif info.holiday:
        why = f"法定节假日（{info.name}）"
    if why and not (data.get("emergency") and str(data.get("emergency_reason") or "").strip()):
        raise DomainError(f"不得在{why}实施行政强制执行；情况紧急的，须勾选“情况紧急”并写明紧急情况（行政强制法第四十三条）。")


def _execute_order(c, data, today):
    if c.status == C.AGREED:
        return
    if c.demolition and c.status != C.ANNOUNCED:
        raise DomainError("强制拆除前应当予以公告，限期当事人自行拆除（行政强制法第四十四条）。")


def _remedies_lapsed(c, day: dt.date):
    lapse = deadlines.remedy_lapse(c.case)
    if c.remedy_pending:
        raise DomainError("当事人已申请行政复议或者提起行政诉讼、尚未审结，不得强制拆除（行政强制法第四十四条）。")
    if lapse is None or day <= lapse.due:
        raise DomainError(f"申请行政复议、提起行政诉讼的法定期限至{lapse}届满，期限内不得强制拆除（行政强制法第四十四条）。")


def _demolition_guard(c, data, today):
    if not c.demolition or c.status == C.AGREED:
        return
    at = data["executed_at"]
    day = (timezone.localtime(at) if timezone.is_aware(at) else at).date()
    own = deadlines.self_removal_deadline(c)
    if own is None or day <= own.due:
        raise DomainError(f"公告限期自行拆除至{own}届满，期限内不得强制拆除（行政强制法第四十四条）。")
    _remedies_lapsed(c, day)
    if not records.coercion_has_video(c):
        raise DomainError("强制拆除没有全过程视频记录，不能办结；请先在“全过程记录”中上传现场视频。")


def _execute(*, actor, obj, step, data, today):
    obj.means = data["means"] if obj.status != C.AGREED or not obj.means else obj.means


def _agreement_parse(text: str) -> list[tuple[dt.date, Decimal]]:
    out = []
    for n, line in enumerate(str(text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        try:
            day, amount = dt.date.fromisoformat(parts[0]), Decimal(parts[1])
        except (ValueError, IndexError, InvalidOperation):
            raise DomainError(f"分期第{n}行应为“日期 金额”，如 2025-03-01 500。") from None
        if amount <= 0 or amount > Decimal("1e10") or len(parts) != 2:
            raise DomainError(f"分期第{n}行的金额不正确。")
        out.append((day, amount))
    return out


def _agreement_guard(c, data, today):
    rows = _agreement_parse(data.get("instalments"))
    if any(day < data["agreement_on"] for day, _ in rows):
        raise DomainError("分期履行日期不能早于协议日期。")
    if c.amount and rows and sum(a for _, a in rows) > c.amount:
        raise DomainError(f"分期金额合计超过催告的金额（{c.amount}元）。")


def _agreement(*, actor, obj, step, data, today):
    for day, amount in _agreement_parse(data.get("instalments")):
        save_audited(CoercionInstalment(township=obj.township, coercion=obj, due_on=day, amount=amount), actor=actor)


def _instalment_guard(c, data, today):
    if c.status != C.AGREED:
        raise DomainError("只有执行协议履行中才能登记分期履行。")
    if not c.instalments.filter(paid_on__isnull=True).exists():
        raise DomainError("执行协议的各期均已履行。")


def _instalment(*, actor, obj, step, data, today):
    nxt = obj.instalments.select_for_update().filter(paid_on__isnull=True).order_by("due_on", "id").first()
    before = snapshot(nxt)
    nxt.paid_on = data["paid_on"]
    save_audited(nxt, actor=actor, before=before, reason="分期履行")


def _court_guard(c, data, today):
    """Arts. 53–54: after the remedy periods lapse, within 3 months, 10 working days after the 催告书."""
    day = data["applied_on"]
    lapse, window, ready = deadlines.remedy_lapse(c.case), deadlines.court_window(c.case), \
        deadlines.court_notice_ready(c)
    if c.remedy_pending:
        raise DomainError("当事人已申请行政复议或者提起行政诉讼、尚未审结，不能申请人民法院强制执行。")
    if lapse is None or day <= lapse.due:
        raise DomainError(f"申请行政复议、提起行政诉讼的法定期限至{lapse}届满，届满后方可申请人民法院强制执行"
                          "（行政强制法第五十三条）。")
    if day > window.due:
        raise DomainError(f"应当自复议、诉讼期限届满之日起三个月内（至{window}）申请，已超过申请期限（行政强制法第五十三条）。")
    if day <= ready.due:
        raise DomainError(f"催告书送达十个工作日后（{ready}以后）当事人仍未履行的，方可申请（行政强制法第五十四条）。")


def _resume_guard(c, data, today):
    if not str(data.get("reason") or "").strip():
        raise DomainError("请写明恢复执行的理由。")


def _paid_on_guard(c, data, today):
    if data["paid_on"] > today or (c.agreement_on and data["paid_on"] < c.agreement_on):
        raise DomainError("履行日期应在协议日期与今天之间。")


def _not_before_urge(name):
    def guard(c, data, today):
        if c.urged_on and data[name] < c.urged_on:
            raise DomainError("日期不能早于催告书送达日期。")
    return guard


COERCION_STEPS = [
    Step("urge", "催告", UrgeForm, W, target=C.URGED,
         fields=("urged_on", "performance_days", "perform_method", "amount"),
         guards=(_required("urged_on", "performance_days", "perform_method"), _not_after_today("urged_on"),
                 _urge_guard), done="已登记催告。", document="urge", reason=lambda c, d: "催告",
         intro="行政机关作出强制执行决定前，应当事先以书面形式催告当事人履行义务；催告书应当载明履行义务的期限、方式，"
               "涉及金钱给付的应当有明确的金额和给付方式，以及当事人依法享有的陈述权和申辩权（行政强制法第三十五条）。"),
    Step("statement", "听取陈述申辩", StatementForm, W, target=C.HEARD,
         fields=("statement_on", "statement", "statement_response"),
         guards=(_required("statement_on", "statement", "statement_response"), _not_after_today("statement_on"),
                 _statement_guard), done="已记录陈述申辩。", reason=lambda c, d: "听取陈述申辩",
         intro="当事人收到催告书后有权进行陈述和申辩。行政机关应当充分听取当事人的意见，对当事人提出的事实、理由和证据，"
               "应当进行记录、复核。当事人提出的事实、理由或者证据成立的，行政机关应当采纳（行政强制法第三十六条）。"),
    Step("decide", "作出强制执行决定", DecideForm, LEAD, target=C.DECIDED,
         fields=("decided_on", "means", "decision_reason"),
         guards=(_route(CoercionRoute.DIRECT), _required("decided_on", "means", "decision_reason"),
                 _not_after_today("decided_on"), _urge_period_passed("decided_on"), _means_guard),
         service=_decided_by, document="decision", done="已作出强制执行决定。", reason=lambda c, d: "强制执行决定",
         refused="强制执行决定须由行政机关负责人作出。",
         intro="经催告，当事人逾期仍不履行行政决定，且无正当理由的，行政机关可以作出强制执行决定。决定应当以书面形式作出，"
               "载明当事人、强制执行的理由和依据、方式和时间、申请复议或者提起诉讼的途径和期限（行政强制法第三十七条）。"),
    Step("serve", "送达强制执行决定书", ServeForm, W, target=C.SERVED,
         fields=("decision_served_on", "service_method", "service_recipient"),
         guards=(_required("decision_served_on", "service_method", "service_recipient"),
                 _not_after_today("decision_served_on"), _serve_guard),
         done="已登记送达。", reason=lambda c, d: "送达强制执行决定书",
         intro="催告书、行政强制执行决定书应当直接送达当事人；当事人拒绝接收或者无法直接送达的，依照民事诉讼法的有关规定送达"
               "（行政强制法第三十八条）。"),
    Step("announce", "公告限期自行拆除", AnnounceForm, W, target=C.ANNOUNCED,
         fields=("announced_on", "self_removal_days"),
         guards=(_demolition_only, _required("announced_on", "self_removal_days"), _not_after_today("announced_on"),
                 _announce_guard), document="announcement", done="已公告。", reason=lambda c, d: "公告限期自行拆除",
         when=lambda c: c.demolition,
         intro="对违法的建筑物、构筑物、设施等需要强制拆除的，应当由行政机关予以公告，限期当事人自行拆除。当事人在法定期限内"
               "不申请行政复议或者提起行政诉讼，又不拆除的，行政机关可以依法强制拆除（行政强制法第四十四条）。"),
    Step("remedy", "登记复议、诉讼情况", RemedyForm, W, fields=("remedy_pending", "remedy_note"),
         guards=(_required("remedy_note"),), done="已登记复议、诉讼情况。", reason="remedy_note",
         when=lambda c: c.status not in {C.EXECUTED, C.TERMINATED, C.APPLIED},
         intro="当事人申请行政复议或者提起行政诉讼、尚未审结的，不得强制拆除，也不能申请人民法院强制执行。"),
    Step("execute", "实施强制执行", ExecuteForm, W, target=C.EXECUTED,
         fields=("executed_at", "emergency", "emergency_reason", "execution_note"),
         guards=(_route(CoercionRoute.DIRECT), _required("executed_at", "means", "execution_note"),
                 _not_after_today("executed_at"), _means_guard, _night_or_holiday, _execute_order,
                 _demolition_guard),
         service=_execute, confirm="确认已实施强制执行？", done="已登记执行完毕。", reason="execution_note",
         intro="不得在夜间或者法定节假日实施行政强制执行，情况紧急的除外；不得对居民生活采取停止供水、供电、供热、供燃气等方式"
               "迫使当事人履行（行政强制法第四十三条）。强制拆除须全程录像。"),
    Step("agreement", "达成执行协议", AgreementForm, W, target=C.AGREED, fields=("agreement_on", "agreement_terms"),
         guards=(_route(CoercionRoute.DIRECT), _required("agreement_on", "agreement_terms"),
                 _not_after_today("agreement_on"), _not_before_urge("agreement_on"), _agreement_guard),
         service=_agreement, done="已登记执行协议。", reason="agreement_terms",
         intro="实施行政强制执行，行政机关可以在不损害公共利益和他人合法权益的情况下，与当事人达成执行协议。执行协议可以约定"
               "分阶段履行；当事人不履行执行协议的，行政机关应当恢复强制执行（行政强制法第四十二条）。"),
    Step("instalment", "登记分期履行", InstalmentForm, W, guards=(_instalment_guard, _paid_on_guard),
         service=_instalment, done="已登记本期履行。", reason=lambda c, d: "分期履行",
         when=lambda c: c.status == C.AGREED),
    Step("suspend", "中止执行", SuspendForm, LEAD, target=C.SUSPENDED, fields=("suspended_on", "suspend_reason"),
         guards=(_required("suspended_on", "suspend_reason"), _not_after_today("suspended_on")),
         done="已中止执行。", reason="suspend_reason", refused="中止执行须由行政机关负责人决定。",
         intro="当事人履行行政决定确有困难或者暂无履行能力的、第三人对执行标的主张权利确有理由的、执行可能造成难以弥补的损失"
               "且中止执行不损害公共利益的，中止执行；情形消失后应当恢复执行（行政强制法第三十九条）。"),
    Step("resume", "恢复执行", ResumeForm, LEAD, target=C.SERVED, guards=(_resume_guard,),
         when=lambda c: c.status in {C.SUSPENDED, C.AGREED}, done="已恢复执行。",
         refused="恢复执行须由行政机关负责人决定。"),
    Step("terminate", "终结执行", TerminateForm, LEAD, target=C.TERMINATED, fields=("terminated_on", "terminate_reason"),
         guards=(_required("terminated_on", "terminate_reason"), _not_after_today("terminated_on")),
         confirm="确认终结执行？", done="已终结执行。", reason="terminate_reason", refused="终结执行须由行政机关负责人决定。",
         intro="公民死亡无遗产可供执行又无义务承受人、法人或者其他组织终止无财产可供执行又无义务承受人、执行标的灭失、"
               "据以执行的行政决定被撤销的，终结执行（行政强制法第四十条）。"),
    Step("court", "申请人民法院强制执行", CourtForm, LEAD, target=C.APPLIED, fields=("applied_on", "court"),
         guards=(_route(CoercionRoute.COURT), _required("applied_on", "court"), _not_after_today("applied_on"),
                 _court_guard), document="application", done="已登记申请人民法院强制执行。", reason="court",
         when=lambda c: c.route == CoercionRoute.COURT, refused="申请人民法院强制执行须由行政机关负责人签署。",
         intro="当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行的，没有行政强制执行权的行政机关可以自期限届满之日"
               "起三个月内申请人民法院强制执行；申请前应当催告，催告书送达十日后当事人仍未履行义务的，方可申请"
               "（行政强制法第五十三条、第五十四条；第六十九条：十日为工作日）。"),
]


class CoercionFlow(Flow):
    def open_steps(self, obj, user=None):
        steps = super().open_steps(obj, user)
        if obj.route == CoercionRoute.COURT:
            steps = [s for s in steps if s.name not in {"decide", "serve", "announce", "execute", "agreement"}]
        return steps


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
    from fazhi.enforcement.workflow.cases import case_transition

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

