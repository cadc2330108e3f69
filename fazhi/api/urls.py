"""/api/v1/…: the operations declared in fazhi.api.endpoints (django-ninja), each URL pattern wrapped with the
access declaration the every-URL walk reads, HEAD as GET, and a JSON 405 listing what the path supports."""

from functools import wraps

from django.urls import path, re_path

from fazhi.api import views
from fazhi.api.base import RULES, api, error_response
from fazhi.api.endpoints import *  # noqa: F403 - registers the operations
from fazhi.core.access import Access

app_name = "api"


def _declared(callback, rules):
    methods = sorted({m for r in rules for m in r.methods})
    allowed = ", ".join(sorted({*methods, "HEAD"} if "GET" in methods else methods))
    reads = frozenset().union(*(r.roles for r in rules if not r.write))
    writes = frozenset().union(*(r.roles for r in rules if r.write))
    first = next((r for r in rules if r.model is not None), rules[0])

    @wraps(callback)
    def view(request, *args, **kwargs):
        head = request.method == "HEAD"
        if head and "GET" in methods:
            request.method = "GET"
        if request.method not in methods:
            response = error_response(405, "method_not_allowed", f"此接口仅支持{allowed}请求。")
            response["Allow"] = allowed
            return response
        response = callback(request, *args, **kwargs)
        if head:
            response.content = b""
        return response

    view.csrf_exempt = True  # token-authenticated; a session may only read (fazhi.api.base.FazhiAuth)
    view.fazhi_access = Access("roles", reads | writes, writes, first.model, first.url_kwargs)
    if first.sample is not None:
        view.fazhi_sample = first.sample
    return view


def _patterns():
    by_route: dict[str, list] = {}
    for p in api.urls[0]:
        if p.name in RULES:
            by_route.setdefault(str(p.pattern), []).append(p)
    out = []
    for route, patterns in by_route.items():
        rules = [RULES[p.name] for p in patterns]
        for p in patterns:
            out.append(path(f"v1/{route.lstrip('/')}", _declared(p.callback, rules), name=p.name))
    return out


def _not_found(request, rest=""):
    return error_response(404, "not_found", "没有这个接口地址，或地址中的编号格式不正确。")


_not_found.csrf_exempt = True

urlpatterns = [
    path("v1/openapi.json", views.schema, name="schema"),
    *_patterns(),
    # Anything else under v1 (an id that is not a number, a path that does not exist): JSON in the one error
    # shape, never the site's HTML 404 page. Unnamed, like the error handlers: it serves no record.
    re_path(r"^v1/(?P<rest>.*)$", _not_found),
    path("tokens/", views.tokens, name="tokens"),
]
