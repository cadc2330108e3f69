"""Publication of penalty decisions (公示, 国办发〔2018〕118号) with personal data masked, and withdrawal
of a revoked decision with its explanation (行政处罚法第四十八条)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from fazhi.audit.services import audit_update, snapshot
from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.core.writes import require_role, save_audited
from fazhi.enforcement import deadlines, permissions, rules
from fazhi.enforcement.models import Case, CaseStatus, Outcome, Publication, PublicationStatus

S = CaseStatus


def _today(today):
    return today or dt.date.today()


def _may(actor, township, roles, what: str) -> None:
    require_role(actor, township, roles, f"您无权在{township.name}{what}。")


# --- publication (公示) -----------------------------------------------------------------------------

_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)")
# bank accounts and cards: 12–30 digits, possibly grouped by spaces or hyphens (after IDs and phones are masked)
_ACCOUNT = re.compile(r"(?<![\d*])(\d{4})((?:[ -]?\d){4,22})([ -]?\d{4})(?![\d*])")
# the house-level part of an address: 4组, 12号, 3栋2单元501室 …
_HOUSE = re.compile(r"(?<=[村组路街巷道区弄里屯寨])(\d+|[一二三四五六七八九十]+)(组|号楼|号院|号|栋|幢|单元|室|楼)"
                    r"(?:\d+(?:组|号|栋|幢|单元|室|楼))*")
_ADDRESS_KEEP = re.compile(r"^.*?(?:省|市|县|区|乡|镇|街道)")
_PERSON_NAME = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,4}")  # a natural person's name (2–5 characters)


def mask_name(name: str) -> str:
    name = name.strip()
    return name[:1] + "某" * max(1, len(name) - 1) if name else name


def mask_address(address: str) -> str:
    """Keep the address down to its township (乡/镇/街道); the village, street and house are masked."""
    address = (address or "").strip()
    if not address:
        return address
    keep = _ADDRESS_KEEP.match(address)
    head = keep.group(0) if keep and keep.end() < len(address) else ""
    return head + "＊＊"


def mask_personal(text: str, *, names=(), addresses=()) -> str:
    """Mask resident ID numbers, phone numbers, bank accounts, house numbers, the given addresses and the
    given natural persons' names anywhere in `text` (行政处罚法第四十八条、个人信息保护法)."""
    text = text or ""
    for a in sorted({a.strip() for a in addresses if a and a.strip()}, key=len, reverse=True):
        text = text.replace(a, mask_address(a))
    for n in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(n, mask_name(n))
    text = _ID.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    text = _MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    text = _ACCOUNT.sub(lambda m: m.group(1) + "*" * len(re.sub(r"\D", "", m.group(2))) + m.group(3)[-4:], text)
    return _HOUSE.sub(lambda m: "＊" + m.group(2), text)


def mask_names(case: Case) -> list[str]:
    """The natural persons' names the case's published text (公示, upward exchange) must not show."""
    from fazhi.enforcement.models import PartyKind

    names = [n for n in (case.publication_mask_names or "").splitlines() if n.strip()]
    # persons the case already knows other than the party: whoever signed for the decision on his behalf
    recipient = (case.service_recipient or "").strip()
    if (_PERSON_NAME.fullmatch(recipient) and case.party_name.strip() not in recipient
            and recipient not in {"本人", "当事人", "其本人"} and recipient[-1] not in "室司部处科站所队委会"):
        names.append(recipient)
    if case.party_kind == PartyKind.PERSON and case.party_minor:
        names.append(case.party_name)  # a minor's identity is never published (未成年人保护法第一百零三条)
    return names


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
    names, addresses = mask_names(case), [case.party_address]
    return mask_personal(f"{case.power.body.name}行政处罚决定信息公示（{case.decision_number}）", names=names,
                         addresses=addresses), mask_personal("\n".join(lines), names=names, addresses=addresses)


EXEMPT_GROUNDS = dict(Case._meta.get_field("publication_exempt_ground").choices)


