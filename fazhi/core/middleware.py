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
