"""Calendar days; a period ending on a rest day or holiday moves to the next working day."""
import datetime as dt

from fazhi.mediation import deadlines
from fazhi.mediation.models import Agreement, Dispute, MediationSettings, Petition

D = dt.date


def rules():
    return MediationSettings()


def test_confirmation_window_over_national_day():
    # effective 1 Sep 2024 + 30 days = 1 Oct (国庆节 1–7 Oct) → 8 Oct 2024
    dl = deadlines.confirmation_window(Agreement(), D(2024, 9, 1), rules())
    assert dl.due == D(2024, 10, 8)
    assert "人民调解法第三十三条" in dl.explanation and "国庆" in dl.explanation


def test_confirmation_window_ordinary_and_weekend():
    assert deadlines.confirmation_window(Agreement(), D(2024, 3, 4), rules()).due == D(2024, 4, 3)  # Wednesday
    assert deadlines.confirmation_window(Agreement(), D(2024, 6, 1), rules()).due == D(2024, 7, 1)  # Monday
    # 6 Jun + 30 days = Saturday 6 Jul 2024 → Monday 8 Jul
    assert deadlines.confirmation_window(Agreement(), D(2024, 6, 6), rules()).due == D(2024, 7, 8)


def test_petition_receipt_over_spring_festival():
    # received 14 Jan 2025 + 15 = 29 Jan (春节): a limit on the agency, not lengthened by the holiday
    p = Petition(received_on=D(2025, 1, 14))
    dl = deadlines.petition_receipt_due(p, rules())
    assert dl.due == D(2025, 1, 29)
    assert "信访工作条例" in dl.explanation and "春节" in dl.explanation and "不因休息日顺延" in dl.explanation


def test_petition_conclusion_counts_from_acceptance_with_one_extension():
    p = Petition(received_on=D(2024, 7, 28), notice_on=D(2024, 8, 2), status=Petition.Status.ACCEPTED)
    assert deadlines.petition_conclude_due(p, rules()).due == D(2024, 10, 1)  # an agency limit: 国庆 does not move it
    p.extension_days = 30
    dl = deadlines.petition_conclude_due(p, rules())
    assert dl.due == D(2024, 10, 31) and "经批准延长30日" in dl.explanation
    assert deadlines.petition_conclude_due(Petition(received_on=D(2024, 7, 28)), rules()) is None


def test_mediation_target_one_month():
    d = Dispute(received_on=D(2024, 9, 1))
    assert deadlines.mediation_target(d, rules()).due == D(2024, 10, 1)
    assert deadlines.mediation_target(Dispute(received_on=D(2024, 1, 31)), rules()).due == D(2024, 2, 29)


def test_settings_of_the_deepest_region_win(med):
    MediationSettings.objects.create(region=med.county, petition_receipt_days=10)
    assert deadlines.rules_for(med.litou).petition_receipt_days == 10
    MediationSettings.objects.create(region=med.litou, petition_receipt_days=12)
    assert deadlines.rules_for(med.litou).petition_receipt_days == 12
    assert deadlines.rules_for(med.demo2).petition_receipt_days == 10
    assert deadlines.rules_for(med.demo2).confirmation_days == 30


def test_unknown_year_is_provisional():
    dl = deadlines.confirmation_window(Agreement(), D(2031, 3, 2), rules())
    assert dl.provisional
