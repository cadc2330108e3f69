"""Importing the township's existing ledgers: files as offices keep them, all or nothing, no duplicates."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.imports import engine, reader
from fazhi.imports.ledgers import LEDGERS
from fazhi.mediation.models import Dispute

FILES = Path(__file__).parent / "files"
HEAD = ["受理日期", "所在村", "纠纷类型", "来源", "纠纷简要情况", "申请人（当事人一）姓名", "当事人一电话", "风险等级"]


def _xlsx(rows, title=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:  # a title row merged across the table, as offices do
        ws.append(["犁头瑶族乡矛盾纠纷排查调处台账"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEAD))
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _row(day, village="犁头村", name="盘某", summary="排水沟争执"):
    return [day, village, "邻里", "排查发现", summary, name, "13800000000", "一般"]


def _run(town, data, filename="台账.xlsx", user="litou_mediator", **kw):
    return engine.run(spec=LEDGERS["disputes"], actor=town.user(user), township=town.litou, data=data,
                      filename=filename, **kw)


@pytest.mark.parametrize("text, day", [("2024.3.5", dt.date(2024, 3, 5)), ("2024年3月5日", dt.date(2024, 3, 5)),
                                       ("2024/03/05", dt.date(2024, 3, 5)), ("2024-3-5", dt.date(2024, 3, 5)),
                                       (45356, dt.date(2024, 3, 5)), (dt.datetime(2024, 3, 5), dt.date(2024, 3, 5))])
def test_it_reads_dates_as_offices_type_them(text, day):
    assert reader.parse_date(text) == day


def test_it_reads_numbers_typed_as_text():
    assert reader.parse_number("1,200") == "1200" and reader.parse_number("１２人") == "12"
    assert reader.parse_number(12.0) == "12"


def test_it_imports_a_merged_title_blank_rows_and_text_dates_through_the_service(town):
    before = Dispute.objects.filter(township=town.litou).count()
    data = _xlsx([_row(dt.datetime(2024, 5, 6)), [None] * len(HEAD), _row("2024.5.7", "山背村", "黄某")])
    result = _run(town, data)
    assert result.ok, result.errors
    assert len(result.created) == 2
    assert Dispute.objects.filter(township=town.litou).count() == before + 2
    d = result.created[1]
    assert d.received_on == dt.date(2024, 5, 7) and d.village.name == "山背村" and d.number  # numbered by the service
    assert AuditEntry.objects.filter(object_type="mediation.dispute", object_id=str(d.pk), action="create").exists()


def test_a_bad_last_row_writes_nothing_and_names_row_column_and_reason(town):
    before = Dispute.objects.count()
    rows = [_row(f"2024-06-{d:02d}", name=f"甲{d}") for d in range(1, 29)] + [_row("2024-06-31", "不存在村")]
    result = _run(town, _xlsx(rows))
    assert not result.ok and not result.created
    assert Dispute.objects.count() == before
    cols = {(e.row, e.column) for e in result.errors}
    assert (31, "受理日期") in cols and (31, "所在村") in cols  # title row 1, header row 2, data from row 3
    report = load_workbook(io.BytesIO(engine.error_report(result))).active
    assert "第31行" in report.cell(2, len(HEAD) + 1).value
    assert report.cell(2, 1).fill.fgColor.rgb.endswith("FFC7CE")


def test_a_guard_refusal_in_the_service_rolls_back_every_earlier_row(town):
    before = Dispute.objects.count()
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    result = _run(town, _xlsx([_row("2024-07-01"), _row("2024-07-02", name="乙"), _row(future, name="丙")]))
    assert not result.ok and Dispute.objects.count() == before


def test_reimporting_the_same_file_creates_nothing_twice(town):
    data = _xlsx([_row("2024-08-01", name="重复甲"), _row("2024-08-02", name="重复乙")])
    first = _run(town, data)
    again = _run(town, data)
    assert len(first.created) == 2 and not again.created and again.duplicates == [3, 4]
    assert Dispute.objects.filter(parties__name="重复甲").count() == 1


def test_a_dry_run_shows_what_would_be_created_and_writes_nothing(town):
    before = Dispute.objects.count()
    result = _run(town, _xlsx([_row("2024-09-01")]), dry_run=True)
    assert result.ok and len(result.created) == 1 and Dispute.objects.count() == before
    assert not _run(town, _xlsx([_row("2024-09-01")]), dry_run=True).duplicates  # nothing was recorded


def test_it_reads_gbk_csv_and_old_xls(town):
    csv_text = ",".join(HEAD) + "\n" + ",".join(["2024年10月8日", "毛栗坪村", "邻里", "排查发现", "放牧损坏庄稼",
                                                  "李某", "", "一般"]) + "\n"
    result = _run(town, csv_text.encode("gbk"), filename="台账.csv")
    assert result.ok, result.errors
    assert result.created[0].village.name == "毛栗坪村"
    xls = _run(town, (FILES / "disputes-2023.xls").read_bytes(), filename="disputes-2023.xls")
    assert xls.ok, xls.errors
    assert [d.received_on for d in xls.created] == [dt.date(2023, 4, 3), dt.date(2023, 5, 6)]


def test_it_refuses_other_townships_and_roles(town):
    from fazhi.core.errors import DomainError

    with pytest.raises(DomainError, match="无权"):
        engine.run(spec=LEDGERS["disputes"], actor=town.user("demo2_mediator"), township=town.litou,
                   data=_xlsx([_row("2024-05-06")]), filename="a.xlsx")
    with pytest.raises(DomainError, match="没有找到表头"):
        _run(town, b"a,b\n1,2\n", filename="x.csv")
    with pytest.raises(DomainError, match="请上传"):
        _run(town, b"\x7fELF....", filename="x.exe")


@pytest.mark.parametrize("key", sorted(LEDGERS))
def test_every_template_has_headers_an_example_choices_and_help(town, key):
    spec = LEDGERS[key]
    user = next(town.user(f"litou_{r}") for r in ("legal_staff", "leader", "officer", "mediator")
                if any(r == x for x in spec.roles))
    wb = load_workbook(io.BytesIO(engine.template(spec, user, town.litou)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert all(headers) and any("（必填）" in h for h in headers)
    assert wb["填写说明"].max_row == len(headers) + 1
    if any(isinstance(f, engine.forms.ChoiceField) for _n, f in engine.columns(spec, user, town.litou)):
        assert ws.data_validations.dataValidation


def test_the_template_itself_imports(town):
    """Download, keep the example row, upload: the example is valid (dispute ledger)."""
    spec = LEDGERS["disputes"]
    data = engine.template(spec, town.user("litou_mediator"), town.litou)
    result = _run(town, data, dry_run=True)
    assert result.ok, result.errors and len(result.created) == 1


def test_pages_and_command(town, client, login, tmp_path):
    c = login(town.user("litou_mediator"))
    assert c.get(reverse("imports:index")).status_code == 200
    r = c.get(reverse("imports:template") + "?ledger=disputes")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get(reverse("imports:template") + "?ledger=officers").status_code == 404  # not a mediator's ledger
    bad = _xlsx([_row("2024-02-30")])
    r = c.post(reverse("imports:upload") + "?ledger=disputes",
               {"file": io.BytesIO(bad), "dry_run": ""}, format="multipart")
    body = r.content.decode()
    assert "没有导入任何记录" in body and "下载错误报告" in body
    good = io.BytesIO(_xlsx([_row("2024-02-20", name="页面导入")]))
    good.name = "ok.xlsx"
    r = c.post(reverse("imports:upload") + "?ledger=disputes", {"file": good})
    assert "已导入1条记录" in r.content.decode()
    path = tmp_path / "a.xlsx"
    path.write_bytes(_xlsx([_row("2024-02-21", name="命令导入")]))
    call_command("import_ledger", "disputes", str(path), "--region", "犁头瑶族乡", "--user", "litou_mediator")
    assert Dispute.objects.filter(parties__name="命令导入").exists()
    path.write_bytes(_xlsx([_row("2024-13-01", name="错")]))
    with pytest.raises(CommandError, match="没有导入任何记录"):
        call_command("import_ledger", "disputes", str(path), "--region", town.litou.code, "--user",
                     "litou_mediator")
