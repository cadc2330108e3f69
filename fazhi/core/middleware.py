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
