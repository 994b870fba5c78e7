"""CSV downloads people can read: column headers in the chosen language instead of field names, values rounded
as the page shows them, codes of data kinds in words; and every CSV guarded against formula injection.

`human_frame(df, lang)` is what a chart's CSV button downloads. `guard_formulas(df)` puts an apostrophe before a
text cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return);
numbers stay numbers. `render.frame_csv` applies it to every CSV the product writes.
"""
from __future__ import annotations

import pandas as pd

from ..i18n import register, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

register({
    "csv_schools": {"vi": "Số trường", "en": "Schools"},
    "csv_students": {"vi": "Học sinh", "en": "Students"},
    "csv_kind": {"vi": "Loại dữ liệu", "en": "Kind of data"},
    "csv_note": {"vi": "Ghi chú", "en": "Note"},
    "csv_year": {"vi": "Năm", "en": "Year"},
    "csv_value": {"vi": "Giá trị", "en": "Value"},
    "csv_lower": {"vi": "Cận dưới", "en": "Lower bound"},
    "csv_upper": {"vi": "Cận trên", "en": "Upper bound"},
    "csv_series": {"vi": "Chuỗi số liệu", "en": "Series"},
    "csv_pc_teaching": {"vi": "Máy tính dạy học", "en": "Teaching computers"},
    "csv_pc_informatics": {"vi": "Máy tính phòng tin học", "en": "Computers in informatics rooms"},
    "csv_general_schools": {"vi": "Số trường phổ thông", "en": "General schools"},
    "csv_dx_l1": {"vi": "Mức 1 (QĐ 4725)", "en": "Level 1 (Decision 4725)"},
    "csv_dx_l2": {"vi": "Mức 2 (QĐ 4725)", "en": "Level 2 (Decision 4725)"},
    "csv_dx_l3": {"vi": "Mức 3 (QĐ 4725)", "en": "Level 3 (Decision 4725)"},
    "csv_published": {"vi": "Công bố", "en": "Published"},
    "csv_imported": {"vi": "Dữ liệu nhập", "en": "Imported"},
    "csv_rank": {"vi": "Hạng", "en": "Rank"},
    "csv_name": {"vi": "Tên", "en": "Name"},
    "csv_code": {"vi": "Mã", "en": "Code"},
})

# field → header key (t) for the columns the pages hand to their charts
HEADERS = {
    "district_name": "district", "province_name": "province", "indicator_name": "indicator", "level": "level",
    "schools": "csv_schools", "students": "csv_students", "provenance": "csv_kind", "nhan": "csv_note",
    "year": "csv_year", "value": "csv_value", "lower": "csv_lower", "upper": "csv_upper", "series": "csv_series",
    "pc_teaching": "csv_pc_teaching", "pc_informatics": "csv_pc_informatics", "general_schools": "csv_general_schools",
    "dx_l1": "csv_dx_l1", "dx_l2": "csv_dx_l2", "dx_l3": "csv_dx_l3", "rank": "csv_rank", "name": "csv_name",
    "code": "csv_code", "source_title": "source", "section": "section", "status": "status",
}
DROP = {"district_code", "province_code", "indicator_code", "series_id", "school_id", "unit_code", "source_id"}
KINDS = {"simulated": "simulated", "published": "csv_published", "imported": "csv_imported"}


def guard_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading apostrophe (text fields only)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = [("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in out[col]]
    return out


def _header(col: str, lang: str) -> str:
    from ..rollups import METRIC_NAMES  # noqa: PLC0415 - the metric names the charts show

    if col in METRIC_NAMES:
        return METRIC_NAMES[col][lang]
    if col in HEADERS:
        return t(HEADERS[col], lang)
    return col


def human_frame(df: pd.DataFrame, lang: str, decimals: int = 1) -> pd.DataFrame:
    """The chart's data as a reader sees it: internal codes dropped, headers in `lang`, data kinds in words,
    fractional numbers rounded to `decimals` (as on screen), whole numbers kept whole."""
    from ..i18n import level_name  # noqa: PLC0415

    out = df.drop(columns=[c for c in df.columns if c in DROP], errors="ignore").copy()
    for col in out.columns:
        s = out[col]
        if col == "provenance":
            out[col] = [t(KINDS[v], lang) if v in KINDS else v for v in s]
        elif col == "nhan":
            out[col] = t("simulated", lang)
        elif col == "level":
            out[col] = [level_name(v, lang) if isinstance(v, str) and v != "ALL" else v for v in s]
        elif pd.api.types.is_float_dtype(s):
            whole = s.dropna().apply(float.is_integer).all() if s.notna().any() else True
            out[col] = s.round(0).astype("Int64") if whole else s.round(decimals)
    return out.rename(columns={c: _header(c, lang) for c in out.columns})
