"""Evidence pages: ledger, upload page, detail with custody history, playback/download after a stated
purpose, metadata edit, disposal by decision, export, retention catalogue."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.access import role_view
from fazhi.core.errors import DomainError
from fazhi.core.ledger import Column, Filter, Ledger
from fazhi.core.params import int_param
from fazhi.core.scope import has_role, townships_for
from fazhi.evidence import conf
from fazhi.evidence.export import evidence_export
from fazhi.evidence.forms import DisposeForm, EvidenceMetaForm, PurposeForm, RetentionRuleForm, UploadForm
from fazhi.evidence.models import EvidenceFile, Stage, UploadSession, UploadStatus
from fazhi.evidence.ranges import ranged_file_response
from fazhi.evidence.selectors import (
    CONFIG_ROLES,
    DISPOSE_ROLES,
    READ_ROLES,
    WRITE_ROLES,
    custody_for,
    evidence_list_for,
    evidence_visible_or_404,
    retention_rules,
    subject_model,
    subject_visible,
)
from fazhi.evidence.services import (
    ACTION_LABELS,
    evidence_access,
    evidence_dispose,
    evidence_locked,
    evidence_update,
    retention_rule_set,
)

GRANTS = "evidence_grants"


def _human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def resolve_subject(user, value: str):
    """'app_label.model:pk' → the record, if the user may see it (else DomainError)."""
    if not value:
        return None
    label, _, pk = value.partition(":")
    model = subject_model(label)
    if model is None or not pk or not subject_visible(user, model, pk):
        raise DomainError("关联的案件或记录不存在，或您无权查看。")
    return model._default_manager.get(pk=pk)


# --- ledger -------------------------------------------------------------------------------------

KINDS = [("video/", "视频"), ("audio/", "音频"), ("image/", "图片"), ("application/", "文档")]

LEDGER = Ledger(
    title="执法记录证据",
    columns=[
        Column("文件名", "original_name", sort="original_name", link=True),
        Column("关联对象", lambda e: e.subject_repr or "（未关联）"),
        Column("执法环节", "stage", sort="stage"),
        Column("类型", "content_type"),
        Column("大小", lambda e: _human_size(e.size), sort="size"),
        Column("开始时间", "started_at", sort="started_at"),
        Column("上传人", "uploaded_by"),
        Column("保存期限至", lambda e: "已销毁" if e.disposed_at else (e.retain_until or "永久")),
    ],
    filters=[
        Filter("stage", "执法环节", "stage", Stage.choices),
        Filter("kind", "类型", "content_type__startswith", KINDS),
        Filter("disposed", "状态", "disposed_at__isnull", [("True", "在存"), ("False", "已销毁")]),
    ],
    search_fields=["original_name", "description", "place", "subject_repr", "device", "sha256"],
    default_sort="-created_at",
    row_url=lambda e: reverse("evidence:detail", args=[e.pk]),
    actions=[("上传证据", reverse_lazy("evidence:upload"))],
)


@role_view(read=READ_ROLES)
def evidence_list(request):
    return LEDGER.respond(request, evidence_list_for(request.user))


# --- upload page --------------------------------------------------------------------------------

@role_view(read=WRITE_ROLES, write=WRITE_ROLES)
def upload_page(request):
    subject_value = request.GET.get("subject", "")
    try:
        subject = resolve_subject(request.user, subject_value)
    except DomainError:
        raise Http404("关联的案件或记录不存在，或您无权查看。") from None
    towns = list(townships_for(request.user, WRITE_ROLES))
    township = subject.township if subject is not None else (towns[0] if len(towns) == 1 else None)
    stage = request.GET.get("stage", "")
    form = UploadForm(township=township, initial={"stage": stage if stage in Stage.values else Stage.OTHER})
    pending = (UploadSession.objects.visible_to(request.user, roles=WRITE_ROLES)
               .filter(user=request.user, status=UploadStatus.RECEIVING).order_by("-created_at")[:20])
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "evidence/upload.html", {
        "form": form, "subject": subject, "subject_value": subject_value if subject else "",
        "townships": towns, "township": township, "pending": pending, "max_bytes": conf.max_bytes(),
        "tus_url": reverse("evidence:tus"), "back": back,
    })


# --- detail, access, file -----------------------------------------------------------------------

def _grant(request, pk: int, mode: str) -> bool:
    expiry = request.session.get(GRANTS, {}).get(str(pk), {}).get(mode, 0)
    return expiry > time.time()


def _give_grant(request, pk: int, mode: str) -> None:
    grants = {k: v for k, v in request.session.get(GRANTS, {}).items()
              if any(t > time.time() for t in v.values())}
    grants.setdefault(str(pk), {})[mode] = time.time() + conf.access_grant_minutes() * 60
    request.session[GRANTS] = grants


@role_view(read=READ_ROLES, model=EvidenceFile)
def evidence_detail(request, pk):
    evidence = evidence_visible_or_404(request.user, pk)
    evidence_access(actor=request.user, evidence=evidence, action="view", purpose="")
    custody = list(custody_for(evidence))
    for e in custody:
        e.label = ACTION_LABELS.get(e.action, e.action)
    return render(request, "evidence/detail.html", {
        "ev": evidence, "officers": list(evidence.officers.all()), "custody": custody,
        "size": _human_size(evidence.size), "purpose_form": PurposeForm(),
        "can_play": _grant(request, pk, "play"), "can_download": _grant(request, pk, "download"),
        "can_edit": has_role(request.user, WRITE_ROLES) and not evidence.is_disposed,
        "can_dispose": has_role(request.user, DISPOSE_ROLES) and not evidence.is_disposed,
        "locked": evidence_locked(evidence), "dispose_form": DisposeForm(),
    })


@role_view(read=READ_ROLES, model=EvidenceFile)
def evidence_open(request, pk):
    """State a purpose → one custody entry → playback or download opens for this session.
    A GET form: reading with a logged purpose is a read (the county supervisor may review evidence)."""
    evidence = evidence_visible_or_404(request.user, pk)
    mode = request.GET.get("mode", "play")
    if mode not in {"play", "download"}:
        mode = "play"
    form = PurposeForm(request.GET if "purpose" in request.GET else None)
    if form.is_bound and form.is_valid():
        try:
            evidence_access(actor=request.user, evidence=evidence, action=mode, purpose=form.purpose_text())
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            _give_grant(request, pk, mode)
            if mode == "download":
                return redirect(reverse("evidence:file", args=[pk]) + "?download=1")
            return redirect(reverse("evidence:detail", args=[pk]) + "#player")
    return render(request, "evidence/open.html", {"ev": evidence, "form": form, "mode": mode})


@role_view(read=READ_ROLES, model=EvidenceFile)
@require_http_methods(["GET", "HEAD"])
def evidence_file(request, pk):
    """The bytes, with Range support, only within a purpose-stated access (logged in evidence_open)."""
    evidence = evidence_visible_or_404(request.user, pk)
    download = request.GET.get("download") == "1"
    if evidence.is_disposed or evidence.blob is None:
        messages.error(request, "该证据已按规定销毁，文件不可调取。")
        return redirect("evidence:detail", pk=pk)
    mode = "download" if download else "play"
    if not _grant(request, pk, mode):
        purpose = request.GET.get("purpose", "").strip()[:300]
        if not purpose:
            messages.warning(request, "调取证据文件前请先说明用途。")
            return redirect(reverse("evidence:open", args=[pk]) + ("?mode=download" if download else ""))
        evidence_access(actor=request.user, evidence=evidence, action=mode, purpose=purpose)  # a direct link
        _give_grant(request, pk, mode)
    inline_ok = evidence.content_type.split("/")[0] in {"video", "audio", "image"} \
        or evidence.content_type == "application/pdf"
    return ranged_file_response(request, storage_name=evidence.blob.storage_name, size=evidence.size,
                                content_type=evidence.content_type, filename=evidence.original_name,
                                attachment=download or not inline_ok)


# --- edit, dispose ------------------------------------------------------------------------------

@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=EvidenceFile)
def evidence_edit(request, pk):
    evidence = evidence_visible_or_404(request.user, pk, roles=WRITE_ROLES)
    if request.method == "POST":
        form = EvidenceMetaForm(request.POST, township=evidence.township)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evidence_update(actor=request.user, evidence=evidence, officers=list(data["officers"]),
                                reason="修改登记信息",
                                **{k: data[k] for k in ("stage", "device", "started_at", "ended_at", "place",
                                                        "description")})
            except DomainError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "登记信息已保存。")
                return redirect("evidence:detail", pk=pk)
    else:
        form = EvidenceMetaForm(township=evidence.township, initial={
            "stage": evidence.stage, "device": evidence.device, "officers": list(evidence.officers.all()),
            "started_at": evidence.started_at, "ended_at": evidence.ended_at, "place": evidence.place,
            "description": evidence.description})
    return render(request, "evidence/edit.html", {"ev": evidence, "form": form})


@role_view(read=DISPOSE_ROLES, write=DISPOSE_ROLES, model=EvidenceFile)
@require_POST
def evidence_dispose_view(request, pk):
    evidence = evidence_visible_or_404(request.user, pk, roles=READ_ROLES)
    form = DisposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写销毁决定的文号或依据。")
        return redirect("evidence:detail", pk=pk)
    try:
        evidence_dispose(actor=request.user, evidence=evidence, basis=form.cleaned_data["basis"],
                         reason=form.cleaned_data["reason"])
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "证据文件已依决定销毁，登记信息和保管记录保留。")
    return redirect("evidence:detail", pk=pk)


# --- export -------------------------------------------------------------------------------------

@role_view(read=READ_ROLES)
def evidence_export_view(request):
    """GET ?ids=1,2 or ?subject=app.model:pk → purpose form; with a purpose → the zip."""
    ids = [i for i in request.GET.get("ids", "").replace(" ", "").split(",") if int_param(i) is not None]
    subject_value = request.GET.get("subject", "")
    evidences: list[EvidenceFile] = []
    error = ""
    try:
        if subject_value:
            subject = resolve_subject(request.user, subject_value)
            from fazhi.evidence.selectors import evidence_for

            evidences = list(evidence_for(subject).select_related("township", "blob"))
        for pk in ids[:500]:
            evidences.append(evidence_visible_or_404(request.user, int(pk)))
    except DomainError as e:
        error = e.message
    form = PurposeForm(request.GET if "purpose" in request.GET else None)
    if form.is_bound and form.is_valid() and evidences and not error:
        try:
            name, stream = evidence_export(actor=request.user, evidences=evidences, purpose=form.purpose_text())
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            response = StreamingHttpResponse(stream, content_type="application/zip")
            response["Content-Disposition"] = content_disposition_header(True, name)
            response["Cache-Control"] = "private, no-store"
            return response
    if not evidences and not error:
        error = "请从证据页面或案件页面选择要导出的证据。"
    return render(request, "evidence/export.html", {
        "form": form, "evidences": evidences, "error": error, "ids": ",".join(ids), "subject_value": subject_value})


# --- retention catalogue ------------------------------------------------------------------------

@role_view(read=READ_ROLES | CONFIG_ROLES, write=CONFIG_ROLES)
def retention_view(request):
    form = RetentionRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            retention_rule_set(actor=request.user, stage=form.cleaned_data["stage"],
                               years=form.cleaned_data["years"], basis=form.cleaned_data["basis"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "保存期限已更新（对此后登记的证据生效）。")
            return redirect("evidence:retention")
    return render(request, "evidence/retention.html", {
        "rules": retention_rules(), "form": form, "can_edit": has_role(request.user, CONFIG_ROLES)})
