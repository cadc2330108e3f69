"""Upward exchange: the period's cases as JSON lines + .xlsx with masked personal data and a manifest of
counts and SHA-256; the command; the county page (cases zip, a ledger across townships)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.enforcement.models import Case
from fazhi.imports import exchange

SINCE = dt.date(2020, 1, 1)


def _build(town, **kw):
    return exchange.build(townships=exchange.townships_of(town.county), since=SINCE, until=town.today, **kw)


def test_every_case_of_the_period_with_the_platform_fields_and_a_manifest(town):
    files = _build(town)
    manifest = json.loads(files.pop("manifest.json"))
    expected = exchange.cases_in(exchange.townships_of(town.county), SINCE, town.today).count()
    assert expected and manifest["cases"] == expected
    for f in manifest["files"]:
        assert hashlib.sha256(files[f["name"]]).hexdigest() == f["sha256"] and f["bytes"] == len(files[f["name"]])
    jsonl = next(v for k, v in files.items() if k.endswith(".jsonl")).decode().splitlines()
    records = [json.loads(line) for line in jsonl]
    assert len(records) == expected
    assert set(records[0]) == {k for k, _l in exchange.FIELDS}
    decided = [r for r in records if r["decided_on"]]
    assert decided and all(isinstance(r["legal_review"], bool) for r in records)
    assert any(isinstance(r["penalty_amount"], float) for r in decided)
    ws = load_workbook(io.BytesIO(next(v for k, v in files.items() if k.endswith(".xlsx")))).active
    header = [c.value for c in ws[1]]
    assert header[:2] == ["案件名称", "案由"] and "执法人员证号" in header
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[header.index("决定日期")])
    assert isinstance(row[header.index("决定日期")], dt.datetime)
    amounts = [r[header.index("罚没金额（元）")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert any(isinstance(a, int | float) for a in amounts)


def test_personal_data_is_masked_as_on_publication(town):
    case = Case.objects.filter(township=town.litou, decided_on__isnull=False).first()
    Case.objects.filter(pk=case.pk).update(
        party_id_no="43000019900101123X", party_address="湖南省蓝山县犁头瑶族乡犁头村4组12号",
        facts="当事人（身份证号43000019900101123X，电话13812345678）在犁头村4组12号违法建房。")
    out = b"".join(v for k, v in _build(town).items() if not k.endswith(".xlsx")).decode()
    assert "43000019900101123X" not in out and "13812345678" not in out and "4组12号" not in out
    assert "430000********123X" in out and "138****5678" in out


def test_the_period_limits_the_cases(town):
    manifest = json.loads(exchange.build(townships=[town.litou], since=dt.date(1990, 1, 1),
                                         until=dt.date(1990, 12, 31))["manifest.json"])
    assert manifest["cases"] == 0 and manifest["townships"][0]["name"] == "犁头瑶族乡"


def test_the_command_writes_the_three_files(town, tmp_path):
    call_command("export_cases", "--since", "2020-01-01", "--region", town.litou.code, "--out", str(tmp_path))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names[-1] == "manifest.json" and any(n.endswith(".jsonl") for n in names)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["cases"] == exchange.cases_in([town.litou], SINCE, town.today).count() > 0
    with pytest.raises(CommandError, match="找不到区划"):
        call_command("export_cases", "--since", "2020-01-01", "--region", "没有这个乡", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("export_cases", "--since", "2020-13-45", "--out", str(tmp_path))


def test_the_county_page_downloads_the_cases_and_a_ledger_across_townships(town, login):
    url = reverse("imports:county")
    assert login(town.user("litou_legal_staff")).get(url).status_code == 403
    c = login(town.user("county_legal"))
    assert "执法案件上报" in c.get(url).content.decode()
    r = c.get(url, {"download": "cases", "since": "2020-01-01", "until": town.today.isoformat()})
    assert r["Content-Type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert "manifest.json" in z.namelist() and len(z.namelist()) == 3
    bad = c.get(url, {"download": "cases", "since": "2024-05-01", "until": "2024-01-01"})
    assert "截止日期不能早于起始日期" in bad.content.decode()
    r = c.get(url, {"download": "ledger", "ledger": "events"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.cell(1, 1).value == "乡镇"
    towns = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert {"犁头瑶族乡", "汇源瑶族乡"} <= towns
