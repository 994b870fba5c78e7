"""The national overview's queries: every province ranked on the headline school indicators, in SQL.

One GROUP BY over one school year of the school-year mart (index ix_sy_year_province) gives numerators and
denominators per province as the schools report it (the former province before 7/2025, as the shipped store
and the intake key schools); for the current geography a second GROUP BY over those few rows sums them into
the 34 current provinces through `unit_former.current_province_code` (issue 12's unit tables). Shares are
computed from summed counts, never averaged; a current province whose former provinces did not all report
says so (parts_reporting / parts_total). Imported rows win over simulated ones per province and school year,
and a published Decision 4725 self-assessment over the simulated level, as in dashboard.rollups.
"""
from __future__ import annotations

import pandas as pd
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from ..querybase import _df, _engine

# Headline indicators of the national page: key → (numerator, denominator, unit). Shares of schools are
# over the schools the measure applies to (NULL = not applicable), computers over the pupils of the schools
# whose computers are counted.
INDICATORS = {
    "dx_ge2": ("dx_ge2_k", "dx_n", "pct"),
    "dx_3": ("dx_3_k", "dx_n", "pct"),
    "fibre": ("fibre_k", "fibre_n", "pct"),
    "pc_per_100": ("pc", "pc_students", "per100"),
    "e_gradebook": ("e_gradebook_k", "e_gradebook_n", "pct"),
    "e_transcript": ("e_transcript_k", "e_transcript_n", "pct"),
    "learners_digital": ("learners_digital_k", "learners_n", "pct"),
}
COUNTS = ("schools", "imported", "dx_n", "dx_ge2_k", "dx_3_k", "fibre_n", "fibre_k", "pc", "pc_students",
          "e_gradebook_n", "e_gradebook_k", "e_transcript_n", "e_transcript_k", "learners_digital_k", "learners_n")

_PER_PROVINCE = """
SELECT sy.province_code AS code,
       COUNT(*) AS schools,
       SUM(CASE WHEN sy.batch_id IS NOT NULL THEN 1 ELSE 0 END) AS imported,
       COUNT({dx}) AS dx_n,
       SUM(CASE WHEN {dx} >= 2 THEN 1 ELSE 0 END) AS dx_ge2_k,
       SUM(CASE WHEN {dx} = 3 THEN 1 ELSE 0 END) AS dx_3_k,
       COUNT(sy.fibre) AS fibre_n, SUM(sy.fibre) AS fibre_k,
       SUM(CASE WHEN sy.pc_teaching IS NOT NULL THEN sy.pc_teaching + COALESCE(sy.pc_informatics, 0) END) AS pc,
       SUM(CASE WHEN sy.pc_teaching IS NOT NULL THEN sy.students END) AS pc_students,
       COUNT(sy.e_gradebook) AS e_gradebook_n, SUM(sy.e_gradebook) AS e_gradebook_k,
       COUNT(sy.e_transcript) AS e_transcript_n, SUM(sy.e_transcript) AS e_transcript_k,
       SUM(CASE WHEN sy.learners_digital IS NOT NULL THEN sy.learners_digital END) AS learners_digital_k,
       SUM(CASE WHEN sy.learners_digital IS NOT NULL THEN sy.students END) AS learners_n
FROM school_year sy {join}
WHERE sy.school_year = :y
  AND (sy.batch_id IS NOT NULL OR sy.province_code NOT IN (
       SELECT i.province_code FROM school_year i WHERE i.batch_id IS NOT NULL AND i.school_year = :y))
GROUP BY sy.province_code"""


def has_current_units(engine: Engine | None = None) -> bool:
    """The store has issue 12's unit tables (current provinces and the former → current map) filled."""
    eng = _engine(engine)
    if not {"unit_former", "unit_current"} <= set(inspect(eng).get_table_names()):
        return False
    return not _df("SELECT 1 AS x FROM unit_former WHERE level = 'province' LIMIT 1", engine=eng).empty


def school_years(engine: Engine | None = None) -> list[int]:
    """School years with school data: a loose index scan (one index seek per year, not a scan of the mart)."""
    return _df("""WITH RECURSIVE y(v) AS (
                      SELECT MIN(school_year) FROM school_year
                      UNION ALL
                      SELECT (SELECT MIN(s.school_year) FROM school_year s WHERE s.school_year > y.v) FROM y
                      WHERE y.v IS NOT NULL)
                  SELECT v AS school_year FROM y WHERE v IS NOT NULL ORDER BY v""",
               engine=engine)["school_year"].astype(int).tolist()


def provinces_with_school_data(engine: Engine | None = None) -> int:
    """0, 1, or 2 for two or more provinces (as the schools report them) with school-year rows: the page is in
    the navigation from two on. MIN and MAX of an indexed column: two index seeks, on every app run."""
    row = _df("SELECT (SELECT MIN(province_code) FROM school_year) AS a, "
              "(SELECT MAX(province_code) FROM school_year) AS b", engine=engine).iloc[0]
    return 0 if row["a"] is None else (1 if row["a"] == row["b"] else 2)


