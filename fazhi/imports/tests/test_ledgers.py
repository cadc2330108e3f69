"""Each ledger added for issue 19: a good file imports through the page's service, a bad last row writes
nothing, and the same file again creates nothing twice."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from fazhi.audit.models import AuditEntry
from fazhi.imports import engine
from fazhi.imports.ledgers import LEDGERS

USERS = {"requests": "litou_legal_staff", "items": "litou_legal_staff", "members": "litou_legal_staff",
         "tasks": "litou_legal_staff", "disputes": "litou_mediator", "sessions": "litou_legal_staff"}


def sheet(spec, user, township, rows: list[dict]) -> bytes:
    """A file as a clerk fills the template: the template's headers, one row per dict (by field name)."""
    cols = engine.columns(spec, user, township)
    wb = Workbook()
    ws = wb.active
    ws.append([engine.header_of(f) for _n, f in cols])
    for r in rows:
        ws.append([r.get(n) for n, _f in cols])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _run(town, key, rows, **kw):
    """THIS in a cell is the pinned year (the plan still open is this year's)."""
    spec, user = LEDGERS[key], town.user(USERS[key])
    this = str(town.today.year)
    rows = [{k: v.replace("THIS", this) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    return engine.run(spec=spec, actor=user, township=town.litou, data=sheet(spec, user, town.litou, rows),
                      filename="台账.xlsx", **kw)


GOOD = {
    "requests": [{"received_on": "2024.3.5", "channel": "当面提交", "applicant_kind": "公民", "applicant_name": "导入甲",
                  "id_type": "居民身份证", "id_number": "43000019900101123X", "contact_phone": "13800000000",
                  "description": "本乡2023年危房改造补助名单", "delivery_form": "纸质文本"},
                 {"received_on": "2024年4月1日", "channel": "平常信函", "applicant_kind": "法人或其他组织",
                  "applicant_name": "某某合作社", "id_number": "91430000MA4L000000", "contact_phone": "07468888888",
                  "description": "2023年农田水利项目清单", "delivery_form": "邮寄", "contact_address": "犁头村1组"}],
    "items": [{"category": "工作动态", "title": "导入的通知一", "formed_on": "2024/03/05", "doc_number": "犁政发〔2024〕3号"},
              {"category": "社会救助", "title": "导入的低保名单公示", "formed_on": "2024-04-01"}],
    "members": [{"year": 2024, "group_role": "副组长", "name": "导入乙", "post": "副乡长", "order": "20"},
                {"year": "2024", "group_role": "成员", "post": "派出所所长", "joined_on": "2024.1.2"}],
    "tasks": [{"year": "THIS", "seq": 11, "area": "学法普法", "title": "导入任务一", "owner_unit": "司法所",
               "due_date": "THIS-06-30", "priority": "重点"},
              {"year": "THIS", "area": "行政执法", "title": "导入任务二", "owner_unit": "综合行政执法队",
               "due_date": "THIS年12月31日"}],
    "disputes": [{"received_on": "2024-05-06", "village": "犁头村", "dispute_type": "邻里", "source": "排查发现",
                  "summary": "多户共用水渠纠纷", "party1_name": "导入丙", "party2_name": "导入丁",
                  "other_parties": "导入戊/43000019900101123X/13900000000/被申请人；导入己", "risk_level": "一般"}],
}
BAD_LAST = {
    "requests": {"received_on": "2024-02-30", "channel": "当面提交", "applicant_kind": "公民", "applicant_name": "坏",
                 "id_number": "1", "contact_phone": "1", "description": "x", "delivery_form": "纸质文本"},
    "items": {"category": "没有的类目", "title": "坏", "formed_on": "2024-03-05"},
    "members": {"year": 2001, "group_role": "成员", "post": "坏"},
    "tasks": {"year": 2031, "area": "学法普法", "title": "坏", "owner_unit": "司法所", "due_date": "2031-06-30"},
    "disputes": {"received_on": "2024-05-07", "village": "犁头村", "dispute_type": "邻里", "source": "排查发现",
                 "summary": "坏", "party1_name": "坏", "other_parties": "庚/12345/abc", "risk_level": "一般"},
}


@pytest.mark.parametrize("key", sorted(GOOD))
def test_a_good_file_imports_through_the_service_with_audit(town, key):
    result = _run(town, key, GOOD[key])
    assert result.ok, result.errors
    assert len(result.created) == len(GOOD[key])
    for obj in result.created:
        assert obj.pk and obj.township_id == town.litou.pk
        assert AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).exists()


@pytest.mark.parametrize("key", sorted(BAD_LAST))
def test_a_bad_last_row_writes_nothing_and_names_it(town, key):
    result = _run(town, key, [*GOOD[key], BAD_LAST[key]])
    assert not result.ok and not result.created
    last = len(GOOD[key]) + 2  # header row 1, data from row 2
    assert {e.row for e in result.errors} == {last}, result.errors
    again = _run(town, key, GOOD[key])  # nothing was written or fingerprinted: the good rows all import now
    assert again.ok and len(again.created) == len(GOOD[key])


@pytest.mark.parametrize("key", sorted(GOOD))
def test_reimporting_creates_nothing_twice(town, key):
    first = _run(town, key, GOOD[key])
    again = _run(town, key, GOOD[key])
    assert first.ok and not again.created and len(again.duplicates) == len(GOOD[key])


def test_a_dispute_keeps_every_listed_party_with_its_side(town):
    d = _run(town, "disputes", GOOD["disputes"]).created[0]
    parties = {p.name: p for p in d.parties.all()}
    assert set(parties) == {"导入丙", "导入丁", "导入戊", "导入己"}
    assert parties["导入戊"].side == "respondent" and parties["导入戊"].id_number == "43000019900101123X"
    assert parties["导入己"].side == "other" and parties["导入丙"].side == "applicant"


def test_bad_party_cells_are_named_in_chinese(town):
    result = _run(town, "disputes", [BAD_LAST["disputes"]])
    (err,) = [e for e in result.errors if e.column == "其他当事人"]
    assert "第1位当事人（庚）" in err.reason


def test_a_member_of_a_year_without_a_group_says_so(town):
    result = _run(town, "members", [BAD_LAST["members"]])
    assert any("2001年的法治建设领导小组尚未建立" in e.reason for e in result.errors)


def test_the_templates_of_the_new_ledgers_import_as_downloaded(town):
    for key in ("requests", "items", "members", "tasks", "disputes"):
        spec, user = LEDGERS[key], town.user(USERS[key])
        result = engine.run(spec=spec, actor=user, township=town.litou, data=engine.template(spec, user, town.litou),
                            filename="t.xlsx", dry_run=True)
        assert result.ok and len(result.created) == 1, (key, result.errors)
