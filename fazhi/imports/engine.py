"""All-or-nothing import of a ledger: every row goes through the same form and the same service as the
web page (scope, guards, numbers, audit entries); one bad row anywhere and nothing is written.

A ledger is declared once in `ledgers.py` by its page's form and the service call the page makes; the
columns, the template and the error report all come from that form's fields."""

from __future__ import annotations

import copy
import hashlib
import io
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from fazhi.core.bulk import insert_objects
from fazhi.core.errors import DomainError
from fazhi.imports import reader
from fazhi.imports.models import ImportedRow
from fazhi.imports.permissions import require_import

PROGRESS_EVERY = 200  # rows between two progress reports (the command's lines, the page's bar)


@dataclass(frozen=True)
class LedgerSpec:
    key: str
    label: str
    roles: frozenset
    form: Callable  # form(user, township, data) -> the page's form, bound to `data`
    save: Callable  # save(actor, township, form) -> the created record, through the page's service
    fields: tuple[str, ...]  # form fields offered as columns, in template order
    key_fields: tuple[str, ...]  # what makes a row "the same record" when a file is imported again
    example: dict = field(default_factory=dict)  # the template's example row; a value may be a callable
    # save_many(actor, township, forms, progress) -> the created records in order, through the module's bulk
    # service (the same checks as `save`, written at once); a DomainError whose `rows` lists (index, reason)
    # names the refused rows. Without it every row goes through `save`.
    save_many: Callable | None = None
    # the form's fields and choices do not depend on the row: built once per import and bound to each row
    # (building the page's form — field copies, scope querysets — cost more than validating the row)
    same_form: bool = False


@dataclass
class RowError:
    row: int
    column: str
    reason: str


@dataclass
class Result:
    ledger: LedgerSpec
    rows: int = 0
    created: list = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # spreadsheet rows already imported before
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    table: reader.Table | None = None
    seconds: dict = field(default_factory=dict)  # read / validate / write, for the page and the benchmark

    @property
    def ok(self) -> bool:
        return not self.errors


def columns(spec: LedgerSpec, user, township) -> list[tuple[str, forms.Field]]:
    form = spec.form(user, township, None)
    return [(name, form.fields[name]) for name in spec.fields if name in form.fields]


def header_of(f: forms.Field) -> str:
    return str(f.label)


def _norm(s) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s or "")))


def _choices(f: forms.Field) -> list[tuple[str, str]]:
    """The field's options, read once per import (a model choice field queries on every iteration)."""
    cached = getattr(f, "_import_choices", None)
    if cached is None:
        cached = f._import_choices = _read_choices(f)
    return cached


def _read_choices(f: forms.Field) -> list[tuple[str, str]]:
    out = []
    for value, label in f.choices:
        if isinstance(label, list | tuple):  # option groups
            out.extend((str(v), str(lbl)) for v, lbl in label)
        elif str(value) != "":
            out.append((str(value), str(label)))
    return out


def _match_choice(f, cell: str) -> str:
    want = _norm(cell)
    for value, label in _choices(f):
        if want in (_norm(label), _norm(value)):
            return value
    for value, label in _choices(f):  # "李执法（证号43110001）" typed as "李执法"
        if _norm(label).startswith(want) and want:
            return value
    options = "、".join(lbl for _v, lbl in _choices(f)[:12])
    raise ValueError(f"“{cell[:20]}”不在可选项中（可选：{options}）")


def _default(f: forms.Field):
    """What the page's form shows in a field before anything is typed (a fixed value, never today's date)."""
    initial = f.initial
    if initial is None or callable(initial) or isinstance(f, forms.BooleanField | forms.DateField):
        return None
    return initial


def cell_to_data(f: forms.Field, cell):
    """A spreadsheet cell as the form would receive it from a browser; a blank cell keeps the page's default."""
    if reader.text(cell) == "" and _default(f) is not None:
        return str(_default(f))
    if isinstance(f, forms.BooleanField):
        return "on" if _norm(reader.text(cell)).lower() in {"是", "√", "✓", "有", "1", "true", "y", "yes"} else ""
    if isinstance(f, forms.DateField):
        d = reader.parse_date(cell)
        return d.isoformat() if d else ""
    if isinstance(f, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        rest, picked = reader.text(cell), []
        for value, label in sorted(_choices(f), key=lambda c: -len(c[1])):  # whole labels first: "副书记、乡长"
            if len(label) > 1 and label in rest:
                picked.append(value)
                rest = rest.replace(label, "\n")
        parts = [p for p in re.split(r"[、,，;；/\n]", rest) if p.strip()]
        return picked + [_match_choice(f, p.strip()) for p in parts]
    if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
        s = reader.text(cell)
        return _match_choice(f, s) if s else ""
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return reader.parse_number(cell)
    return reader.text(cell)


def _memo_model_choices(form: forms.Form, memo: dict) -> None:
    """Each single model choice of the row's form looked up in its queryset read once per import, not one
    query per row: the same membership check the form makes (keyed by the queryset's SQL, so a queryset that
    depends on the row — e.g. the year's obligations — is read again whenever it differs)."""
    for f in form.fields.values():
        if not isinstance(f, forms.ModelChoiceField) or isinstance(f, forms.ModelMultipleChoiceField):
            continue
        sql, params = f.queryset.query.sql_with_params()
        key = (f.to_field_name or "pk", sql, tuple(map(str, params)))
        objs = memo.get(key)
        if objs is None:
            attr = f.to_field_name or "pk"
            objs = memo[key] = {str(getattr(o, attr)): o for o in f.queryset}
        f.to_python = _cached_to_python(f, objs)


def bound_to(proto: forms.BaseForm, data: dict) -> forms.BaseForm:
    """The unbound form `proto` as if built with `data` (what BaseForm.__init__ sets per instance); the
    fields are shared: validating a row does not change them."""
    form = copy.copy(proto)
    form.data, form.is_bound, form._errors, form._bound_fields_cache = data, True, None, {}
    form.__dict__.pop("cleaned_data", None)
    return form


def _cached_to_python(f: forms.ModelChoiceField, objs: dict):
    def to_python(value):
        if value in f.empty_values:
            return None
        obj = objs.get(str(getattr(value, f.to_field_name or "pk", value)))
        if obj is None:
            raise forms.ValidationError(f.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value})
        return obj
    return to_python