def _per_province_sql(with_assessments: bool) -> str:
    if with_assessments:
        return _PER_PROVINCE.format(dx="COALESCE(a.dx_level, sy.dx_level)", join=(
            "LEFT JOIN intake_assessment a ON a.school_id = sy.school_id AND a.school_year = sy.school_year"))
    return _PER_PROVINCE.format(dx="sy.dx_level", join="")


def _has_assessments(school_year: int, engine: Engine | None) -> bool:
    return not _df("SELECT 1 AS x FROM intake_assessment WHERE school_year = :y LIMIT 1", {"y": school_year},
                   engine).empty


def ranking(school_year: int, geography: str = "current",
            engine: Engine | None = None) -> pd.DataFrame:
    """One row per province with school data in `school_year`: code, name, counts (COUNTS), parts_reporting,
    parts_total, provenance ('simulated' | 'imported' | 'mixed'), and each indicator of INDICATORS as a value
    (share in %, or computers per 100 pupils). geography 'current' (34 provinces since 7/2025; needs the unit
    tables) or 'former' (as reported: the provinces before 7/2025)."""
    inner = _per_province_sql(_has_assessments(school_year, engine))
    sums = ", ".join(f"SUM(p.{c}) AS {c}" for c in COUNTS)
    if geography == "current":
        # MATERIALIZED: aggregate first, then join the ~60 rows (PostgreSQL otherwise re-ran the aggregate for
        # each former province in a nested loop: 9 s instead of 0,2 s on the national store)
        sql = f"""WITH per AS MATERIALIZED ({inner}),
        parts AS (SELECT current_province_code AS code, COUNT(*) AS parts_total FROM unit_former
                  WHERE level = 'province' GROUP BY current_province_code)
        SELECT u.current_province_code AS code, c.name, c.fullname, COUNT(*) AS parts_reporting,
               MAX(pt.parts_total) AS parts_total, {sums}
        FROM per p JOIN unit_former u ON u.code = p.code AND u.level = 'province'
        JOIN unit_current c ON c.code = u.current_province_code
        JOIN parts pt ON pt.code = u.current_province_code
        GROUP BY u.current_province_code, c.name, c.fullname"""
    else:
        sql = f"""WITH per AS ({inner})
        SELECT p.code, COALESCE(a.name, p.code) AS name, COALESCE(a.fullname, p.code) AS fullname,
               1 AS parts_reporting, 1 AS parts_total, {", ".join(f"p.{c}" for c in COUNTS)}
        FROM per p LEFT JOIN admin_unit a ON a.code = p.code AND a.level = 'province'"""
    df = _df(sql, {"y": school_year}, engine)
    for c in COUNTS:
        df[c] = pd.to_numeric(df[c], errors="coerce").fillna(0)
    for key, (num, den, unit) in INDICATORS.items():
        df[key] = (100.0 * df[num] / df[den].where(df[den] > 0)).astype(float)
    df["provenance"] = ["simulated" if i == 0 else ("imported" if i == s else "mixed")
                        for i, s in zip(df["imported"], df["schools"])]
    df["complete"] = df["parts_reporting"] >= df["parts_total"]
    return df.sort_values("name").reset_index(drop=True)


def missing_parts(school_year: int, engine: Engine | None = None) -> pd.DataFrame:
    """Former provinces without school data in `school_year` whose current province has some:
    current_code, former_name (for 'Cần Thơ: Sóc Trăng has no data')."""
    return _df("""WITH rep AS (SELECT DISTINCT province_code AS code FROM school_year WHERE school_year = :y),
                  cur AS (SELECT DISTINCT u.current_province_code AS code FROM unit_former u
                          JOIN rep ON rep.code = u.code WHERE u.level = 'province')
                  SELECT u.current_province_code AS current_code, u.name AS former_name FROM unit_former u
                  JOIN cur ON cur.code = u.current_province_code
                  WHERE u.level = 'province' AND u.code NOT IN (SELECT code FROM rep)
                  ORDER BY u.current_province_code, u.name""", {"y": school_year}, engine)


def overall(df: pd.DataFrame, indicator: str) -> float | None:
    """The all-province value of an indicator on a ranking: summed numerators over summed denominators."""
    num, den, _ = INDICATORS[indicator]
    d = float(df[den].sum())
    return 100.0 * float(df[num].sum()) / d if d > 0 else None


def store_note(engine: Engine | None = None) -> str | None:
    """The build_info note of a national scale-test store (None for any other store)."""
    df = _df("SELECT value FROM build_info WHERE key = 'national_store'", engine=engine)
    return None if df.empty else str(df["value"].iloc[0])
