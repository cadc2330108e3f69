"""The user, their townships, a township's yearly figures, the to-do list (the first read-only endpoints)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Path, Schema

from fazhi.accounts.roles import ALL_ROLES
from fazhi.api.base import ApiError, errors, op
from fazhi.core.models import Region
from fazhi.core.scope import memberships, townships_for
from fazhi.core.todo import todo_for

STATS_ROLES = ALL_ROLES - {"counsel", "village_cadre"}


class Membership(Schema):
    region_code: str
    region: str
    role: str
    role_label: str


class Me(Schema):
    username: str
    full_name: str
    memberships: list[Membership]


class Township(Schema):
    code: str
    name: str
    county: str | None
    population: int | None


class TownshipRef(Schema):
    code: str
    name: str


class TownshipStats(Schema):
    township: TownshipRef
    year: int
    modules: dict[str, Any]
    not_connected: list[str]


class TodoItem(Schema):
    module: str
    title: str
    due: dt.date
    overdue: bool
    provisional: bool
    explanation: str
    url: str


def _json_safe(value):
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@op("GET", "/me", name="me", module="general", roles=ALL_ROLES, summary="当前用户及其区划、角色",
    response={200: Me, **errors()})
def me(request):
    user = request.user
    return {"username": user.username, "full_name": user.full_name,
            "memberships": [{"region_code": m.region.code, "region": m.region.name, "role": m.role,
                             "role_label": m.get_role_display()} for m in memberships(user)]}


@op("GET", "/townships", name="townships", module="general", roles=ALL_ROLES, summary="可查看的乡镇",
    response={200: list[Township], **errors()})
def townships(request):
    rows = townships_for(request.user).select_related("parent")
    return [{"code": t.code, "name": t.name, "county": t.parent.name if t.parent else None,
             "population": t.population} for t in rows]


@op("GET", "/townships/{code}/stats/{int:year}", name="township_stats", module="general", roles=STATS_ROLES,
    summary="乡镇年度统计（与年度报告同源）", model=Region, url_kwargs=lambda t: {"code": t.code, "year": 2024},
    sample=lambda township: township, response={200: TownshipStats, **errors(400, 404)},
    description="modules：各模块年度统计（organization, education, decisions, disclosure, enforcement, mediation）；"
                "not_connected：数据暂时无法读取的模块（错误已记入日志）。")
def township_stats(request, code: str = Path(..., description="乡镇12位区划代码", pattern=r"^\d{12}$"),
                   year: int = Path(..., description="年度（2000–2100，超出范围返回400）")):
    from fazhi.reports.sources import collect

    township = townships_for(request.user, STATS_ROLES).filter(code=code).first()
    if township is None:
        raise ApiError(404, "not_found", "未找到该乡镇，或不在您的查看范围内。")
    if not 2000 <= year <= 2100:
        raise ApiError(400, "bad_year", "年份应在2000年至2100年之间。", {"year": ["应在2000至2100之间。"]})
    stats = collect(township, year)
    return {"township": {"code": township.code, "name": township.name}, "year": year,
            "modules": _json_safe(stats.sections), "not_connected": sorted(stats.failed)}


@op("GET", "/todo", name="todo", module="general", roles=ALL_ROLES, summary="当前用户的待办与逾期事项",
    response={200: list[TodoItem], **errors()})
def todo(request):
    today = dt.date.today()
    return [{"module": i.module, "title": i.title, "due": i.due, "overdue": i.overdue(today),
             "provisional": i.provisional, "explanation": i.explanation,
             "url": request.build_absolute_uri(i.url)} for i in todo_for(request.user, today)]
