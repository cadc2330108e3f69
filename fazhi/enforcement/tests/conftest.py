"""Fixtures: a township's enforcement catalogue, roster and a case at any stage of the workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus, Outcome, PenaltyKind, ServiceMethod
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import registration

D = dt.date


@pytest.fixture
def enf(demo):
    """Catalogue and roster in 犁头瑶族乡 (and a minimal one in 汇源瑶族乡)."""
    admin = demo.user("litou_leader")
    t = demo.litou

    class Ctx:
        pass

    c = Ctx()
    c.demo = demo
    c.town = t
    c.leader = demo.user("litou_leader")
    c.officer_user = demo.user("litou_officer")
    c.legal_user = demo.user("litou_legal_staff")
    c.body = services.body_save(actor=admin, township=t, name="犁头瑶族乡人民政府", kind="government")
    c.power = services.power_save(
        actor=admin, township=t, body=c.body, code="NC-001", name="未经批准擅自建房", category="planning",
        violation_basis="《中华人民共和国城乡规划法》第四十一条", penalty_basis="《中华人民共和国城乡规划法》第六十五条",
        penalty_range="责令停止建设、限期改正；逾期不改正的，可以拆除", fine_min=None, fine_max=Decimal("50000"))
    c.band = services.band_save(actor=admin, power=c.power, level="general", circumstances="一般情节",
                                fine_min=Decimal("1000"), fine_max=Decimal("10000"))
    valid = {"cert_issuer": "湖南省人民政府", "cert_valid_from": D(2020, 1, 1), "cert_valid_until": D(2030, 12, 31),
             "cert_status": "valid"}
    c.o1 = services.officer_save(actor=admin, township=t, name="李执法", cert_no="43110001", user=c.officer_user,
                                 **valid)
    c.o2 = services.officer_save(actor=admin, township=t, name="赵队员", cert_no="43110002", **valid)
    c.o3 = services.officer_save(actor=admin, township=t, name="钱队员", cert_no="43110003", **valid)
    c.expired = services.officer_save(actor=admin, township=t, name="孙过期", cert_no="43110009",
                                      **{**valid, "cert_valid_until": D(2023, 12, 31)})
    c.uncertified = services.officer_save(actor=admin, township=t, name="周无证")
    c.reviewer = services.officer_save(actor=admin, township=t, name="唐法治", legal_qualified=True,
                                       legal_qualification_no="A20194300000001", user=c.legal_user)
    c.unqualified_reviewer = services.officer_save(actor=admin, township=t, name="吴审核")
    return c


def make_case(enf, *, fine=Decimal("3000"), penalty=PenaltyKind.FINE, officers=None, **extra):
    fields = {"title": "擅自建房案", "party_name": "张三", "party_id_no": "431127198001011234",
              "party_phone": "13812345678", "discovered_on": D(2024, 3, 1), "violation_date": D(2024, 2, 20),
              "facts": "当事人未经批准在犁头村建房"}
    fields.update(extra)
    case = registration.case_create(actor=enf.officer_user, township=enf.town, power=enf.power,
                                officers=officers or [enf.o1, enf.o2], today=D(2024, 3, 1), **fields)
    case._fine, case._penalty = fine, penalty
    return case


def advance(enf, case, to: str):
    """Walk an ordinary case forward to `to` with valid data (2024 dates)."""
    order = [CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.DECIDED, CaseStatus.SERVED,
             CaseStatus.CLOSED]
    fine, penalty = getattr(case, "_fine", Decimal("3000")), getattr(case, "_penalty", PenaltyKind.FINE)
    for status in order:
        case.refresh_from_db()
        if case.status == to:
            return case
        if case.status in order and order.index(case.status) >= order.index(status):
            continue
        if status == CaseStatus.INVESTIGATING:
            case = case_flow.case_transition(actor=enf.leader, case=case, step="approve", today=D(2024, 3, 4),
                                            data={"filed_on": D(2024, 3, 4)})
        elif status == CaseStatus.NOTIFIED:
            case = case_flow.case_transition(actor=enf.officer_user, case=case, step="notice", today=D(2024, 4, 1),
                                            data={
                "notice_served_on": D(2024, 4, 1), "reasons": "违反规划许可", "penalty_kind": penalty,
                "fine_amount": fine if penalty == PenaltyKind.FINE else None})
        elif status == CaseStatus.DECIDED:
            case = case_flow.case_transition(actor=enf.leader, case=case, step="decide", today=D(2024, 4, 15), data={
                "outcome": Outcome.PENALTY, "decided_on": D(2024, 4, 15)})
        elif status == CaseStatus.SERVED:
            case = case_flow.case_transition(actor=enf.officer_user, case=case, step="serve", today=D(2024, 4, 16),
                                            data={
                "served_on": D(2024, 4, 16), "service_method": ServiceMethod.DIRECT, "service_recipient": "张三"})
        if case.status == to:
            return case
    return case
