"""Full-process records (Art. 47) and coercive measures: no closing a measure without a video."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.enforcement import records, services
from fazhi.enforcement.models import CaseStatus, CoerciveMeasure, MeasureStatus, ProcessRecord
from fazhi.enforcement.tests.conftest import advance, make_case
from fazhi.enforcement.workflow import cases as case_flow
from fazhi.enforcement.workflow import measures as measure_flow

D = dt.date
pytestmark = pytest.mark.django_db
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x48mdat" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 8 + b"\xff\xda\x00\x02" + b"\x00" * 64 + b"\xff\xd9"


def _at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h, 0))


def test_measure_cannot_close_without_video(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    m = records.measure_create(actor=enf.officer_user, case=case, kind="seize", items="挖掘机一台",
                                started_on=D(2024, 3, 5), approved_by="雷斌", today=D(2024, 3, 5))
    records.record_create(actor=enf.officer_user, township=enf.town, stage="coercion", text="现场扣押",
                           recorded_at=_at(2024, 3, 5), officers=[enf.o1, enf.o2], device="执法记录仪DSJ-01",
                           measure=m, files=[(io.BytesIO(JPEG), "现场.jpg")], today=D(2024, 3, 6))
    with pytest.raises(DomainError, match="视频"):
        measure_flow.measure_transition(actor=enf.officer_user, measure=m, step="close",
                                    data={"closed_on": D(2024, 3, 20), "note": "解除"},
                               today=D(2024, 3, 20))
    assert CoerciveMeasure.objects.get(pk=m.pk).status == MeasureStatus.OPEN
    rec = records.record_create(actor=enf.officer_user, township=enf.town, stage="coercion", text="扣押全程录像",
                                 recorded_at=_at(2024, 3, 5), officers=[enf.o1, enf.o2], device="执法记录仪DSJ-01",
                                 measure=m, files=[(io.BytesIO(MP4), "扣押.mp4")], today=D(2024, 3, 6))
    assert rec.has_video and rec.file_count == 1
    assert ProcessRecord.objects.get(pk=rec.pk).case_id == case.pk
    measure_flow.measure_transition(actor=enf.officer_user, measure=m, step="close",
                                data={"closed_on": D(2024, 3, 20), "note": "解除扣押"},
                           today=D(2024, 3, 20))
    assert CoerciveMeasure.objects.get(pk=m.pk).status == MeasureStatus.CLOSED


def test_open_measure_blocks_closing_case(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    records.measure_create(actor=enf.officer_user, case=case, kind="seal", items="违建工地",
                            started_on=D(2024, 3, 5), approved_by="雷斌", today=D(2024, 3, 5))
    case = advance(enf, case, CaseStatus.SERVED)
    with pytest.raises(DomainError, match="查封、扣押"):
        case_flow.case_transition(actor=enf.officer_user, case=case, step="close", today=D(2024, 5, 1),
                                 data={"execution_note": "x"})


def test_measure_extension_only_once_and_within_period(enf):
    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    m = records.measure_create(actor=enf.officer_user, case=case, kind="seize", items="木材",
                                started_on=D(2024, 3, 5), approved_by="雷斌", today=D(2024, 3, 5))
    with pytest.raises(DomainError, match="届满"):
        measure_flow.measure_transition(actor=enf.leader, measure=m, step="extend", data={"reason": "案情复杂"},
                                    today=D(2024, 4, 8))
    measure_flow.measure_transition(actor=enf.leader, measure=m, step="extend", data={"reason": "案情复杂"},
                                today=D(2024, 4, 1))
    with pytest.raises(DomainError, match="延长一次"):
        measure_flow.measure_transition(actor=enf.leader, measure=m, step="extend", data={"reason": "再延"},
                                    today=D(2024, 4, 2))


def test_record_requires_text_and_scope(enf):
    with pytest.raises(DomainError, match="文字记录"):
        records.record_create(actor=enf.officer_user, township=enf.town, stage="patrol", text=" ",
                               recorded_at=_at(2024, 3, 5))
    other = enf.demo.user("demo2_officer")
    with pytest.raises(DomainError, match="无权"):
        records.record_create(actor=other, township=enf.town, stage="patrol", text="x",
                               recorded_at=_at(2024, 3, 5))
    assert not ProcessRecord.objects.exists()


def test_inspection_needs_two_certified_officers(enf):
    with pytest.raises(DomainError, match="至少2名"):
        services.inspection_create(actor=enf.officer_user, township=enf.town, officers=[enf.o1], kind="planned",
                                   date=D(2024, 3, 1), place="犁头村", subject="违建巡查")
    ins = services.inspection_create(actor=enf.officer_user, township=enf.town, officers=[enf.o1, enf.o2],
                                     kind="planned", date=D(2024, 3, 1), place="犁头村", subject="违建巡查",
                                     findings="发现一处未批先建")
    case = services.inspection_open_case(actor=enf.officer_user, inspection=ins, power=enf.power, title="未批先建",
                                         party_name="张三", today=D(2024, 3, 2))
    ins.refresh_from_db()
    assert ins.result == "case" and case.inspection_id == ins.pk and case.status == CaseStatus.FILING


def test_evidence_store_receives_the_process_records_files(enf):
    """The evidence store is the only file store of a process record: every file is there, write-once
    with its SHA-256, attached to the record (the second, fallback store is gone)."""
    import hashlib

    from fazhi.evidence.selectors import evidence_for

    case = advance(enf, make_case(enf), CaseStatus.INVESTIGATING)
    rec = records.record_create(actor=enf.officer_user, township=enf.town, stage="investigation", text="询问",
                                 recorded_at=_at(2024, 3, 5), case=case, officers=[enf.o1, enf.o2],
                                 files=[(io.BytesIO(MP4), "询问.mp4"), (io.BytesIO(JPEG), "现场.jpg")],
                                 today=D(2024, 3, 6))
    files = sorted(evidence_for(rec), key=lambda f: f.original_name != "询问.mp4")
    assert sorted(f.sha256 for f in files) == sorted([hashlib.sha256(MP4).hexdigest(),
                                                      hashlib.sha256(JPEG).hexdigest()])
    assert files[0].content_type.startswith("video/") and not files[1].content_type.startswith("video/")
    assert all(f.township_id == enf.town.pk for f in files)
    rec.refresh_from_db()
    assert rec.has_video and rec.file_count == 2
