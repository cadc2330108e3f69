"""The 行政强制执行 steps' forms, guards and services, for `COERCION_STEPS` in workflow/coercion.py.

A guard is `guard(coercion, data, today)` and refuses with a DomainError (nothing is written); a service is
`service(*, actor, obj, step, data, today)`. The statute each guard applies is named beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone

from fazhi.audit.services import snapshot
from fazhi.core.calendar import day_info, fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.writes import save_audited
from fazhi.enforcement import deadlines, records
from fazhi.enforcement.forms import TEXT, StepForm, _date, _money
from fazhi.enforcement.models import (
    CaseStatus,
    CoercionInstalment,
    CoercionProcedure,
    CoercionRoute,
    CoercionStatus,
    ServiceMethod,
)

C = CoercionStatus


# Art. 43 ¶2: 行政机关不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行相关行政决定。
FORBIDDEN_MEANS = ("停水", "断水", "停止供水", "停电", "断电", "停止供电", "停暖", "停热", "断暖", "停止供热",
                   "停气", "断气", "停止供气", "停止供燃气", "停止供应燃气", "拉闸", "限电")


# --- forms ---------------------------------------------------------------------------------------

class StartForm(forms.Form):
    obligation = forms.CharField(label="当事人应履行的义务", widget=TEXT)
    route = forms.ChoiceField(label="执行途径", choices=CoercionRoute.choices,
                              help_text="代履行适用于排除妨碍、恢复原状等义务，其后果已经或者将危害交通安全、造成环境污染或者"
                                        "破坏自然资源的（第五十条）；需要立即清除道路、河道、航道或者公共场所的遗洒物、障碍物、"
                                        "污染物的，立即代履行（第五十二条）。")
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

def required(*names):
    def guard(c, data, today):
        for name in names:
            value = data.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                label = CoercionProcedure._meta.get_field(name).verbose_name
                raise DomainError(f"请填写“{label}”。")
    return guard


def not_after_today(name):
    def guard(c, data, today):
        value = data.get(name)
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if value is not None and value > today:
            raise DomainError(f"“{CoercionProcedure._meta.get_field(name).verbose_name}”不能晚于今天。")
    return guard


def route(route):
    def guard(c, data, today):
        if c.route != route:
            raise DomainError("该强制执行由行政机关依法自行实施，不走申请法院途径。" if route == CoercionRoute.COURT
                              else "本案须申请人民法院强制执行，乡镇不能自行作出强制执行决定。")
    return guard


def means_guard(c, data, today):
    text = str(data.get("means") or "")
    hit = next((w for w in FORBIDDEN_MEANS if w in text), None)
    if hit:
        raise DomainError(f"不得对居民生活采取停止供水、供电、供热、供燃气等方式迫使当事人履行（行政强制法第四十三条第二款），"
                          f"执行方式中不能有“{hit}”。")


def urge_guard(c, data, today):
    case = c.case
    if case.status not in {CaseStatus.SERVED, CaseStatus.EXECUTING}:
        raise DomainError("只有已送达、当事人未履行的决定才能催告。")
    if data["urged_on"] < case.served_on:
        raise DomainError(f"催告书送达日期不能早于处罚决定书送达日期（{fmt_date(case.served_on)}）。")


def statement_guard(c, data, today):
    if data["statement_on"] < c.urged_on:
        raise DomainError("听取陈述申辩的日期不能早于催告书送达日期。")


def urge_period_passed(day_key):
    """Art. 37: 经催告，当事人逾期仍不履行行政决定，且无正当理由的 — only after the 催告 period."""
    def guard(c, data, today):
        due = deadlines.urge_deadline(c)
        day = data.get(day_key) or today
        if due is None or day <= due.due:
            raise DomainError(f"催告书载明的履行期限至{due}届满，期限届满前不能作出强制执行决定（行政强制法第三十七条）。"
                              if due else "尚未催告，不能作出强制执行决定（行政强制法第三十五条）。")
    return guard


def decided_by(*, actor, obj, step, data, today):
    obj.decided_by = actor


def serve_guard(c, data, today):
    if data["decision_served_on"] < c.decided_on:
        raise DomainError("送达日期不能早于强制执行决定日期。")


def demolition_only(c, data, today):
    if not c.demolition:
        raise DomainError("只有强制拆除违法建筑物、构筑物、设施的，才须公告限期自行拆除（行政强制法第四十四条）。")


def announce_guard(c, data, today):
    if data["announced_on"] < c.decision_served_on:
        raise DomainError("公告日期不能早于强制执行决定书送达日期。")


def night_or_holiday(c, data, today):
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


def execute_order(c, data, today):
    if c.status == C.AGREED:
        return
    if c.demolition and c.status != C.ANNOUNCED:
        raise DomainError("强制拆除前应当予以公告，限期当事人自行拆除（行政强制法第四十四条）。")


def remedies_lapsed(c, day: dt.date):
    lapse = deadlines.remedy_lapse(c.case)
    if c.remedy_pending:
        raise DomainError("当事人已申请行政复议或者提起行政诉讼、尚未审结，不得强制拆除（行政强制法第四十四条）。")
    if lapse is None or day <= lapse.due:
        raise DomainError(f"申请行政复议、提起行政诉讼的法定期限至{lapse}届满，期限内不得强制拆除（行政强制法第四十四条）。")


def demolition_guard(c, data, today):
    if not c.demolition or c.status == C.AGREED:
        return
    at = data["executed_at"]
    day = (timezone.localtime(at) if timezone.is_aware(at) else at).date()
    own = deadlines.self_removal_deadline(c)
    if own is None or day <= own.due:
        raise DomainError(f"公告限期自行拆除至{own}届满，期限内不得强制拆除（行政强制法第四十四条）。")
    remedies_lapsed(c, day)
    if not records.coercion_has_video(c):
        raise DomainError("强制拆除没有全过程视频记录，不能办结；请先在“全过程记录”中上传现场视频。")


def execute(*, actor, obj, step, data, today):
    obj.means = data["means"] if obj.status != C.AGREED or not obj.means else obj.means


def agreement_parse(text: str) -> list[tuple[dt.date, Decimal]]:
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


def agreement_guard(c, data, today):
    rows = agreement_parse(data.get("instalments"))
    if any(day < data["agreement_on"] for day, _ in rows):
        raise DomainError("分期履行日期不能早于协议日期。")
    if c.amount and rows and sum(a for _, a in rows) > c.amount:
        raise DomainError(f"分期金额合计超过催告的金额（{c.amount}元）。")


def agreement(*, actor, obj, step, data, today):
    for day, amount in agreement_parse(data.get("instalments")):
        save_audited(CoercionInstalment(township=obj.township, coercion=obj, due_on=day, amount=amount), actor=actor)


def instalment_guard(c, data, today):
    if c.status != C.AGREED:
        raise DomainError("只有执行协议履行中才能登记分期履行。")
    if not c.instalments.filter(paid_on__isnull=True).exists():
        raise DomainError("执行协议的各期均已履行。")


def instalment(*, actor, obj, step, data, today):
    nxt = obj.instalments.select_for_update().filter(paid_on__isnull=True).order_by("due_on", "id").first()
    before = snapshot(nxt)
    nxt.paid_on = data["paid_on"]
    save_audited(nxt, actor=actor, before=before, reason="分期履行")


def court_guard(c, data, today):
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


def resume_guard(c, data, today):
    if not str(data.get("reason") or "").strip():
        raise DomainError("请写明恢复执行的理由。")


def paid_on_guard(c, data, today):
    if data["paid_on"] > today or (c.agreement_on and data["paid_on"] < c.agreement_on):
        raise DomainError("履行日期应在协议日期与今天之间。")


def not_before_urge(name):
    def guard(c, data, today):
        if c.urged_on and data[name] < c.urged_on:
            raise DomainError("日期不能早于催告书送达日期。")
    return guard
