"""A proactive item's publication, declared once: 草稿 → 定时发布 / 已公开 → 已撤回 → 已公开 / 草稿; or
依法不予公开 (a leader's recorded decision with its ground under 条例第十四至十六条 ends the duty to publish;
重新纳入公开 puts it back as a draft, its 20-working-day clock counted from the formation date as before)."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.steps import Flow, Step, run_step
from fazhi.core.workflow import Workflow, transition
from fazhi.disclosure import forms, selectors
from fazhi.disclosure.deadlines import publish_deadline
from fazhi.disclosure.models import DisclosureItem, ItemExemptGround, ItemStatus, ItemTransition
from fazhi.disclosure.permissions import EXEMPT_ROLES, READ_ROLES, REFUSED, WRITE_ROLES
from fazhi.disclosure.sanitize import plain_text

ITEM_WORKFLOW = Workflow(
    "disclosure_item",
    allowed={
        ItemStatus.DRAFT: {ItemStatus.PUBLISHED, ItemStatus.SCHEDULED, ItemStatus.EXEMPT},
        ItemStatus.SCHEDULED: {ItemStatus.PUBLISHED, ItemStatus.DRAFT, ItemStatus.EXEMPT},
        ItemStatus.PUBLISHED: {ItemStatus.UNPUBLISHED},
        ItemStatus.UNPUBLISHED: {ItemStatus.PUBLISHED, ItemStatus.DRAFT, ItemStatus.EXEMPT},
        ItemStatus.EXEMPT: {ItemStatus.DRAFT},
    },
    labels=dict(ItemStatus.choices),
)

# Personal data must be masked before publication (个人信息保护法 Art. 25; 条例第十五条).
PERSONAL_PATTERNS = [
    (re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9])"),
     "身份证号码"),
    (re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"), "手机号码"),
]


def _moment(data) -> dt.datetime:
    """When the step happens: now, or `data["at"]` from code (the demo, a module pushing a record)."""
    return data.get("at") or timezone.now()


def _publishable(item, data, today):
    if not item.body.strip() and not item.attachments.exists():
        raise DomainError("正文和附件不能都为空，无法公开。")
    text = " ".join((item.title, item.summary, item.body))
    for pattern, label in PERSONAL_PATTERNS:
        if pattern.search(text):
            raise DomainError(f"标题或正文含有疑似{label}，请对个人信息作去标识化处理（如 4311**********1234）后再公开。")


def _schedule_guard(item, data, today):
    publish_at = data.get("publish_at")
    if publish_at is None or publish_at <= _moment(data):
        raise DomainError("定时发布时间必须晚于当前时间。")


def _unpublish_guard(item, data, today):
    if not plain_text(data.get("unpublish_reason") or "", 1000):
        raise DomainError("撤回已公开的信息必须填写理由。")


def _public_from(item, at) -> None:
    """The item is public from `at`: lateness is judged against the 20 working days (条例第二十六条)."""
    item.publish_due = publish_deadline(item).due
    item.published_at = at
    item.published_late = timezone.localtime(at).date() > item.publish_due
    item.unpublish_reason, item.unpublished_at = "", None


def _publish(*, actor, obj, step, data, today):
    _public_from(obj, _moment(data))
    obj.publish_at = None


def _schedule(*, actor, obj, step, data, today):
    obj.publish_at = data["publish_at"]
    _public_from(obj, data["publish_at"])  # the portal shows it once this time has come


def _to_draft(*, actor, obj, step, data, today):
    obj.publish_due = publish_deadline(obj).due
    obj.publish_at = obj.published_at = None


def _unpublish(*, actor, obj, step, data, today):
    obj.publish_due = publish_deadline(obj).due
    obj.unpublish_reason = plain_text(data.get("unpublish_reason") or "", 1000)
    obj.unpublished_at = _moment(data)


def _exempt_guard(item, data, today):
    if data.get("exempt_ground") not in ItemExemptGround.values:
        raise DomainError("请选择不予公开的依据（政府信息公开条例第十四条至第十六条）。")
    if not plain_text(data.get("exempt_note") or "", 1000):
        raise DomainError("请写明不予公开的具体理由。")
    on = data.get("exempt_on") or today
    if on > today or on < item.formed_on:
        raise DomainError("不予公开决定日期应在信息形成日期与今天之间。")


def _exempt(*, actor, obj, step, data, today):
    obj.exempt_ground = data["exempt_ground"]
    obj.exempt_note = plain_text(data["exempt_note"], 1000)
    obj.exempt_on, obj.exempt_by = data.get("exempt_on") or today, actor
    obj.publish_at = obj.published_at = None


def _reopen_guard(item, data, today):
    if not plain_text(data.get("note") or "", 1000):
        raise DomainError("请写明重新纳入公开的理由。")


def _reopen(*, actor, obj, step, data, today):
    obj.exempt_ground, obj.exempt_note, obj.exempt_on, obj.exempt_by = "", "", None, None
    obj.publish_due = publish_deadline(obj).due


ITEM_STEPS = [
    Step("publish", "立即公开", forms.NoInputForm, WRITE_ROLES, target=ItemStatus.PUBLISHED,
         guards=(_publishable,), service=_publish, reason="note", done="已变更为“已公开”。", refused=REFUSED),
    Step("schedule", "定时发布", forms.ScheduleForm, WRITE_ROLES, target=ItemStatus.SCHEDULED, fields=("publish_at",),
         guards=(_schedule_guard, _publishable), service=_schedule, reason="note", done="已变更为“定时发布”。", refused=REFUSED),
    Step("draft", "退回草稿", forms.NoInputForm, WRITE_ROLES, target=ItemStatus.DRAFT, service=_to_draft,
         reason="note", done="已变更为“草稿”。", refused=REFUSED),
    Step("unpublish", "撤回公开", forms.UnpublishForm, WRITE_ROLES, target=ItemStatus.UNPUBLISHED,
         fields=("unpublish_reason",), guards=(_unpublish_guard,), service=_unpublish, reason="unpublish_reason", confirm="确定撤回？撤回后公众将看不到该信息。",
         done="已变更为“已撤回”。", refused=REFUSED),
    Step("exempt", "依法不予公开", forms.ExemptForm, EXEMPT_ROLES, target=ItemStatus.EXEMPT,
         guards=(_exempt_guard,), service=_exempt, reason="exempt_note",
         confirm="确定依法不予公开？该信息将不再计入公开期限。", done="已记录依法不予公开的决定。",
         intro="政府信息公开条例第十四条至第十六条：属于不予公开或可以不予公开情形的，由负责人决定并写明依据和理由；"
               "决定记录后，该信息不再有主动公开的期限。",
         refused="依法不予公开须由乡镇负责人决定。"),
    Step("reopen", "重新纳入公开", forms.ReopenForm, EXEMPT_ROLES, target=ItemStatus.DRAFT,
         guards=(_reopen_guard,), service=_reopen, reason="note", done="已重新纳入公开，恢复为草稿。",
         intro="不予公开的情形消失（如解密、第三方同意）的，重新纳入公开；公开期限仍自信息形成之日起计算。",
         refused="重新纳入公开须由乡镇负责人决定。"),
]

ITEM_FLOW = Flow(
    name="item", model=DisclosureItem, workflow=ITEM_WORKFLOW, steps=ITEM_STEPS, record_model=ItemTransition,
    record_fk="item", read_roles=READ_ROLES, queryset=selectors.item_list_for, detail="disclosure:item_detail",
    heading=lambda item: item.title,
)


def item_transition(*, actor, item: DisclosureItem, step: str, data: dict | None = None,
                    expected_status: str | None = None, today: dt.date | None = None) -> DisclosureItem:
    """publish (now, or at data["at"]), schedule (data["publish_at"]), draft, unpublish (data["unpublish_reason"]);
    data["note"] is recorded on the transition row."""
    return run_step(ITEM_FLOW, actor=actor, obj=item, step=step, data=data, expected_status=expected_status,
                    today=today)


def item_publish_scheduled(item: DisclosureItem) -> DisclosureItem:
    """The planned time has come: the system (no actor, so not a user's step) writes the publish step's
    change and the transition row. The portal already showed the item from that time."""
    planned = item.published_at

    def apply(locked):
        _public_from(locked, planned)
        locked.publish_at = None

    return transition(item, workflow=ITEM_WORKFLOW, to=ItemStatus.PUBLISHED, actor=None, record_model=ItemTransition,
                      record_fk="item", reason="定时发布", guards=[lambda o: _publishable(o, {}, None)],
                      expected_status=ItemStatus.SCHEDULED, on_apply=apply)
