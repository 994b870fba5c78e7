"""Templates the product hands out (openpyxl): the data sheet with Vietnamese headers and English ones in
a second row, drop-down lists for codes and levels, a sheet explaining each column (VI + EN) and a
sheet of codes. CSV files with the same columns (either header row) are accepted too.
"""
from __future__ import annotations

import io
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import text
from sqlalchemy.engine import Engine

from .spec import SCHOOL_LEVELS, Kind, spec

HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
EN_FILL = PatternFill("solid", fgColor="DDEBF7")
MAX_ROWS = 60000  # rows covered by the drop-down lists

TYPE_NAMES = {"code": ("Mã", "Code"), "text": ("Chữ", "Text"), "count": ("Số nguyên ≥ 0", "Whole number ≥ 0"),
              "flag": ("1/0", "1/0"), "score": ("Điểm 0–100", "Score 0–100"), "level": ("Mức 1–3", "Level 1–3"),
              "year": ("Năm học", "School year"), "float": ("Số", "Number"), "date": ("Ngày", "Date"),
              "choice": ("Danh mục", "List")}


def _codes(engine: Engine | None) -> dict[str, list[tuple[str, str]]]:
    """Province, district and indicator codes from the store (empty lists when there is no store)."""
    out: dict[str, list[tuple[str, str]]] = {"province": [], "district": [], "indicator": []}
    try:
        from .batches import engine_for

        with engine_for(engine).connect() as con:
            out["province"] = [tuple(r) for r in con.execute(text(
                "SELECT code, name FROM admin_unit WHERE level = 'province' ORDER BY code"))]
            out["district"] = [tuple(r) for r in con.execute(text(
                "SELECT code, fullname || ' (' || parent_code || ')' FROM admin_unit WHERE level = 'district' "
                "AND code NOT LIKE '%-%' ORDER BY code"))]
            out["indicator"] = [tuple(r) for r in con.execute(text(
                "SELECT code, name_vi FROM indicator ORDER BY code"))]
    except Exception:  # noqa: BLE001 - a template without store-backed lists is still a valid template
        pass
    return out


def _list_validation(ws, col: int, ref: str, prompt_vi: str) -> None:  # noqa: ANN001
    dv = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True,
                        errorTitle="Giá trị không hợp lệ / Invalid value",
                        error="Chọn một giá trị trong danh sách. / Pick a value from the list.",
                        promptTitle="Chọn / Pick", prompt=prompt_vi)
    letter = get_column_letter(col)
    dv.add(f"{letter}3:{letter}{MAX_ROWS}")
    ws.add_data_validation(dv)


def build_workbook(kind: str, *, rows: Iterable[dict] = (), engine: Engine | None = None,
                   note_lines: list[str] | None = None) -> Workbook:
    """The template of `kind`, optionally filled with `rows` (dicts keyed by column key) and a note sheet."""
    k: Kind = spec(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = k.sheet_vi
    for j, c in enumerate(k.columns, start=1):
        h1 = ws.cell(row=1, column=j, value=c.vi + (" *" if c.required else ""))
        h1.font, h1.fill = Font(bold=True, color="FFFFFF"), HEAD_FILL
        h1.alignment = Alignment(wrap_text=True, vertical="center")
        h2 = ws.cell(row=2, column=j, value=c.en + (" *" if c.required else ""))
        h2.font, h2.fill = Font(italic=True), EN_FILL
        h2.alignment = Alignment(wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = max(12, min(34, len(c.vi) + 4))
    ws.freeze_panes = "B3"
    ws.row_dimensions[1].height = 32
    # lists for the drop-downs
    codes = _codes(engine)
    lst = wb.create_sheet("Danh mục")
    lst["A1"], lst["B1"] = "Danh mục / Code list", ""
    col_no = 1
    refs: dict[str, str] = {}

    def put(name: str, values: list[tuple[str, str]]) -> None:
        nonlocal col_no
        if not values:
            return
        lst.cell(row=2, column=col_no, value=name).font = Font(bold=True)
        for i, (code, label) in enumerate(values, start=3):
            lst.cell(row=i, column=col_no, value=code)
            lst.cell(row=i, column=col_no + 1, value=label)
        letter = get_column_letter(col_no)
        refs[name] = f"'Danh mục'!${letter}$3:${letter}${len(values) + 2}"
        col_no += 3

    put("level", [(c, f"{vi} / {en}") for c, (vi, en) in SCHOOL_LEVELS.items()])
    put("province_code", codes["province"])
    put("district_code", codes["district"])
    put("indicator", codes["indicator"])
    for j, c in enumerate(k.columns, start=1):
        if c.key in refs and (c.key != "level" or k.key == "register"):
            _list_validation(ws, j, refs[c.key], c.help_vi)
        elif c.choices:
            _list_validation(ws, j, '"' + ",".join(c.choices) + '"', c.help_vi)
        elif c.key == "unit_code" and "district_code" in refs:
            pass  # a province or a district: free text, checked on upload
    # explanations
    ex = wb.create_sheet("Hướng dẫn", 1)
    ex.append([f"{k.title_vi} / {k.title_en}"])
    ex["A1"].font = Font(bold=True, size=13)
    ex.append(["Điền dữ liệu từ dòng 3 của trang tính '" + k.sheet_vi + "'. Cột có dấu * là bắt buộc. Số viết kiểu "
               "Việt Nam (1.234,5) hoặc kiểu máy (1234.5) đều được. Không gộp ô, không thêm cột. Có thể lưu thành "
               "CSV (UTF-8) với cùng tên cột."])
    ex.append(["Fill in the data from row 3 of the sheet '" + k.sheet_vi + "'. Columns marked * are required. "
               "Numbers in Vietnamese (1.234,5) or machine form (1234.5) are both read. Do not merge cells or add "
               "columns. The same columns may be saved as CSV (UTF-8)."])
    ex.append([])
    ex.append(["Cột (VI)", "Column (EN)", "Khóa / key", "Bắt buộc / required", "Kiểu / type",
               "Giải thích", "Explanation"])
    for cell in ex[5]:
        cell.font = Font(bold=True)
    for c in k.columns:
        tvi, ten = TYPE_NAMES[c.type]
        ex.append([c.vi, c.en, c.key, "có / yes" if c.required else "không / no", f"{tvi} / {ten}", c.help_vi,
                   c.help_en])
    for letter, w in zip("ABCDEFG", (30, 30, 18, 14, 20, 60, 60)):
        ex.column_dimensions[letter].width = w
    for r in rows:
        ws.append([r.get(c.key) for c in k.columns])
    if note_lines:
        note = wb.create_sheet("Ghi chú", 0)
        for line in note_lines:
            note.append([line])
        note["A1"].font = Font(bold=True, size=14, color="C00000")
        note.column_dimensions["A"].width = 120
        wb.active = wb.sheetnames.index(k.sheet_vi)
    return wb


def template_bytes(kind: str, *, engine: Engine | None = None) -> bytes:
    """The empty template as .xlsx bytes (for the page's download button)."""
    buf = io.BytesIO()
    build_workbook(kind, engine=engine).save(buf)
    return buf.getvalue()


def csv_header(kind: str) -> str:
    """Header line of the CSV form (Vietnamese headers; English or keys are read too)."""
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerow([c.vi for c in spec(kind).columns])
    return buf.getvalue()
