"""SQL over the two geographies: provinces before and from 1 July 2025, communes, former districts, and
every school's units in both (crosswalk joins on indexed columns; nothing is filtered in pandas).

Option codes (the sidebar selector and the URL): a former province is its GSO code ("94"), a current province
its code with the suffix CURRENT_SUFFIX ("92-2025"), since codes are reused across geographies (current
Đồng Tháp 82 = former Tiền Giang).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from ..querybase import REPORTED, _df

CURRENT_SUFFIX = "-2025"


def current_option(code: str) -> str:
    return f"{code}{CURRENT_SUFFIX}"


def parse_option(option: str | None) -> tuple[str, str]:
    """('current' | 'former', GSO code) of a selector option."""
    option = option or ""
    if option.endswith(CURRENT_SUFFIX):
        return "current", option[: -len(CURRENT_SUFFIX)]
    return "former", option


def former_provinces_with_data(engine: Engine | None = None) -> pd.DataFrame:
    """Former provinces that have published figures in the store: code, name, current_province_code."""
    return _df(f"""SELECT f.code, f.name, f.fullname, f.current_province_code FROM unit_former f
                  WHERE f.level = 'province'
                    AND EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = f.code AND o.provenance IN {REPORTED})
                  ORDER BY f.name""", engine=engine)


def current_provinces(with_data_only: bool = True, engine: Engine | None = None) -> pd.DataFrame:
    """Current provinces: code, name, fullname, parts (former provinces merged into it), parts_with_data."""
    return _df(f"""
    SELECT c.code, c.name, c.fullname, COUNT(f.code) AS parts,
           SUM(CASE WHEN EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = f.code
                                 AND o.provenance IN {REPORTED}) THEN 1 ELSE 0 END) AS parts_with_data
    FROM unit_current c JOIN unit_former f ON f.current_province_code = c.code AND f.level = 'province'
    WHERE c.level = 'province'
    GROUP BY c.code, c.name, c.fullname
    HAVING :all = 1 OR SUM(CASE WHEN EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = f.code
                                             AND o.provenance IN {REPORTED}) THEN 1 ELSE 0 END) > 0
    ORDER BY c.name""", {"all": int(not with_data_only)}, engine)


def province_options(engine: Engine | None = None) -> pd.DataFrame:
    """The sidebar's choices: current provinces with store data first, then the former provinces with data.

    Columns: option (the code written in the URL), kind ('current' | 'former'), code, name,
    former_with_data (current: the former provinces with figures, ';'-joined; former: itself), current_code.
    """
    cur = current_provinces(engine=engine)
    old = former_provinces_with_data(engine)
    rows = []
    for _, c in cur.iterrows():
        parts = old[old["current_province_code"] == c["code"]]
        rows.append({"option": current_option(c["code"]), "kind": "current", "code": c["code"], "name": c["name"],
                     "fullname": c["fullname"], "parts": int(c["parts"]), "parts_with_data": int(c["parts_with_data"]),
                     "former_with_data": ";".join(parts["code"]), "current_code": c["code"]})
    for _, f in old.iterrows():
        rows.append({"option": f["code"], "kind": "former", "code": f["code"], "name": f["name"],
                     "fullname": f["fullname"], "parts": 1, "parts_with_data": 1, "former_with_data": f["code"],
                     "current_code": f["current_province_code"]})
    return pd.DataFrame(rows, columns=["option", "kind", "code", "name", "fullname", "parts", "parts_with_data",
                                       "former_with_data", "current_code"])


def former_parts(current_code: str, engine: Engine | None = None) -> pd.DataFrame:
    """The former provinces merged into a current province: code, name, has_data (0/1)."""
    return _df(f"""SELECT f.code, f.name, f.fullname,
                         CASE WHEN EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = f.code
                                           AND o.provenance IN {REPORTED}) THEN 1 ELSE 0 END AS has_data
                  FROM unit_former f WHERE f.level = 'province' AND f.current_province_code = :c
                  ORDER BY f.name""", {"c": current_code}, engine)


def current_communes(current_code: str, engine: Engine | None = None) -> pd.DataFrame:
    """Communes (xã, phường, đặc khu) of a current province: code, name, fullname, unit_type."""
    return _df("""SELECT code, name, fullname, unit_type FROM unit_current
                  WHERE parent_code = :c AND level = 'commune' ORDER BY name, code""", {"c": current_code}, engine)


def communes_of(current_code: str, former_province: str, engine: Engine | None = None) -> pd.DataFrame:
    """The current communes a former province's schools can lie in (the filter's options): those its former
    communes became (crosswalk, indexed on the province pair) and those its registered schools name. Columns:
    code, name, fullname, unit_type."""
    return _df("""SELECT c.code, c.name, c.fullname, c.unit_type FROM unit_current c
                  WHERE c.level = 'commune' AND c.parent_code = :c AND (
                    c.code IN (SELECT x.current_commune_code FROM unit_crosswalk x
                               WHERE x.current_province_code = :c AND x.former_province_code = :p)
                    OR c.code IN (SELECT s.commune_code FROM school s
                                  WHERE s.province_code = :p AND s.batch_id IS NOT NULL))
                  ORDER BY c.name, c.code""", {"c": current_code, "p": former_province}, engine)


# The current-commune filter as a predicate on a school id column, for the queries of school-level data (district
# pages, Decision 4725 levels, school lists). A school is in a current commune when the intake register gives
# that commune (batch_id set: its commune_code is a current one) or when its former commune's crosswalk default
# is that commune (build-owned schools: commune_code is a former one). Schools with no commune are in none.
# `:p` is the former province of the calling query; `:all_cc` true = no filter. Indexed lookups: school by
# province (ix_school_province_code), crosswalk by former commune (ix_xw_former_commune).
def commune_clause(school_id: str) -> str:
    return f"""(:all_cc OR {school_id} IN (
        SELECT s_cc.id FROM school s_cc
        LEFT JOIN unit_crosswalk x_cc ON s_cc.batch_id IS NULL AND x_cc.former_commune_code = s_cc.commune_code
                                     AND x_cc.is_default = :cc_true
        WHERE s_cc.province_code = :p AND ((s_cc.batch_id IS NOT NULL AND s_cc.commune_code IN :cc)
                                            OR x_cc.current_commune_code IN :cc)))"""


def commune_params(communes: Sequence[str]) -> dict:
    """The parameters of `commune_clause` (pass 'cc' as an expanding parameter)."""
    return {"all_cc": not communes, "cc": list(communes) or [""], "cc_true": True}


def school_codes_in(former_province: str, communes: Sequence[str], engine: Engine | None = None) -> list[str]:
    """Codes of the schools of a former province in the given current communes (for frames already read, such
    as a year's published assessments)."""
    return _df(f"""SELECT s.code FROM school s WHERE s.province_code = :p AND {commune_clause('s.id')}
                   ORDER BY s.code""", {"p": former_province, **commune_params(communes)}, engine,
               expanding=("cc",))["code"].tolist()


def commune_coverage(former_province: str, communes: Sequence[str], engine: Engine | None = None) -> dict:
    """How many schools of a former province the commune filter can place: {'schools', 'placed', 'chosen'}
    (all schools, those with a known current commune, those in the chosen communes)."""
    df = _df(f"""SELECT COUNT(*) AS schools,
                        SUM(CASE WHEN (s.batch_id IS NOT NULL AND s.commune_code IS NOT NULL)
                                   OR x.current_commune_code IS NOT NULL THEN 1 ELSE 0 END) AS placed,
                        SUM(CASE WHEN {commune_clause('s.id')} THEN 1 ELSE 0 END) AS chosen
                 FROM school s LEFT JOIN unit_crosswalk x ON s.batch_id IS NULL
                      AND x.former_commune_code = s.commune_code AND x.is_default = :cc_true
                 WHERE s.province_code = :p""", {"p": former_province, **commune_params(communes)}, engine,
             expanding=("cc",))
    r = df.iloc[0]
    return {k: int(r[k] or 0) for k in ("schools", "placed", "chosen")}


def former_districts(province_codes: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Former districts of former provinces: code, name, fullname, province_code, province_name."""
    return _df("""SELECT d.code, d.name, d.fullname, d.province_code, p.name AS province_name
                  FROM unit_former d JOIN unit_former p ON p.code = d.province_code AND p.level = 'province'
                  WHERE d.parent_code IN :p AND d.level = 'district' ORDER BY p.name, d.fullname""",
               {"p": list(province_codes) or [""]}, engine, expanding=("p",))


# One row per school with its units in both geographies. A school's commune_code is the FORMER commune
# for build-owned schools (placed on the 2025-03 GSO list, data/geo/PLACEMENT.md) and the CURRENT commune
# for schools of the intake register ("Mã xã (từ 7/2025)"). The current commune of a former commune is its
# crosswalk default (a split commune: the default part, never a 'suspect' one); the former district of a
# school given only its current commune is the one former district its current commune came from, if unique.
SCHOOL_UNITS = """
WITH sch AS (
  SELECT s.id, s.code, s.name, s.level, s.province_code, s.district_code, s.batch_id,
         CASE WHEN s.batch_id IS NOT NULL THEN s.commune_code END AS cur_in,
         CASE WHEN s.batch_id IS NULL THEN s.commune_code END AS former_in
  FROM school s
  WHERE s.province_code IN (SELECT f.code FROM unit_former f
                            WHERE f.level = 'province' AND f.current_province_code = :current)
)
SELECT sch.id AS school_id, sch.code, sch.name, sch.level, sch.batch_id,
       sch.province_code AS former_province_code,
       COALESCE(sch.district_code, (
         SELECT MIN(x2.former_district_code) FROM unit_crosswalk x2
         WHERE x2.current_commune_code = cc.code AND x2.suspect = :f
         HAVING COUNT(DISTINCT x2.former_district_code) = 1)) AS former_district_code,
       sch.former_in AS former_commune_code,
       COALESCE(cc.code, xw.current_commune_code) AS current_commune_code,
       :current AS current_province_code,
       CASE WHEN cc.code IS NOT NULL THEN 'current_commune'
            WHEN xw.current_commune_code IS NOT NULL THEN 'former_commune'
            WHEN sch.district_code IS NOT NULL THEN 'former_district' ELSE 'province' END AS basis,
       COALESCE(xw.split, :f) AS split
FROM sch
LEFT JOIN unit_current cc ON cc.code = sch.cur_in AND cc.level = 'commune' AND cc.parent_code = :current
LEFT JOIN unit_crosswalk xw ON xw.former_commune_code = sch.former_in AND xw.is_default = :t
"""


def school_units(current_code: str, *, former_districts_: Sequence[str] = (), current_communes_: Sequence[str] = (),
                 engine: Engine | None = None) -> pd.DataFrame:
    """Schools of a current province with their former province, former district, current commune, the basis
    of the assignment and the split flag; optionally only those in the given former districts / current communes."""
    sql = f"""SELECT * FROM ({SCHOOL_UNITS}) su
              WHERE (:all_d = 1 OR su.former_district_code IN :d) AND (:all_c = 1 OR su.current_commune_code IN :c)
              ORDER BY su.former_province_code, su.former_district_code, su.name"""
    return _df(sql, {"current": current_code, "t": True, "f": False, "all_d": int(not former_districts_),
                     "d": list(former_districts_) or [""], "all_c": int(not current_communes_),
                     "c": list(current_communes_) or [""]}, engine, expanding=("d", "c"))


def school_year_by_unit(current_code: str, school_year: int, *, by: str = "current_commune",
                        engine: Engine | None = None) -> pd.DataFrame:
    """School-year data of a current province summed by current commune or by former district, in SQL.

    Counts (schools, students, teachers) and each share as numerator and denominator (fibre, wifi, cashless,
    e-gradebook), so a share of a group is always sum/sum. Imported rows win over simulated ones for a former
    province and school year (as in dashboard.rollups). Columns: unit_code, unit_name, schools, students,
    teachers, <flag>_yes, <flag>_n, provenance.
    """
    if by not in ("current_commune", "former_district"):
        raise ValueError(f"by must be current_commune or former_district, not {by!r}")
    key = f"su.{by}_code"
    name = ("(SELECT fullname FROM unit_current WHERE code = su.current_commune_code)" if by == "current_commune"
            else "(SELECT fullname FROM unit_former WHERE code = su.former_district_code)")
    flags = ("fibre", "wifi", "cashless", "e_gradebook")
    sums = ",\n".join(f"SUM(CASE WHEN sy.{c} = 1 THEN 1 ELSE 0 END) AS {c}_yes, COUNT(sy.{c}) AS {c}_n" for c in flags)
    sql = f"""
    SELECT {key} AS unit_code, MIN({name}) AS unit_name, COUNT(*) AS schools, SUM(sy.students) AS students,
           SUM(sy.teachers) AS teachers, {sums}, MIN(sy.provenance) AS provenance, MAX(sy.provenance) AS provenance_max
    FROM ({SCHOOL_UNITS}) su
    JOIN school_year sy ON sy.school_id = su.school_id AND sy.school_year = :y
    WHERE (sy.batch_id IS NOT NULL OR sy.province_code NOT IN (
             SELECT i.province_code FROM school_year i WHERE i.batch_id IS NOT NULL AND i.school_year = :y))
    GROUP BY {key}
    ORDER BY unit_name"""
    return _df(sql, {"current": current_code, "y": school_year, "t": True, "f": False}, engine)


def current_of(former_province: str, engine: Engine | None = None) -> str | None:
    """The current province a former province merged into."""
    df = _df("SELECT current_province_code FROM unit_former WHERE code = :c AND level = 'province'",
             {"c": former_province}, engine)
    return None if df.empty else str(df.iloc[0, 0])


def province_outlines(current_code: str, engine: Engine | None = None) -> pd.DataFrame:
    """The current province's outline (kind 'current') and its former provinces' outlines (kind 'former'):
    kind, code, name, geometry (GeoJSON text)."""
    return _df("""SELECT 'current' AS kind, c.code, c.fullname AS name, c.geometry FROM unit_current c
                  WHERE c.code = :c AND c.level = 'province'
                  UNION ALL
                  SELECT 'former' AS kind, a.code, f.name, a.geometry FROM unit_former f
                  JOIN admin_unit a ON a.code = f.code AND a.level = 'province'
                  WHERE f.level = 'province' AND f.current_province_code = :c""", {"c": current_code}, engine)
