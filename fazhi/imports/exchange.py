"""Upward exchange (issue 19, 最多报一次): every enforcement case of a period, with the fields the upper-level
enforcement supervision platforms collect, as JSON lines and .xlsx, personal data masked as the publication
rules require (enforcement.publication's masking), and a manifest with counts and SHA-256 of each file.

A case belongs to the period when it was filed, decided or closed in it (a case not yet filed: discovered
in it), so a scheduled push `--since` the last run carries every case that moved. Read-only: it reads the
enforcement models and writes files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from fazhi.core.models import Region, RegionLevel

# (key, 中文列名): the JSON keys and the .xlsx headers, in the platforms' order
FIELDS = [
    ("case_name", "案件名称"), ("cause", "案由"), ("township", "乡镇"), ("township_code", "区划代码"),
    ("case_number", "案号"), ("status", "案件状态"), ("party_kind", "当事人类型"), ("party", "当事人"),
    ("facts_summary", "违法事实摘要"), ("legal_basis", "法律依据"), ("penalty_kind", "处罚种类"),
    ("penalty_amount", "罚没金额（元）"), ("filed_on", "立案日期"), ("decided_on", "决定日期"),
    ("closed_on", "结案日期"), ("decision_number", "文书号"), ("legal_review", "是否法制审核"),
    ("collective_discussion", "是否集体讨论"), ("hearing", "是否听证"), ("officer_cert_nos", "执法人员证号"),
]
SUMMARY_CHARS = 300
FORMAT_VERSION = "fazhi-cases/1"


def townships_of(region: Region | None = None, *, within=None):
    """The townships a region covers (itself, or those below a county), limited to `within` if given."""
    qs = Region.objects.filter(level=RegionLevel.TOWNSHIP)
    if region is not None:
        qs = qs.filter(pk=region.pk) if region.level == RegionLevel.TOWNSHIP else qs.filter(path__startswith=region.path)
    if within is not None:
        qs = qs.filter(pk__in=within.values("pk"))
    return qs.order_by("code")


def find_region(text: str) -> Region | None:
    return Region.objects.filter(Q(code=text) | Q(name=text)).exclude(level=RegionLevel.VILLAGE).order_by(
        "level").first()


def cases_in(townships, since: dt.date, until: dt.date):
    from fazhi.enforcement.models import Case

    def between(f):
        return Q(**{f"{f}__gte": since, f"{f}__lte": until})

    period = between("filed_on") | between("decided_on") | between("closed_on") | (
        Q(filed_on__isnull=True) & between("discovered_on"))
    return (Case.objects.filter(period, township__in=list(townships))
            .select_related("township", "power", "power__body")
            .prefetch_related("officers", "reviews", "discussions", "hearings")
            .order_by("township__code", "year", "seq"))


def case_record(case) -> dict:
    """One case as the platforms collect it; names, IDs, phones, addresses masked as on publication."""
    from fazhi.enforcement.publication import mask_names, mask_personal

    names = mask_names(case)
    addresses = [case.party_address]
    party = case.party_name + (f"（{case.party_id_no}）" if case.party_id_no else "")
    amount = sum((a for a in (case.fine_amount, case.confiscation_amount) if a is not None), Decimal(0))
    facts = mask_personal(case.facts or "", names=names, addresses=addresses)
    return {
        "case_name": mask_personal(f"{case.party_name}{case.title}案", names=names, addresses=addresses),
        "cause": case.title,
        "township": case.township.name,
        "township_code": case.township.code,
        "case_number": case.number,
        "status": case.get_status_display(),
        "party_kind": case.get_party_kind_display(),
        "party": mask_personal(party, names=names, addresses=addresses),
        "facts_summary": facts[:SUMMARY_CHARS],
        "legal_basis": case.power.penalty_basis if case.power_id else "",
        "penalty_kind": case.get_penalty_kind_display() if case.penalty_kind else "",
        "penalty_amount": amount if amount else None,
        "filed_on": case.filed_on,
        "decided_on": case.decided_on,
        "closed_on": case.closed_on,
        "decision_number": case.decision_number,
        "legal_review": any(r.reviewed_on for r in case.reviews.all()),
        "collective_discussion": bool(case.discussions.all()),
        "hearing": any(h.held_on for h in case.hearings.all()),
        "officer_cert_nos": [o.cert_no for o in sorted(case.officers.all(), key=lambda o: o.pk) if o.cert_no],
    }


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _xlsx_value(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, list):
        return "、".join(v)
    return v


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build(*, townships, since: dt.date, until: dt.date) -> dict[str, bytes]:
    """{filename: content}: cases.jsonl, cases.xlsx and manifest.json (counts and SHA-256 of the other two)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    townships = list(townships)
    stem = f"cases-{since:%Y%m%d}-{until:%Y%m%d}"
    lines, count = io.StringIO(), 0
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("执法案件")
    ws.append([label for _k, label in FIELDS])
    per_town: dict[str, int] = {}
    for case in cases_in(townships, since, until).iterator(chunk_size=500):
        rec = case_record(case)
        count += 1
        per_town[rec["township_code"]] = per_town.get(rec["township_code"], 0) + 1
        lines.write(json.dumps({k: _json_value(rec[k]) for k, _l in FIELDS}, ensure_ascii=False) + "\n")
        row = []
        for k, _l in FIELDS:
            v = _xlsx_value(rec[k])
            if isinstance(v, dt.date):
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "yyyy-mm-dd"
                v = c
            row.append(v)
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    files = {f"{stem}.jsonl": lines.getvalue().encode(), f"{stem}.xlsx": buf.getvalue()}
    manifest = {
        "format": FORMAT_VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "since": since.isoformat(), "until": until.isoformat(),
        "townships": [{"code": t.code, "name": t.name, "cases": per_town.get(t.code, 0)} for t in townships],
        "cases": count,
        "fields": [{"key": k, "label": label} for k, label in FIELDS],
        "masking": "当事人及其他自然人的身份证号、电话、住址门牌、银行账号按行政处罚决定公示规则隐去；未成年人及须隐去的姓名以“某”代替",
        "files": [{"name": name, "bytes": len(data), "sha256": _sha256(data), "records": count}
                  for name, data in files.items()],
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    return files


def write(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        p = out_dir / name
        p.write_bytes(data)
        paths.append(p)
    return paths


def as_zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()
