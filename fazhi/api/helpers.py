"""What every record endpoint shares: request bodies generated from the pages' own Django forms (so the API
takes exactly the fields the page takes and validates them the same way), the form's Chinese errors in the
one error shape, opaque cursor pagination in id order, and idempotent writes."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from typing import Any, Literal

from django import forms as djforms
from django.db import transaction
from django.http import JsonResponse
from ninja import Status
from pydantic import Field, create_model

from fazhi.api.base import ApiError
from fazhi.api.models import IdempotentRequest
from fazhi.core.retention import idempotency_cutoff
from fazhi.core.scope import default_township, townships_for

MAX_LIMIT = 200
IDEMPOTENCY_DESCRIPTION = ("每个写请求的唯一键（如UUID）：同一键、同一请求体重试，返回第一次的结果且不重复登记；"
                           "同一键、不同请求体，返回422。键的有效期默认7天（FAZHI_API_IDEMPOTENCY_HOURS），过期后视为新请求。")


# --- bodies from forms ------------------------------------------------------------------------------------

def _python_type(f: djforms.Field):
    if isinstance(f, djforms.FileField):
        return None
    if isinstance(f, djforms.ModelMultipleChoiceField):
        return list[int]
    if isinstance(f, djforms.ModelChoiceField):
        return int
    if isinstance(f, djforms.MultipleChoiceField):
        return list[str]
    if isinstance(f, djforms.TypedChoiceField) and f.coerce is int:
        return int
    if isinstance(f, djforms.ChoiceField):
        values = tuple(str(v) for v, _ in f.choices if v not in ("", None) and not isinstance(_, (list, tuple)))
        return Literal[values] if values else str
    if isinstance(f, djforms.BooleanField):
        return bool
    if isinstance(f, djforms.IntegerField):
        return int
    if isinstance(f, djforms.DecimalField):
        return decimal.Decimal
    if isinstance(f, djforms.DateTimeField):
        return dt.datetime
    if isinstance(f, djforms.DateField):
        return dt.date
    return str


def body_schema(name: str, form_class, *, skip=(), extra: dict | None = None, doc: str = ""):
    """A Pydantic model of the form's fields: the OpenAPI body of a create endpoint."""
    fields: dict[str, Any] = {}
    for fname, f in form_class.base_fields.items():
        if fname in skip:
            continue
        typ = _python_type(f)
        if typ is None:
            continue
        description = str(f.label or fname) + (f"：{f.help_text}" if f.help_text else "")
        kwargs: dict[str, Any] = {"description": description}
        if typ is str and getattr(f, "max_length", None):
            kwargs["max_length"] = f.max_length
        if f.required and not isinstance(f, djforms.BooleanField):
            fields[fname] = (typ, Field(..., **kwargs))
        else:
            fields[fname] = (typ | None, Field(None, **kwargs))
    fields.update(extra or {})
    return create_model(name, __doc__=doc or None, **fields)


TOWNSHIP_FIELD = {"township": (str | None, Field(None, description="乡镇12位区划代码；只在一个乡镇有登记权限时可省略",
                                                      pattern=r"^\d{12}$"))}


def form_data(body) -> dict:
    """The JSON body as the form's data (what a browser would post)."""
    data = {}
    for k, v in body.model_dump(exclude_none=True).items():
        if isinstance(v, (dt.date, dt.datetime)):
            v = v.isoformat()
        elif isinstance(v, bool):
            v = "on" if v else ""
        elif isinstance(v, list):
            v = [str(x) for x in v]
        elif not isinstance(v, str):
            v = str(v)
        data[k] = v
    return data


class _Data(dict):
    """A dict with getlist, as Django's multiple-choice widgets read it."""

    def getlist(self, key, default=None):
        v = self.get(key, default if default is not None else [])
        return v if isinstance(v, list) else [v]


def as_form_data(data: dict) -> _Data:
    return _Data(data)


def form_errors(form) -> ApiError:
    fields = {("non_field" if k == "__all__" else k): [str(m) for m in v] for k, v in form.errors.items()}
    first = fields.get("non_field")
    message = first[0] if first else "请求数据有误，请按提示修改。"
    return ApiError(422, "invalid", message, fields)


def valid_or_raise(form):
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data


def write_township(user, roles, code: str | None):
    """The township a new record goes to: the one named (among the user's write townships), else their only one."""
    if code:
        town = townships_for(user, roles).filter(code=code).first()
        if town is None:
            raise ApiError(422, "invalid", "所选乡镇不在您的登记范围内。", {"township": ["所选乡镇不在您的登记范围内。"]})
        return town
    town = default_township(user, roles)
    if town is None:
        raise ApiError(422, "invalid", "请填写乡镇区划代码（township）。", {"township": ["必填。"]})
    return town


# --- cursor pagination -------------------------------------------------------------------------------------

CURSOR_PATTERN = r"^[0-9a-z]{1,12}$"  # every string the schema allows is a cursor (schemathesis: valid → accepted)


