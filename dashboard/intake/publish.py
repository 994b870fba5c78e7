"""Set-based publishing and rollback of a staged batch (SQL over `intake_stage_row`, no per-row Python).

Publishing batch N, in the caller's transaction:
- rows N replaces (the current published row of the same school and school year, or the school row of
  the same code) are copied as JSON to `intake_superseded` (batch N, owner = the batch that had them)
  and then replaced; a value N leaves empty keeps the previous published value (the newest published
  value per school, indicator and year wins);
- new rows get `batch_id = N` and provenance 'imported'.
Rolling back N deletes N's rows and puts the superseded rows back with their ids, so the store is as
it was before N. It is refused while a later published batch replaced rows of N, or uses N's schools.
"""
from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.engine import Connection

import models as m

from ..store import dialect
from .dx4725 import level_sql

SY_DATA = ("students", "teachers", "fibre", "wifi", "pc_teaching", "pc_management", "pc_informatics",
           "mgmt_software", "e_gradebook", "e_transcript", "cashless", "online_plan", "cbt", "stem",
           "learners_digital", "teachers_digital")
REGISTER_DATA = ("name", "level", "is_public", "province_code", "district_code", "commune_code", "lat", "lon")


def columns(model) -> list[str]:  # noqa: ANN001
    return [c.name for c in model.__table__.columns]


def _j(con: Connection, key: str, model=None, column: str | None = None) -> str:  # noqa: ANN001
    """Field `key` of the staged row's JSON, typed (on PostgreSQL) like `model`'s column `column` (or `key`)."""
    typ = dialect.sql_type(con, model.__table__.c[column or key]) if model is not None else None
    return dialect.json_field(con, "r.data", key, typ)


def _archive(con: Connection, batch: int, table: str, model, where: str, params: dict) -> int:  # noqa: ANN001
    obj = dialect.json_object(con, "t", columns(model))
    res = con.execute(text(f"""INSERT INTO intake_superseded (batch_id, table_name, row_id, owner_batch_id, data)
                               SELECT :b, '{table}', t.id, t.batch_id, {obj} FROM {table} t
                               WHERE {where}"""), {"b": batch, **params})
    return res.rowcount


def _restore_insert(con: Connection, batch: int, table: str, model) -> None:  # noqa: ANN001
    cols = columns(model)
    lateral, sel = dialect.json_row(con, "s.data", table, cols)
    con.execute(text(f"""INSERT INTO {table} ({', '.join(cols)})
                         SELECT {', '.join(sel)} FROM intake_superseded s{lateral}
                         WHERE s.batch_id = :b AND s.table_name = '{table}'
                         ORDER BY s.row_id"""), {"b": batch})


# --- school register ----------------------------------------------------------------------------

def _stage_register(con: Connection, batch: int) -> None:
    dialect.drop_temp(con, "_st")
    sc = m.School
    con.execute(text(f"""CREATE TEMP TABLE _st AS SELECT {_j(con, 'school_code', sc, 'code')} AS code,
        {_j(con, 'name', sc)} AS name, {_j(con, 'level', sc)} AS level, {_j(con, 'public', sc, 'is_public')} AS is_public,
        {_j(con, 'province_code', sc)} AS province_code, {_j(con, 'district_code', sc)} AS district_code,
        {_j(con, 'commune_code', sc)} AS commune_code, {_j(con, 'lat', sc)} AS lat, {_j(con, 'lon', sc)} AS lon
        FROM intake_stage_row r WHERE r.batch_id = :b"""), {"b": batch})
    dialect.create_temp_index(con, "ix_st_code", "_st", "code")


def _differs(cols: tuple[str, ...], a: str, b: str) -> str:
    return " OR ".join(f"{a}.{c} IS DISTINCT FROM {b}.{c}" for c in cols)


