"""Evidence (执法记录证据) of a case, an inspection or a dispute: the record's live evidence with SHA-256, and
attaching a finished upload to it. The bytes go through the evidence store's own tus endpoint (the same size,
type and structure checks as the upload page); the attach goes through `evidence.services.evidence_attach`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Schema
from pydantic import Field

from fazhi.api.base import ApiError, errors, op
from fazhi.api.helpers import cursor_query, idempotency_header, idempotent, limit_query, page
from fazhi.enforcement import permissions as enforcement_permissions
from fazhi.enforcement import selectors as enforcement_selectors
from fazhi.enforcement.models import Case, Inspection
from fazhi.evidence import selectors as evidence_selectors
from fazhi.evidence import services as evidence_services
from fazhi.evidence.models import EvidenceFile, Stage, UploadStatus
from fazhi.mediation import permissions as mediation_permissions
from fazhi.mediation import selectors as mediation_selectors
from fazhi.mediation.models import Dispute

StageName = Literal[tuple(Stage.values)]  # the OpenAPI enum of 执法环节

FLOW = ("上传文件：先用 tus 1.0.0 协议上传到 /evidence/tus/（POST 创建，请求头 Authorization: Bearer 令牌、"
        "Tus-Resumable: 1.0.0、Upload-Length、Upload-Metadata（filename、stage 等，base64）；再以 PATCH 分块续传，"
        "大小、类型和文件结构的校验与网页上传相同，超限返回413、类型不符返回415）；Location 末段即上传编号。"
        "上传完成后，以该编号调用本接口把证据关联到记录。令牌须具有该记录所属模块的写权限。")


class EvidenceOut(Schema):
    id: int
    sha256: str = Field(description="文件的 SHA-256（上传时边接收边计算）")
    filename: str
    size: int = Field(description="字节数")
    content_type: str
    kind: str = Field(description="视频、音频、图片、PDF……")
    stage: str = Field(description="执法环节")
    stage_label: str
    started_at: str | None
    ended_at: str | None
    place: str
    description: str
    uploaded_by: str | None
    uploaded_at: str
    subject: str | None = Field(description="所关联的记录（app.model:id）")


class EvidencePage(Schema):
    items: list[EvidenceOut]
    next_cursor: str | None = Field(description="下一页游标；最后一页为 null")


class EvidenceAttachIn(Schema):
    upload: uuid.UUID = Field(description="已完成的上传编号（POST /evidence/tus/ 返回的 Location 末段）")
    stage: StageName | None = Field(None, description="执法环节；省略时沿用上传时登记的环节")


def _iso(value):
    return value.isoformat() if value else None


def evidence_out(e: EvidenceFile) -> dict:
    return {"id": e.pk, "sha256": e.sha256, "filename": e.original_name, "size": e.size,
            "content_type": e.content_type, "kind": e.kind_label, "stage": e.stage,
            "stage_label": e.get_stage_display(), "started_at": _iso(e.started_at), "ended_at": _iso(e.ended_at),
            "place": e.place, "description": e.description,
            "uploaded_by": (e.uploaded_by.get_full_name() or e.uploaded_by.username) if e.uploaded_by_id else None,
            "uploaded_at": e.created_at.isoformat(),
            "subject": f"{e.subject_type}:{e.subject_id}" if e.subject_type else None}


def evidence_of(user, subject):
    """The record's live evidence this user may read (the evidence store's own scope as well as the record's)."""
    readable = evidence_selectors.evidence_list_for(user).values("pk")
    return evidence_selectors.evidence_for(subject).filter(pk__in=readable)


def finished_evidence(user, upload_id) -> EvidenceFile:
    """The evidence of a finished upload of this user, else a Chinese refusal naming why."""
    upload = evidence_selectors.upload_for(user, upload_id)
    if upload is None:
        raise ApiError(422, "invalid", "未找到该上传：只能关联本人在登记范围内发起的上传。",
                       {"upload": ["未找到该上传。"]})
    if upload.status == UploadStatus.FAILED:
        raise ApiError(422, "refused", f"该上传已被拒绝：{upload.error or '文件未通过校验'}")
    if upload.status != UploadStatus.DONE or upload.evidence_id is None:
        raise ApiError(422, "refused", f"上传尚未完成（已接收{upload.offset}/{upload.length}字节），请续传完成后再关联。")
    evidence = EvidenceFile.objects.select_related("township", "uploaded_by").get(pk=upload.evidence_id)
    if evidence.is_disposed:
        raise ApiError(422, "refused", "该证据已销毁，不能关联。")
    return evidence


@dataclass(frozen=True)
class Subject:
    path: str  # "/cases"
    name: str  # "case"
    label: str  # "案件"
    module: str
    model: type
    read_roles: frozenset
    records: object  # user → queryset of the records the user sees


SUBJECTS = (
    Subject("/cases", "case", "行政执法案件", "enforcement", Case, enforcement_permissions.READ,
            enforcement_selectors.case_list_for),
    Subject("/inspections", "inspection", "巡查检查", "enforcement", Inspection, enforcement_permissions.READ,
            enforcement_selectors.inspection_list_for),
    Subject("/disputes", "dispute", "矛盾纠纷", "mediation", Dispute, mediation_permissions.READ_ROLES,
            mediation_selectors.dispute_list_for),
)


def _register(s: Subject) -> None:
    read_roles = s.read_roles & evidence_selectors.READ_ROLES
    write_roles = evidence_selectors.WRITE_ROLES  # the upload page's: any evidence recorder who sees the record

    @op("GET", f"{s.path}/{{int:pk}}/evidence", name=f"{s.name}_evidence", module=s.module, roles=read_roles,
        model=s.model, summary=f"{s.label}的执法记录证据（含 SHA-256，游标分页）",
        response={200: EvidencePage, **errors(400, 404)})
    def evidence_list(request, pk: int, cursor: str | None = cursor_query(), limit: int = limit_query()):
        subject = get_object_or_404(s.records(request.user), pk=pk)
        return page(evidence_of(request.user, subject), cursor, limit, evidence_out)

    @op("POST", f"{s.path}/{{int:pk}}/evidence", name=f"{s.name}_evidence_attach", module=s.module,
        roles=write_roles, write=True, model=s.model, summary=f"把已上传完成的证据关联到{s.label}",
        description=FLOW, response={201: EvidenceOut, **errors(404)})
    def evidence_attach(request, payload: EvidenceAttachIn, pk: int, idempotency_key: str = idempotency_header()):
        subject = get_object_or_404(s.records(request.user), pk=pk)

        def write():
            evidence = finished_evidence(request.user, payload.upload)
            attached = evidence_services.evidence_attach(actor=request.user, evidence=evidence, subject=subject,
                                                         stage=payload.stage, reason="经数据接口关联到记录")
            return evidence_out(EvidenceFile.objects.select_related("uploaded_by").get(pk=attached.pk))

        return idempotent(request, idempotency_key, write)


for _subject in SUBJECTS:
    _register(_subject)
