"""District and school rollups of the school-year mart, in SQL (GROUP BY over indexed columns).

Rows come from the simulation (provenance 'simulated', batch_id NULL) or from published intake batches
(provenance 'imported', batch_id set). Imported wins over simulated: for a province and school year with
any imported row, no simulated row is shown or summed (`_VISIBLE`), and `data_source` gives the label a
page shows ("Dữ liệu nhập: <file>, phê duyệt <date>" or "Dữ liệu mô phỏng"). The Decision 4725 level of
a school is its published self-assessment (intake_assessment) where there is one, else school_year.dx_level.
Published province figures stay in dashboard.queries and are never replaced by these sums.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Connection, Engine

from .queries import _df as _query_df
from .units.queries import commune_clause, commune_params

FLAGS = ("fibre", "wifi", "mgmt_software", "e_gradebook", "e_transcript", "cashless", "online_plan", "cbt", "stem")
ADOPTION = ("mgmt_software", "e_gradebook", "e_transcript", "cashless", "online_plan", "cbt", "stem",
            "learners_digital", "teachers_digital")
METRIC_NAMES = {
    "fibre": {"vi": "Internet cáp quang", "en": "Fibre internet"},
    "wifi": {"vi": "Wi-Fi", "en": "Wi-Fi"},
    "mgmt_software": {"vi": "Phần mềm quản trị trường học", "en": "School-management software"},
    "e_gradebook": {"vi": "Sổ điểm điện tử", "en": "E-gradebook"},
    "e_transcript": {"vi": "Học bạ điện tử", "en": "E-transcript"},
    "cashless": {"vi": "Thu phí không dùng tiền mặt", "en": "Cashless fee collection"},
    "online_plan": {"vi": "Kế hoạch dạy học trực tuyến", "en": "Online teaching plan"},
    "cbt": {"vi": "Thi, kiểm tra trên máy tính", "en": "Computer-based testing"},
    "stem": {"vi": "Dạy học STEM", "en": "STEM teaching"},
    "learners_digital": {"vi": "Người học có hồ sơ số", "en": "Learners on digital records"},
    "teachers_digital": {"vi": "Nhà giáo có hồ sơ số", "en": "Teachers on digital records"},
    "pc_per_100": {"vi": "Máy tính dạy học / 100 học sinh", "en": "Teaching computers per 100 students"},
}


# Published province indicators and the school-level metric whose district share corresponds to them.
INDICATOR_METRIC = {
    "CASHLESS_SCHOOLS_PCT": "cashless", "E_GRADEBOOK_SCHOOLS_PCT": "e_gradebook",
    "COMPUTER_TESTING_SCHOOLS_PCT": "cbt", "ONLINE_TEACHING_SCHOOLS_PCT": "online_plan",
    "SCHOOL_MGMT_SOFTWARE_PCT": "mgmt_software", "SCHOOLS_DATA_DRIVEN_PCT": "mgmt_software",
    "STEM_SCHOOLS_PCT": "stem", "LEARNERS_DIGITAL_RECORD_PCT": "learners_digital",
    "TEACHERS_DIGITAL_RECORD_PCT": "teachers_digital", "INTERNET_WIFI_INSTITUTIONS_PCT": "wifi",
}


# A school_year row counts unless it is simulated and its province and school year have imported rows.
_VISIBLE = """(sy.batch_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM school_year i
               WHERE i.province_code = :p AND i.school_year = :y AND i.batch_id IS NOT NULL))"""
_VISIBLE_ALL_YEARS = """(sy.batch_id IS NOT NULL OR sy.school_year NOT IN (SELECT DISTINCT i.school_year
               FROM school_year i WHERE i.province_code = :p AND i.batch_id IS NOT NULL))"""
_DX = "COALESCE(a.dx_level, sy.dx_level)"
_DX_JOIN = "LEFT JOIN intake_assessment a ON a.school_id = sy.school_id AND a.school_year = sy.school_year"


_HAS_ASSESS = "EXISTS (SELECT 1 FROM intake_assessment ia WHERE ia.province_code = :p AND ia.school_year = :y)"


def _dx_sql(by_level: bool) -> str:
    """dx_l1..3, general_schools and dx_provenance of a district (and level) group."""
    lvl = " AND s2.level = sy.level" if by_level else ""

    def n(cond: str) -> str:
        return f"""(SELECT COUNT(*) FROM intake_assessment a2 JOIN school s2 ON s2.id = a2.school_id
                    WHERE a2.province_code = :p AND a2.school_year = :y AND a2.district_code IS NOT DISTINCT FROM sy.district_code{lvl}
                      AND (:all_levels OR s2.level IN :levels) AND {commune_clause("a2.school_id")} AND {cond})"""
    parts = [f"CASE WHEN {_HAS_ASSESS} THEN {n(f'a2.dx_level = {k}')} ELSE SUM(CAST(sy.dx_level = {k} AS INTEGER)) END AS dx_l{k}"
             for k in (1, 2, 3)]
    parts.append(f"CASE WHEN {_HAS_ASSESS} THEN {n('a2.dx_level IS NOT NULL')} ELSE COUNT(sy.dx_level) END "
                 "AS general_schools")
    parts.append(f"CASE WHEN {_HAS_ASSESS} THEN 'imported' ELSE MIN(sy.provenance) END AS dx_provenance")
    return ",\n      ".join(parts)


def _df(sql: str, params: dict | None = None, engine: Engine | Connection | None = None,
        expanding: Sequence[str] = ()) -> pd.DataFrame:
    """queries._df, or the same on an open connection (the intake preview reads inside its transaction)."""
    if not isinstance(engine, Connection):
        return _query_df(sql, params, engine, expanding)
    stmt = text(sql)
    if expanding:
        stmt = stmt.bindparams(*[bindparam(n, expanding=True) for n in expanding])
    return pd.read_sql(stmt, engine, params=params or {})


def metric_name(metric: str, lang: str = "vi") -> str:
    return METRIC_NAMES.get(metric, {}).get(lang, metric)


# Computers per 100 students over the schools whose teaching computers are counted: a level whose documents give no
# computer figure has none simulated (NULL), and its students must not dilute the ratio.
PC_PER_100_SQL = """100.0 * SUM(CASE WHEN sy.pc_teaching IS NOT NULL THEN sy.pc_teaching + COALESCE(sy.pc_informatics, 0) END)
      / NULLIF(SUM(CASE WHEN sy.pc_teaching IS NOT NULL THEN sy.students END), 0)"""


def _shares_sql() -> str:
    flags = ",\n".join(f"100.0 * SUM(sy.{f}) / NULLIF(COUNT(sy.{f}), 0) AS {f}" for f in FLAGS)
    return f"""{flags},
      100.0 * SUM(sy.learners_digital) / NULLIF(SUM(sy.students), 0) AS learners_digital,
      100.0 * SUM(sy.teachers_digital) / NULLIF(SUM(sy.teachers), 0) AS teachers_digital"""


def school_years(province: str, engine: Engine | None = None) -> list[int]:
    return _df("SELECT DISTINCT school_year FROM school_year WHERE province_code = :p ORDER BY 1",
               {"p": province}, engine)["school_year"].tolist()


def districts(province: str, engine: Engine | None = None) -> pd.DataFrame:
    """Districts of a province (code, name, fullname), for the district filter."""
    return _df("""SELECT code, name, fullname FROM admin_unit WHERE level = 'district' AND parent_code = :p
                  ORDER BY fullname""", {"p": province}, engine)


def district_summary(province: str, school_year: int, *, levels: Sequence[str] = (),
                     districts_: Sequence[str] = (), by_level: bool = False, lang: str = "vi",
                     placed_only: bool = False, communes_: Sequence[str] = (),
                     engine: Engine | None = None) -> pd.DataFrame:
    """Per district (and level): schools, students, computers, coverage and adoption shares (%).

    Columns: district_code, district_name, [level], schools, students, teachers, pc_teaching, pc_management,
    pc_informatics, pc_per_100, dx_l1..l3, general_schools, dx_provenance, provenance, and one % column per
    flag and for learners/teachers on digital records. The Decision 4725 counts (dx_*) come from the published
    self-assessments when the province has any for that school year (dx_provenance 'imported'), else from
    the school rows. Schools whose documents name no district form one row "(văn bản không ghi huyện)"
    (district_code NULL) unless `placed_only`: the dashboards pass it, since that row is not a district (its
    schools are listed apart by `schools_without_district`; the province totals still count them).
    `communes_`: only the schools in these current communes (units.queries.commune_clause).
    """
    level_col = ", sy.level" if by_level else ""
    placed = " AND sy.district_code IS NOT NULL" if placed_only else ""
    sql = f"""
    SELECT sy.district_code, COALESCE(u.fullname, :unknown) AS district_name{level_col},
      COUNT(*) AS schools, SUM(sy.students) AS students, SUM(sy.teachers) AS teachers,
      SUM(sy.pc_teaching) AS pc_teaching, SUM(sy.pc_management) AS pc_management,
      SUM(sy.pc_informatics) AS pc_informatics,
      {PC_PER_100_SQL} AS pc_per_100,
      {_dx_sql(by_level)},
      {_shares_sql()},
      MIN(sy.provenance) AS provenance
    FROM school_year sy LEFT JOIN admin_unit u ON u.code = sy.district_code
    WHERE sy.province_code = :p AND sy.school_year = :y AND {_VISIBLE}
      AND (:all_levels OR sy.level IN :levels) AND (:all_d OR sy.district_code IN :ds){placed}
      AND {commune_clause("sy.school_id")}
    GROUP BY sy.district_code, u.fullname{level_col}
    ORDER BY district_name{level_col}"""
    return _df(sql, {"p": province, "y": school_year, "all_levels": not levels, "levels": list(levels) or [""],
                     "all_d": not districts_, "ds": list(districts_) or [""],
                     "unknown": "(district not given)" if lang == "en" else "(văn bản không ghi huyện)",
                     **commune_params(communes_)},
               engine, expanding=("levels", "ds", "cc"))


def schools_without_district(province: str, school_year: int, *, levels: Sequence[str] = (),
                             communes_: Sequence[str] = (), engine: Engine | None = None) -> pd.DataFrame:
    """The schools of a province and school year whose documents name no district (name, level, students):
    listed apart on the district pages, never ranked or charted as a district."""
    sql = f"""SELECT s.name, sy.level, sy.students, sy.provenance
              FROM school_year sy JOIN school s ON s.id = sy.school_id
              WHERE sy.province_code = :p AND sy.school_year = :y AND sy.district_code IS NULL AND {_VISIBLE}
                AND (:all_levels OR sy.level IN :levels) AND {commune_clause("sy.school_id")}
              ORDER BY sy.level, s.name"""
    return _df(sql, {"p": province, "y": school_year, "all_levels": not levels, "levels": list(levels) or [""],
                     **commune_params(communes_)}, engine, expanding=("levels", "cc"))


def province_summary(province: str, school_year: int, *, levels: Sequence[str] = (), engine: Engine | None = None
                     ) -> pd.DataFrame:
    """The same measures for the whole province (one row): the sum over its schools."""
    sql = f"""
    SELECT COUNT(*) AS schools, SUM(sy.students) AS students,
      {PC_PER_100_SQL} AS pc_per_100,
      {_shares_sql()}
    FROM school_year sy WHERE sy.province_code = :p AND sy.school_year = :y AND {_VISIBLE}
      AND (:all_levels OR sy.level IN :levels)"""
    return _df(sql, {"p": province, "y": school_year, "all_levels": not levels, "levels": list(levels) or [""]},
               engine, expanding=("levels",))


def district_series(province: str, metric: str, *, levels: Sequence[str] = (), districts_: Sequence[str] = (),
                    engine: Engine | None = None) -> pd.DataFrame:
    """Yearly % of one adoption metric per district: district_code, district_name, school_year, value."""
    if metric not in ADOPTION + FLAGS:
        raise ValueError(f"unknown metric {metric!r}")
    if metric in ("learners_digital", "teachers_digital"):
        base = "students" if metric == "learners_digital" else "teachers"
        expr = f"100.0 * SUM(sy.{metric}) / NULLIF(SUM(sy.{base}), 0)"
    else:
        expr = f"100.0 * SUM(sy.{metric}) / NULLIF(COUNT(sy.{metric}), 0)"
    sql = f"""SELECT sy.district_code, u.fullname AS district_name, sy.school_year, {expr} AS value,
                     COUNT(*) AS schools
              FROM school_year sy JOIN admin_unit u ON u.code = sy.district_code
              WHERE sy.province_code = :p AND {_VISIBLE_ALL_YEARS} AND (:all_levels OR sy.level IN :levels)
                AND (:all_d OR sy.district_code IN :ds)
              GROUP BY sy.district_code, u.fullname, sy.school_year ORDER BY u.fullname, sy.school_year"""
    return _df(sql, {"p": province, "all_levels": not levels, "levels": list(levels) or [""],
                     "all_d": not districts_, "ds": list(districts_) or [""]}, engine, expanding=("levels", "ds"))


def district_schools(province: str, district: str, school_year: int, *, levels: Sequence[str] = (),
                     communes_: Sequence[str] = (), engine: Engine | None = None) -> pd.DataFrame:
    """The schools of one district in one school year with their infrastructure and adoption values."""
    cols = ", ".join(f"sy.{c}" for c in ("students", "teachers", "pc_teaching", "pc_management", "pc_informatics")
                     + FLAGS + ("learners_digital", "teachers_digital"))
    sql = f"""SELECT s.code, s.name, s.level, s.provenance AS school_provenance, s.stem_lab, {cols},
                     {_DX} AS dx_level, sy.provenance
              FROM school_year sy JOIN school s ON s.id = sy.school_id {_DX_JOIN}
              WHERE sy.province_code = :p AND sy.district_code = :d AND sy.school_year = :y AND {_VISIBLE}
                AND (:all_levels OR sy.level IN :levels) AND {commune_clause("sy.school_id")}
              ORDER BY s.level, s.name"""
    return _df(sql, {"p": province, "d": district, "y": school_year, "all_levels": not levels,
                     "levels": list(levels) or [""], **commune_params(communes_)}, engine, expanding=("levels", "cc"))


def _day(ts: object) -> str:
    """'2026-11-23 10:46:33+00:00' → '23/11/2026' (the same in both languages)."""
    s = str(ts)[:10]
    return f"{s[8:10]}/{s[5:7]}/{s[:4]}" if len(s) == 10 and s[4] == "-" else s


def _batch_label(b: pd.DataFrame, lang: str) -> str:
    parts = [f"{r.file_name}, {'approved' if lang == 'en' else 'phê duyệt'} {_day(r.approved_at)}" for r in b.itertuples()]
    return ("Imported data: " if lang == "en" else "Dữ liệu nhập: ") + "; ".join(parts)


def data_source(province: str, school_year: int, *, lang: str = "vi",
                engine: Engine | Connection | None = None) -> dict:
    """Whether the school rows of a province and school year are imported or simulated, and the label to show.

    Returns {"provenance": "imported" | "simulated" | None, "label": str, "batches": [{"id", "file_name",
    "approved_at", "approved_by"}], "dx_provenance", "dx_label", "dx_batches"}: imported = published intake
    batches ("Dữ liệu nhập: <file>, phê duyệt <dd/mm/yyyy>"), simulated = "Dữ liệu mô phỏng", None = no
    school rows. The dx_* keys say the same of the Decision 4725 levels (published self-assessments win).
    "coverage" / "dx_coverage": {"n": schools with imported rows that year, "of": schools of the province's
    imported register} (None when not imported); the imported label ends with "— n/N trường".
    """
    q = """SELECT b.id, b.file_name, b.approved_at, b.approved_by FROM intake_batch b
           WHERE b.id IN (SELECT DISTINCT batch_id FROM {t} WHERE province_code = :p AND school_year = :y
                          AND batch_id IS NOT NULL) ORDER BY b.approved_at"""
    b = _df(q.format(t="school_year"), {"p": province, "y": school_year}, engine)
    a = _df(q.format(t="intake_assessment"), {"p": province, "y": school_year}, engine)
    sim = "Simulated data" if lang == "en" else "Dữ liệu mô phỏng"
    n = _df("SELECT COUNT(*) AS n FROM school_year WHERE province_code = :p AND school_year = :y",
            {"p": province, "y": school_year}, engine)["n"].iloc[0]
    from .i18n import fmt_number

    reg = _df("SELECT COUNT(*) AS n FROM school WHERE province_code = :p AND batch_id IS NOT NULL",
              {"p": province}, engine)["n"].iloc[0]
    cq = ("SELECT COUNT(DISTINCT school_id) AS n FROM {t} WHERE province_code = :p AND school_year = :y "
          "AND batch_id IS NOT NULL")

    def coverage(t: str) -> dict:
        got = int(_df(cq.format(t=t), {"p": province, "y": school_year}, engine)["n"].iloc[0])
        return {"n": got, "of": int(reg)}

    def with_coverage(label: str, cov: dict) -> str:
        if not cov["of"]:
            return label
        word = "schools" if lang == "en" else "trường"
        return f"{label} — {fmt_number(cov['n'], lang=lang)}/{fmt_number(cov['of'], lang=lang)} {word}"

    if not b.empty:
        cov = coverage("school_year")
        out = {"provenance": "imported", "label": with_coverage(_batch_label(b, lang), cov), "coverage": cov,
               "batches": b.assign(approved_at=b["approved_at"].astype(str)).to_dict("records")}
    elif n:
        out = {"provenance": "simulated", "label": sim, "batches": [], "coverage": None}
    else:
        out = {"provenance": None, "label": "", "batches": [], "coverage": None}
    if not a.empty:
        dcov = coverage("intake_assessment")
        out |= {"dx_provenance": "imported", "dx_label": with_coverage(_batch_label(a, lang), dcov),
                "dx_coverage": dcov,
                "dx_batches": a.assign(approved_at=a["approved_at"].astype(str)).to_dict("records")}
    else:
        out |= {"dx_provenance": out["provenance"], "dx_label": out["label"], "dx_batches": out["batches"],
                "dx_coverage": out["coverage"]}
    return out