def register_counts(con: Connection, batch: int) -> dict[str, int]:
    _stage_register(con, batch)
    cols = REGISTER_DATA
    r = con.execute(text(f"""SELECT COUNT(*) FILTER (WHERE s.id IS NULL),
        COUNT(*) FILTER (WHERE s.id IS NOT NULL AND ({_differs(cols, 's', 'st')})), COUNT(*)
        FROM _st st LEFT JOIN school s ON s.code = st.code""")).one()
    return {"new": r[0], "changed": r[1], "unchanged": r[2] - r[0] - r[1]}


def publish_register(con: Connection, batch: int) -> dict[str, int]:
    counts = register_counts(con, batch)
    cols = REGISTER_DATA
    _archive(con, batch, "school", m.School,
             f"t.code IN (SELECT st.code FROM _st st JOIN school s ON s.code = st.code WHERE {_differs(cols, 's', 'st')})",
             {})
    sets = ", ".join(f"{c} = st.{c}" for c in cols)
    con.execute(text(f"""UPDATE school SET {sets}, batch_id = :b, provenance = 'imported',
            location_precision = CASE WHEN st.lat IS NOT NULL THEN 'exact' END
        FROM _st st WHERE school.code = st.code AND school.id IN
            (SELECT row_id FROM intake_superseded WHERE batch_id = :b AND table_name = 'school')"""), {"b": batch})
    con.execute(text(f"""INSERT INTO school (code, {', '.join(cols)}, location_precision, stem_lab, provenance,
                                             note, batch_id)
        SELECT st.code, {', '.join('st.' + c for c in cols)}, CASE WHEN st.lat IS NOT NULL THEN 'exact' END, FALSE,
               'imported', '', :b
        FROM _st st WHERE NOT EXISTS (SELECT 1 FROM school s WHERE s.code = st.code)"""), {"b": batch})
    return counts


def rollback_register(con: Connection, batch: int) -> None:
    cols = [c for c in columns(m.School) if c != "id"]
    lateral, sel = dialect.json_row(con, "s.data", "school", cols)
    sets = ", ".join(f"{c} = {e}" for c, e in zip(cols, sel))
    con.execute(text(f"""UPDATE school SET {sets} FROM intake_superseded s{lateral}
                         WHERE s.batch_id = :b AND s.table_name = 'school' AND school.id = s.row_id"""), {"b": batch})
    con.execute(text("DELETE FROM school WHERE batch_id = :b"), {"b": batch})


# --- school-year statistics -----------------------------------------------------------------------

def _stage_school_year(con: Connection, batch: int) -> None:
    dialect.drop_temp(con, "_st")
    data = ", ".join(f"{_j(con, c, m.SchoolYear)} AS {c}" for c in SY_DATA)
    con.execute(text(f"""CREATE TEMP TABLE _st AS
        SELECT s.id AS school_id, s.province_code, s.district_code, s.level,
               CAST({_j(con, 'school_year')} AS INTEGER) AS school_year, {data}
        FROM intake_stage_row r JOIN school s ON s.code = {_j(con, 'school_code')} WHERE r.batch_id = :b"""),
                {"b": batch})
    dialect.create_temp_index(con, "ix_st_sy", "_st", "school_id, school_year")


def _all_matched(con: Connection, batch: int) -> None:
    """Every staged row must still find its school (a register may have been rolled back since staging)."""
    from .errors import StateError

    n = con.execute(text("SELECT COUNT(*) FROM intake_stage_row WHERE batch_id = :b"), {"b": batch}).scalar()
    k = con.execute(text("SELECT COUNT(*) FROM _st")).scalar()
    if n != k:
        raise StateError(f"{n - k} dòng của lô {batch} không còn trường tương ứng (danh sách trường đã thay đổi sau "
                         "khi nạp): hãy nạp lại tệp", f"{n - k} row(s) of batch {batch} no longer match a school "
                         "(the register changed after staging): stage the file again")


