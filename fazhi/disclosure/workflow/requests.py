"""The handling of a request for information (依申请公开, 条例第四章), declared once:
待确认收到 → 办理中 ⇄ 待申请人补正 / 征求第三方意见 → 已答复 (8 reply types) or 已撤回/视为放弃."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.periods import within_statute
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow
from fazhi.disclosure import forms, selectors
from fazhi.disclosure.deadlines import (
    answer_deadline,
    correction_deadline,
    derive_request_todo_due,
    settings_for,
    third_party_deadline,
)
from fazhi.disclosure.models import (
    DESCRIPTION_MAX,
    ClockStop,
    ExemptReason,
    InfoRequest,
    ReplyType,
    RequestStatus,
    RequestTransition,
)
from fazhi.disclosure.permissions import READ_ROLES, REFUSED_REQUEST, WRITE_ROLES, may_approve_extension
from fazhi.disclosure.sanitize import plain_text

S = RequestStatus

REQUEST_WORKFLOW = Workflow(
    "info_request",
    allowed={
        S.SUBMITTED: {S.RECEIVED, S.WITHDRAWN},
        # RECEIVED → RECEIVED is the approved extension (条例第三十三条第二款): the clock runs on.
        S.RECEIVED: {S.RECEIVED, S.CORRECTION, S.CONSULTING, S.ANSWERED, S.WITHDRAWN},
        S.CORRECTION: {S.RECEIVED, S.WITHDRAWN},
        S.CONSULTING: {S.RECEIVED},
        S.ANSWERED: set(),
        S.WITHDRAWN: set(),
    },
    labels=dict(S.choices),
)

# What each reply type must carry (条例第三十六条、第三十七条).
REPLY_REQUIRES = {
    ReplyType.ALREADY_PUBLIC: [("where_public", "请写明获取该信息的方式和途径（第三十六条第一项）。")],
    ReplyType.PROVIDED: [],
    ReplyType.NOT_DISCLOSED: [("exempt_reason", "请选择不予公开的理由（第三十六条第三项）。"),
                              ("legal_basis", "请写明不予公开的法律依据。")],
    ReplyType.NOT_EXIST: [],
    ReplyType.NOT_OURS: [("right_agency", "请写明负责公开该信息的行政机关名称和联系方式（第三十六条第五项）。")],
    ReplyType.REPEAT: [],
    ReplyType.SPECIAL_CHANNEL: [("special_channel", "请写明按特别规定获取信息的渠道（第三十六条第七项）。")],
    ReplyType.PARTIAL: [("exempt_reason", "请选择不予公开部分的理由（第三十七条）。"),
                        ("legal_basis", "请写明不予公开部分的法律依据。")],
}
REPLY_FIELDS = ("reply_type", "reply_on", "reply_text", "where_public", "exempt_reason", "legal_basis",
                "right_agency", "special_channel", "fee_amount")


def _text(data, key: str, size: int = 2000) -> str:
    value = data.get(key)
    return plain_text(value, size) if isinstance(value, str) else ""


def _date(data, key: str, today: dt.date, label: str) -> dt.date:
    value = data.get(key) or today
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise DomainError(f"{label}格式不正确。") from None
    if value > today:
        raise DomainError(f"{label}不能晚于今天。")
    return value


def _open_stop(req):
    return req.clock_stops.filter(ended_on__isnull=True).first()


def _refresh_due(req, today):
    """The stored answer date (for the overdue ledger and statistics) after any step."""
    conf = settings_for(req.township)
    deadline = answer_deadline(req, conf=conf, today=today) if req.status != S.CORRECTION else None
    req.answer_due = deadline.due if deadline else None
    if req.status == S.CONSULTING:
        # The latest the answer can be due, i.e. the third party uses its whole period (the clock runs
        # again once that period is over).
        stop = _open_stop(req)
        latest = (third_party_deadline(stop, conf).due if stop.kind == "third_party" else today) \
            + dt.timedelta(days=1)
        req.answer_due = answer_deadline(req, conf=conf, today=max(today, latest)).due
    return deadline


def _confirm_guard(req, data, today):
    if req.status != S.SUBMITTED:
        raise DomainError("该申请已确认收到。")
    received_on = _date(data, "received_on", today, "收到申请日期")
    if req.submitted_at and received_on < timezone.localtime(req.submitted_at).date():
        raise DomainError("收到申请日期不能早于申请人提交之日。")


def _confirm(*, actor, obj, step, data, today):
    obj.received_on = _date(data, "received_on", today, "收到申请日期")
    _refresh_due(obj, today)


def _correction_guard(req, data, today):
    requested_on = _date(data, "correction_requested_on", today, "告知补正日期")
    if req.correction_requested_on:
        raise DomainError("条例第三十条规定补正只能一次性告知，本申请已告知过补正。")
    if not _text(data, "correction_note"):
        raise DomainError("请写明需要补正的事项和合理的补正期限。")
    limit = correction_deadline(req)
    if requested_on < req.received_on:
        raise DomainError("告知补正日期不能早于收到申请日期。")
    if requested_on > limit.due:
        raise DomainError(f"已超过告知补正的期限（{limit}），不能再要求补正，请按原申请办理。")


def _correction(*, actor, obj, step, data, today):
    obj.correction_requested_on = _date(data, "correction_requested_on", today, "告知补正日期")
    obj.correction_note = _text(data, "correction_note")
    _refresh_due(obj, today)


def _corrected_guard(req, data, today):
    corrected_on = _date(data, "corrected_on", today, "收到补正日期")
    if req.status != S.CORRECTION:
        raise DomainError("该申请没有在等待补正。")
    if corrected_on < req.correction_requested_on:
        raise DomainError("收到补正日期不能早于告知补正日期。")
    if len(_text(data, "corrected_description", DESCRIPTION_MAX)) < 5:
        raise DomainError("请填写补正后的申请内容。")


def _corrected(*, actor, obj, step, data, today):
    obj.corrected_on = _date(data, "corrected_on", today, "收到补正日期")
    obj.corrected_description = _text(data, "corrected_description", DESCRIPTION_MAX)
    _refresh_due(obj, today)


def _consult_guard(req, data, today):
    started_on = _date(data, "started_on", today, "发出征求意见日期")
    if not _text(data, "third_party"):
        raise DomainError("请填写被征求意见的第三方。")
    if (data.get("kind") or "third_party") not in {"third_party", "agency"}:
        raise DomainError("征求意见对象无效。")
    if started_on < req.clock_start:
        raise DomainError("征求意见日期不能早于收到申请日期。")


def _consult(*, actor, obj, step, data, today):
    kind = data.get("kind") or "third_party"
    ClockStop.objects.create(
        township=obj.township, request=obj, third_party=_text(data, "third_party")[:100], kind=kind,
        started_on=_date(data, "started_on", today, "发出征求意见日期"),
        reason="征求第三方意见" if kind == "third_party" else "征求其他机关意见")
    _refresh_due(obj, today)


def _consult_end_guard(req, data, today):
    ended_on = _date(data, "ended_on", today, "收到意见日期")
    stop = _open_stop(req)
    if stop is None:
        raise DomainError("没有进行中的征求意见。")
    if ended_on < stop.started_on:
        raise DomainError("收到意见日期不能早于发出征求意见日期。")


def _consult_end(*, actor, obj, step, data, today):
    stop = _open_stop(obj)
    stop.ended_on, stop.opinion = _date(data, "ended_on", today, "收到意见日期"), _text(data, "opinion")
    stop.save(update_fields=["ended_on", "opinion", "updated_at"])
    _refresh_due(obj, today)


def _extension_days(data) -> int:
    try:
        return int(data.get("extension_days") or 0)
    except (TypeError, ValueError):
        return 0


def _extension_reason(data) -> str:
    return _text(data, "extension_reason") or _text(data, "note")


def _extend_guard(req, data, today):
    conf = settings_for(req.township)
    if req.status != S.RECEIVED:
        raise DomainError("只有办理中的申请可以延长答复期限。")
    if req.extension_days:
        raise DomainError("条例第三十三条只允许延长一次，本申请已经延期。")
    cap = within_statute("dis.answer_extension", conf.extension_max_working_days)
    if not 1 <= _extension_days(data) <= cap:
        raise DomainError(f"延长期限应为1至{cap}个工作日（条例第三十三条第二款：延长的期限最长不得超过20个工作日）。")
    if not _extension_reason(data):
        raise DomainError("请填写延期理由。")
    if not may_approve_extension(data.get("approved_by"), req.township):
        raise DomainError("延期须经政府信息公开工作机构负责人（乡镇领导）同意，请选择批准人。")
    current = answer_deadline(req, conf=conf, today=today)
    if today > current.due:
        raise DomainError(f"答复期限已于{current.deadline}届满，不能再延期。")


def _extend(*, actor, obj, step, data, today):
    obj.extension_days, obj.extension_reason = _extension_days(data), _extension_reason(data)
    obj.extension_approved_by, obj.extension_on = data["approved_by"], today
    _refresh_due(obj, today)


def _fee(data) -> Decimal:
    try:
        return Decimal(str(data.get("fee_amount") or 0))
    except InvalidOperation:
        raise DomainError("信息处理费金额不正确。") from None


def _answer_guard(req, data, today):
    reply_on = _date(data, "reply_on", today, "答复日期")
    fee = _fee(data)
    reply_type = data.get("reply_type", "")
    if reply_type not in ReplyType.values:
        raise DomainError("请选择答复类型（条例第三十六条、第三十七条）。")
    for key, message in REPLY_REQUIRES[reply_type]:
        if not _text(data, key):
            raise DomainError(message)
    exempt = _text(data, "exempt_reason")
    if exempt and exempt not in ExemptReason.values:
        raise DomainError("不予公开理由不正确。")
    if reply_on < req.clock_start:
        raise DomainError("答复日期不能早于收到申请日期。")
    if fee < 0:
        raise DomainError("信息处理费不能为负数。")


def _answer(*, actor, obj, step, data, today):
    obj.reply_type, obj.reply_on, obj.fee_amount = data["reply_type"], _date(data, "reply_on", today, "答复日期"), \
        _fee(data)
    obj.closed_on = obj.reply_on
    obj.reply_text = _text(data, "reply_text")
    for key in ("where_public", "legal_basis", "right_agency", "special_channel"):
        setattr(obj, key, _text(data, key)[:300])
    obj.exempt_reason = _text(data, "exempt_reason") if obj.reply_type in (ReplyType.NOT_DISCLOSED,
                                                                           ReplyType.PARTIAL) else ""
    obj.handled_by = obj.handled_by or actor
    deadline = _refresh_due(obj, today)
    obj.answered_late = obj.reply_on > deadline.due


def _withdraw_guard(req, data, today):
    if not _text(data, "note"):
        raise DomainError("请填写撤回或视为放弃的原因（如申请人逾期不补正，条例第三十条）。")


def _withdraw(*, actor, obj, step, data, today):
    obj.closed_on = today
    _refresh_due(obj, today)


def _today(*names):
    return lambda req: {name: timezone.localdate() for name in names}


def _leaders(form, req, user):
    form.fields["approved_by"].queryset = selectors.leaders_of(req.township)


def _step(name, label, form, target, reason="note", **kwargs):
    """A request step: the write roles take it; data["note"] (说明) is what its transition row records."""
    return Step(name, label, form, WRITE_ROLES, target=target, done=f"已办理：{label}。", refused=REFUSED_REQUEST,
                reason=reason, **kwargs)


REQUEST_STEPS = [
    _step("confirm", "确认收到申请", forms.ConfirmForm, S.RECEIVED, fields=("received_on",),
          guards=(_confirm_guard,), service=_confirm, initial=_today("received_on")),
    _step("correction", "一次性告知补正", forms.CorrectionForm, S.CORRECTION,
          fields=("correction_requested_on", "correction_note"), guards=(_correction_guard,), service=_correction),
    _step("corrected", "收到补正申请", forms.CorrectedForm, S.RECEIVED, fields=("corrected_on", "corrected_description"),
          guards=(_corrected_guard,), service=_corrected, initial=_today("corrected_on")),
    _step("consult", "征求第三方或其他机关意见", forms.ConsultForm, S.CONSULTING, guards=(_consult_guard,), service=_consult,
          initial=_today("started_on")),
    _step("consult_end", "第三方意见已收到/期满", forms.ConsultEndForm, S.RECEIVED, guards=(_consult_end_guard,),
          service=_consult_end, initial=_today("ended_on")),
    _step("extend", "延长答复期限", forms.ExtendForm, S.RECEIVED, fields=("extension_days", "extension_reason"),
          guards=(_extend_guard,), service=_extend, prepare=_leaders, reason="extension_reason"),
    _step("answer", "作出答复", forms.AnswerForm, S.ANSWERED, fields=REPLY_FIELDS, guards=(_answer_guard,),
          service=_answer, initial=_today("reply_on")),
    _step("withdraw", "撤回/视为放弃申请", forms.WithdrawForm, S.WITHDRAWN, guards=(_withdraw_guard,),
          service=_withdraw, confirm="确认撤回该申请（或视为放弃）？"),
]

REQUEST_FLOW = Flow(
    name="request", model=InfoRequest, workflow=REQUEST_WORKFLOW, steps=REQUEST_STEPS,
    record_model=RequestTransition, record_fk="request", read_roles=READ_ROLES, queryset=selectors.request_list_for,
    detail="disclosure:request_detail", heading=lambda req: f"申请 {req.tracking_no}",
    derive=derive_request_todo_due,  # the stored to-do due date follows status, answer date and consultation
)


def request_transition(*, actor, info_request: InfoRequest, step: str, data: dict | None = None,
                       expected_status: str | None = None, today: dt.date | None = None) -> InfoRequest:
    """Every change of a request's handling. Refuses with DomainError (nothing changed)."""
    return run_step(REQUEST_FLOW, actor=actor, obj=info_request, step=step, data=data,
                    expected_status=expected_status, today=today)


def _extend_offered(req, today):
    deadline = answer_deadline(req, today=today)
    return req.status == S.RECEIVED and not req.extension_days and deadline is not None and today <= deadline.due


def _correction_offered(req, today):
    limit = correction_deadline(req) if req.status == S.RECEIVED and not req.correction_requested_on else None
    return limit is not None and today <= limit.due


# Which steps the statute still allows for this request, beyond the status table (the guards refuse the
# rest anyway): the record page offers only these. Core's Step has no such predicate yet.
REQUEST_OFFERED = {
    "confirm": lambda req, today: req.status == S.SUBMITTED,
    "correction": _correction_offered,
    "corrected": lambda req, today: req.status == S.CORRECTION,
    "consult_end": lambda req, today: _open_stop(req) is not None,
    "extend": _extend_offered,
}


def request_step_forms(info_request: InfoRequest, user, today: dt.date | None = None) -> list:
    """REQUEST_FLOW.forms_for(info_request, user), less the steps REQUEST_OFFERED rules out today."""
    today = today or timezone.localdate()
    return [(step, form, url) for step, form, url in REQUEST_FLOW.forms_for(info_request, user)
            if REQUEST_OFFERED.get(step.name, lambda req, day: True)(info_request, today)]
