"""Queries of the STEM-lab map and of the school export (pages/stem_map.py, dashboard/maps.py, `export schools`).

Placement rules in data/geo/PLACEMENT.md. Re-exported by dashboard.queries, so `queries.stem_schools` and
`ui.query("stem_schools")` keep working.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy.engine import Engine

from .i18n import level_name
from .querybase import _df


# A per-school investment is DERIVED, never published: the one budget item of the same document, province and
# year that mentions STEM and whose school count equals the number of STEM-lab schools that document lists for
# that year (Đồng Tháp 2024: 18.000 million VND for 36 schools, appendix III I.3 -> 500 each, an even split).
_STEM_ALLOC = """
    stem_n AS (SELECT source_id, province_code, stem_year, COUNT(*) AS n FROM school
               WHERE stem_lab = TRUE AND stem_year IS NOT NULL AND provenance = 'published'
               GROUP BY source_id, province_code, stem_year),
    alloc AS (SELECT b.source_id, b.province_code, b.year, MIN(b.item_key) AS item_key,
                     MIN(b.amount_million_vnd) AS amount, MIN(b.schools_count) AS schools_count,
                     MIN(b.printed) AS printed, MIN(b.section) AS section
              FROM budget_item b JOIN stem_n n ON n.source_id = b.source_id AND n.province_code = b.province_code
                   AND n.stem_year = b.year AND n.n = b.schools_count
              WHERE b.amount_million_vnd IS NOT NULL AND UPPER(b.item_vi) LIKE '%STEM%'
              GROUP BY b.source_id, b.province_code, b.year HAVING COUNT(*) = 1)"""

_LEVEL_ORDER = "CASE sc.level WHEN 'TH' THEN 1 WHEN 'THCS' THEN 2 WHEN 'THPT' THEN 3 ELSE 4 END"


def _schools_sql(lang: str, where: str, order: str) -> str:
    st = "short_title_en" if lang == "en" else "short_title_vi"
    return f"""
    WITH {_STEM_ALLOC}
    SELECT sc.code, sc.name, sc.level, sc.level_printed, sc.province_code, pr.name AS province_name,
           sc.district_code, d.fullname AS district_name, sc.district_printed, sc.commune_code,
           c.fullname AS commune_name, sc.lat, sc.lon, sc.location_precision,
           CASE WHEN sc.location_precision IS NOT NULL THEN sc.location_precision
                WHEN sc.district_code IS NULL THEN 'no_district' ELSE 'not_placed' END AS placement_rule,
           sc.placement_note, sc.stem_lab, sc.stem_year,
           CASE WHEN sc.stem_lab = TRUE THEN a.amount * 1.0 / a.schools_count END AS investment_million_vnd,
           CASE WHEN sc.stem_lab = TRUE THEN a.amount END AS investment_total_million_vnd,
           CASE WHEN sc.stem_lab = TRUE THEN a.schools_count END AS investment_schools,
           CASE WHEN sc.stem_lab = TRUE THEN a.printed END AS investment_printed,
           CASE WHEN sc.stem_lab = TRUE THEN a.section END AS investment_section,
           sc.provenance, sc.source_id, s.{st} AS source_title, sc.section, sc.quote, sc.note,
           (SELECT MIN(y.school_year) FROM school_year y WHERE y.school_id = sc.id) AS school_year_min,
           (SELECT MAX(y.school_year) FROM school_year y WHERE y.school_id = sc.id) AS school_year_max
    FROM school sc
    LEFT JOIN admin_unit pr ON pr.code = sc.province_code
    LEFT JOIN admin_unit d ON d.code = sc.district_code
    LEFT JOIN admin_unit c ON c.code = sc.commune_code
    LEFT JOIN alloc a ON a.source_id = sc.source_id AND a.province_code = sc.province_code AND a.year = sc.stem_year
    LEFT JOIN source s ON s.id = sc.source_id
    WHERE {where}
    ORDER BY {order}"""


def map_districts(province: str, engine: Engine | None = None) -> pd.DataFrame:
    """Districts of a province with their GeoJSON geometry (text): code, name, fullname, unit_type, geometry."""
    return _df("""SELECT code, name, fullname, unit_type, geometry FROM admin_unit
                  WHERE level = 'district' AND parent_code = :p ORDER BY code""", {"p": province}, engine)


def stem_schools(province: str, *, districts: Sequence[str] = (), levels: Sequence[str] = (), stem_only: bool = True,
                 lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Schools named in the documents (provenance 'published'; simulated rows are left out) of a province,
    STEM-lab ones only by default, optionally within some districts and of some levels.

    Columns: code, name, level, level_printed, province_code, province_name, district_code, district_name,
    district_printed, commune_code, commune_name, lat, lon, location_precision, placement_rule
    (commune | district | no_district | not_placed), placement_note, stem_lab, stem_year,
    investment_million_vnd (DERIVED even split, NULL when no single budget item covers the school),
    investment_total_million_vnd, investment_schools, investment_printed, investment_section, provenance,
    source_id, source_title, section, quote, note.
    """
    where = ("sc.province_code = :p AND sc.provenance = 'published' AND (:all_d OR sc.district_code IN :d) "
             "AND (:all_l OR sc.level IN :l) AND (:stem_only = 0 OR sc.stem_lab = TRUE)")
    order = f"sc.district_code IS NULL, sc.district_code, {_LEVEL_ORDER}, sc.code"
    return _df(_schools_sql(lang, where, order),
               {"p": province, "all_d": not districts, "d": list(districts) or [""], "all_l": not levels,
                "l": list(levels) or [""], "stem_only": int(stem_only)}, engine, expanding=("d", "l"))


