"""Intake workbooks from the national store, for the import benchmark (SIMULATED data, marked as such).

The intake takes one province per file and refuses school-year rows for simulated (build-owned) schools, so a
province's simulated schools are written as a school register under new codes (the store code + '-NK') and a
school-year workbook of one school year with the store's values, both with the intake's own template
(dashboard.intake.template.build_workbook, openpyxl). Import them with `python -m dashboard import`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy.engine import Engine

from ..intake.spec import spec
from ..intake.template import build_workbook
from ..querybase import _df
from ..rollups import FLAGS
from .generate import NOTE

SUFFIX = "-NK"
NOTE_LINES = ["DỮ LIỆU MÔ PHỎNG — SIMULATED DATA", NOTE,
              "Tệp thử tải cho lệnh nhập liệu, sinh từ kho thử tải quốc gia; không phải số liệu của trường nào.",
              "A load-test file for the intake command, written from the national scale-test store; no school's data."]


def largest_province(school_year: int, engine: Engine | None = None) -> str:
    """The (former) province with the most simulated school rows in `school_year`."""
    return str(_df("""SELECT province_code, COUNT(*) AS n FROM school_year WHERE school_year = :y AND batch_id IS NULL
                      GROUP BY province_code ORDER BY n DESC, province_code LIMIT 1""", {"y": school_year},
                   engine)["province_code"].iloc[0])


def province_rows(province: str, school_year: int, engine: Engine | None = None) -> pd.DataFrame:
    """The province's simulated schools with their row of `school_year` (one province: a few thousand rows)."""
    cols = ", ".join(f"sy.{c}" for c in ("students", "teachers", "pc_teaching", "pc_management", "pc_informatics",
                                           "learners_digital", "teachers_digital", *FLAGS))
    return _df(f"""SELECT s.code, s.name, s.level, s.is_public, s.province_code, s.district_code, {cols}
                   FROM school s JOIN school_year sy ON sy.school_id = s.id AND sy.school_year = :y
                   WHERE s.province_code = :p AND s.batch_id IS NULL AND s.provenance = 'simulated'
                   ORDER BY s.code""", {"p": province, "y": school_year}, engine)


def write(out_dir: Path, *, province: str | None = None, school_year: int = 2025,
          engine: Engine | None = None) -> dict[str, object]:
    """Write register and school-year workbooks of one province; returns their paths, province and row count."""
    province = province or largest_province(school_year, engine)
    df = province_rows(province, school_year, engine)
    codes = df["code"] + SUFFIX
    names = df["name"] + " (nhập thử)"
    register = [{"school_code": c, "name": n, "level": lv, "public": "Công lập" if pub else "Tư thục",
                 "province_code": p, "district_code": d}
                for c, n, lv, pub, p, d in zip(codes, names, df["level"], df["is_public"], df["province_code"],
                                               df["district_code"])]
    keys = [c.key for c in spec("school_year").columns]
    values = df.astype(object).where(df.notna(), None)
    year_rows = [{**{k: r.get(k) for k in keys if k in values.columns}, "school_code": c, "school_name": n,
                  "school_year": f"{school_year}-{school_year + 1}"}
                 for c, n, r in zip(codes, names, values.to_dict("records"))]
    out_dir = Path(out_dir)
    paths = {"register": out_dir / f"national_{province}_register.xlsx",
             "school_year": out_dir / f"national_{province}_{school_year}_school_year.xlsx"}
    build_workbook("register", rows=register, engine=engine, note_lines=NOTE_LINES).save(paths["register"])
    build_workbook("school_year", rows=year_rows, engine=engine, note_lines=NOTE_LINES).save(paths["school_year"])
    return {**paths, "province": province, "rows": len(df)}
