"""Reading spreadsheets as offices really keep them: .xlsx (merged header cells, title rows above the
header, blank rows), old .xls, and .csv in UTF-8 or GBK. Returns plain rows of cell values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass

from fazhi.core.errors import DomainError

MAX_ROWS = 100_000
MAX_BYTES = 30 * 1024 * 1024


@dataclass
class Table:
    header_row: int  # 1-based spreadsheet row number of the header
    headers: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)


def norm_header(text) -> str:
    """Header text compared loosely: width-folded, no spaces, no *, no bracketed notes like （必填）."""
    s = unicodedata.normalize("NFKC", str(text or "")).strip()
    s = re.sub(r"[（(][^）)]*[）)]", "", s)
    return re.sub(r"[\s*＊:：]", "", s)


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)  # not read-only: merged ranges are needed
    except Exception:
        raise DomainError("无法读取该Excel文件，请确认是 .xlsx 格式且未加密。") from None
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    # a merged header cell holds its text in the top-left cell only: copy it across the merged range
    for rng in ws.merged_cells.ranges:
        value = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, min(rng.max_row, len(rows)) + 1):
            row = rows[r - 1]
            for c in range(rng.min_col, rng.max_col + 1):
                while len(row) < c:
                    row.append(None)
                if row[c - 1] is None:
                    row[c - 1] = value
    return rows


def _xls_rows(data: bytes) -> list[list]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception:
        raise DomainError("无法读取该 .xls 文件，请另存为 .xlsx 后再导入。") from None
    sheet = book.sheet_by_index(0)
    rows = []
    for r in range(sheet.nrows):
        out = []
        for c in range(sheet.ncols):
            cell = sheet.cell(r, c)
            if cell.ctype == xlrd.XL_CELL_DATE:
                out.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
            else:
                out.append(cell.value if cell.value != "" else None)
        rows.append(out)
    for (rlo, rhi, clo, chi) in sheet.merged_cells:
        value = rows[rlo][clo]
        for r in range(rlo, rhi):
            for c in range(clo, chi):
                if rows[r][c] is None:
                    rows[r][c] = value
    return rows


def _csv_rows(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel for Windows in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DomainError("CSV文件编码无法识别，请使用UTF-8或GBK编码。")
    if "\x00" in text:
        raise DomainError("CSV文件包含无效字符。")
    return [[c if c != "" else None for c in row] for row in csv.reader(io.StringIO(text))]


def check_upload(data: bytes, filename: str) -> str:
    """The kind of file (xlsx, xls, csv), or a Chinese refusal (too large, not a spreadsheet)."""
    if len(data) > MAX_BYTES:
        raise DomainError("文件超过30MB，请拆分后导入。")
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return "xlsx"
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    raise DomainError("请上传 .xlsx、.xls 或 .csv 文件。")


def read_rows(data: bytes, filename: str) -> list[list]:
    kind = check_upload(data, filename)
    return {"xlsx": _xlsx_rows, "xls": _xls_rows, "csv": _csv_rows}[kind](data)


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def find_table(rows: list[list], expected: list[str], required: list[str]) -> Table:
    """The header is the first row (within the first 20) that names every required column; a header
    spread over two rows (merged group cells above) is read as the lower row, filled from the upper."""
    want = {norm_header(h) for h in expected}
    need = {norm_header(h) for h in required}
    for i, row in enumerate(rows[:20]):
        names = [norm_header(c) for c in row]
        if i + 1 < len(rows):
            below = [norm_header(c) for c in rows[i + 1]]
            merged = [b if b in want else a for a, b in zip(names + [""] * (len(below) - len(names)), below,
                                                            strict=False)]
            if need <= set(merged) and len(set(merged) & want) > len(set(names) & want):
                return _table(rows, i + 1, merged)
        if need <= set(names):
            return _table(rows, i, names)
    missing = "、".join(sorted(required))
    raise DomainError(f"没有找到表头：请确认第一张工作表有这些列：{missing}（可下载模板对照）。")


def _table(rows, header_index: int, names: list[str]) -> Table:
    data = []
    for n, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        if all(_blank(c) for c in row):
            continue  # blank rows between blocks of data
        data.append((n, list(row)))
        if len(data) > MAX_ROWS:
            raise DomainError(f"一次最多导入{MAX_ROWS}行，请拆分文件。")
    return Table(header_index + 1, names, data)


# ---- cell values -------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\s*(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(value) -> dt.date | None:
    """Excel dates, and dates typed as text: 2024.3.5, 2024年3月5日, 2024/03/05, 2024-3-5, 20240305."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:  # an Excel serial number kept as a number
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    s = unicodedata.normalize("NFKC", str(value)).strip()
    m = _DATE_RE.match(s) or re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[ T]", s)
    if m:
        return dt.date.fromisoformat(m[1])
    raise ValueError(f"“{s[:20]}”不是有效日期（可写作2024-03-05、2024.3.5或2024年3月5日）")


def parse_number(value) -> str:
    """Numbers typed as text ('1,200', '１２', '12元', '12人') → '1200' / '12'; Excel numbers kept."""
    if _blank(value):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    s = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace("，", "")
    return re.sub(r"(元|人次|人|份|次|件|个|小时|岁)$", "", s).strip()


def text(value) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\x00", "").strip()
