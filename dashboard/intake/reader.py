"""Read an uploaded workbook (python-calamine: xlsx, xls, ods) or CSV into raw cells keyed by column.

The header row may carry the Vietnamese or the English headers (or the column keys); the template's
second header row (English) is recognised and skipped. Problems (not a workbook, wrong sheet, merged
cells, unknown/missing/duplicate headers, empty rows) are collected, never raised.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd
from python_calamine import CalamineWorkbook

from .spec import Kind, Problems

WORKBOOK_EXT = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class RawTable:
    sheet: str
    frame: pd.DataFrame  # one column per known key (object dtype, raw cell values) plus '_row'
    columns: list[str]


def norm(s: object) -> str:
    """Header matching: case, accents of the NFC/NFD forms, spaces and line breaks do not matter."""
    t = unicodedata.normalize("NFC", "" if s is None else str(s)).strip().lower()
    t = re.sub(r"\s+", " ", t)
    return t[:-1].rstrip() if t.endswith("*") else t  # the template marks required columns with '*'


def _header_map(kind: Kind) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in kind.columns:
        for h in (c.vi, c.en, c.key):
            out[norm(h)] = c.key
    return out


def _cell_ref(row0: int, col0: int) -> str:
    s, n = "", col0 + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return f"{s}{row0 + 1}"


def read(data: bytes, file_name: str, kind: Kind, probs: Problems) -> RawTable | None:
    """Cells of the data sheet (or the CSV) as a raw frame, or None when the file cannot be read at all."""
    lower = file_name.lower()
    formulas: list[tuple[int, int]] = []
    if lower.endswith(".csv"):
        rows = _read_csv(data, probs)
        sheet = ""
    elif lower.endswith(WORKBOOK_EXT):
        got = _read_workbook(data, kind, probs)
        if got is None:
            return None
        sheet, rows = got
        formulas = _formulas_without_value(data, sheet)
    else:
        probs.error(None, "", f"loại tệp không được hỗ trợ: cần .xlsx hoặc .csv (tệp là '{file_name}')",
                    f"unsupported file type: use .xlsx or .csv (got '{file_name}')", "file_type")
        return None
    if rows is None:
        return None
    return _table(rows, sheet, kind, probs, formulas)


def _formulas_without_value(data: bytes, sheet: str) -> list[tuple[int, int]]:
    """(row0, col0) of the formula cells of an .xlsx/.xlsm sheet that have no saved value (a file written by a
    program, never opened and saved in Excel): the reader sees them as empty."""
    import posixpath
    import xml.etree.ElementTree as ET
    import zipfile

    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        wb = ET.fromstring(z.read("xl/workbook.xml"))
        rid = next(e.get(f"{{{ns['r']}}}id") for e in wb.iterfind("m:sheets/m:sheet", ns) if e.get("name") == sheet)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels if e.get("Id") == rid)
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        xml = z.read(path)
    except Exception:  # noqa: BLE001 - not an OOXML zip (xls, ods, xlsb) or an odd layout: nothing to report
        return []
    if b"<f" not in xml and b":f" not in xml:
        return []  # no formula at all: the common case costs one scan of the bytes
    out = []
    for _ev, el in ET.iterparse(io.BytesIO(xml)):
        if el.tag == f"{{{ns['m']}}}c":
            f, v = el.find("m:f", ns), el.find("m:v", ns)
            if f is not None and (v is None or v.text in (None, "")):
                m = re.fullmatch(r"([A-Z]+)(\d+)", el.get("r") or "")
                if m:
                    col = 0
                    for ch in m.group(1):
                        col = col * 26 + ord(ch) - 64
                    out.append((int(m.group(2)) - 1, col - 1))
            el.clear()
    return out


def _read_csv(data: bytes, probs: Problems) -> list[list] | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        probs.error(None, "", "tệp CSV không ở dạng UTF-8: hãy lưu lại với mã hóa UTF-8",
                    "the CSV file is not UTF-8: save it again as UTF-8", "encoding")
        return None
    if "\x00" in text:
        probs.error(None, "", "tệp không phải CSV văn bản", "the file is not a text CSV", "not_csv")
        return None
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delim)]


def _read_workbook(data: bytes, kind: Kind, probs: Problems) -> tuple[str, list[list]] | None:
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = wb.sheet_names
    except Exception:  # noqa: BLE001 - calamine raises several types for a broken file
        probs.error(None, "", "tệp không phải bảng tính Excel hợp lệ (hỏng hoặc sai định dạng)",
                    "the file is not a valid Excel workbook (damaged or of another format)", "not_workbook")
        return None
    wanted = {norm(kind.sheet_vi), norm(kind.sheet_en)}
    name = next((n for n in names if norm(n) in wanted), None)
    if name is None:
        probs.error(None, "", f"không có trang tính '{kind.sheet_vi}' (có: {', '.join(names)}); hãy dùng mẫu "
                    f"của loại dữ liệu này", f"no sheet '{kind.sheet_vi}' ('{kind.sheet_en}') (found: "
                    f"{', '.join(names)}); use the template of this kind of data", "wrong_sheet")
        return None
    probs.sheet = name
    try:
        sh = wb.get_sheet_by_name(name)
        rows = sh.to_python(skip_empty_area=False)
        merged = sh.merged_cell_ranges or []
    except Exception:  # noqa: BLE001
        probs.error(None, "", "không đọc được trang tính", "the sheet cannot be read", "unreadable_sheet")
        return None
    for (r0, c0), (r1, c1) in merged:
        probs.error(r0 + 1, "", f"ô gộp {_cell_ref(r0, c0)}:{_cell_ref(r1, c1)}: hãy bỏ gộp ô, mỗi ô một giá trị",
                    f"merged cells {_cell_ref(r0, c0)}:{_cell_ref(r1, c1)}: unmerge them, one value per cell", "merged")
    return name, rows


def _blank(v: object) -> bool:
    return v is None or v == "" or (v.__class__ is str and not v.strip())


def _table(rows: list[list], sheet: str, kind: Kind, probs: Problems,
           formulas: list[tuple[int, int]] = ()) -> RawTable | None:
    hmap = _header_map(kind)
    first = next((i for i, r in enumerate(rows) if any(not _blank(v) for v in r)), None)
    if first is None:
        probs.error(None, "", "tệp không có dữ liệu", "the file has no data", "empty_file")
        return None
    header = rows[first]
    cols: dict[int, str] = {}
    for j, h in enumerate(header):
        if _blank(h):
            continue
        key = hmap.get(norm(h))
        if key is None:
            probs.error(first + 1, "", f"cột '{h}' không có trong mẫu", f"column '{h}' is not in the template",
                        "unknown_column")
        elif key in cols.values():
            probs.error(first + 1, key, "cột bị lặp lại", "the column appears twice", "duplicate_column")
        else:
            cols[j] = key
    for c in kind.columns:
        if c.required and c.key not in cols.values():
            probs.error(first + 1, c.key, "thiếu cột bắt buộc", "required column missing", "missing_column")
    start = first + 1
    if start < len(rows):  # the template's second header row (English)
        nxt = rows[start]
        hits = sum(1 for j, k in cols.items() if j < len(nxt) and not _blank(nxt[j]) and hmap.get(norm(nxt[j])) == k)
        if hits and hits >= max(1, len(cols) // 2):
            start += 1
    if probs.errors:
        return None
    for r0, c0 in formulas:
        if r0 >= start and c0 in cols:
            ref = _cell_ref(r0, c0)
            probs.warning(r0 + 1, cols[c0], f"ô {ref}: công thức chưa có giá trị đã lưu — mở tệp trong Excel và lưu "
                          "lại (ô này đang được đọc là trống: giữ giá trị đã công bố trước đó)",
                          f"cell {ref}: a formula without a saved value — open the file in Excel and save it again "
                          "(the cell is read as empty: the previously published value is kept)", "formula_no_value")
    data: dict[str, list] = {k: [] for k in cols.values()}
    rownos: list[int] = []
    last_filled = max((i for i in range(start, len(rows)) if any(not _blank(v) for v in rows[i])), default=start - 1)
    for i in range(start, last_filled + 1):
        r = rows[i]
        if all(_blank(v) for v in r):
            probs.warning(i + 1, "", "dòng trống bị bỏ qua", "empty row skipped", "empty_row")
            continue
        rownos.append(i + 1)
        for j, k in cols.items():
            v = r[j] if j < len(r) else None
            data[k].append(None if v is None or v == "" or (v.__class__ is str and not v.strip()) else v)
    frame = pd.DataFrame(data, dtype=object)
    frame["_row"] = rownos
    if frame.empty:
        probs.error(None, "", "tệp có tiêu đề nhưng không có dòng dữ liệu", "the file has headers but no data rows",
                    "no_rows")
        return None
    return RawTable(sheet, frame, list(cols.values()))
