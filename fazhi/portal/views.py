"""The public portal (/public/): no login, read-only views of what is published, the request form and
the status lookup. Public input is hostile input: rate limits, size caps, sanitising, CSRF."""

from __future__ import annotations

from functools import wraps

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from fazhi.audit import selectors as audit_selectors
from fazhi.core.access import Access, public_view
from fazhi.core.errors import DomainError
from fazhi.core.middleware import CSP_PUBLIC
from fazhi.core.ratelimit import hit
from fazhi.disclosure import selectors as dsel
from fazhi.disclosure.deadlines import DEFAULTS, settings_for
from fazhi.disclosure.services.requests import request_submit_public
from fazhi.portal import feeds
from fazhi.portal.forms import PublicRequestForm, SearchForm, StatusForm

FONT_COOKIE = "fz_font"
FONT_SIZES = {"large", "normal"}
MAX_POST_BYTES = 64 * 1024
SEARCHES_PER_HOUR = 300
# Nothing on a public page may come from outside the site (offline intranets, no tracking); no inline styles.
CSP = CSP_PUBLIC


def _litou_sample(township):
    return {"code": township.code}


def portal_view(sample=None, max_post_bytes=MAX_POST_BYTES):
    """@public_view plus the large-font preference (?font=large persists in a cookie) and, for URLs
    with arguments, how the URL-walk test builds a sample URL."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            wanted = request.GET.get("font")
            request.portal_large = (wanted == "large") if wanted in FONT_SIZES else \
                request.COOKIES.get(FONT_COOKIE) == "large"
            if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > max_post_bytes:
                return HttpResponse("提交的内容过大。", status=413, content_type="text/plain; charset=utf-8")
            response = view(request, *args, **kwargs)
            response.setdefault("Content-Security-Policy", CSP)
            response.setdefault("Referrer-Policy", "same-origin")
            if wanted in FONT_SIZES:
                response.set_cookie(FONT_COOKIE, wanted, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
            return response

        wrapped = public_view(wrapper)
        if sample is not None:
            wrapped.fazhi_access = Access("public", url_kwargs=lambda values: values)
            wrapped.fazhi_sample = sample
        return wrapped

    return decorator


def _township_or_404(code):
    township = dsel.public_township(code)
    if township is None:
        raise Http404("没有这个乡镇。")
    return township


def _mark_errors(form):
    """Screen readers announce which field is wrong and read its message (WCAG 3.3.1)."""
    if form is None or not form.is_bound:
        return
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs.update({"aria-invalid": "true", "aria-describedby": f"err-{name}"})


def _render(request, template, ctx, status=200):
    _mark_errors(ctx.get("form"))
    ctx.setdefault("township", None)
    ctx["large"] = getattr(request, "portal_large", False)
    ctx["font_toggle"] = _font_toggle_url(request)
    return render(request, template, ctx, status=status)


def _font_toggle_url(request):
    params = request.GET.copy()
    params["font"] = "normal" if getattr(request, "portal_large", False) else "large"
    return f"{request.path}?{params.urlencode()}"


# --- pages -----------------------------------------------------------------------------------------

@portal_view()
def index(request):
    return _render(request, "portal/index.html", {
        "townships": dsel.public_townships(), "latest": dsel.public_items()[:10],
    })


@portal_view()
def font(request):
    """No-JS toggle: /public/font/?font=large&next=/public/..."""
    nxt = request.GET.get("next") or reverse("portal:index")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}) or not nxt.startswith("/public/"):
        nxt = reverse("portal:index")
    return HttpResponseRedirect(nxt)


@portal_view(sample=_litou_sample)
def township_home(request, code):
    township = _township_or_404(code)
    return _render(request, "portal/township.html", {
        "township": township, "latest": dsel.public_items(township)[:8],
        "catalogue": [c for c in dsel.public_catalogue(township) if c.public_count],
        "consultations": feeds.consultations(township)[:3], "decisions": feeds.enforcement(township)[:3],
        "audit_root": audit_selectors.signed_root(),
    })


@portal_view(sample=_litou_sample)
def catalogue(request, code):
    township = _township_or_404(code)
    groups: dict[str, list] = {}
    for c in dsel.public_catalogue(township):
        groups.setdefault(c.get_group_display(), []).append(c)
    return _render(request, "portal/catalogue.html", {"township": township, "groups": groups})


def _category_sample(township):
    from fazhi.disclosure.models import Category

    c = Category.objects.filter(active=True).order_by("order", "id").first()
    return {"code": township.code, "category": c.pk} if c else None


@portal_view(sample=_category_sample)
def category(request, code, category):
    township = _township_or_404(code)
    cat = dsel.categories().filter(pk=category).first()
    if cat is None:
        raise Http404("没有这个公开类目。")
    page = Paginator(dsel.public_items(township, category=cat), 20).get_page(request.GET.get("page"))
    return _render(request, "portal/list.html", {"township": township, "title": cat.name, "page": page,
                                                 "basis": cat.basis})


def _item_sample(township):
    item = dsel.public_items(township).order_by("pk").first()
    return {"code": township.code, "pk": item.pk} if item else None


@portal_view(sample=_item_sample)
def item(request, code, pk):
    township = _township_or_404(code)
    obj = dsel.public_item(township, pk)
    if obj is None:
        raise Http404("该信息不存在或未公开。")
    return _render(request, "portal/item.html", {"township": township, "item": obj,
                                                 "attachments": obj.attachments.all()})


def _attachment_sample(township):
    from fazhi.disclosure.models import Attachment

    att = Attachment.objects.filter(item__in=dsel.public_items(township)).order_by("pk").first()
    return {"code": township.code, "pk": att.pk} if att else None


@portal_view(sample=_attachment_sample)
def attachment(request, code, pk):
    from fazhi.disclosure.models import Attachment

    township = _township_or_404(code)
    att = Attachment.objects.filter(pk=pk, township=township, item__in=dsel.public_items(township)).first()
    if att is None:
        raise Http404("附件不存在或未公开。")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


@portal_view(sample=_litou_sample)
def search(request, code):
    township = _township_or_404(code)
    if request.GET.get("q") and not hit(request, "search", SEARCHES_PER_HOUR):
        return _render(request, "portal/search.html", {"township": township, "form": SearchForm(), "q": "",
                                                       "page": None, "limited": True}, status=429)
    form = SearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = None
    if q:
        page = Paginator(dsel.public_items(township, query=q), 20).get_page(request.GET.get("page"))
    return _render(request, "portal/search.html", {"township": township, "form": form, "q": q, "page": page})


def _public_submit(request, form, *, bucket: str, limit: int, busy: str, submit):
    """One public form's POST: the per-client limit, the honeypot, then the service; a refusal is shown
    on the form in Chinese and nothing is written. Returns (response to send or None, status)."""
    if request.method != "POST":
        return None, 200
    if not hit(request, bucket, limit):
        form.add_error(None, busy)
        return None, 429
    if not form.is_valid():
        return None, 400
    if form.cleaned_data.get("website"):  # honeypot filled: a bot; say nothing useful
        form.add_error(None, "提交失败，请稍后再试。")
        return None, 400
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("website", "consent")}
    try:
        return submit(data), 200
    except DomainError as e:
        form.add_error(None, e.message)
        return None, 400


@portal_view(sample=_litou_sample)
@csrf_protect
@require_http_methods(["GET", "POST"])
def request_form(request, code):
    township = _township_or_404(code)
    form = PublicRequestForm(request.POST or None)

    def submit(data):
        req = request_submit_public(township=township, data=data)
        request.session["portal_submitted"] = req.tracking_no
        return redirect("portal:request_done", code=township.code)

    done, status = _public_submit(request, form, bucket="request",
                                  limit=settings_for(township).public_requests_per_hour,
                                  busy="提交过于频繁，请一小时后再试，或到乡政府当面提交申请。", submit=submit)
    if done is not None:
        return done
    return _render(request, "portal/request_form.html", {"township": township, "form": form}, status=status)


@portal_view(sample=_litou_sample)
def request_done(request, code):
    township = _township_or_404(code)
    tracking_no = request.session.pop("portal_submitted", "")
    if not tracking_no:
        return redirect("portal:status")
    return _render(request, "portal/request_done.html", {"township": township, "tracking_no": tracking_no})


@portal_view()
@csrf_protect
@require_http_methods(["GET", "POST"])
def status(request):
    form = StatusForm(request.POST or None)
    result, status_code = None, 200
    if request.method == "POST":
        if not hit(request, "status", DEFAULTS["public_lookups_per_hour"]):
            form.add_error(None, "查询过于频繁，请稍后再试。")
            status_code = 429
        elif form.is_valid():
            result = dsel.public_request_status(form.cleaned_data["tracking_no"])
            if result is None:
                form.add_error("tracking_no", "没有找到该查询码对应的申请，请核对后重试。")
                status_code = 404
    return _render(request, "portal/status.html", {"form": form, "result": result}, status=status_code)


@portal_view(sample=_litou_sample)
def enforcement(request, code):
    township = _township_or_404(code)
    page = Paginator(feeds.enforcement(township), 20).get_page(request.GET.get("page"))
    return _render(request, "portal/enforcement.html", {"township": township, "page": page})


def _decision_sample(township):
    pub = feeds.enforcement(township).order_by("pk").first()
    return {"code": township.code, "pk": pub.pk} if pub else None


@portal_view(sample=_decision_sample)
def enforcement_detail(request, code, pk):
    township = _township_or_404(code)
    pub = feeds.enforcement(township).filter(pk=pk).first()
    if pub is None:
        raise Http404("该决定不存在或未公示。")
    return _render(request, "portal/enforcement_detail.html", {"township": township, "pub": pub})


@portal_view(sample=_litou_sample)
def consultations(request, code):
    township = _township_or_404(code)
    return _render(request, "portal/consultations.html", {
        "township": township, "items": feeds.consultations(township), "comment_url": feeds.comment_url()})


# ---- 申请调解 (人民调解法: free, voluntary) --------------------------------------------------------------

MEDIATION_APPLY_BYTES = 16 * 1024 * 1024  # three photos of 5 MB and the text
MEDIATION_APPLIES_PER_HOUR = 5


@portal_view(sample=_litou_sample, max_post_bytes=MEDIATION_APPLY_BYTES)
@csrf_protect
@require_http_methods(["GET", "POST"])
def mediation_apply(request, code):
    from fazhi.mediation.services.applications import application_submit_public
    from fazhi.portal.forms import MediationApplyForm

    township = _township_or_404(code)
    form = MediationApplyForm(request.POST or None, request.FILES or None, township=township)

    def submit(data):
        data.pop("photos", None)
        app = application_submit_public(township=township, data=data, photos=request.FILES.getlist("photos"))
        request.session["portal_mediation"] = app.tracking_code
        return redirect("portal:mediation_done", code=township.code)

    done, status = _public_submit(request, form, bucket="mediation_apply", limit=MEDIATION_APPLIES_PER_HOUR,
                                  busy="提交过于频繁，请一小时后再试，或直接到村委会、乡人民调解委员会申请。", submit=submit)
    if done is not None:
        return done
    return _render(request, "portal/mediation_apply.html", {"township": township, "form": form}, status=status)


@portal_view(sample=_litou_sample)
def mediation_done(request, code):
    township = _township_or_404(code)
    tracking = request.session.pop("portal_mediation", "")
    if not tracking:
        return redirect("portal:mediation_status")
    return _render(request, "portal/mediation_done.html", {"township": township, "code": tracking})


@portal_view()
@csrf_protect
@require_http_methods(["GET", "POST"])
def mediation_status(request):
    from fazhi.mediation.selectors import public_status
    from fazhi.portal.forms import MediationStatusForm

    form = MediationStatusForm(request.POST or None)
    result, status_code = None, 200
    if request.method == "POST":
        if not hit(request, "status", DEFAULTS["public_lookups_per_hour"]):
            form.add_error(None, "查询过于频繁，请稍后再试。")
            status_code = 429
        elif form.is_valid():
            result = public_status(form.cleaned_data["code"])
            if result is None:
                form.add_error("code", "没有找到该查询码对应的申请，请核对后重试。")
                status_code = 404
    return _render(request, "portal/mediation_status.html", {"form": form, "result": result}, status=status_code)


@portal_view(sample=_litou_sample)
def enforcement_prior(request, code):
    """事前公示: generated from the data on every request, so it changes the moment the roster does."""
    from django.utils import timezone

    from fazhi.enforcement.selectors import prior_disclosure

    township = _township_or_404(code)
    return _render(request, "portal/enforcement_prior.html", {
        "township": township, "d": prior_disclosure(township, timezone.localdate())})


@portal_view(sample=_litou_sample)
def enforcement_inspections(request, code):
    """双随机一公开: published results only; households show only a surname (某某户), never an address."""
    from fazhi.enforcement.selectors import published_inspections

    township = _township_or_404(code)
    page = Paginator(published_inspections(township), 30).get_page(request.GET.get("page"))
    return _render(request, "portal/enforcement_inspections.html", {"township": township, "page": page})
