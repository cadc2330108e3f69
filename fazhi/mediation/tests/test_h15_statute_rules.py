"""Issue 15: 人民调解法第三十三条 — a judicial-confirmation application after the 30 days is refused with why."""

import datetime as dt

import pytest
import time_machine

from fazhi.conftest import pinned_now
from fazhi.core.errors import DomainError
from fazhi.mediation import workflow as wf
from fazhi.mediation.models import Agreement, Dispute
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.tests.conftest import mediate_to_signed

pytestmark = pytest.mark.django_db
S = Dispute.Status
D = dt.date


def test_it_refuses_a_judicial_confirmation_application_after_30_days(make_dispute, med):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written",
                              "reason": "达成协议"})
    agreement = Agreement.objects.filter(dispute=d).first()
    signed = pinned_now().date()  # the suite's pinned day: the agreement was signed today
    late = signed + dt.timedelta(days=45)
    with time_machine.travel(dt.datetime(late.year, late.month, late.day, 10, 0), tick=False):
        with pytest.raises(DomainError, match="第三十三条"):
            sv.confirmation_record(actor=user, agreement=agreement, applied_on=late)
        assert Agreement.objects.get(pk=agreement.pk).confirmation_applied_on is None
        in_time = signed + dt.timedelta(days=10)
        sv.confirmation_record(actor=user, agreement=agreement, applied_on=in_time)
        assert Agreement.objects.get(pk=agreement.pk).confirmation_applied_on == in_time


def _accepted_petition(med):
    from fazhi.mediation.services import petitions as ps

    staff = med.user("litou_legal_staff")
    today = pinned_now().date()  # the suite's pinned day
    p = ps.petition_create(actor=staff, township=med.litou, petitioner="盘满妹", content="反映占地补偿",
                           received_on=today - dt.timedelta(days=10))
    return wf.petition_transition(actor=staff, petition=p, step="accept", data={"on": today - dt.timedelta(days=5)})


def test_it_caps_a_petition_extension_at_30_days_whatever_the_local_setting(med):
    """信访工作条例第三十五条: 延长期限不得超过30日 — a regional setting of 45 cannot allow more."""
    from fazhi.mediation.models import MediationSettings, Petition

    MediationSettings.objects.create(region=med.litou, petition_extension_max_days=45, petition_conclude_days=90)
    p = _accepted_petition(med)
    leader = med.user("litou_leader")
    with pytest.raises(DomainError, match="1至30日"):
        wf.petition_transition(actor=leader, petition=p, step="extend", data={"days": 40, "reason": "情况复杂"})
    assert Petition.objects.get(pk=p.pk).extension_days == 0
    p = wf.petition_transition(actor=leader, petition=p, step="extend", data={"days": 30, "reason": "情况复杂"})
    from fazhi.mediation.deadlines import petition_conclude_due, rules_for

    d = petition_conclude_due(p, rules_for(p.township))
    assert d.due == p.notice_on + dt.timedelta(days=90)  # 60 (never the local 90) + 30
    assert "本地参数" not in d.explanation and "经批准延长30日" in d.explanation


def test_it_keeps_the_statutes_30_days_for_judicial_confirmation_whatever_the_local_setting(med):
    """人民调解法第三十三条 gives the parties 30 days: a local number neither shortens nor lengthens it."""
    from fazhi.mediation.deadlines import confirmation_window
    from fazhi.mediation.models import MediationSettings

    effective = D(2024, 9, 2)
    assert confirmation_window(None, effective, MediationSettings(confirmation_days=60)).due == D(2024, 10, 8)
    assert confirmation_window(None, effective, MediationSettings(confirmation_days=10)).due == D(2024, 10, 8)