def encode_cursor(last_id: int) -> str:
    """Opaque to clients: the last id of the page in base 36."""
    digits, n = "", last_id
    while True:
        n, r = divmod(n, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[r] + digits
        if n == 0:
            return digits


def decode_cursor(cursor: str) -> int:
    try:
        if len(cursor) > 12:
            raise ValueError
        return int(cursor, 36)
    except ValueError:
        raise ApiError(400, "bad_cursor", "分页游标无效：请使用上一页返回的 next_cursor。",
                       {"cursor": ["分页游标无效。"]}) from None


def page(queryset, cursor: str | None, limit: int, serialize) -> dict:
    """One page in id order after the cursor; next_cursor is null on the last page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError(400, "bad_limit", f"每页条数应在1至{MAX_LIMIT}之间。", {"limit": [f"应在1至{MAX_LIMIT}之间。"]})
    qs = queryset.order_by("pk")
    if cursor:
        qs = qs.filter(pk__gt=decode_cursor(cursor))
    rows = list(qs[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [serialize(r) for r in rows], "next_cursor": encode_cursor(rows[-1].pk) if more else None}


# --- idempotent writes -------------------------------------------------------------------------------------

def request_hash(request) -> str:
    try:
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True, ensure_ascii=False)
    except ValueError:
        body = request.body.decode("utf-8", "replace")
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(request, key: str, write, status: int = 201):
    """Run `write()` (→ JSON-able dict) once per (user, key): a retry with the same body gets the stored answer,
    another body is refused. The record and the write commit together (a lost race is the middleware's 409)."""
    key = (key or "").strip()
    if not key or len(key) > 200:
        raise ApiError(422, "invalid", "请提供 Idempotency-Key 请求头（不超过200个字符）。",
                       {"Idempotency-Key": ["必填，不超过200个字符。"]})
    digest = request_hash(request)
    stored = IdempotentRequest.objects.filter(user=request.user, key=key).first()
    if stored is not None and stored.created_at < idempotency_cutoff():
        stored.delete()  # expired (FAZHI_API_IDEMPOTENCY_HOURS), not yet purged: the key is free again
        stored = None
    if stored is not None:
        if stored.request_hash != digest:
            raise ApiError(422, "idempotency_mismatch", "该 Idempotency-Key 已用于另一个不同的请求，请为新的请求使用新的键。")
        response = JsonResponse(stored.body, status=stored.status_code, json_dumps_params={"ensure_ascii": False})
        response["Idempotent-Replayed"] = "true"
        return response
    with transaction.atomic():
        body = write()
        IdempotentRequest.objects.create(user=request.user, key=key, request_hash=digest, status_code=status,
                                         body=body)
    return Status(status, body)


# --- workflow steps ----------------------------------------------------------------------------------------

def _field_info(name, f) -> dict:
    choices = []
    if isinstance(f, djforms.ChoiceField):
        try:
            choices = [{"value": str(v), "label": str(label)} for v, label in f.choices
                       if v not in ("", None) and not isinstance(label, (list, tuple))][:200]
        except TypeError:
            choices = []
    return {"name": name, "label": str(f.label or name), "required": bool(f.required),
            "type": type(f).__name__, "choices": choices}


def form_info(form, town) -> dict:
    """A create form's fields and choices as its page offers them (what a field app needs to fill it in)."""
    return {"township": town.code if town else None,
            "fields": [_field_info(n, f) for n, f in form.fields.items() if not isinstance(f, djforms.FileField)]}


def township_query():
    from ninja import Query

    return Query(None, description="乡镇区划代码（在多个乡镇登记时指定）", pattern=r"^\d{12}$")


def step_of(flow, name: str):
    step = flow.by_name.get(name)
    if step is None or not step.page:
        raise ApiError(404, "not_found", f"没有“{name}”这一办理步骤。")
    return step


def step_info(flow, obj, name: str, user) -> dict:
    """What a step asks for (its form's fields and choices) and whether this user may take it now."""
    from fazhi.core.steps import step_form

    step = step_of(flow, name)
    form = step_form(flow, step, obj, user)
    return {"name": step.name, "label": step.label, "target": step.target,
            "open": step in flow.open_steps(obj, user), "confirm": step.confirm,
            "intro": str(form.fazhi_intro or ""), "status": flow.status_of(obj),
            "fields": [_field_info(n, f) for n, f in form.fields.items() if n != "expected_status"
                       and not isinstance(f, djforms.FileField)]}


def take_step(flow, transition, obj, name: str, user, data: dict, expected_status: str | None):
    """The step through the page's own form (same fields, same Chinese errors) and the app's transition service."""
    from fazhi.core.steps import step_form

    step = step_of(flow, name)
    post = as_form_data({k: (v if isinstance(v, list) else ("on" if v is True else "" if v is False else
                                                             "" if v is None else str(v)))
                         for k, v in (data or {}).items()})
    post["expected_status"] = expected_status or ""
    form = step_form(flow, step, obj, user, post=post, files={})
    cleaned = dict(valid_or_raise(form))
    expected = cleaned.pop("expected_status", None) or None
    return transition(step=step.name, data=cleaned, expected_status=expected)


def cursor_query():
    from ninja import Query

    return Query(None, pattern=CURSOR_PATTERN, description="上一页返回的 next_cursor（不透明字符串）；首页省略")


def limit_query():
    from ninja import Query

    return Query(50, ge=1, le=MAX_LIMIT, description=f"每页条数（1–{MAX_LIMIT}）")


def idempotency_header():
    from ninja import Header

    return Header(..., alias="Idempotency-Key", max_length=200, description=IDEMPOTENCY_DESCRIPTION)


def step_path():
    from ninja import Path

    return Path(..., description="步骤名（见枚举；GET 同一地址返回该步骤的字段）")
