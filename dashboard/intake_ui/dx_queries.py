"""Decision 4725 levels for the page (SQL → DataFrame; no Streamlit).

A province and school year with published self-assessments (intake_assessment) shows only those; otherwise
the simulated school_year.dx_level (build-owned rows), unless the province and year have imported school
rows, for which no simulated value is shown (imported wins over simulated, as in dashboard.rollups).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from ..queries import _df
from ..units.queries import commune_clause, commune_params

_ROWS = """
WITH imp AS (SELECT DISTINCT school_year FROM intake_assessment WHERE province_code = :p),
     isy AS (SELECT DISTINCT school_year FROM school_year WHERE province_code = :p AND batch_id IS NOT NULL),
     r AS (
  SELECT a.school_id, a.school_year, a.district_code, s.commune_code, s.batch_id AS school_batch, s.level,
         a.dx_level, 'imported' AS source
  FROM intake_assessment a JOIN school s ON s.id = a.school_id
  WHERE a.province_code = :p AND a.dx_level IS NOT NULL
  UNION ALL
  SELECT sy.school_id, sy.school_year, sy.district_code, s.commune_code, s.batch_id AS school_batch, sy.level,
         sy.dx_level, 'simulated' AS source
  FROM school_year sy JOIN school s ON s.id = sy.school_id
  WHERE sy.province_code = :p AND sy.batch_id IS NULL AND sy.dx_level IS NOT NULL
    AND sy.school_year NOT IN (SELECT school_year FROM imp) AND sy.school_year NOT IN (SELECT school_year FROM isy))
