"""Publication of penalty decisions (公示, 国办发〔2018〕118号) with personal data masked, and withdrawal
of a revoked decision with its explanation (行政处罚法第四十八条)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from fazhi.accounts.roles import Role
from fazhi.audit.services import audit_create, audit_update, snapshot
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.enforcement import rules
from fazhi.enforcement.models import Case, CaseStatus, Outcome, Publication, PublicationStatus
from fazhi.enforcement.workflow import CASE_WRITERS, require_actor

S = CaseStatus


def _today(today):
    return today or dt.date.today()


def _save(actor, obj, before=None, reason=""):
    obj.full_clean()
    obj.save()
    if before is None:
        audit_create(actor=actor, obj=obj, reason=reason)
    else:
        audit_update(actor=actor, obj=obj, before=before, reason=reason)
    return obj


# --- publication (公示) -----------------------------------------------------------------------------

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")


def mask_personal(text: str) -> str:
    """Mask resident ID numbers and phone numbers anywhere in `text`."""
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text or "")
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    return _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


def publication_text(case: Case) -> tuple[str, str]:
    from fazhi.enforcement.models import PartyKind

    party = case.party_name
    if case.party_kind == PartyKind.ORG and case.party_id_no:
        party += f"（统一社会信用代码：{case.party_id_no}）"
    elif case.party_id_no:
        party += f"（身份证号：{case.party_id_no}）"
    lines = [
        f"行政处罚决定书文号：{case.decision_number}",
        f"案件名称：{case.title}",
        f"被处罚人：{party}",
        f"主要违法事实：{case.facts}",
        f"处罚依据：{case.power.penalty_basis}",
        f"处罚种类：{case.get_penalty_kind_display()}",
        "处罚内容：" + (case.penalty_detail or (f"罚款人民币{rules.fmt_money(case.fine_amount)}元"
                                              if case.fine_amount else case.get_penalty_kind_display())),
        f"作出处罚决定的机关：{case.power.body.name}",
        f"作出处罚决定的日期：{fmt_date(case.decided_on)}",
    ]
    return mask_personal(f"{case.power.body.name}行政处罚决定信息公示（{case.decision_number}）"), \
        mask_personal("\n".join(lines))


@transaction.atomic
def publication_publish(*, actor, case: Case, published_on=None, today=None) -> Publication:
    today = _today(today)
    published_on = published_on or today
    require_actor(actor, case.township, CASE_WRITERS | {Role.ADMIN}, "公示处罚决定")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome != Outcome.PENALTY or case.status not in {S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.ARCHIVED}:
        raise DomainError("只能公示已作出且未被撤销的行政处罚决定。")
    if Publication.objects.filter(case=case).exists():
        raise DomainError("该处罚决定已公示。")
    if published_on > today or published_on < case.decided_on:
        raise DomainError("公示日期应在决定日期与今天之间。")
    title, body = publication_text(case)
    pub = Publication(township=case.township, case=case, title=title, body=body, published_on=published_on)
    return _save(actor, pub)


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason, on=None, today=None,
                         _check: bool = True) -> Publication:
    """Art. 48: a revoked (or otherwise changed) decision is withdrawn within 3 working days, with why."""
    today = _today(today)
    on = on or today
    if _check:
        require_actor(actor, publication.township, CASE_WRITERS | {Role.ADMIN}, "撤回公示")
    if publication.status == PublicationStatus.WITHDRAWN:
        raise DomainError("该公示已撤回。")
    if not (reason or "").strip():
        raise DomainError("撤回公示须说明理由。")
    before = snapshot(publication)
    publication.status, publication.withdrawn_on, publication.withdrawal_reason = \
        PublicationStatus.WITHDRAWN, on, reason
    return _save(actor, publication, before, reason=reason)