def school_year_counts(con: Connection, batch: int) -> dict[str, int]:
    _stage_school_year(con, batch)
    _all_matched(con, batch)
    merged = " OR ".join(f"COALESCE(st.{c}, o.{c}) IS DISTINCT FROM o.{c}" for c in SY_DATA)
    r = con.execute(text(f"""SELECT COUNT(*) FILTER (WHERE o.id IS NULL),
        COUNT(*) FILTER (WHERE o.id IS NOT NULL AND ({merged})), COUNT(*)
        FROM _st st LEFT JOIN school_year o ON o.school_id = st.school_id AND o.school_year = st.school_year
                                          AND o.batch_id IS NOT NULL""")).one()
    return {"new": r[0], "changed": r[1], "unchanged": r[2] - r[0] - r[1]}


def publish_school_year(con: Connection, batch: int) -> dict[str, int]:
    counts = school_year_counts(con, batch)
    _archive(con, batch, "school_year", m.SchoolYear,
             """t.batch_id IS NOT NULL AND EXISTS (SELECT 1 FROM _st st WHERE st.school_id = t.school_id
                                                    AND st.school_year = t.school_year)""", {})
    merged = ", ".join(f"COALESCE(st.{c}, o.{c})" for c in SY_DATA)
    con.execute(text(f"""INSERT INTO school_year (school_id, school_year, province_code, district_code, level,
                                                  provenance, {', '.join(SY_DATA)}, dx_level, batch_id)
        SELECT st.school_id, st.school_year, st.province_code, st.district_code, st.level, 'imported', {merged},
               NULL, :b
        FROM _st st LEFT JOIN school_year o ON o.school_id = st.school_id AND o.school_year = st.school_year
                                           AND o.batch_id IS NOT NULL"""), {"b": batch})
    con.execute(text("""DELETE FROM school_year WHERE id IN
                        (SELECT row_id FROM intake_superseded WHERE batch_id = :b AND table_name = 'school_year')"""),
                {"b": batch})
    return counts


def rollback_rows(con: Connection, batch: int, table: str, model) -> None:  # noqa: ANN001
    con.execute(text(f"DELETE FROM {table} WHERE batch_id = :b"), {"b": batch})
    _restore_insert(con, batch, table, model)


# --- Decision 4725 assessments --------------------------------------------------------------------

def _stage_assessment(con: Connection, batch: int) -> None:
    dialect.drop_temp(con, "_st")
    a = m.IntakeAssessment
    comp = level_sql(_j(con, "score_teaching", a), _j(con, "score_management", a))
    con.execute(text(f"""CREATE TEMP TABLE _st AS
        SELECT s.id AS school_id, s.code AS school_code, s.province_code, s.district_code,
               CAST({_j(con, 'school_year')} AS INTEGER) AS school_year,
               {_j(con, 'score_teaching', a)} AS score_teaching, {_j(con, 'score_management', a)} AS score_management,
               {_j(con, 'declared_level', a)} AS declared_level, {_j(con, 'verified_level', a)} AS verified_level,
               {comp} AS computed_level, COALESCE({_j(con, 'note', a)}, '') AS note
        FROM intake_stage_row r JOIN school s ON s.code = {_j(con, 'school_code')} WHERE r.batch_id = :b"""),
                {"b": batch})
    dialect.create_temp_index(con, "ix_st_a", "_st", "school_id, school_year")


ASSESS_DATA = ("score_teaching", "score_management", "declared_level", "verified_level")


def assessment_counts(con: Connection, batch: int) -> dict[str, int]:
    _stage_assessment(con, batch)
    _all_matched(con, batch)
    diff = " OR ".join(f"st.{c} IS DISTINCT FROM o.{c}" for c in ASSESS_DATA)
    r = con.execute(text(f"""SELECT COUNT(*) FILTER (WHERE o.id IS NULL),
        COUNT(*) FILTER (WHERE o.id IS NOT NULL AND ({diff})), COUNT(*)
        FROM _st st LEFT JOIN intake_assessment o ON o.school_id = st.school_id
                                                 AND o.school_year = st.school_year""")).one()
    return {"new": r[0], "changed": r[1], "unchanged": r[2] - r[0] - r[1]}