def fingerprint(spec: LedgerSpec, data: dict) -> str:
    parts = [spec.key] + [_norm(data.get(k, "")) if not isinstance(data.get(k), list)
                          else ",".join(sorted(map(str, data[k]))) for k in spec.key_fields]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def run(*, spec: LedgerSpec, actor, township, data: bytes, filename: str, dry_run: bool = False,
        progress: Callable[[int, int, str], None] | None = None) -> Result:
    """Validate every row, then create them all in one transaction — or nothing, with every error named."""
    require_import(actor, township, spec)
    t0 = time.perf_counter()
    cols = columns(spec, actor, township)
    required = [header_of(f) for _n, f in cols if f.required]
    table = reader.find_table(reader.read_rows(data, filename), [header_of(f) for _n, f in cols], required)
    result = Result(spec, rows=len(table.rows), dry_run=dry_run, table=table)
    result.seconds["read"] = time.perf_counter() - t0
    index = {reader.norm_header(h): i for i, h in enumerate(table.headers) if h}
    by_field = {name: index.get(reader.norm_header(header_of(f))) for name, f in cols}
    from fazhi.imports.export import existing_fingerprints

    seen = set(ImportedRow.objects.filter(township=township, ledger=spec.key).values_list("fingerprint", flat=True))
    seen |= existing_fingerprints(spec, cols, township)
    last_key = [n for n, _f in cols if n in spec.key_fields][-1]
    prepared, memo, proto = [], {}, None
    total = len(table.rows)
    for i, (n, cells) in enumerate(table.rows, start=1):
        if progress and i % PROGRESS_EVERY == 0:
            progress(i, total, "校验")
        payload, bad = {}, False
        # the key cells first: a row already in the ledger is skipped before anything else is checked
        for name, f in sorted(cols, key=lambda c: c[0] not in spec.key_fields):
            i = by_field[name]
            cell = cells[i] if i is not None and i < len(cells) else None
            try:
                payload[name] = cell_to_data(f, cell)
            except ValueError as e:
                result.errors.append(RowError(n, header_of(f), str(e)))
                bad = True
            if name == last_key and not bad and fingerprint(spec, payload) in seen:
                break
        if bad:
            continue
        fp = fingerprint(spec, payload)
        if fp in seen:
            result.duplicates.append(n)
            continue
        seen.add(fp)
        if spec.same_form:
            if proto is None:
                proto = spec.form(actor, township, None)
                _memo_model_choices(proto, memo)
            form = bound_to(proto, payload)
        else:
            form = spec.form(actor, township, payload)
            _memo_model_choices(form, memo)
        if not form.is_valid():
            for name, errs in form.errors.items():
                column = header_of(form.fields[name]) if name in form.fields else "（整行）"
                result.errors.extend(RowError(n, column, str(e)) for e in errs)
            continue
        prepared.append((n, form, fp))
    result.seconds["validate"] = time.perf_counter() - t0 - result.seconds["read"]
    if result.errors:
        return result
    with transaction.atomic():
        if spec.save_many is not None:
            _write_many(spec, actor, township, prepared, result, progress)
        else:
            _write_each(spec, actor, township, prepared, result, progress)
        if result.errors or dry_run:
            transaction.set_rollback(True)  # all or nothing; a dry run shows what would be created
            if result.errors:
                result.created = []
    result.seconds["write"] = time.perf_counter() - t0 - result.seconds["read"] - result.seconds["validate"]
    return result


