from __future__ import annotations

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.enforcement.documents import build, text_of
from fazhi.enforcement.models import CaseStatus, DocKind
from fazhi.enforcement.tests.conftest import advance, make_case

pytestmark = pytest.mark.django_db


def test_decision_document_has_every_article_59_item(enf):
    case = advance(enf, make_case(enf, party_address="犁头村3组"), CaseStatus.SERVED)
    name, data = build(case, DocKind.DECISION)
    text = text_of(data)
    assert name.endswith(".docx")
    assert "犁头瑶族乡罚决字〔2024〕第1号" in text
    assert "张三" in text and "犁头村3组" in text                              # (一) name and address
    assert "违法事实" in text and "未经批准" in text and "证据" in text        # (二) facts and evidence
    assert "城乡规划法》第六十五条" in text and "处罚种类" in text             # (三) kind and basis
    assert "15日内" in text and "3%加处罚款" in text                          # (四) how and when
    assert "60日内向蓝山县人民政府申请行政复议" in text                          # (五) remedies
    assert "6个月内依法向蓝山县人民法院提起行政诉讼" in text
    assert "犁头瑶族乡人民政府（印章）" in text and "2024年4月15日" in text     # (六) body and date


def test_other_documents_build_with_numbers(enf):
    case = advance(enf, make_case(enf), CaseStatus.SERVED)
    texts = {k: text_of(build(case, k)[1]) for k in (DocKind.FILING, DocKind.INQUIRY, DocKind.NOTICE,
                                                     DocKind.RECEIPT)}
    assert "立字〔2024〕第1号" in texts[DocKind.FILING]
    assert "罚告字〔2024〕第1号" in texts[DocKind.NOTICE] and "陈述和申辩" in texts[DocKind.NOTICE]
    assert "要求举行听证" in texts[DocKind.NOTICE]  # 3,000 yuan ≥ the configured 较大数额 for a person
    assert "送字〔2024〕第1号" in texts[DocKind.RECEIPT] and "2024年4月16日" in texts[DocKind.RECEIPT]
    assert "如实回答" in texts[DocKind.INQUIRY]


def test_decision_document_refused_before_decision(enf):
    case = make_case(enf)
    with pytest.raises(DomainError):
        build(case, DocKind.DECISION)


def test_numbers_continue_per_township_and_year(enf):
    a = advance(enf, make_case(enf), CaseStatus.DECIDED)
    b = advance(enf, make_case(enf), CaseStatus.DECIDED)
    assert a.decision_number.endswith("〔2024〕第1号") and b.decision_number.endswith("〔2024〕第2号")
    assert dt.date(2024, 4, 15) == b.decided_on


def test_onsite_decision_states_time_and_place(enf):
    from decimal import Decimal

    from fazhi.enforcement.models import PenaltyKind
    from fazhi.enforcement.workflow import registration

    case = registration.case_simple_decide(actor=enf.officer_user, township=enf.town, power=enf.power,
                                       officers=[enf.o1, enf.o2], party_kind="person", party_name="王五",
                                       penalty_kind=PenaltyKind.FINE, fine_amount=Decimal("100"), facts="乱堆",
                                       title="乱堆乱放", place="犁头村集镇", decided_on=dt.date(2024, 5, 6),
                                       today=dt.date(2024, 5, 6))
    text = text_of(build(case, DocKind.ONSITE)[1])
    assert "当罚字〔2024〕第1号" in text and "2024年5月6日，犁头村集镇" in text
    assert "60日内" in text and "6个月内" in text
