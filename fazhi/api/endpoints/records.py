"""Full-process records (执法全过程记录, 行政处罚法第四十七条) of a case: read them, and append one through the
page's RecordForm and `enforcement.records.record_create` — text, and photos or recordings as references to
finished tus uploads (the page posts the files; an API client uploads them resumably first)."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from fazhi.api.base import ApiError, errors, op
from fazhi.api.endpoints.evidence import FLOW, EvidenceOut, evidence_out, finished_evidence
from fazhi.api.helpers import (
    as_form_data,
    body_schema,
    cursor_query,
    form_data,
    idempotency_header,
    idempotent,
    limit_query,
    page,
    valid_or_raise,
)
from fazhi.enforcement import forms, permissions, records, selectors
from fazhi.enforcement.models import Case, ProcessRecord
from fazhi.evidence import selectors as evidence_selectors

MAX_FILES = 20


class ProcessRecordOut(Schema):
    id: int
    case: int | None
    measure: int | None
    stage: str = Field(description="执法环节")
    stage_label: str
    text: str
    recorded_at: str
    place: str
    device: str
    officers: list[str]
    file_count: int
    has_video: bool
    created_by: str | None
    evidence: list[EvidenceOut] = Field(description="所附照片、录音、录像（您可查看的，含 SHA-256）")


class ProcessRecordPage(Schema):
    items: list[ProcessRecordOut]
    next_cursor: str | None = Field(description="下一页游标；最后一页为 null")


ProcessRecordIn = body_schema(
    "ProcessRecordIn", forms.RecordForm,
    extra={"measure": (int | None, Field(None, description="所记录的查封、扣押措施（本案实施中的措施编号）")),
           "evidence_uploads": (list[uuid.UUID], Field(default_factory=list, max_length=MAX_FILES,
                                                       description="已上传完成的照片、录音、录像的上传编号（见 tus 上传说明）"))},
    doc="登记一条全过程记录：与网页“全过程记录”表单相同的字段；文件先经 tus 上传，再在此引用。")


def _user_name(user):
    return (user.get_full_name() or user.username) if user else None


def _page_out(user, rows: list[ProcessRecord]) -> list[dict]:
    by_record = evidence_selectors.evidence_by_subject(rows)
    ids = [e.pk for files in by_record.values() for e in files]
    readable = set(evidence_selectors.evidence_list_for(user).filter(pk__in=ids).values_list("pk", flat=True)) \
        if ids else set()
    return [{"id": r.pk, "case": r.case_id, "measure": r.measure_id, "stage": r.stage,
             "stage_label": r.get_stage_display(), "text": r.text, "recorded_at": r.recorded_at.isoformat(),
             "place": r.place, "device": r.device, "officers": [o.name for o in r.officers.all()],
             "file_count": r.file_count, "has_video": r.has_video, "created_by": _user_name(r.created_by),
             "evidence": [evidence_out(e) for e in by_record.get(r.pk, []) if e.pk in readable]} for r in rows]


def _records(case):
    return ProcessRecord.objects.filter(case=case).select_related("created_by").prefetch_related("officers")


def _case(user, pk):
    return get_object_or_404(selectors.case_list_for(user), pk=pk)


@op("GET", "/cases/{int:pk}/records", name="case_records", module="enforcement", roles=permissions.READ,
    model=Case, summary="案件的全过程记录（文字记录及所附证据，游标分页）",
    response={200: ProcessRecordPage, **errors(400, 404)})
def case_records(request, pk: int, cursor: str | None = cursor_query(), limit: int = limit_query()):
    case = _case(request.user, pk)
    result = page(_records(case), cursor, limit, lambda r: r)
    return {"items": _page_out(request.user, result["items"]), "next_cursor": result["next_cursor"]}


@op("POST", "/cases/{int:pk}/records", name="case_record_create", module="enforcement",
    roles=permissions.CASE_WRITE, write=True, model=Case, summary="登记一条案件的全过程记录（文字，可引用已上传的证据）",
    description=FLOW.replace("调用本接口把证据关联到记录", "在 evidence_uploads 中引用，随记录一并关联"),
    response={201: ProcessRecordOut, **errors(404)})
def case_record_create(request, payload: ProcessRecordIn, pk: int, idempotency_key: str = idempotency_header()):
    case = _case(request.user, pk)

    def write():
        form = forms.RecordForm(as_form_data(form_data(payload)))
        form.set_officers(selectors.officer_list_for(request.user).filter(township=case.township, active=True))
        data = dict(valid_or_raise(form))
        data.pop("files", None)
        measure = None
        if payload.measure is not None:
            measure = case.measures.filter(status="open", pk=payload.measure).first()
            if measure is None:
                raise ApiError(422, "invalid", "所选强制措施不是本案实施中的措施。", {"measure": ["不是本案实施中的措施。"]})
        uploads = list(dict.fromkeys(payload.evidence_uploads))
        evidence = [finished_evidence(request.user, u) for u in uploads]
        rec = records.record_create(actor=request.user, township=case.township, case=case, measure=measure,
                                    evidence_files=evidence, **data)
        return _page_out(request.user, list(_records(case).filter(pk=rec.pk)))[0]

    return idempotent(request, idempotency_key, write)
