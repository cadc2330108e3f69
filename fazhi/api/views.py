import datetime as dt

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render

from fazhi.accounts.roles import ALL_ROLES
from fazhi.api import services
from fazhi.api.access import api_view, error
from fazhi.api.models import ApiToken
from fazhi.api.schema import openapi
from fazhi.core.access import account_view, public_view
from fazhi.core.errors import DomainError
from fazhi.core.models import Region
from fazhi.core.scope import memberships, townships_for
from fazhi.core.todo import todo_for

ANY_ROLE = ALL_ROLES


def ok(data) -> JsonResponse:
    return JsonResponse(data, safe=False, json_dumps_params={"ensure_ascii": False})


def _json_safe(value):
    from decimal import Decimal

    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@public_view
def schema(request):
    return ok(openapi(request.build_absolute_uri("/api/v1")))


@api_view(read=ANY_ROLE)
def me(request):
    user = request.user
    return ok({"username": user.username, "full_name": user.full_name,
               "memberships": [{"region_code": m.region.code, "region": m.region.name, "role": m.role,
                                "role_label": m.get_role_display()} for m in memberships(user)]})


@api_view(read=ANY_ROLE)
def townships(request):
    rows = townships_for(request.user).select_related("parent")
    return ok([{"code": t.code, "name": t.name, "county": t.parent.name if t.parent else None,
                "population": t.population} for t in rows])


def _stats_sample(township):
    return township


@api_view(read=ANY_ROLE - {"counsel", "village_cadre"}, model=Region,
          url_kwargs=lambda t: {"code": t.code, "year": 2024})
def township_stats(request, code, year):
    """A township's figures for a year, per module, exactly as the annual report reads them."""
    from fazhi.reports.sources import collect

    township = townships_for(request.user, ANY_ROLE - {"counsel", "village_cadre"}).filter(code=code).first()
    if township is None:
        return error(404, "未找到该乡镇，或不在您的查看范围内。")
    if not 2000 <= year <= 2100:
        return error(400, "年份应在2000年至2100年之间。")
    stats = collect(township, year)
    return ok({"township": {"code": township.code, "name": township.name}, "year": year,
               "modules": _json_safe(stats.sections), "not_connected": sorted(stats.failed)})


township_stats.fazhi_sample = _stats_sample


@api_view(read=ANY_ROLE)
def todo(request):
    today = dt.date.today()
    return ok([{"module": i.module, "title": i.title, "due": i.due.isoformat(), "overdue": i.overdue(today),
                "provisional": i.provisional, "explanation": i.explanation,
                "url": request.build_absolute_uri(i.url)} for i in todo_for(request.user, today)])


@account_view  # self-service like two-factor set-up: a read-only supervisor may hold a token too
def tokens(request):
    """The signed-in user's API tokens: create (shown once) and revoke."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    created_key = None
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                token = ApiToken.objects.filter(user=request.user, pk=request.POST.get("token")).first()
                if token is None:
                    raise DomainError("未找到该令牌。")
                services.token_revoke(actor=request.user, token=token)
                return redirect("api:tokens")
            _, created_key = services.token_create(actor=request.user, name=request.POST.get("name", ""),
                                                  verified=request.user.is_verified())
        except DomainError as e:
            return render(request, "api/tokens.html", {"tokens": request.user.api_tokens.all(), "error": e.message},
                          status=400)
    return render(request, "api/tokens.html", {"tokens": request.user.api_tokens.all(), "created_key": created_key})
