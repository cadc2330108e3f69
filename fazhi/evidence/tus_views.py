"""tus 1.0.0 endpoints (core protocol + creation + termination), https://tus.io/protocols/resumable-upload.

    OPTIONS /evidence/tus/            capabilities
    POST    /evidence/tus/            create: Upload-Length, Upload-Metadata (registration fields) → 201 Location
    HEAD    /evidence/tus/<id>/       Upload-Offset / Upload-Length (resume point)
    PATCH   /evidence/tus/<id>/       append at Upload-Offset (409 when it is not the server's offset)
    DELETE  /evidence/tus/<id>/       abandon an unfinished upload
On the last chunk the response carries Fazhi-Evidence-Url, the new evidence page.
Session authentication and CSRF (X-CSRFToken header) as for every other write; an API client sends its token
instead (Authorization: Bearer fz_…, no CSRF: a browser never adds that header by itself; fazhi.api.uploads).
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import wraps

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fazhi.core.access import get_visible_or_404, role_view
from fazhi.core.errors import DomainError
from fazhi.core.params import int_param
from fazhi.core.scope import townships_for
from fazhi.evidence import conf
from fazhi.evidence.forms import UploadForm
from fazhi.evidence.models import UploadSession, UploadStatus
from fazhi.evidence.selectors import WRITE_ROLES
from fazhi.evidence.sniff import ContentRefused
from fazhi.evidence.uploads import (
    OffsetMismatch,
    UploadGone,
    UploadLocked,
    current_offset,
    upload_append,
    upload_create,
    upload_terminate,
)
from fazhi.evidence.views import resolve_subject

TUS_VERSION = "1.0.0"


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str, **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    for k, v in headers.items():
        response[k.replace("_", "-")] = v
    return _tus(response)


def parse_metadata(header: str) -> dict[str, str]:
    """'key base64,key2 base64' → {key: text}. Bad base64 or non-UTF-8 → ValueError."""
    out = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _, value = pair.partition(" ")
        try:
            out[key] = base64.b64decode(value.strip(), validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(key) from None
    return out


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Tus-Version"] = TUS_VERSION
    response["Tus-Extension"] = "creation,termination"
    response["Tus-Max-Size"] = str(conf.max_bytes())
    return _tus(response)


_DIGITS = re.compile(r"[0-9]{1,20}")


def _header_int(request, name: str) -> int | None:
    """A tus length/offset header: ASCII digits only (int() would take "+10", " 10", "1_0" or "١٠")."""
    value = request.headers.get(name, "")
    return int(value) if _DIGITS.fullmatch(value) else None


def _version_ok(request) -> bool:
    return request.headers.get("Tus-Resumable") == TUS_VERSION


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return "登记信息有误。"


def _token_or_session(view):
    """A Bearer token (an API client) stands for the session; a session still passes Django's CSRF check."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.headers.get("Authorization", "").startswith("Bearer "):
            from fazhi.api.uploads import upload_user

            subject = ""
            if request.method == "POST":
                try:
                    subject = parse_metadata(request.headers.get("Upload-Metadata", "")).get("subject", "")
                except ValueError:
                    return _error(400, "Upload-Metadata 格式无效。")
            user, refusal = upload_user(request, subject)
            if refusal is not None:
                status, message = refusal
                return _error(status, message, **({"WWW_Authenticate": 'Bearer realm="fazhi"'} if status == 401 else {}))
            request.user = user
        else:
            rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
            if rejected is not None:
                return rejected
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True  # checked above for sessions; a token is not sent by a browser on its own
    return wrapper


@_token_or_session
@role_view(read=WRITE_ROLES, write=WRITE_ROLES)
@require_http_methods(["OPTIONS", "POST"])
def tus_create(request):
    if request.method == "OPTIONS":
        return _options()
    if not _version_ok(request):
        return _error(412, "不支持的上传协议版本。", Tus_Version=TUS_VERSION)
    length = _header_int(request, "Upload-Length")
    if length is None:
        return _error(400, "缺少或无效的 Upload-Length（只能是非负整数）。")
    if length > conf.max_bytes():
        return _error(413, f"文件超过大小上限（{conf.max_bytes() // 1024**2} MB）。")
    try:
        meta = parse_metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError:
        return _error(400, "Upload-Metadata 格式无效。")
    try:
        subject = resolve_subject(request.user, meta.get("subject", ""))
    except DomainError as e:
        return _error(400, e.message)
    if subject is not None:
        township = subject.township
    else:
        towns = townships_for(request.user, WRITE_ROLES)
        township = towns.filter(pk=meta["township"]).first() if int_param(meta.get("township")) is not None \
            else None
        if township is None:
            candidates = list(towns[:2])
            township = candidates[0] if len(candidates) == 1 else None
        if township is None:
            return _error(400, "请选择证据所属乡镇。")
    data = {k: meta.get(k, "") for k in ("stage", "device", "started_at", "ended_at", "place", "description",
                                         "purpose")}
    form = UploadForm({**data, "officers": [o for o in meta.get("officers", "").split(",") if o.strip()]},
                      township=township)
    if not form.is_valid():
        return _error(400, _first_error(form))
    d = form.cleaned_data
    try:
        upload = upload_create(actor=request.user, township=township, length=length,
                               filename=meta.get("filename") or meta.get("name") or "", subject=subject,
                               stage=d["stage"], device=d["device"], officers=list(d["officers"]),
                               started_at=d["started_at"], ended_at=d["ended_at"], place=d["place"],
                               description=d["description"], purpose=d["purpose"] or "上传")
    except ContentRefused as e:
        return _error(415, e.message)
    except DomainError as e:
        return _error(413 if "上限" in e.message else 400, e.message)
    response = HttpResponse(status=201)
    response["Location"] = request.build_absolute_uri(reverse("evidence:tus_upload", args=[upload.pk]))
    response["Upload-Offset"] = "0"
    return _tus(response)


