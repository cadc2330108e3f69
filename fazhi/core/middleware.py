import time

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Chinese unless the user chose another language (cookie set by the language switcher).

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving staff with an
    English-language browser a half-translated interface; the choice here is explicit."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# SQLSTATEs of a lost race on PostgreSQL: unique violation, serialization failure, deadlock, lock timeout.
_RACE_SQLSTATES = {"23505", "40001", "40P01", "55P03"}
_SQLITE_LOCKED = ("database is locked", "database table is locked")
CONFLICT_MESSAGE = "数据正被他人修改，请重试。您的操作没有保存，数据未被改动。"


def is_write_conflict(exc: BaseException) -> bool:
    """A unique-constraint or lock error: another user's write won the race, nothing of ours was saved."""
    from django.db import IntegrityError, OperationalError

    if isinstance(exc, IntegrityError):
        return True
    if isinstance(exc, OperationalError):
        cause = exc.__cause__
        state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
        return state in _RACE_SQLSTATES or any(m in str(exc).lower() for m in _SQLITE_LOCKED)
    return False


class WriteConflictMiddleware:
    """Turns a lost race (unique constraint, lock, serialization failure) into a retry or a 409, never a 500.

    Reads (GET/HEAD) are retried once. A POST is not replayed — a view may run more than one service —
    so the user gets a Chinese “please retry” page (409) and the form keeps its typed draft."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging
        import time

        from django.db import connection
        from django.shortcuts import render

        if not is_write_conflict(exception) or connection.needs_rollback:
            return None
        logging.getLogger("fazhi.conflict").warning("write conflict on %s %s: %s", request.method, request.path,
                                                    exception)
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match and not getattr(request, "_fazhi_retried", False):
            request._fazhi_retried = True
            time.sleep(0.05)
            try:
                return match.func(request, *match.args, **match.kwargs)
            except Exception as again:  # noqa: BLE001 - a second loss falls through to the 409 below
                if not is_write_conflict(again):
                    raise
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"error": {"code": "conflict", "message": CONFLICT_MESSAGE, "fields": {}}},  # the API's shape
                                status=409, json_dumps_params={"ensure_ascii": False})
        template = "errors/_conflict.html" if getattr(request, "htmx", False) else "errors/409.html"
        return render(request, template, {"message": CONFLICT_MESSAGE}, status=409)


# One Content-Security-Policy for the whole site: nothing loads from outside it (offline intranets, no tracking)
# and no script runs but the site's own files: no inline <script>, no on*= handlers, no hx-on, no eval.
# Public pages (portal) also forbid inline styles; staff pages still carry a few style attributes.
_CSP_COMMON = ("default-src 'self'; img-src 'self' data:; script-src 'self'; object-src 'none'; base-uri 'none'; "
               "frame-ancestors 'none'; form-action 'self'")
CSP_PUBLIC = _CSP_COMMON + "; style-src 'self'"
CSP_STAFF = _CSP_COMMON + "; style-src 'self' 'unsafe-inline'"


class SecurityHeadersMiddleware:
    """Every response carries a CSP (a view may set a stricter one, e.g. the portal or the evidence sandbox)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP_STAFF)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class KnownMethodsMiddleware:
    """TRACE, CONNECT and invented methods are refused with 405 before any view runs (TRACE echoes the
    request, headers and cookies included; no view here answers it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in KNOWN_METHODS:
            from django.http import HttpResponseNotAllowed

            response = HttpResponseNotAllowed(sorted(KNOWN_METHODS - {"OPTIONS"}), "不支持该请求方法。",
                                              content_type="text/plain; charset=utf-8")
            return response
        return self.get_response(request)


class SessionTouchMiddleware:
    """Sliding idle timeout without a session write on every request: the session is saved (and its
    expiry and cookie renewed) when at least `FAZHI_SESSION_TOUCH_SECONDS` (60) have passed since the
    last save. On SQLite a GET then stays a read; the idle timeout is exact to within that interval."""

    KEY = "_fazhi_touched"

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = getattr(settings, "FAZHI_SESSION_TOUCH_SECONDS", 60)

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.modified and not session.is_empty():
            now = int(time.time())
            last = session.get(self.KEY, 0)
            if not isinstance(last, int) or now - last >= self.every:
                session[self.KEY] = now
        return response
