import datetime as dt

import pytest

from fazhi.mediation import workflow as wf
from fazhi.mediation.demo import ensure_committees
from fazhi.mediation.models import Dispute, DisputeType, Mediator, Party
from fazhi.mediation.services import disputes as sv


@pytest.fixture
def med(demo):
    """Demo regions and users plus the committees and mediators of both townships (no disputes)."""
    ensure_committees(demo, demo.litou, demo.villages["litou"], mediator_user=demo.user("litou_mediator"))
    ensure_committees(demo, demo.demo2, demo.villages["demo2"], mediator_user=demo.user("demo2_mediator"))
    return demo


@pytest.fixture
def make_dispute(med):
    def _make(village=None, user="litou_mediator", received_on=None, kind="邻里", **kw):
        village = village or med.villages["litou"][0]
        return sv.dispute_create(
            actor=med.user(user), township=village.parent, village=village,
            dispute_type=DisputeType.objects.get(name=kind), summary="两户因排水沟发生争执。",
            received_on=received_on or dt.date.today() - dt.timedelta(days=3),
            parties=[{"name": "盘桂英", "phone": "13812345678", "id_number": "43112719800101001X"},
                     {"name": "赵德明", "phone": "13987654321", "side": Party.Side.RESPONDENT}], **kw)
    return _make


def village_mediator(dispute) -> Mediator:
    today = dt.date.today()
    return next(m for m in Mediator.objects.filter(committee__village=dispute.village).order_by("id") if m.in_term(today))


def start(dispute, user) -> Dispute:
    return wf.dispute_transition(actor=user, dispute=dispute, step="start",
                                 data={"mediators": [village_mediator(dispute)]})


def mediate_to_signed(dispute, user, form="written") -> Dispute:
    """Start, one session, an agreement and (written) every signature step."""
    today = dt.date.today()
    d = start(dispute, user)
    sv.session_add(actor=user, dispute=d, held_on=today, place="村委会", participants="双方", record="双方同意协商。")
    a = sv.agreement_save(actor=user, dispute=d, form=form, facts="事实", terms="共同清理排水沟",
                          performance_method="共同出工", performance_due=today, agreed_on=today)
    if form == "written":
        for p in d.parties.all():
            sv.agreement_sign(actor=user, agreement=a, kind="party", party=p, signed_on=today)
        sv.agreement_sign(actor=user, agreement=a, kind="mediator", mediator=village_mediator(d), signed_on=today)
        sv.agreement_sign(actor=user, agreement=a, kind="seal", signed_on=today)
    return Dispute.objects.get(pk=d.pk)