"""
_FILTER = ("(:all_levels OR r.level IN :levels) AND (:all_d OR r.district_code IN :ds) AND "
           + commune_clause("r.school_id"))  # current communes (from 7/2025): schools placed in them
NO_COMMUNE = {"vi": "(không ghi xã)", "en": "(commune not given)"}
# Schools whose district is not given: one group of level_shares(by="district"), which the page draws apart, never
# as a district (a chart bar or a row of the table by district)
NO_DISTRICT = {"vi": "(không ghi huyện)", "en": "(district not given)"}
# A school's commune code is read in its own geography: a registered (intake) school gives its current commune
# (from 7/2025, unit_current; the codes of former and current communes overlap), a seed school its former commune
# (admin_unit). An unknown code is shown as the code; schools without one are grouped apart.
GROUPS = {"district": "COALESCE(u.fullname, :unknown)", "level": "r.level", "province": "'ALL'",
          "commune": "COALESCE(CASE WHEN r.school_batch IS NULL THEN cu.fullname ELSE uc.fullname END, r.commune_code, "
                     ":unknown_c)"}


def _params(province: str, levels: Sequence[str], districts_: Sequence[str], lang: str,
            communes_: Sequence[str] = ()) -> dict:
    return {"p": province, "all_levels": not levels, "levels": list(levels) or [""], "all_d": not districts_,
            "ds": list(districts_) or [""], **commune_params(communes_),
            "unknown": NO_DISTRICT["en" if lang == "en" else "vi"],
            "unknown_c": NO_COMMUNE["en" if lang == "en" else "vi"]}


def level_shares(province: str, *, by: str = "province", levels: Sequence[str] = (),
                 districts_: Sequence[str] = (), lang: str = "vi", communes_: Sequence[str] = (),
                 engine: Engine | None = None) -> pd.DataFrame:
    """Schools per level by `by` ('province' | 'district' | 'commune' | 'level') and school year: school_year, group,
    source ('imported' | 'simulated'), schools, l1, l2, l3, pct_l1, pct_l2, pct_l3."""
    grp = GROUPS[by]
    df = _df(f"""{_ROWS}
        SELECT * FROM (SELECT r.school_year, {grp} AS grp, r.source, COUNT(*) AS schools,
               SUM(CAST(r.dx_level = 1 AS INTEGER)) AS l1, SUM(CAST(r.dx_level = 2 AS INTEGER)) AS l2,
               SUM(CAST(r.dx_level = 3 AS INTEGER)) AS l3
        FROM r LEFT JOIN admin_unit u ON u.code = r.district_code LEFT JOIN admin_unit cu ON cu.code = r.commune_code
             LEFT JOIN unit_current uc ON uc.code = r.commune_code AND uc.level = 'commune'
        WHERE {_FILTER}
        GROUP BY r.school_year, grp, r.source) g ORDER BY g.school_year, g.grp IN (:unknown, :unknown_c), g.grp""",
             _params(province, levels, districts_, lang, communes_), engine, expanding=("levels", "ds", "cc"))
    for n in (1, 2, 3):
        df[f"pct_l{n}"] = 100.0 * df[f"l{n}"] / df["schools"].where(df["schools"] > 0)
    return df.rename(columns={"grp": "group"})


def simulated_schools(province: str, school_year: int, *, levels: Sequence[str] = (),
                      districts_: Sequence[str] = (), communes_: Sequence[str] = (),
                      engine: Engine | None = None) -> pd.DataFrame:
    """The simulated level of each school of a year: school_code, school_name, level, district_name, dx_level."""
    return _df(f"""SELECT s.code AS school_code, s.name AS school_name, r.level, u.fullname AS district_name,
                          r.dx_level
        FROM school_year r JOIN school s ON s.id = r.school_id LEFT JOIN admin_unit u ON u.code = r.district_code
        WHERE r.province_code = :p AND r.school_year = :y AND r.batch_id IS NULL AND r.dx_level IS NOT NULL
          AND {_FILTER}
        ORDER BY u.fullname, r.level, s.name""",
               {**_params(province, levels, districts_, "vi", communes_), "y": school_year}, engine,
               expanding=("levels", "ds", "cc"))


def assessment_batches(province: str, school_year: int, *, engine: Engine | None = None) -> pd.DataFrame:
    """The published batches whose assessments a province and year show: id, file_name, approved_at, approved_by."""
    return _df("""SELECT b.id, b.file_name, b.approved_at, b.approved_by FROM intake_batch b
                  WHERE b.id IN (SELECT DISTINCT batch_id FROM intake_assessment
                                 WHERE province_code = :p AND school_year = :y)
                  ORDER BY b.approved_at""", {"p": province, "y": school_year}, engine)


def published_levels(province: str, *, engine: Engine | None = None) -> pd.DataFrame:
    """Decision 4725 level distributions printed in documents (indicator DX_MATURITY_LEVEL_PCT) with their
    source: breakdown, period, value, numerator, denominator, printed, source_title, section, quote."""
    return _df("""SELECT o.breakdown, o.level, o.period, o.value, o.numerator, o.denominator, o.printed,
                         COALESCE(s.short_title_vi, s.title) AS source_title, o.section, o.quote
                  FROM observation o LEFT JOIN source s ON s.id = o.source_id
                  WHERE o.indicator_code = 'DX_MATURITY_LEVEL_PCT' AND o.unit_code = :p
                  ORDER BY o.period, o.breakdown""", {"p": province}, engine)


def province_targets(province: str, *, engine: Engine | None = None) -> pd.DataFrame:
    """The province's own targets on the Decision 4725 levels (none in today's documents)."""
    return _df("""SELECT t.year, t.breakdown, t.value, t.qualifier, t.printed, t.source_id, t.section, t.quote
                  FROM target t WHERE t.indicator_code = 'DX_MATURITY_LEVEL_PCT' AND t.scope_code = :p
                  ORDER BY t.year""", {"p": province}, engine)


def located_schools(province: str, *, engine: Engine | None = None) -> pd.DataFrame:
    """Every school of a province with coordinates and its Decision 4725 level in its newest school year with
    one (published self-assessments where the year has them, else the simulated level): code, name, level,
    district_name, lat, lon, location_precision, school_year, dx_level, source."""
    return _df(f"""{_ROWS},
        newest AS (SELECT school_id, school_year, dx_level, source,
                          ROW_NUMBER() OVER (PARTITION BY school_id ORDER BY school_year DESC) AS k FROM r)
        SELECT s.code, s.name, s.level, u.fullname AS district_name, s.lat, s.lon, s.location_precision,
               n.school_year, n.dx_level, n.source
        FROM school s LEFT JOIN newest n ON n.school_id = s.id AND n.k = 1
        LEFT JOIN admin_unit u ON u.code = s.district_code
        WHERE s.province_code = :p AND s.lat IS NOT NULL AND s.lon IS NOT NULL
        ORDER BY s.name""", {"p": province}, engine)


def school_count(province: str, *, engine: Engine | None = None) -> int:
    """Schools of a province in its newest school year of school data (imported rows where the year has some,
    else the simulated ones), for "n of N schools have coordinates"."""
    return int(_df("""WITH y AS (SELECT MAX(school_year) AS y FROM school_year WHERE province_code = :p)
        SELECT COUNT(*) AS n FROM school_year sy WHERE sy.province_code = :p AND sy.school_year = (SELECT y FROM y)
          AND (sy.batch_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM school_year i WHERE i.province_code = :p
               AND i.school_year = sy.school_year AND i.batch_id IS NOT NULL))""", {"p": province},
                   engine)["n"].iloc[0])
