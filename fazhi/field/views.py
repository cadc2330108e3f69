"""Field mode: the offline intake page, its JSON submit endpoint, the service worker and the manifest.

The submit endpoint binds the SAME form and calls the SAME service as the normal intake page
(mediation:create), so validation, scope and role checks cannot drift apart."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, Template
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from fazhi.core.access import login_view, public_view, role_view
from fazhi.core.errors import DomainError
from fazhi.education import services as education_services

# The normal event page's own form builder, so the field page validates exactly like it.
from fazhi.education.views.publicity import _event_fields, _event_form
from fazhi.enforcement import forms as enforcement_forms
from fazhi.enforcement import services as enforcement_services
from fazhi.evidence.models import Stage
from fazhi.evidence.services import evidence_ingest
from fazhi.field.permissions import (
    DISPUTE_ROLES,
    EVENT_ROLES,
    INSPECTION_ROLES,
    SCREENING_ROLES,
    offline_pages,
)
from fazhi.field.services import FieldConflict, field_submit
from fazhi.mediation import forms as mediation_forms
from fazhi.mediation.models import ScreeningRound
from fazhi.mediation.services.disputes import dispute_create
from fazhi.mediation.services.screenings import screening_create

# Static files the field pages need offline (besides the pages themselves).
OFFLINE_STATIC = ["fazhi/app.css", "fazhi/app.js", "field/field.js",
                  "field/register.js", "field/icon-192.png", "field/icon-512.png", "fazhi/favicon.ico"]
MAX_PHOTOS = 9


@role_view(read=DISPUTE_ROLES)
@require_GET
def dispute(request):
    form = mediation_forms.DisputeIntakeForm(user=request.user)
    return render(request, "field/intake.html", {
        "form": form, "title": "现场登记纠纷", "kind": "dispute", "submit_url": reverse("field:dispute_submit"),
        "title_fields": "village,party1_name,summary", "keep_fields": "village,dispute_type,received_on,source,risk_level"})


@role_view(read=EVENT_ROLES)
@require_GET
def event(request):
    _, form = _event_form(request)
    return render(request, "field/intake.html", {
        "form": form, "title": "现场登记普法活动", "kind": "event", "submit_url": reverse("field:event_submit"),
        "title_fields": "village,theme", "keep_fields": "village,date,format,organizer", "photos": MAX_PHOTOS,
        "photo_label": "活动照片"})


def _inspection_form(request, data=None):
    """The normal 登记日常巡查 page's form, for the user's own township (a field page has no township picker)."""
    from fazhi.core.scope import default_township

    town = default_township(request.user, INSPECTION_ROLES)
    return town, enforcement_forms.InspectionForm.for_township(request.user, town, data)


@role_view(read=INSPECTION_ROLES)
@require_GET
def inspection(request):
    town, form = _inspection_form(request)
    return render(request, "field/intake.html", {
        "form": form, "title": "现场登记巡查", "kind": "inspection", "submit_url": reverse("field:inspection_submit"),
        "title_fields": "place,subject", "keep_fields": "kind,date,village,officers", "photos": MAX_PHOTOS,
        "photo_label": "现场照片", "no_township": town is None})


def screening_version(rnd: ScreeningRound | None) -> str:
    """The version an offline screening entry was based on: the round's last change, or 'none'."""
    return rnd.updated_at.astimezone(dt.UTC).isoformat() if rnd else "none"


@role_view(read=SCREENING_ROLES)
@require_GET
def screening(request):
    form = mediation_forms.ScreeningForm(user=request.user)
    # The rounds this phone knows of (village|month -> version): an entry carries the version its month had
    # when it was filled in, so a round recorded or changed meanwhile by someone else shows as a conflict.
    since = (dt.date.today().replace(day=1) - dt.timedelta(days=366)).replace(day=1)
    villages = form.fields["village"].queryset
    versions = {f"{r.village_id}|{r.period_start:%Y-%m}": screening_version(r) for r in
                ScreeningRound.objects.filter(village__in=villages, period_start__gte=since)}
    return render(request, "field/intake.html", {
        "form": form, "title": "现场登记矛盾纠纷排查", "kind": "screening", "submit_url": reverse("field:screening_submit"),
        "title_fields": "village,period", "keep_fields": "village,period,held_on,screeners",
        "versions": versions, "version_fields": "village,period"})


