"""Issue 15: 人民调解法第三十三条 — a judicial-confirmation application after the 30 days is refused with why."""

import datetime as dt

import pytest
import time_machine

from fazhi.core.errors import DomainError
from fazhi.mediation import workflow as wf
from fazhi.mediation.models import Agreement, Dispute
from fazhi.mediation.services import disputes as sv
from fazhi.mediation.tests.conftest import mediate_to_signed

pytestmark = pytest.mark.django_db
S = Dispute.Status


def test_it_refuses_a_judicial_confirmation_application_after_30_days(make_dispute, med):
    user = med.user("litou_mediator")
    d = mediate_to_signed(make_dispute(), user)
    d = wf.dispute_transition(actor=user, dispute=d, step="resolve", data={"agreement_form": "written",
                              "reason": "达成协议"})
    agreement = Agreement.objects.filter(dispute=d).first()
    signed = dt.date.today()
    late = signed + dt.timedelta(days=45)
    with time_machine.travel(dt.datetime(late.year, late.month, late.day, 10, 0), tick=False):
        with pytest.raises(DomainError, match="第三十三条"):
            sv.confirmation_record(actor=user, agreement=agreement, applied_on=late)
        assert Agreement.objects.get(pk=agreement.pk).confirmation_applied_on is None
        in_time = signed + dt.timedelta(days=10)
        sv.confirmation_record(actor=user, agreement=agreement, applied_on=in_time)
        assert Agreement.objects.get(pk=agreement.pk).confirmation_applied_on == in_time
