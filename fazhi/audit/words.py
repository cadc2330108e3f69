"""The change history in words: field labels (verbose_name), choice labels, people's and records'
names instead of ids, 是/否 for flags. The stored entries stay exactly as hashed; this only reads."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models

CJK = re.compile(r"[\u4e00-\u9fff]")
ACTIONS = {"create": "新建", "update": "修改", "delete": "删除", "transition": "状态变更", "view": "查看",
           "download": "下载", "export": "导出", "login": "登录"}
# Keys some services write that are not model fields.
EXTRA_LABELS = {"two_factor": "两步验证", "password": "密码", "status": "状态", "from_status": "原状态",
                "to_status": "新状态", "paragraphs": "已编辑段落", "file": "文件", "sha256": "文件指纹（SHA-256）",
                "township": "乡镇", "township_id": "乡镇", "village": "村（社区）", "actor": "操作人",
                "created_by": "录入人", "updated_by": "最后编辑人", "reason": "理由", "note": "备注",
                "name": "名称", "title": "标题", "year": "年度", "version": "版本", "active": "有效",
                "members": "成员", "officers": "执法人员", "roles": "身份", "attendees": "参学人员", "laws": "所学法律", "id": "编号", "path": "路径",
                "seq": "序号", "created_at": "创建时间", "updated_at": "更新时间", "entered_at": "录入时间",
                "moderated_at": "审核时间", "finalized_at": "定稿时间", "prev_hash": "前一条哈希",
                "entry_hash": "本条哈希", "client_hash": "来源指纹", "key_hash": "令牌指纹"}
BOOL = {"True": "是", "False": "否", "true": "是", "false": "否"}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Line:
    entry: object
    action: str
    changes: list[Change]


def field_label(model, name: str) -> str:
    """The Chinese label of a field of `model` (verbose_name; a foreign key without one takes the
    related model's name)."""
    field = _field(model, name)
    if field is not None:
        label = str(getattr(field, "verbose_name", "") or "")
        if CJK.search(label):
            return label
        if field.is_relation and field.related_model is not None:
            related = str(field.related_model._meta.verbose_name)
            if CJK.search(related):
                return related
    return EXTRA_LABELS.get(name) or EXTRA_LABELS.get(name.removesuffix("_id")) or name


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:  # noqa: BLE001 — FieldDoesNotExist, or a reverse relation name
        for f in model._meta.concrete_fields:
            if f.attname == name:
                return f
    return None


def person_name(user) -> str:
    return (getattr(user, "full_name", "") or "").strip() or str(user)


def _display_related(obj) -> str:
    from django.contrib.auth import get_user_model

    return person_name(obj) if isinstance(obj, get_user_model()) else str(obj)


def _fk_targets(model, entries) -> dict:
    """{related model: set of ids} for every foreign-key value in `entries` (one query per model later)."""
    wanted: dict = {}
    for e in entries:
        for name, pair in (e.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.related_model is None or not (
                    field.many_to_one or field.one_to_one or isinstance(field, models.ManyToManyField)):
                continue
            for v in pair or []:
                for one in _ids(v) if isinstance(field, models.ManyToManyField) else [v]:
                    if one not in (None, ""):
                        wanted.setdefault(field.related_model, set()).add(str(one))
    return wanted


def _ids(value) -> list[str]:
    """A many-to-many value as stored: a JSON list of ids, or their "1, 2" text."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [p.strip() for p in str(value or "").strip("[]").split(",") if p.strip()]


def _resolve(wanted: dict) -> dict:
    names = {}
    for related, ids in wanted.items():
        pk = related._meta.pk
        clean = []
        for i in ids:
            try:
                clean.append(pk.to_python(i))
            except Exception:  # noqa: BLE001 — a value that is not an id stays as it is
                continue
        for obj in related._default_manager.filter(pk__in=clean):
            names[(related, str(obj.pk))] = _display_related(obj)
    return names


def value_text(model, name: str, value, names: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    field = _field(model, name)
    text = str(value)
    if isinstance(field, models.ManyToManyField):
        parts = [(names or {}).get((field.related_model, i)) or f"{field.related_model._meta.verbose_name}（已删除）"
                 for i in _ids(value)]
        return "、".join(parts) or "（空）"
    if field is None or not hasattr(field, "attname"):  # not a stored field (a reverse relation's name)
        return BOOL.get(text, text)
    if field.is_relation and field.related_model is not None and (field.many_to_one or field.one_to_one):
        found = (names or {}).get((field.related_model, text))
        return found or f"{field.related_model._meta.verbose_name}（已删除）"
    if getattr(field, "choices", None):
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, str) and ", " in value and text not in labels:
            return "、".join(labels.get(p, p) for p in value.split(", "))
        return labels.get(text, text)
    if isinstance(field, models.BooleanField):
        return BOOL.get(text, text)
    if isinstance(field, models.DateTimeField):
        try:
            return dt.datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return text
    return text


def history_lines(model, entries) -> list[Line]:
    entries = list(entries)
    names = _resolve(_fk_targets(model, entries))
    out = []
    for e in entries:
        changes = [Change(field_label(model, k), value_text(model, k, (p or [None, None])[0], names),
                          value_text(model, k, (p or [None, None])[1], names))
                   for k, p in (e.changes or {}).items() if isinstance(p, (list, tuple)) and len(p) == 2]
        out.append(Line(e, ACTIONS.get(e.action, e.action), changes))
    return out
