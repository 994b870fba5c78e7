"""Cell conversion of an uploaded table: every cell to its column's type (numbers in Vietnamese or machine
form, 0/1 flags, school years, dates, codes with their leading zeros); a cell that cannot be converted
becomes None and an error naming its row and column. Fast paths keep 50.000 × 20 cells to a few seconds."""
from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

import pandas as pd

from .reader import RawTable, norm
from .spec import FLAG_FALSE, FLAG_TRUE, OWNERSHIP, Kind, Problems, parse_number, parse_school_year

CODE_WIDTH = {"province_code": 2, "district_code": 3, "commune_code": 5}
DECIMAL_ONLY = {"lat", "lon"}  # coordinates: a dot or a comma is always the decimal point (10.456 = 10,456)


def _decimal(v: object) -> float:
    """A coordinate typed as text: one '.' or one ',' is the decimal point; anything else is not a number."""
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if s.count(".") + s.count(",") > 1:
        raise ValueError(s)
    return float(parse_number(s.replace(".", ",")) if "." in s else parse_number(s))


def _show(v: object) -> str:
    s = str(v)
    return s if len(s) <= 40 else s[:37] + "…"


def convert(raw: RawTable, kind: Kind, probs: Problems) -> pd.DataFrame:
    """Typed columns; a cell that cannot be converted becomes NaN/None and an error."""
    f = raw.frame
    rows = f["_row"].tolist()
    out = pd.DataFrame({"_row": rows})
    for col in kind.columns:
        if col.key not in f.columns:
            out[col.key] = None
            continue
        vals = f[col.key].tolist()
        conv: list = [None] * len(vals)
        t = col.type
        if t in ("count", "float", "score", "level", "flag"):
            _fast(vals, conv, t)  # Excel numbers and plain 0/1: no per-cell parsing
        for i, v in enumerate(vals):
            if v is None or conv[i] is not None:
                continue
            try:
                if t in ("count", "float", "score", "level"):
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        x = float(v)
                    else:
                        x = _decimal(v) if col.key in DECIMAL_ONLY else parse_number(v)
                        probs.typed[(col.key, rows[i])] = _show(v)
                    if x is not None and not math.isfinite(x):
                        probs.error(rows[i], col.key, f"'{_show(v)}' không phải là một số hữu hạn",
                                    f"'{_show(v)}' is not a finite number", "not_finite")
                        continue
                    if t in ("count", "level") and x is not None and not float(x).is_integer():
                        probs.error(rows[i], col.key, f"'{_show(v)}' không phải số nguyên",
                                    f"'{_show(v)}' is not a whole number", "not_integer")
                        continue
                    conv[i] = x
                elif t == "flag":
                    s = norm(v.strip() if isinstance(v, str) else (int(v) if isinstance(v, float) and v.is_integer()
                                                                   else v))
                    if s in FLAG_TRUE:
                        conv[i] = 1
                    elif s in FLAG_FALSE:
                        conv[i] = 0
                    else:
                        probs.error(rows[i], col.key, f"'{_show(v)}' không hợp lệ: ghi 1 (có) hoặc 0 (không)",
                                    f"'{_show(v)}' is not valid: write 1 (yes) or 0 (no)", "not_flag")
                elif t == "year":
                    conv[i] = _year(v)
                elif t == "date":
                    conv[i] = _date(v)
                elif t == "code":
                    if isinstance(v, float) and v.is_integer():
                        v = int(v)
                    s = str(v).strip()
                    if col.key in CODE_WIDTH and s.isdigit():
                        s = s.zfill(CODE_WIDTH[col.key])
                    conv[i] = s
                elif t == "choice" and col.key == "public":
                    s = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
                    m = {norm(k): x for k, x in OWNERSHIP.items()}
                    if norm(s) not in m:
                        probs.error(rows[i], col.key, f"'{_show(v)}' không hợp lệ: ghi Công lập hoặc Tư thục",
                                    f"'{_show(v)}' is not valid: write Công lập (public) or Tư thục (private)",
                                    "bad_choice")
                        continue
                    conv[i] = m[norm(s)]
                else:  # text, choice
                    s = str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()
                    conv[i] = s
            except ValueError:
                if t == "year":
                    vi, en = (f"'{_show(v)}' không phải năm học (ví dụ 2024-2025)",
                              f"'{_show(v)}' is not a school year (e.g. 2024-2025)")
                elif t == "date":
                    vi, en = (f"'{_show(v)}' không phải ngày (dd/mm/yyyy)", f"'{_show(v)}' is not a date (dd/mm/yyyy)")
                elif t == "level":
                    vi, en = (f"'{_show(v)}' không phải mức hợp lệ: ghi 1, 2 hoặc 3",
                              f"'{_show(v)}' is not a valid level: write 1, 2 or 3")
                elif col.key in DECIMAL_ONLY:
                    vi, en = (f"'{_show(v)}' không phải là số (ghi độ thập phân, ví dụ 10,4567 hoặc 10.4567)",
                              f"'{_show(v)}' is not a number (write decimal degrees, e.g. 10.4567 or 10,4567)")
                else:
                    vi, en = (f"'{_show(v)}' không phải là số (viết 1.234,5 hoặc 1234.5)",
                              f"'{_show(v)}' is not a number (write 1.234,5 or 1234.5)")
                probs.error(rows[i], col.key, vi, en, "not_number" if t not in ("year", "date") else f"bad_{t}")
        out[col.key] = pd.Series(conv, dtype=object)
    return out


@lru_cache(maxsize=256)
def _year(v: object) -> int:
    return parse_school_year(v)


_FLAG_FAST = {1: 1, 0: 0, "1": 1, "0": 0}


def _fast(vals: list, conv: list, t: str) -> None:
    """Convert the cells that need no parsing in place (float/int cells; flags 0/1); the rest stay None."""
    if t == "flag":
        for i, v in enumerate(vals):
            if v is not None and v.__class__ is not bool:
                x = _FLAG_FAST.get(v)
                if x is not None:
                    conv[i] = x
        return
    whole = t in ("count", "level")
    for i, v in enumerate(vals):
        cls = v.__class__
        if cls is float or cls is int:
            if v - v != 0:  # inf or nan: reported by the slow path
                continue
            if whole and v != int(v):
                continue  # reported by the slow path
            conv[i] = v


def _date(v: object) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise ValueError(s)
