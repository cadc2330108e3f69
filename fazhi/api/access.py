"""Access for JSON endpoints: a Bearer token (or the signed-in session), the same roles and scope
selectors as the pages, JSON errors in Chinese. The API is read-only."""

from __future__ import annotations

from collections.abc import Iterable
from functools import wraps

from django.http import JsonResponse

from fazhi.accounts.roles import READ_ONLY_ROLES
from fazhi.api.services import token_authenticate
from fazhi.core.access import Access
from fazhi.core.scope import has_role


def error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    if status == 405:
        response["Allow"] = "GET, HEAD"  # RFC 9110: a 405 lists what the resource supports
    return response


def api_user(request):
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return token_authenticate(header[7:].strip())
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def api_view(*, read: Iterable[str], model=None, url_kwargs=None):
    read_set = frozenset(read)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = api_user(request)
            if user is None:
                return error(401, "未认证：请在请求头中提供有效的接口令牌（Authorization: Bearer …）。")
            if request.method not in {"GET", "HEAD"}:
                return error(405, "接口为只读，仅支持GET请求。")
            if read_set and not has_role(user, read_set):
                return error(403, "您的角色无权访问此接口。")
            request.user = user
            return view(request, *args, **kwargs)

        wrapper.csrf_exempt = True  # token-authenticated; the session path is read-only (GET)
        wrapper.fazhi_access = Access("roles", read_set, frozenset(), model, url_kwargs)
        return wrapper

    return decorator


__all__ = ["api_view", "error", "READ_ONLY_ROLES"]
