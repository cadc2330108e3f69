"""Reconsideration and litigation register (行政复议 / 行政应诉): the case record. Its steps (reply
submitted, closed) are declared in `fazhi.decisions.workflow` (LITIGATION_FLOW)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited, snapshot
from fazhi.decisions.models import Litigation, LitigationKind, LitigationStatus, LitigationTransition
from fazhi.decisions.permissions import WRITE_ROLES
from fazhi.decisions.subjects import resolve_subject

FIELDS = ("kind", "case_no", "organ", "claimant", "subject", "subject_type", "subject_id", "received_on",
          "reply_submitted_on", "hearing_on", "head_appeared", "head_name", "head_absence_reason", "counsel",
          "outcome", "outcome_on", "note")


TEXT_FIELDS = {"case_no", "organ", "claimant", "subject", "subject_type", "head_name", "head_absence_reason",
               "outcome", "note"}


def _validate(c: Litigation) -> None:
    today = timezone.localdate()
    if c.kind not in LitigationKind.values:
        raise DomainError("请选择案件类型（行政复议或行政诉讼）。")
    for f in ("case_no", "organ", "claimant", "subject"):
        if not (getattr(c, f) or "").strip():
            raise DomainError(f"请填写{Litigation._meta.get_field(f).verbose_name}。")
    if c.received_on and c.received_on > today:
        raise DomainError("收到副本日期不能晚于今天。")
    for f in ("reply_submitted_on", "hearing_on", "outcome_on"):
        v = getattr(c, f)
        if v and c.received_on and v < c.received_on:
            raise DomainError(f"{Litigation._meta.get_field(f).verbose_name}不能早于收到副本日期。")
    if c.outcome_on and c.outcome_on > today:
        raise DomainError("结案日期不能晚于今天。")
    if c.head_appeared is True and not c.head_name.strip():
        raise DomainError("请填写出庭应诉的负责人姓名。")
    if c.head_appeared is False and not c.head_absence_reason.strip():
        raise DomainError("负责人未出庭应诉的，须说明理由。")
    if c.counsel_id and c.counsel.township_id != c.township_id:
        raise DomainError("所选法律顾问不属于该乡镇。")
    if c.subject_type:
        resolve_subject(c.subject_type, c.subject_id, c.township, c.subject)


@transaction.atomic
def litigation_save(*, actor, township, case: Litigation | None = None, **fields) -> Litigation:
    require_role(actor, township, WRITE_ROLES, "您无权登记该乡镇的复议应诉案件。")
    unknown = set(fields) - set(FIELDS) - {"status"}
    if unknown or "status" in fields:
        raise DomainError("状态只能通过办理流程变更。" if "status" in fields else f"不认识的字段：{'、'.join(sorted(unknown))}。")
    c = Litigation.objects.select_for_update().get(pk=case.pk) if case else Litigation(township=township,
                                                                                          created_by=actor)
    if c.township_id != township.pk:
        raise DomainError("案件不属于该乡镇。")
    before = snapshot(c) if case else None
    for k, v in fields.items():
        setattr(c, k, "" if v is None and k in TEXT_FIELDS else v)
    if c.status == LitigationStatus.CLOSED and not c.outcome:
        raise DomainError("已结案的案件须填写结果。")
    _validate(c)
    save_audited(c, actor=actor, before=before)
    if case is None:
        LitigationTransition.objects.create(litigation=c, actor=actor, from_status="",
                                            to_status=LitigationStatus.RECEIVED, reason="登记案件")
    return c
