"""Every importable ledger exported in its template's shape: the same Chinese headers, numbers as numbers,
dates as Excel dates, choices as their labels — so the file re-imports cleanly (into another township, or
into the same one, where each row is recognised as already there). The county's bulk export of a ledger
across its townships is the same sheet with a 乡镇 column in front.

Cells go through core.ledger's `_excel_value`, the one conversion every ledger export uses."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django import forms

from fazhi.core.ledger import _excel_value
from fazhi.imports import engine

TOWNSHIP_HEADER = "乡镇"


def _records(key: str, townships):
    """The township's records of a ledger, read with what their cells need."""
    from fazhi.disclosure.models import DisclosureItem, InfoRequest
    from fazhi.education.models import PublicityEvent, StudySession
    from fazhi.enforcement.models import Inspection, Officer
    from fazhi.mediation.models import Dispute
    from fazhi.organization.models import GroupMember, PlanTask

    qs = {
        "disputes": Dispute.objects.select_related("village", "dispute_type").prefetch_related("parties"),
        "events": PublicityEvent.objects.select_related("village", "venue").prefetch_related("topics"),
        "sessions": StudySession.objects.prefetch_related("laws", "attendance__official"),
        "officers": Officer.objects.select_related("body", "user"),
        "inspections": Inspection.objects.select_related("village").prefetch_related("officers"),
        "requests": InfoRequest.objects.all(),
        "items": DisclosureItem.objects.select_related("category"),
        "members": GroupMember.objects.select_related("group"),
        "tasks": PlanTask.objects.select_related("plan"),
    }[key]
    return qs.filter(township__in=townships).select_related("township").order_by("township__code", "pk")


def _dispute_values(d) -> dict:
    from fazhi.mediation.models import Party

    parties = sorted(d.parties.all(), key=lambda p: p.pk)
    first = next((p for p in parties if p.side == Party.Side.APPLICANT), parties[0] if parties else None)
    second = next((p for p in parties if p is not first and p.side == Party.Side.RESPONDENT and not p.id_number),
                  None)
    rest = [p for p in parties if p is not first and p is not second]
    return {"received_on": d.received_on, "village": d.village, "dispute_type": d.dispute_type,
            "source": d.source, "summary": d.summary, "risk_level": d.risk_level,
            "party1_name": first.name if first else "", "party1_phone": first.phone if first else "",
            "party1_id": first.id_number if first else "",
            "party2_name": second.name if second else "", "party2_phone": second.phone if second else "",
            "other_parties": "；".join(f"{p.name}/{p.id_number}/{p.phone}/{p.get_side_display()}" for p in rest)}


def _session_values(s) -> dict:
    rows = sorted(s.attendance.all(), key=lambda a: a.pk)
    out = {n: getattr(s, n) for n in ("date", "kind", "topic", "speaker", "place", "hours", "notes")}
    out["laws"] = list(s.laws.all())
    out["attendees"] = [a.official for a in rows]
    out["partial_hours"] = "\n".join(f"{a.official.name} {a.hours.normalize()}" for a in rows if a.hours != s.hours)
    return out


VALUES = {
    "disputes": _dispute_values,
    "sessions": _session_values,
    "members": lambda m: {"year": m.group.year, **{n: getattr(m, n) for n in
                                                   ("group_role", "name", "post", "order", "joined_on",
                                                    "change_reason")}},
    "tasks": lambda t: {"year": t.plan.year, **{n: getattr(t, n) for n in
                                                ("seq", "area", "title", "description", "owner_unit",
                                                 "owner_person", "due_date", "priority")}},
}


def _value(obj, name):
    v = getattr(obj, name, None)
    return list(v.all()) if hasattr(v, "all") else v


def to_cell(f: forms.Field, v):
    """A stored value as the cell a clerk would type: labels for choices, real numbers and dates."""
    if v is None or v == "":
        return None
    if isinstance(f, forms.BooleanField):
        return "是" if v else "否"
    if isinstance(f, forms.ModelMultipleChoiceField):
        return "、".join(f.label_from_instance(o) for o in v)
    if isinstance(f, forms.ModelChoiceField):
        return f.label_from_instance(v) if hasattr(v, "pk") else v
    labels = dict(engine._choices(f)) if isinstance(f, forms.ChoiceField) else {}
    if isinstance(f, forms.MultipleChoiceField):
        return "、".join(labels.get(str(x), str(x)) for x in v)
    if isinstance(f, forms.ChoiceField):
        return labels.get(str(v), str(v))
    if isinstance(f, forms.IntegerField) and isinstance(v, int | Decimal | float):
        return int(v)
    if isinstance(f, forms.DateField) and isinstance(v, dt.date):
        return v if not isinstance(v, dt.datetime) else v.date()
    return v


def export(spec: engine.LedgerSpec, user, townships, *, township_column: bool = False) -> bytes:
    """The ledger's records of these townships as an .xlsx in the template's shape (write-only, streamed)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    townships = list(townships)
    cols = engine.columns(spec, user, townships[0]) if townships else []
    values = VALUES.get(spec.key, lambda o: {n: _value(o, n) for n, _f in cols})
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(spec.label[:31])
    header = ([TOWNSHIP_HEADER] if township_column else []) + [engine.header_of(f) for _n, f in cols]
    bold = []
    for h in header:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        bold.append(c)
    ws.append(bold)
    date_cells = {i for i, (_n, f) in enumerate(cols) if isinstance(f, forms.DateField)}
    for obj in _records(spec.key, townships).iterator(chunk_size=500):
        vals = values(obj)
        row = [obj.township.name] if township_column else []
        for i, (n, f) in enumerate(cols):
            v = _excel_value(to_cell(f, vals.get(n)))
            if i in date_cells and isinstance(v, dt.date):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd"
                v = c
            row.append(v)
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def existing_fingerprints(spec: engine.LedgerSpec, cols, township) -> set[str]:
    """The fingerprints of the ledger's records already in the township, however they were entered (page,
    app, an earlier import): each record's key cells as its export writes them, read back as an import
    reads a cell — so a re-imported export, or a ledger overlapping what was typed, creates nothing twice."""
    by_name = dict(cols)
    keys = [n for n in spec.key_fields if n in by_name]
    values = VALUES.get(spec.key, lambda o: {n: _value(o, n) for n in keys})
    out = set()
    for obj in _records(spec.key, [township]).iterator(chunk_size=500):
        vals = values(obj)
        try:
            data = {n: engine.cell_to_data(by_name[n], _excel_value(to_cell(by_name[n], vals.get(n)))) for n in keys}
        except ValueError:  # a value the import could not take (an inactive choice): cannot collide
            continue
        out.add(engine.fingerprint(spec, data))
    return out