def stem_by_district(province: str, engine: Engine | None = None) -> pd.DataFrame:
    """STEM-lab schools per district of the province (every district, zero included) and per level, with the
    derived investment; a last row with district_code NULL counts the STEM-lab schools whose district is unknown.

    Columns: district_code, district_name, schools, th, thcs, thpt, placed, investment_million_vnd (derived).
    """
    return _df(f"""
    WITH {_STEM_ALLOC},
    st AS (SELECT sc.district_code, sc.level, sc.location_precision,
                  a.amount * 1.0 / a.schools_count AS inv
           FROM school sc LEFT JOIN alloc a ON a.source_id = sc.source_id AND a.province_code = sc.province_code
                AND a.year = sc.stem_year
           WHERE sc.province_code = :p AND sc.stem_lab = TRUE AND sc.provenance = 'published')
    SELECT * FROM (
    SELECT d.code AS district_code, d.fullname AS district_name, COUNT(st.level) AS schools,
           COUNT(*) FILTER (WHERE st.level = 'TH') AS th, COUNT(*) FILTER (WHERE st.level = 'THCS') AS thcs,
           COUNT(*) FILTER (WHERE st.level = 'THPT') AS thpt, COUNT(st.location_precision) AS placed,
           SUM(st.inv) AS investment_million_vnd
    FROM admin_unit d LEFT JOIN st ON st.district_code = d.code
    WHERE d.level = 'district' AND d.parent_code = :p
    GROUP BY d.code, d.fullname
    UNION ALL
    SELECT NULL, NULL, COUNT(*), COUNT(*) FILTER (WHERE level = 'TH'), COUNT(*) FILTER (WHERE level = 'THCS'),
           COUNT(*) FILTER (WHERE level = 'THPT'), COUNT(location_precision), SUM(inv)
    FROM st WHERE district_code IS NULL HAVING COUNT(*) > 0) AS by_district
    ORDER BY district_code IS NULL, district_code""", {"p": province}, engine)


def stem_by_level(province: str, engine: Engine | None = None) -> pd.DataFrame:
    """Coverage by level: STEM-lab schools, districts that have one of that level, and districts in the province.

    Columns: level, schools, districts_with, districts_total.
    """
    return _df("""
    WITH lv(level, ord) AS (VALUES ('TH', 1), ('THCS', 2), ('THPT', 3))
    SELECT lv.level, COUNT(sc.id) AS schools, COUNT(DISTINCT sc.district_code) AS districts_with,
           (SELECT COUNT(*) FROM admin_unit d WHERE d.level = 'district' AND d.parent_code = :p) AS districts_total
    FROM lv LEFT JOIN school sc ON sc.level = lv.level AND sc.province_code = :p AND sc.stem_lab = TRUE
         AND sc.provenance = 'published'
    GROUP BY lv.level, lv.ord ORDER BY lv.ord""", {"p": province}, engine)


def export_schools(lang: str = "vi", engine: Engine | None = None) -> pd.DataFrame:
    """Every school row: name, level, province, district, commune, lat, lon, location precision and how it was
    chosen, STEM-lab flag and year, investment (DERIVED even split, with its basis), provenance and source, and
    the school years it has rows for in the school-year mart (school_year_from / school_year_to, '2023-2024')."""
    from .i18n import fmt_number

    df = _df(_schools_sql(lang, "1 = 1", f"pr.name, sc.district_code IS NULL, sc.district_code, {_LEVEL_ORDER}, sc.code"),
             engine=engine)
    if lang == "en":
        basis = "even split (derived): {t} million VND / {n} schools ({sec})"
    else:
        basis = "phân bổ đều (tính toán): {t} triệu đồng / {n} trường ({sec})"
    out = pd.DataFrame({
        "school_code": df["code"], "name": df["name"], "level": df["level"],
        "level_name": [level_name(x, lang) for x in df["level"]], "province": df["province_name"],
        "district": df["district_name"].fillna(""), "district_printed": df["district_printed"].fillna(""),
        "commune": df["commune_name"].fillna(""), "commune_code": df["commune_code"].fillna(""),
        "lat": df["lat"], "lon": df["lon"], "location_precision": df["location_precision"].fillna(""),
        "placement_note": df["placement_note"].fillna(""), "stem_lab": df["stem_lab"].astype(int),
        "stem_year": df["stem_year"].astype("Int64"),
        "investment_million_vnd_derived": df["investment_million_vnd"],
        "investment_basis": [basis.format(t=fmt_number(tot, lang=lang), n=int(n), sec=sec)
                             if inv is not None and not pd.isna(inv) else ""
                             for inv, tot, n, sec in zip(df["investment_million_vnd"], df["investment_total_million_vnd"],
                                                         df["investment_schools"], df["investment_section"])],
        "provenance": df["provenance"], "source_id": df["source_id"], "source": df["source_title"],
        "section": df["section"], "quote": df["quote"], "note": df["note"].fillna(""),
        "school_year_from": [_sy(v) for v in df["school_year_min"]],
        "school_year_to": [_sy(v) for v in df["school_year_max"]],
    })
    return out


def _sy(v: object) -> str:
    """School year 2023 -> '2023-2024'; '' when the school has no row in the school-year mart."""
    return "" if v is None or pd.isna(v) else f"{int(v)}-{int(v) + 1}"
