"""What the statute requires of a case, read from the settings catalogue (never literals in code)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from fazhi.core.calendar import fmt_date
from fazhi.core.errors import DomainError
from fazhi.enforcement.models import (
    HEARING_KINDS,
    Case,
    Officer,
    Outcome,
    PartyKind,
    PenaltyKind,
    StatutorySettings,
)


def settings_for(township) -> StatutorySettings:
    """The deepest settings row above (or at) `township`; the statutory defaults if none exists."""
    codes = [c for c in (township.path or "").strip("/").split("/") if c]
    rows = [s for s in StatutorySettings.objects.filter(region__code__in=codes).select_related("region")]
    if rows:
        return max(rows, key=lambda s: len(s.region.path))
    return StatutorySettings()


def _amount(case: Case) -> Decimal:
    return case.fine_amount or Decimal("0")


def simple_limit(s: StatutorySettings, party_kind: str) -> Decimal:
    return s.simple_fine_person_max if party_kind == PartyKind.PERSON else s.simple_fine_org_max


def simplified_refusal(s: StatutorySettings, party_kind: str, penalty_kind: str, fine) -> str | None:
    """Art. 51: a warning, or a fine within the threshold; otherwise the reason it is refused."""
    if penalty_kind == PenaltyKind.WARNING:
        return None
    if penalty_kind != PenaltyKind.FINE:
        return "简易程序只能当场作出警告或者罚款决定，其他处罚须适用普通程序。"
    limit = simple_limit(s, party_kind)
    if fine is None or fine <= 0:
        return "请填写罚款金额。"
    if fine > limit:
        who = "公民" if party_kind == PartyKind.PERSON else "法人或者其他组织"
        return (f"对{who}处以{fmt_money(fine)}元罚款超过简易程序上限{fmt_money(limit)}元"
                "（行政处罚法第五十一条），应当适用普通程序立案调查。")
    return None


ONSPOT_SMALL, ONSPOT_HARD, ONSPOT_REMOTE = "small", "hard", "remote"


def onspot_collection(s: StatutorySettings, fine, ground: str, receipt_no: str, reason: str) -> dict:
    """Arts. 68–70: who may collect a fine on the spot, and the recorded ground and 专用票据 number.

    Art. 68(1) ≤ 100 yuan; Art. 68(2) later collection would be hard to enforce; Art. 69 remote, water or
    poorly connected areas where paying at a bank is truly difficult, on the party's request. Art. 70: a
    专用票据 issued by the provincial finance department in every case."""
    receipt_no = (receipt_no or "").strip()
    reason = (reason or "").strip()
    small = fine is not None and fine <= s.onspot_collection_max
    if not ground:
        ground = ONSPOT_SMALL if small else ""
    if ground == ONSPOT_SMALL and not small:
        ground = ""
    if not ground:
        raise DomainError(f"罚款{fmt_money(fine)}元超过当场收缴限额{fmt_money(s.onspot_collection_max)}元"
                          "（行政处罚法第六十八条第一项）；只有不当场收缴事后难以执行的（第六十八条第二项），或者在边远、"
                          "水上、交通不便地区当事人缴纳确有困难并提出的（第六十九条），才可当场收缴，请选择依据并说明情形，"
                          "否则请告知当事人到指定银行或通过电子支付系统缴纳。")
    if ground not in {ONSPOT_SMALL, ONSPOT_HARD, ONSPOT_REMOTE}:
        raise DomainError("当场收缴依据无效。")
    if ground != ONSPOT_SMALL and not reason:
        raise DomainError("依照行政处罚法第六十八条第二项或第六十九条当场收缴的，须写明具体情形"
                          + ("（当事人提出当场缴纳的情况）。" if ground == ONSPOT_REMOTE else "（事后难以执行的理由）。"))
    if not receipt_no:
        raise DomainError("当场收缴罚款必须向当事人出具省级财政部门统一制发的专用票据，请填写票据号码（行政处罚法第七十条）。")
    return {"onspot_ground": ground, "onspot_receipt_no": receipt_no, "onspot_reason": reason}


# 行政处罚法 (2021) took effect on 2021-07-15; Art. 58 ¶2 binds those who first do legal review from then on.
LAW_2021_IN_FORCE = dt.date(2021, 7, 15)


def reviewer_refusal(reviewer, on: dt.date) -> str | None:
    """Art. 58 ¶2: one doing legal review *for the first time* must hold the legal professional qualification;
    one who already did legal review before the law took effect (date of first review recorded) may go on."""
    if reviewer.legal_qualified:
        return None
    first = reviewer.first_review_on
    if first is None:
        return (f"{reviewer.name}未取得法律职业资格，也没有登记首次从事法制审核的日期；初次从事行政处罚决定法制审核的人员"
                "应当取得法律职业资格（行政处罚法第五十八条第二款）。")
    if first > on:
        return f"{reviewer.name}登记的首次从事法制审核日期晚于本次审核，请核对。"
    if first >= LAW_2021_IN_FORCE:
        return (f"{reviewer.name}首次从事法制审核的日期为{first:%Y年%-m月%-d日}，在行政处罚法2021年7月15日施行之后，"
                "初次从事法制审核时即应当取得法律职业资格（行政处罚法第五十八条第二款），不能担任审核人员。")
    return None


def hearing_triggered(case: Case, s: StatutorySettings) -> bool:
    """Art. 63: the proposed penalty gives the party the right to request a hearing."""
    if case.power_id and case.power.hearing_triggered:
        return True
    if case.penalty_kind in HEARING_KINDS:
        return True
    person = case.party_kind == PartyKind.PERSON
    threshold = s.hearing_fine_person if person else s.hearing_fine_org
    if case.penalty_kind == PenaltyKind.FINE and _amount(case) >= threshold:
        return True
    return bool(case.penalty_kind == PenaltyKind.CONFISCATION and (case.confiscation_amount or 0) >= threshold)


def _major_amount(case: Case, s: StatutorySettings) -> bool:
    threshold = s.major_fine_person if case.party_kind == PartyKind.PERSON else s.major_fine_org
    return _amount(case) >= threshold or (case.confiscation_amount or 0) >= threshold


def legal_review_reasons(case: Case, s: StatutorySettings, *, hearing_held: bool) -> list[str]:
    """Art. 58: why this case needs legal review before the decision (empty: not required)."""
    if case.is_simplified:
        return []
    reasons = []
    if case.power_id and case.power.legal_review_required:
        reasons.append("该职权事项依法须经法制审核")
    if case.major_public_interest:
        reasons.append("涉及重大公共利益")
    if hearing_held:
        reasons.append("直接关系当事人重大权益，经过听证程序")
    if case.complex_case:
        reasons.append("案件情况疑难复杂、涉及多个法律关系")
    if _major_amount(case, s) or case.penalty_kind in HEARING_KINDS:
        reasons.append("属重大行政处罚（数额或种类达到重大案件标准）")
    return reasons


def collective_reasons(case: Case, s: StatutorySettings) -> list[str]:
    """Art. 57: complex or serious cases are decided by the body's leaders collectively."""
    if case.is_simplified:
        return []
    reasons = []
    if case.power_id and case.power.collective_required:
        reasons.append("该职权事项须集体讨论")
    if case.serious_violation:
        reasons.append("情节复杂或者重大违法行为")
    if _major_amount(case, s) or case.penalty_kind in HEARING_KINDS:
        reasons.append("属重大行政处罚（数额或种类达到重大案件标准）")
    return reasons


