"""The API on django-ninja: one NinjaAPI, token (or read-only session) authentication with per-module scopes,
one JSON error shape {"error": {"code", "message", "fields"}} with Chinese messages, and the access
declarations the every-URL walk reads (fazhi/api/urls.py attaches them to the generated URL patterns)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer

from fazhi.accounts.roles import READ_ONLY_ROLES
from fazhi.api.models import SCOPE_MODULES
from fazhi.api.services import token_for_key
from fazhi.core.errors import ConflictError, DomainError
from fazhi.core.scope import has_role

UNAUTHENTICATED = "未认证：请在请求头中提供有效的接口令牌（Authorization: Bearer …）。"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


def error_response(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    response = JsonResponse({"error": {"code": code, "message": message, "fields": fields or {}}}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="fazhi"'
    return response


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class Error(Schema):
    """Every refusal: a machine code, a Chinese message, and per-field Chinese messages (may be empty)."""

    error: ErrorBody


def errors(*codes: int) -> dict:
    return {code: Error for code in (401, 403, 405, 422, *codes)}


class ChineseJSON(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="法治 Fazhi 数据接口", version="1", urls_namespace="api", openapi_url=None, docs_url=None,
    renderer=ChineseJSON(),
    description="供县级、省级平台和移动端对接。使用个人接口令牌认证（在“接口令牌”页面创建，按模块授予只读或读写权限）；"
                "数据范围与网页端相同：只返回令牌所属用户有权查看的乡镇。写入经过与网页相同的表单、服务和校验，"
                "每个写请求须带 Idempotency-Key 请求头（重试不会重复登记）。列表按 id 升序、以游标分页。"
                "所有错误为 {\"error\": {\"code\", \"message\", \"fields\"}}，提示为中文。",
)


# --- access -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """Who may call one operation: the module scope a token needs and the roles the user needs."""

    module: str
    roles: frozenset
    write: bool = False
    model: type | None = None
    url_kwargs: object = None
    sample: object = None
    methods: tuple = field(default=("GET",))


RULES: dict[str, Rule] = {}  # URL name → rule (fazhi/api/urls.py merges the rules of one path)


class FazhiAuth(HttpBearer):
    """Bearer token, or the signed-in session for reading (a session never writes: no CSRF through the API)."""

    openapi_scheme = "bearer"

    def __init__(self, rule: Rule):
        super().__init__()
        self.rule = rule

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        token = None
        if header.startswith("Bearer "):
            token = token_for_key(header[7:].strip())
            user = token.user if token else None
        else:
            user = getattr(request, "user", None)
            user = user if user is not None and user.is_authenticated else None
        if user is None:
            raise ApiError(401, "unauthenticated", UNAUTHENTICATED)
        rule = self.rule
        label = SCOPE_MODULES[rule.module]
        if rule.write:
            if token is None:
                raise ApiError(403, "token_required", "写入请使用具有写权限的接口令牌（登录状态下只能读取）。")
            if not has_role(user, rule.roles - READ_ONLY_ROLES):
                raise ApiError(403, "role", "您的角色无权进行此操作。")
            if not token.allows(rule.module, write=True):
                raise ApiError(403, "scope", f"该令牌没有“{label}”的写权限。")
        else:
            if not has_role(user, rule.roles):
                raise ApiError(403, "role", "您的角色无权访问此接口。")
            if token is not None and not token.allows(rule.module, write=False):
                raise ApiError(403, "scope", f"该令牌没有“{label}”的读取权限。")
        request.user = user
        request.api_token = token
        return user

    def authenticate(self, request, token):  # pragma: no cover - __call__ does the work
        return None


def op(method: str, path: str, *, name: str, module: str, roles: Iterable[str], summary: str, response,
       write: bool = False, model=None, url_kwargs=None, sample=None, description: str = "", tags=None):
    """Declare one operation: its access rule (kept for the URL walk) and its ninja route."""
    rule = Rule(module, frozenset(roles), write, model, url_kwargs, sample, (method,))
    RULES[name] = rule
    route = {"GET": api.get, "POST": api.post}[method]
    return route(path, auth=FazhiAuth(rule), url_name=name, summary=summary, description=description,
                 response=response, tags=tags or [module], operation_id=name)


# --- one error shape -----------------------------------------------------------------------------------

_PYDANTIC_MESSAGES = {
    "missing": "必填。", "string_type": "应为文本。", "int_type": "应为整数。", "int_parsing": "应为整数。",
    "bool_type": "应为是/否（true/false）。", "bool_parsing": "应为是/否（true/false）。",
    "date_type": "应为日期（YYYY-MM-DD）。", "date_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）。", "literal_error": "不是可选的值。",
    "list_type": "应为列表。", "dict_type": "应为对象。", "model_type": "应为对象。", "json_invalid": "不是有效的JSON。",
    "string_too_long": "内容过长。", "extra_forbidden": "不接受此字段。", "too_long": "项目过多。",
    "decimal_parsing": "应为数字。", "float_parsing": "应为数字。", "int_from_float": "应为整数。",
    "greater_than_equal": "数值过小。", "less_than_equal": "数值过大。", "string_pattern_mismatch": "格式不正确。",
    "int_too_big": "数值过大。", "value_error": "格式不正确。",
}
_PLACES = {"body": "", "query": "查询参数 ", "path": "路径参数 ", "header": "请求头 "}


def _field_errors(errors_list) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in errors_list:
        loc = [str(x) for x in e.get("loc", ())]
        place = _PLACES.get(loc[0], "") if loc else ""
        parts = [x for x in loc[1:] if x not in {"payload", "data"}] if loc else []
        name = ".".join(parts) or (loc[0] if loc else "body")
        out.setdefault(f"{place}{name}".strip(), []).append(_PYDANTIC_MESSAGES.get(e.get("type", ""), "格式不正确。"))
    return out


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    return error_response(422, "invalid", "请求数据有误，请按提示修改。", _field_errors(exc.errors))


@api.exception_handler(ApiError)
def _api_error(request, exc):
    return error_response(exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error_response(401, "unauthenticated", UNAUTHENTICATED)


@api.exception_handler(ConflictError)
def _conflict(request, exc):
    return error_response(409, "conflict", exc.message)


@api.exception_handler(DomainError)
def _refused(request, exc):
    return error_response(422, "refused", exc.message)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error_response(404, "not_found", "未找到该记录，或不在您的查看范围内。")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return error_response(403, "forbidden", str(exc) or "您的角色无权进行此操作。")


@api.exception_handler(HttpError)
def _http_error(request, exc):
    if exc.status_code == 400:  # ninja: "Cannot parse request body" — an invalid request like any other
        return error_response(422, "invalid", "请求体不是有效的JSON。", {"body": ["不是有效的JSON。"]})
    return error_response(exc.status_code, "bad_request", "请求有误。")