def _done_headers(response, upload: UploadSession):
    if upload.evidence_id:
        response["Fazhi-Evidence-Url"] = reverse("evidence:detail", args=[upload.evidence_id])


@_token_or_session
@role_view(read=WRITE_ROLES, write=WRITE_ROLES, model=UploadSession, url_kwargs=lambda u: {"upload_id": u.pk})
@require_http_methods(["GET", "HEAD", "PATCH", "DELETE", "OPTIONS"])
def tus_upload(request, upload_id):
    upload = get_visible_or_404(UploadSession, request.user, roles=WRITE_ROLES, pk=upload_id)
    if request.method == "OPTIONS":
        return _options()
    if request.method == "GET":  # status for the upload page (not part of tus)
        return _tus(JsonResponse({"offset": current_offset(upload), "length": upload.length,
                                  "status": upload.status, "error": upload.error, "filename": upload.filename,
                                  "evidence_url": reverse("evidence:detail", args=[upload.evidence_id])
                                  if upload.evidence_id else ""}))
    if not _version_ok(request):
        return _error(412, "不支持的上传协议版本。", Tus_Version=TUS_VERSION)
    if request.method == "HEAD":
        if upload.status == UploadStatus.FAILED:
            return _error(410, upload.error or "该上传已被拒绝。")
        response = HttpResponse(status=200)
        response["Upload-Offset"] = str(current_offset(upload))
        response["Upload-Length"] = str(upload.length)
        _done_headers(response, upload)
        return _tus(response)
    if request.method == "DELETE":
        try:
            upload_terminate(actor=request.user, upload=upload)
        except DomainError as e:
            return _error(403, e.message)
        return _tus(HttpResponse(status=204))
    # PATCH
    if request.content_type != "application/offset+octet-stream":
        return _error(415, "Content-Type 应为 application/offset+octet-stream。")
    offset = _header_int(request, "Upload-Offset")
    if offset is None:
        return _error(400, "缺少或无效的 Upload-Offset（只能是非负整数）。")
    stream, content_length = _body(request)
    if stream is None:
        return _error(411, "分块传输（Transfer-Encoding: chunked）的上传请求须带 Content-Length，请更新上传程序后续传。")
    try:
        upload, evidence = upload_append(actor=request.user, upload=upload, offset=offset, stream=stream,
                                         content_length=content_length)
    except OffsetMismatch as e:
        return _error(409, e.message, Upload_Offset=str(e.expected))
    except UploadLocked as e:
        return _error(423, e.message)
    except UploadGone as e:
        return _error(410, e.message)
    except DomainError as e:
        if upload.user_id != request.user.pk:
            return _error(403, e.message)
        return _error(415 if isinstance(e, ContentRefused) else 400, e.message)
    response = HttpResponse(status=204)
    response["Upload-Offset"] = str(upload.offset)
    _done_headers(response, upload)
    return _tus(response)


def _body(request):
    """(stream, length) of a PATCH body. Django reads CONTENT_LENGTH bytes and nothing without it, so a
    chunked body would silently count as empty: it is read from the server's decoded input when the server
    says that input ends with the body (gunicorn: wsgi.input_terminated), and refused (None) otherwise."""
    raw_length = request.META.get("CONTENT_LENGTH") or ""
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    if raw_length.isascii() and raw_length.isdigit() and not chunked:
        return request, int(raw_length)
    if chunked and request.META.get("wsgi.input_terminated"):
        return request.META["wsgi.input"], None
    if chunked or raw_length:
        return None, None
    return request, 0  # no body at all: nothing appended, the offset is reported unchanged


def _sample_upload(township):
    """For the URL-walk test: an unfinished upload in `township` (the demo keeps none lying around)."""
    upload = UploadSession.objects.filter(township=township).order_by("created_at").first()
    if upload is None:
        from fazhi.accounts.models import Membership

        m = Membership.objects.filter(region=township, role__in=WRITE_ROLES, active=True).select_related("user").first()
        if m is None:
            return None
        upload = UploadSession.objects.create(township=township, user=m.user, length=1, filename="示例.mp4",
                                              metadata={"stage": "other"})
    return upload


tus_upload.fazhi_sample = _sample_upload