def limitation_extended(case: Case) -> bool:
    """Art. 36: five years only where life/health or financial safety is involved *and* harm occurred."""
    return bool(case.power_id and case.power.life_health_or_finance and case.harm_occurred)


def limitation_years(case: Case, s: StatutorySettings) -> int:
    return s.limitation_years_extended if limitation_extended(case) else s.limitation_years


def late_fee(fine: Decimal, days_late: int, s: StatutorySettings) -> Decimal:
    """Art. 72: 3% of the fine a day, never more than the fine itself."""
    if days_late <= 0 or not fine:
        return Decimal("0.00")
    fee = (fine * s.late_fee_percent / Decimal(100) * days_late).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return min(fee, fine.quantize(Decimal("0.01")))


def fmt_money(v) -> str:
    if v is None:
        return ""
    v = Decimal(v)
    return str(int(v)) if v == v.to_integral() else f"{v:.2f}"


def money(v) -> Decimal | str:
    """A ledger cell: the amount as a number (Excel sums it), shown without trailing zeros."""
    if v is None:
        return ""
    v = Decimal(v)
    return Decimal(int(v)) if v == v.to_integral() else v.quantize(Decimal("0.01"))


def decided_penalty(case: Case) -> bool:
    return case.outcome == Outcome.PENALTY


def days_between(a: dt.date, b: dt.date) -> int:
    return (b - a).days


# --- who may act: certificates (Art. 42) and dates --------------------------------------------------

def require_certified(officers, day: dt.date, act: str, minimum: int = 2) -> None:
    """Art. 42: at least two officers holding valid certificates on the day of the act."""
    officers = list(officers)
    ok = [o for o in officers if o.certified_on(day)]
    if len(ok) >= minimum:
        return
    bad = [o for o in officers if not o.certified_on(day)]
    detail = "；".join(f"{o.name}{_cert_problem(o, day)}" for o in bad)
    raise DomainError(f"{act}须由至少{minimum}名持有效行政执法证件的执法人员实施（行政处罚法第四十二条），"
                      f"{fmt_date(day)}符合条件的仅{len(ok)}名" + (f"：{detail}。" if detail else "。"))


def _cert_problem(o: Officer, day: dt.date) -> str:
    if not o.cert_no:
        return "未取得执法证件"
    if o.cert_status != "valid":
        return f"执法证件{o.get_cert_status_display()}"
    if o.cert_valid_until and o.cert_valid_until < day:
        return f"执法证件已于{fmt_date(o.cert_valid_until)}到期"
    if o.cert_valid_from and o.cert_valid_from > day:
        return f"执法证件自{fmt_date(o.cert_valid_from)}起生效"
    if not o.active:
        return "不在岗"
    return "执法证件无效"


def check_assignable(officers, township, day: dt.date) -> None:
    """An expired or missing certificate blocks assignment to a case or inspection."""
    for o in officers:
        if o.township_id != township.pk:
            raise DomainError(f"{o.name}不属于本乡镇执法人员，不能指派。")
        if not o.certified_on(day):
            raise DomainError(f"{o.name}{_cert_problem(o, day)}，不能指派执行执法任务。")


def not_future(day, label: str, today: dt.date) -> None:
    if day and day > today:
        raise DomainError(f"{label}不能晚于今天。")
