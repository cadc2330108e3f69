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