def publish_assessment(con: Connection, batch: int) -> dict[str, int]:
    counts = assessment_counts(con, batch)
    _archive(con, batch, "intake_assessment", m.IntakeAssessment,
             "EXISTS (SELECT 1 FROM _st st WHERE st.school_id = t.school_id AND st.school_year = t.school_year)", {})
    con.execute(text("""DELETE FROM intake_assessment WHERE id IN
                        (SELECT row_id FROM intake_superseded WHERE batch_id = :b AND table_name = 'intake_assessment')"""),
                {"b": batch})
    con.execute(text("""INSERT INTO intake_assessment (batch_id, school_id, school_code, school_year, province_code,
            district_code, score_teaching, score_management, declared_level, verified_level, computed_level,
            dx_level, note)
        SELECT :b, school_id, school_code, school_year, province_code, district_code, score_teaching,
               score_management, declared_level, verified_level, computed_level,
               COALESCE(verified_level, computed_level, declared_level), note FROM _st"""), {"b": batch})
    return counts


# --- province figures from a report ---------------------------------------------------------------

def source_id(batch: int) -> str:
    return f"intake-{batch}"


def publish_report(con: Connection, batch: int, *, province: str, document_text: str, document_name: str,
                   rows: list[dict]) -> dict[str, int]:
    first = rows[0]
    title = first["document"]
    con.execute(text("""INSERT INTO source (id, short_title_vi, short_title_en, title, doc_type, issuer, number, issued,
                                            province_code, file, url, as_of, text, batch_id)
        VALUES (:id, :t, :t, :t, 'report', :issuer, :number, :issued, :p, :file, NULL, :as_of, :text, :b)"""),
                {"id": source_id(batch), "t": title, "issuer": "Sở GDĐT", "number": first.get("document_number") or "",
                 "issued": first.get("document_date") or "", "p": province, "file": document_name,
                 "as_of": max(r["period_end"] for r in rows), "text": document_text, "b": batch})
    con.execute(text("""INSERT INTO observation (obs_key, indicator_code, unit_code, school_id, level, breakdown, period,
            period_start, period_end, year, value, numerator, denominator, qualifier, printed, value_derived,
            provenance, source_id, section, quote, note, batch_id)
        VALUES (:obs_key, :indicator, :unit_code, NULL, :level, '', :period, :period_start, :period_end, :year,
                :value, :numerator, :denominator, :qualifier, :printed, :derived, 'imported', :src, :section, :quote,
                :note, :b)"""),
                [{**r, "src": source_id(batch), "b": batch, "obs_key": f"intake-{batch}-{r['_row']}",
                  "note": f"Dữ liệu nhập, lô {batch}"} for r in rows])
    return {"new": len(rows), "changed": 0, "unchanged": 0}


def rollback_report(con: Connection, batch: int) -> None:
    con.execute(text("DELETE FROM observation WHERE batch_id = :b"), {"b": batch})
    con.execute(text("DELETE FROM source WHERE batch_id = :b"), {"b": batch})


# --- dependencies ---------------------------------------------------------------------------------

def blockers(con: Connection, batch: int, kind: str) -> list[int]:
    """Published batches that must be rolled back before `batch` can be."""
    later = {r[0] for r in con.execute(text(
        "SELECT DISTINCT batch_id FROM intake_superseded WHERE owner_batch_id = :b AND batch_id != :b"), {"b": batch})}
    if kind == "register":
        new_schools = """SELECT id FROM school WHERE batch_id = :b AND id NOT IN
                         (SELECT row_id FROM intake_superseded WHERE batch_id = :b AND table_name = 'school')"""
        for table in ("school_year", "intake_assessment"):
            later |= {r[0] for r in con.execute(text(
                f"SELECT DISTINCT batch_id FROM {table} WHERE school_id IN ({new_schools}) AND batch_id IS NOT NULL"),
                {"b": batch})}
    return sorted(b for b in later if b != batch)


def superseded_json(con: Connection, batch: int) -> list[dict]:
    return [json.loads(r[0]) for r in con.execute(text("SELECT data FROM intake_superseded WHERE batch_id = :b"),
                                                   {"b": batch})]