@transaction.atomic
def publication_exempt(*, actor, case: Case, ground: str, reason: str, on=None, today=None) -> Case:
    """A recorded 依法不予公开 decision with its ground ends the publication duty (Art. 48: only decisions
    具有一定社会影响 are published; state and trade secrets, privacy and minors are excluded)."""
    today = _today(today)
    on = on or today
    _may(actor, case.township, permissions.LEADERS, "决定依法不予公开处罚决定")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome != Outcome.PENALTY or not case.decided_on:
        raise DomainError("只有已作出的行政处罚决定才涉及是否公开。")
    if Publication.objects.filter(case=case, status=PublicationStatus.PUBLISHED).exists():
        raise DomainError("该处罚决定已公示；如需停止公开，请撤回公示并说明理由。")
    if case.publication_exempt_ground:
        raise DomainError("已记录依法不予公开的决定。")
    if ground not in EXEMPT_GROUNDS:
        raise DomainError("请选择依法不予公开的情形。")
    if not (reason or "").strip():
        raise DomainError("请写明不予公开的具体理由。")
    if on > today or on < case.decided_on:
        raise DomainError("不予公开决定日期应在处罚决定日期与今天之间。")
    before = snapshot(case)
    case.publication_exempt_ground, case.publication_exempt_reason = ground, reason.strip()
    case.publication_exempt_on, case.publication_exempt_by = on, actor
    case.todo_due = deadlines.case_todo_due(case)  # the publication duty has ended
    case.full_clean()
    case.save()
    audit_update(actor=actor, obj=case, before=before, reason=f"依法不予公开：{EXEMPT_GROUNDS[ground]}")
    return case


@transaction.atomic
def publication_publish(*, actor, case: Case, published_on=None, today=None) -> Publication:
    today = _today(today)
    published_on = published_on or today
    _may(actor, case.township, permissions.PUBLISH, "公示处罚决定")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.outcome != Outcome.PENALTY or case.status not in {S.DECIDED, S.SERVED, S.EXECUTING, S.CLOSED, S.ARCHIVED}:
        raise DomainError("只能公示已作出且未被撤销的行政处罚决定。")
    if Publication.objects.filter(case=case).exists():
        raise DomainError("该处罚决定已公示。")
    if case.publication_exempt_ground:
        raise DomainError(f"已于{fmt_date(case.publication_exempt_on)}决定依法不予公开"
                          f"（{EXEMPT_GROUNDS[case.publication_exempt_ground]}），不再公示。")
    if case.party_minor:
        raise DomainError("当事人为未成年人，处罚决定不予公开（未成年人保护法第一百零三条），请记录依法不予公开的决定。")
    if published_on > today or published_on < case.decided_on:
        raise DomainError("公示日期应在决定日期与今天之间。")
    title, body = publication_text(case)
    pub = Publication(township=case.township, case=case, title=title, body=body, published_on=published_on)
    save_audited(pub, actor=actor)
    deadlines.case_todo_due_save(case)  # the publication deadline is met
    return pub


@transaction.atomic
def publication_withdraw(*, actor, publication: Publication, reason, on=None, today=None,
                         _check: bool = True) -> Publication:
    """Art. 48: a revoked (or otherwise changed) decision is withdrawn within 3 working days, with why."""
    today = _today(today)
    on = on or today
    if _check:
        _may(actor, publication.township, permissions.PUBLISH, "撤回公示")
    if publication.status == PublicationStatus.WITHDRAWN:
        raise DomainError("该公示已撤回。")
    if not (reason or "").strip():
        raise DomainError("撤回公示须说明理由。")
    before = snapshot(publication)
    publication.status, publication.withdrawn_on, publication.withdrawal_reason = \
        PublicationStatus.WITHDRAWN, on, reason
    save_audited(publication, actor=actor, before=before, reason=reason)
    deadlines.case_todo_due_save(publication.case)  # the withdrawal deadline is met
    return publication
