"""What the statute requires of a case, read from the settings catalogue (never literals in code)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from fazhi.enforcement.models import (
    HEARING_KINDS,
    Case,
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


def limitation_years(case: Case, s: StatutorySettings) -> int:
    return s.limitation_years_extended if (case.power_id and case.power.life_health_or_finance) \
        else s.limitation_years


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