def _write_each(spec, actor, township, prepared, result, progress) -> None:
    for done, (n, form, fp) in enumerate(prepared, start=1):
        try:
            with transaction.atomic():
                obj = spec.save(actor, township, form)
                ImportedRow.objects.create(township=township, ledger=spec.key, fingerprint=fp,
                                           object_type=obj._meta.label_lower, object_id=str(obj.pk))
        except DomainError as e:
            result.errors.append(RowError(n, "（整行）", e.message))
            continue
        result.created.append(obj)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(prepared), "写入")


def _write_many(spec, actor, township, prepared, result, progress) -> None:
    """The rows through the module's bulk service at once, then one fingerprint per row."""
    if not prepared:
        return
    report = (lambda done, total: progress(done, total, "写入")) if progress else None
    try:
        with transaction.atomic():
            objs = spec.save_many(actor, township, [form for _n, form, _fp in prepared], report)
    except DomainError as e:
        rows = getattr(e, "rows", None)
        if rows:
            result.errors.extend(RowError(prepared[i][0], "（整行）", reason) for i, reason in rows)
        else:
            result.errors.append(RowError(prepared[0][0], "（整行）", e.message))
        return
    insert_objects(ImportedRow, [
        ImportedRow(township=township, ledger=spec.key, fingerprint=fp, object_type=obj._meta.label_lower,
                    object_id=str(obj.pk)) for (_n, _form, fp), obj in zip(prepared, objs, strict=True)])
    result.created.extend(objs)


def phases(result: Result) -> dict:
    return {k: result.seconds.get(k, 0.0) for k in ("read", "validate", "write")}


def error_report(result: Result) -> bytes:
    """The rows as read, with each bad cell marked red and the reasons in a last column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "错误报告"
    headers = [h for h in result.table.headers] if result.table else []
    ws.append([*headers, "错误原因"])
    red = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[int, list[RowError]] = {}
    for e in result.errors:
        by_row.setdefault(e.row, []).append(e)
    col_of = {reader.norm_header(h): i + 1 for i, h in enumerate(headers) if h}
    for n, cells in (result.table.rows if result.table else []):
        errs = by_row.get(n)
        if not errs:
            continue
        ws.append([reader.text(c) for c in cells[:len(headers)]] + [""] * (len(headers) - len(cells)) +
                  ["；".join(f"第{e.row}行 {e.column}：{e.reason}" for e in errs)])
        r = ws.max_row
        for e in errs:
            c = col_of.get(reader.norm_header(e.column))
            if c:
                ws.cell(r, c).fill = red
                ws.cell(r, c).comment = Comment(e.reason, "法治平台")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template(spec: LedgerSpec, user, township) -> bytes:
    """Chinese headers, one example row, drop-downs for choices, and a sheet explaining every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns(spec, user, township)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.label[:31]
    lists = wb.create_sheet("选项")
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "是否必填", "填写要求"])
    ws.append([header_of(f) + ("（必填）" if f.required else "") for _n, f in cols])
    ws.append([v() if callable(v) else v for v in (spec.example.get(n, "") for n, _f in cols)])
    for c in ws[1]:
        c.font = Font(bold=True)
    for i, (_name, f) in enumerate(cols, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = max(12, len(header_of(f)) * 2 + 4)
        rule = _rule_text(f)
        help_ws.append([header_of(f), "是" if f.required else "否", rule])
        if isinstance(f, forms.ChoiceField | forms.ModelChoiceField) and not isinstance(
                f, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            labels = [lbl for _v, lbl in _choices(f)]
            if labels:
                for r, label in enumerate(labels, start=1):
                    lists.cell(r, i, label)
                dv = DataValidation(type="list", formula1=f"'选项'!${letter}$1:${letter}${len(labels)}",
                                    allow_blank=not f.required, showErrorMessage=True,
                                    error="请从下拉列表中选择", errorTitle="不在可选项中")
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}5000")
    lists.sheet_state = "hidden"
    help_ws.column_dimensions["A"].width, help_ws.column_dimensions["C"].width = 24, 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rule_text(f: forms.Field) -> str:
    rule = _rule_kind(f)
    default = _default(f)
    if default is not None:
        shown = dict(_choices(f)).get(str(default), default) if isinstance(f, forms.ChoiceField) else default
        rule += f"；不填为“{shown}”"
    return rule


def _rule_kind(f: forms.Field) -> str:
    if isinstance(f, forms.DateField):
        return "日期，如 2024-03-05、2024.3.5 或 2024年3月5日（Excel日期格式亦可）"
    if isinstance(f, forms.BooleanField):
        return "填“是”或留空"
    if isinstance(f, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "可多选，用顿号“、”分隔：" + "、".join(lbl for _v, lbl in _choices(f)[:30])
    if isinstance(f, forms.ChoiceField | forms.ModelChoiceField):
        return "从下拉列表选择：" + "、".join(lbl for _v, lbl in _choices(f)[:30])
    if isinstance(f, forms.IntegerField | forms.DecimalField):
        return "数字" + (f"，{f.help_text}" if f.help_text else "")
    limit = getattr(f, "max_length", None)
    return f"文字{f'，不超过{limit}字' if limit else ''}" + (f"；{f.help_text}" if f.help_text else "")
