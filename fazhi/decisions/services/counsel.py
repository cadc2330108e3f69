"""Legal counsel registry and opinion requests from any module."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.periods import count
from fazhi.core.writes import require_role, save_audited, set_fields, snapshot
from fazhi.decisions.models import (
    DecisionSettings,
    LegalCounsel,
    OpinionRequest,
    OpinionStatus,
    OpinionTransition,
)
from fazhi.decisions.permissions import ASK_ROLES, COUNSEL_ROLES, WRITE_ROLES
from fazhi.decisions.services.files import attachment_store
from fazhi.decisions.subjects import resolve_subject

COUNSEL_FIELDS = ("name", "firm", "user", "phone", "contract_start", "contract_end", "fee", "scope")


@transaction.atomic
def counsel_save(*, actor, township, counsel: LegalCounsel | None = None, **fields) -> LegalCounsel:
    require_role(actor, township, WRITE_ROLES, "您无权登记该乡镇的法律顾问。")
    obj = LegalCounsel.objects.select_for_update().get(pk=counsel.pk) if counsel else LegalCounsel(township=township)
    if obj.township_id != township.pk:
        raise DomainError("法律顾问不属于该乡镇。")
    before = snapshot(obj) if counsel else None
    set_fields(obj, fields, COUNSEL_FIELDS)
    if obj.contract_start and obj.contract_end and obj.contract_end < obj.contract_start:
        raise DomainError("聘用结束日期不能早于开始日期。")
    if obj.fee is not None and obj.fee < 0:
        raise DomainError("顾问费不能为负数。")
    if obj.user_id and not obj.user.memberships.filter(region=township, role__in=COUNSEL_ROLES, active=True).exists():
        raise DomainError("所选账号不是本乡镇的法律顾问账号（需具有“法律顾问”角色）。")
    return save_audited(obj, actor=actor, before=before)


@transaction.atomic
def opinion_request_create(*, actor, township, counsel: LegalCounsel, subject_type: str, question: str,
                           subject_id: int | None = None, subject_label: str = "", due_on: dt.date | None = None,
                           asked_on: dt.date | None = None, files=()) -> OpinionRequest:
    """Ask counsel about a decision, a dispute, an enforcement case, a contract or a lawsuit."""
    require_role(actor, township, ASK_ROLES, "您无权在该乡镇征求法律顾问意见。")
    today = timezone.localdate()
    asked_on = asked_on or today
    if counsel.township_id != township.pk:
        raise DomainError("所选法律顾问不属于该乡镇。")
    if asked_on > today:
        raise DomainError("提出日期不能晚于今天。")
    if not counsel.in_contract(asked_on):
        raise DomainError(f"{counsel.name}的聘用期为{counsel.contract_start:%Y-%m-%d}至{counsel.contract_end:%Y-%m-%d}，"
                          "提出日期不在聘用期内。")
    if not (question or "").strip():
        raise DomainError("请填写征求意见的问题。")
    label, _obj = resolve_subject(subject_type, subject_id, township, subject_label)
    if due_on is None:
        days = DecisionSettings.for_township(township).opinion_default_working_days
        due_on = count("dec.counsel_opinion", asked_on, days).due
    if due_on < asked_on:
        raise DomainError("要求回复日期不能早于提出日期。")
    req = OpinionRequest(township=township, counsel=counsel, subject_type=subject_type.strip().lower(),
                         subject_id=subject_id or None, subject_label=label, question=question.strip(),
                         asked_by=actor, asked_on=asked_on, due_on=due_on)
    save_audited(req, actor=actor)
    OpinionTransition.objects.create(opinion=req, actor=actor, from_status="", to_status=OpinionStatus.SENT,
                                     reason="征求法律意见")
    for f in files:
        attachment_store(actor=actor, township=township, upload=f, opinion=req)
    return req