def _errors(form) -> dict:
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def _invalid(form) -> JsonResponse:
    errors = _errors(form)
    name, messages = next(iter(errors.items()))
    label = form.fields[name].label if name in form.fields else ""
    return _refused(f"{label}：{messages[0]}" if label else messages[0], errors)


def _answer(request, kind, create) -> JsonResponse:
    try:
        sub, created = field_submit(actor=request.user, key=request.headers.get("X-Idempotency-Key", ""),
                                    kind=kind, create=create)
    except FieldConflict as e:
        return JsonResponse({"ok": False, "conflict": True, "message": e.message, "url": e.url, "errors": {}},
                            status=409, json_dumps_params={"ensure_ascii": False})
    except DomainError as e:
        return _refused(e.message)
    return JsonResponse({**sub.result(), "created": created}, status=201 if created else 200,
                        json_dumps_params={"ensure_ascii": False})


def _refused(message: str, errors: dict | None = None, status: int = 400) -> JsonResponse:
    return JsonResponse({"ok": False, "message": message, "errors": errors or {}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


@role_view(read=DISPUTE_ROLES, write=DISPUTE_ROLES)
@require_POST
def dispute_submit(request):
    form = mediation_forms.DisputeIntakeForm(request.POST, user=request.user)
    if not form.is_valid():
        return _invalid(form)
    c = form.cleaned_data

    def create():
        d = dispute_create(actor=request.user, township=c["village"].parent, village=c["village"],
                           dispute_type=c["dispute_type"], summary=c["summary"], received_on=c["received_on"],
                           source=c["source"], risk_level=c["risk_level"], parties=form.parties())
        return d, d.township, d.number, reverse("mediation:detail", args=[d.pk])

    return _answer(request, "dispute", create)


@role_view(read=EVENT_ROLES, write=EVENT_ROLES)
@require_POST
def event_submit(request):
    town, form = _event_form(request)
    photos = request.FILES.getlist("photos")
    if len(photos) > MAX_PHOTOS:
        return _refused(f"一次最多上传{MAX_PHOTOS}张照片，请删除部分照片后重新保存。")
    if not form.is_valid():
        return _invalid(form)

    def create():
        village, topics, obligations, fields = _event_fields(form.cleaned_data)
        e = education_services.event_create(actor=request.user, township=town, village=village, topics=topics,
                                            obligations=obligations, **fields)
        for image in photos:
            education_services.photo_add(actor=request.user, event=e, image=image)
        return e, e.township, f"{e.date:%Y-%m-%d} {e.theme}"[:64], reverse("education:event_detail", args=[e.pk])

    return _answer(request, "event", create)


@role_view(read=INSPECTION_ROLES, write=INSPECTION_ROLES)
@require_POST
def inspection_submit(request):
    town, form = _inspection_form(request, request.POST)
    photos = request.FILES.getlist("photos")
    if town is None:
        return _refused("您在多个乡镇或没有乡镇的执法权限，请在“登记日常巡查”页面选择乡镇登记。")
    if len(photos) > MAX_PHOTOS:
        return _refused(f"一次最多上传{MAX_PHOTOS}张照片，请删除部分照片后重新保存。")
    if not form.is_valid():
        return _invalid(form)
    fields = dict(form.cleaned_data)
    officers = fields.pop("officers")

    def create():
        ins = enforcement_services.inspection_create(actor=request.user, township=town, officers=officers,
                                                     **fields)
        # The photos are the patrol's evidence, kept with custody like any 执法记录 (the same store and checks);
        # evidence names the recording officers by their user accounts.
        recorders = [o.user_id for o in officers if o.user_id]
        for image in photos:
            evidence_ingest(actor=request.user, township=town, fileobj=image, filename=image.name, subject=ins,
                            stage=Stage.PATROL, officers=recorders, place=ins.place,
                            description="现场巡查照片（离线登记）", purpose="离线现场登记上传")
        return ins, town, str(ins)[:64], reverse("enforcement:inspection_detail", args=[ins.pk])

    return _answer(request, "inspection", create)


def _screening_conflict(rnd: ScreeningRound) -> FieldConflict:
    from fazhi.audit.models import AuditEntry

    last = (AuditEntry.objects.filter(object_type="mediation.screeninground", object_id=str(rnd.pk))
            .order_by("-seq").first())
    who = (last.actor_name if last and last.actor_name else None) or (rnd.recorded_by and rnd.recorded_by.display_name)
    changed = last is not None and last.action != "create"
    when = timezone.localtime(rnd.updated_at)
    month = f"{rnd.period_start.year}年{rnd.period_start.month}月"
    return FieldConflict(
        f"冲突：{who or '他人'}已于{when:%Y-%m-%d %H:%M}{'修改' if changed else '登记'}了{rnd.village.name}{month}的排查，"
        f"本条离线登记未提交，服务器上的记录未被覆盖。请查看服务器上的记录，如无需补充可删除本条。",
        url=reverse("mediation:screening") + f"?year={rnd.period_start.year}")


@role_view(read=SCREENING_ROLES, write=SCREENING_ROLES)
@require_POST
def screening_submit(request):
    form = mediation_forms.ScreeningForm(request.POST, user=request.user)
    if not form.is_valid():
        return _invalid(form)
    c = form.cleaned_data
    base = (request.POST.get("base_version") or "none").strip()
    period = c["period"].replace(day=1)

    def current():
        return (ScreeningRound.objects.select_related("village", "recorded_by")
                .filter(village=c["village"], period_start=period).first())

    def create():
        # Runs only for a new key (a resend returns the first result before this), so an existing round
        # here was recorded by someone else, or by this user elsewhere: never overwritten.
        existing = current()
        if existing is not None and screening_version(existing) != base:
            raise _screening_conflict(existing)
        try:
            with transaction.atomic():
                rnd = screening_create(actor=request.user, township=c["village"].parent, village=c["village"],
                                       period_start=period, held_on=c["held_on"], screeners=c["screeners"],
                                       findings=c["findings"])
        except IntegrityError:
            existing = current()  # recorded by someone else at this very moment
            if existing is None:
                raise
            raise _screening_conflict(existing) from None
        url = reverse("mediation:screening") + f"?year={rnd.period_start.year}"
        return rnd, rnd.township, str(rnd)[:64], url

    return _answer(request, "screening", create)


@login_view
@require_GET
def token(request):
    """A fresh CSRF token before each sync: the cached page's token may predate the last sign-in."""
    response = JsonResponse({"csrf": get_token(request)})
    response["Cache-Control"] = "no-store"
    return response


@cache
def _htmx_urls() -> list[str]:
    """The htmx script(s) base.html loads, whatever version django-htmx ships."""
    html = Template("{% load django_htmx %}{% htmx_script minified=True %}").render(Context())
    return re.findall(r'src="([^"]+)"', html)


def _asset_urls() -> list[str]:
    return [static(n) for n in OFFLINE_STATIC] + _htmx_urls()


@cache
def _version() -> str:
    """Changes whenever the worker or any cached asset changes, so an upgrade replaces the old cache."""
    h = hashlib.sha256(render_to_string("field/sw.js", {"version": "", "assets": "[]", "pages": "[]"}).encode())
    for name in OFFLINE_STATIC:
        path = finders.find(name)
        if path:
            h.update(Path(path).read_bytes())
    h.update(" ".join(_htmx_urls()).encode())
    return h.hexdigest()[:12]


@public_view
@require_GET
def service_worker(request):
    pages = offline_pages(request.user)
    # the user's pages are part of the version: another user's worker on a shared phone gets its own cache
    version = hashlib.sha256((_version() + " ".join(pages)).encode()).hexdigest()[:12]
    body = render_to_string("field/sw.js", {
        "version": version,
        "assets": json.dumps(_asset_urls()),
        "pages": json.dumps(pages),
    })
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@public_view
@require_GET
def manifest(request):
    data = {
        "name": "法治政府建设工作平台",
        "short_name": "法治",
        "description": "乡镇法治政府建设工作平台（离线现场登记）",
        "lang": "zh-CN",
        "start_url": reverse("field:dispute"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#9b1c1c",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json",
                        json_dumps_params={"ensure_ascii": False})
