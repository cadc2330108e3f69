"""The 代履行 steps' forms, guards and services (行政强制法第五十条至第五十二条), for the proxy routes of
`COERCION_STEPS` in workflow/coercion.py; the general 强制执行 steps are in coercion_steps.py."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.enforcement import deadlines
from fazhi.enforcement.forms import TEXT, StepForm, _date, _money
from fazhi.enforcement.models import (
    CoercionRoute,
    CoercionStatus,
    ProxyGround,
)
from fazhi.enforcement.workflow.coercion_steps import means_guard

C = CoercionStatus


class ProxyDecideForm(StepForm):
    decided_on = _date("代履行决定日期", past=True)
    proxy_ground = forms.ChoiceField(label="代履行的情形（第五十条）", choices=ProxyGround.choices[:3])
    decision_reason = forms.CharField(label="代履行的理由和依据", widget=TEXT)
    proxy_object = forms.CharField(label="代履行标的", max_length=200)
    means = forms.CharField(label="代履行方式", max_length=200)
    proxy_planned_on = _date("代履行时间")
    proxy_performer = forms.CharField(label="代履行人（本机关或者受委托的第三人）", max_length=100)
    proxy_third_party = forms.BooleanField(label="委托第三人代履行", required=False)
    proxy_no_interest = forms.BooleanField(label="受委托的第三人与当事人没有利害关系", required=False)
    proxy_budget = _money("代履行费用预算（元）", required=True)


class ProxyUrgeForm(StepForm):
    proxy_urged_on = _date("催告日期（代履行三日前）", past=True)


class ProxyPerformForm(StepForm):
    executed_at = forms.DateTimeField(label="实施时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    proxy_supervisor = forms.CharField(label="到场监督的工作人员", max_length=100)
    emergency = forms.BooleanField(label="情况紧急（夜间或法定节假日实施）", required=False)
    emergency_reason = forms.CharField(label="紧急情况说明", max_length=300, required=False)
    execution_note = forms.CharField(label="代履行情况", widget=TEXT)
    proxy_staff_signed = forms.BooleanField(label="监督人员已在执行文书上签名", required=False)
    proxy_performer_signed = forms.BooleanField(label="代履行人已在执行文书上签名或者盖章", required=False)
    proxy_party_signed = forms.BooleanField(label="当事人在场并签名", required=False)
    proxy_witness = forms.CharField(label="见证人（当事人不在场或者拒绝签名的）", max_length=100, required=False)
    proxy_cost = _money("代履行费用（元）", required=True)
    proxy_cost_basis = forms.CharField(label="费用计算（按照成本合理确定：人工、机械、运输、处置等）", widget=TEXT)


class ProxyNowForm(ProxyPerformForm):
    proxy_ground = forms.ChoiceField(label="情形（第五十二条）", choices=ProxyGround.choices[3:])
    proxy_object = forms.CharField(label="清除的遗洒物、障碍物或者污染物及其位置", max_length=200)
    means = forms.CharField(label="代履行方式", max_length=200)
    proxy_performer = forms.CharField(label="代履行人（本机关或者受委托的第三人）", max_length=100)
    proxy_third_party = forms.BooleanField(label="委托第三人代履行", required=False)
    proxy_no_interest = forms.BooleanField(label="受委托的第三人与当事人没有利害关系", required=False)
    proxy_party_signed = forms.BooleanField(label="当事人在场并签名（当事人不能清除）", required=False)


class ProxyNotifyForm(StepForm):
    proxy_notified_on = _date("通知当事人日期", past=True)
    proxy_notice_method = forms.CharField(label="通知方式", max_length=100)
    execution_note = forms.CharField(label="依法处理情况（费用由当事人承担等）", widget=TEXT)


class ProxyStopForm(StepForm):
    execution_note = forms.CharField(label="当事人履行情况（当事人履行的，停止代履行）", widget=TEXT)


# --- 代履行 (行政强制法第五十条至第五十二条) -------------------------------------------------------------------

def proxy_route(*routes):
    def guard(c, data, today):
        if c.route not in routes:
            raise DomainError("该强制执行不是代履行，不能办理代履行步骤。" if c.route not in
                              (CoercionRoute.PROXY, CoercionRoute.PROXY_NOW) else
                              "立即代履行（第五十二条）与经决定、催告的代履行（第五十一条）程序不同，请按本程序的步骤办理。")
    return guard


def proxy_not_money(c, data, today):
    """Art. 50: 代履行 is for 排除妨碍、恢复原状等义务 — a money obligation is executed by other means."""
    if c.amount:
        raise DomainError("代履行适用于排除妨碍、恢复原状等义务；金钱给付义务不能代履行（行政强制法第五十条），"
                          "应当加处罚款、滞纳金或者划拨、拍卖。")


def proxy_ground(*allowed):
    def guard(c, data, today):
        ground = data.get("proxy_ground") or c.proxy_ground
        if ground not in allowed:
            raise DomainError("立即代履行限于需要立即清除道路、河道、航道或者公共场所的遗洒物、障碍物或者污染物的情形"
                              "（行政强制法第五十二条）。" if ProxyGround.CLEAR_NOW in allowed else
                              "代履行须是其后果已经或者将危害交通安全、造成环境污染或者破坏自然资源的（行政强制法第五十条）。")
    return guard


def proxy_performer(c, data, today):
    """Art. 50: the agency itself, or a third party with no interest in the matter."""
    third = data.get("proxy_third_party", c.proxy_third_party)
    no_interest = data.get("proxy_no_interest", c.proxy_no_interest)
    if third and not no_interest:
        raise DomainError("委托第三人代履行的，第三人应当与当事人没有利害关系（行政强制法第五十条）；请确认后勾选。")


def proxy_decide_guard(c, data, today):
    if data["proxy_planned_on"] < data["decided_on"]:
        raise DomainError("代履行时间不能早于代履行决定日期。")


def proxy_serve_guard(c, data, today):
    if data["decision_served_on"] < c.decided_on:
        raise DomainError("送达日期不能早于代履行决定日期（行政强制法第五十一条：代履行前送达决定书）。")


def proxy_urge_guard(c, data, today):
    if data["proxy_urged_on"] < c.decision_served_on:
        raise DomainError("代履行前的催告不能早于代履行决定书送达日期。")


def _day(at) -> dt.date:
    return (timezone.localtime(at) if timezone.is_aware(at) else at).date()


def proxy_three_days(c, data, today):
    """Art. 51(1)(二): 代履行三日前，催告当事人履行."""
    ready = deadlines.proxy_urge_ready(c)
    day = _day(data["executed_at"])
    if ready is None or day < ready.due:
        raise DomainError(f"代履行三日前应当催告当事人履行；{fmt_date(c.proxy_urged_on)}催告的，{ready}起方可实施"
                          "（行政强制法第五十一条第一款第二项）。" if ready else
                          "代履行三日前应当催告当事人履行（行政强制法第五十一条第一款第二项），请先登记催告。")
    if day < c.decision_served_on:
        raise DomainError("代履行前应当送达代履行决定书（行政强制法第五十一条第一款第一项）。")


def proxy_signatures(c, data, today):
    """Art. 51(1)(三)(四): the agency present; the record signed by its staff, the performer and the party or a
    witness."""
    if not str(data.get("proxy_supervisor") or "").strip():
        raise DomainError("代履行时，作出决定的行政机关应当派员到场监督（行政强制法第五十一条第一款第三项）。")
    if not data.get("proxy_staff_signed") or not data.get("proxy_performer_signed"):
        raise DomainError("代履行完毕，到场监督的工作人员和代履行人应当在执行文书上签名或者盖章（行政强制法第五十一条第一款第四项）。")
    if not data.get("proxy_party_signed") and not str(data.get("proxy_witness") or "").strip():
        raise DomainError("当事人不在场或者拒绝签名的，应当由见证人在执行文书上签名（行政强制法第五十一条第一款第四项）；"
                          "请填写见证人。")


def proxy_cost(c, data, today):
    """Art. 51 ¶2: 代履行的费用按照成本合理确定，由当事人承担."""
    cost = data.get("proxy_cost")
    if cost is None:
        raise DomainError("请填写代履行费用（按照成本合理确定，由当事人承担；行政强制法第五十一条第二款）。")
    if cost > 0 and not str(data.get("proxy_cost_basis") or "").strip():
        raise DomainError("请写明代履行费用的计算（按照成本合理确定，行政强制法第五十一条第二款）。")


def proxy_lawful_means(c, data, today):
    """Art. 51 ¶3: 代履行不得采用暴力、胁迫以及其他非法方式; Art. 43 ¶2 applies as well."""
    means_guard(c, data, today)
    text = f"{data.get('means') or c.means}{data.get('execution_note') or ''}"
    hit = next((w for w in ("暴力", "胁迫", "威胁", "殴打") if w in text), None)
    if hit:
        raise DomainError(f"代履行不得采用暴力、胁迫以及其他非法方式（行政强制法第五十一条第三款），不能有“{hit}”。")


def proxy_notify_guard(c, data, today):
    if data["proxy_notified_on"] < _day(c.executed_at):
        raise DomainError("通知当事人的日期不能早于立即代履行的日期。")


def proxy_decided(*, actor, obj, step, data, today):
    obj.decided_by = actor
    if not data.get("proxy_third_party"):
        obj.proxy_no_interest = False


def proxy_now(*, actor, obj, step, data, today):
    """Art. 52: the agency decides on the spot — the decision is the day it was carried out, by the actor."""
    obj.decided_on, obj.decided_by = _day(data["executed_at"]), actor
    if not data.get("proxy_third_party"):
        obj.proxy_no_interest = False
