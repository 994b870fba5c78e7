"""What publishing a staged batch would change, computed by publishing it inside a transaction that is
then rolled back: the "after" figures are exactly what the dashboards would show.

`preview(batch_id)` returns a Preview with
- counts: {"new", "changed", "unchanged"} schools (rows) of the batch;
- indicators: province and district values before and after, per measure (school-year batches:
  the rollups' shares; assessments: the share of schools at each Decision 4725 level);
- jumps: schools whose share or score moves by more than JUMP_PP percentage points against their previous
  published value (same school year replaced, else the previous school year);
- schools (register), figures (report): the rows themselves with what they replace or sit beside.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from .. import rollups
from ..store import dialect
from .batches import apply, engine_for, get_batch

JUMP_PP = 30.0
MEASURES = ("fibre", "wifi", "mgmt_software", "e_gradebook", "e_transcript", "cashless", "online_plan", "cbt",
            "stem", "learners_digital", "teachers_digital", "pc_per_100")
DX = ("dx_l1", "dx_l2", "dx_l3")


@dataclass
class Preview:
    batch: dict
    counts: dict[str, int]
    indicators: pd.DataFrame  # scope, district_code, district_name, school_year, measure, measure_name, before, after, change
    jumps: pd.DataFrame  # school_code, school_name, school_year, measure, measure_name, before, after, change
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # register: schools; report: figures


def _summaries(con: Connection, province: str, years: list[int], lang: str) -> pd.DataFrame:
    out = []
    for y in years:
        p = rollups.province_summary(province, y, engine=con)
        d = rollups.district_summary(province, y, engine=con, lang=lang)
        for col in DX:
            d[col.replace("dx_", "dx_pct_")] = 100.0 * d[col] / d["general_schools"].where(d["general_schools"] > 0)
        dsum = d[list(DX) + ["general_schools"]].sum()
        for col in DX:
            p[col.replace("dx_", "dx_pct_")] = (100.0 * dsum[col] / dsum["general_schools"]
                                                if dsum["general_schools"] else None)
        measures = list(MEASURES) + [c.replace("dx_", "dx_pct_") for c in DX]
        p = p.assign(scope="province", district_code=province, district_name="", school_year=y)
        d = d.assign(scope="district", school_year=y)
        for frame in (p, d):
            cols = [c for c in measures if c in frame.columns]
            out.append(frame.melt(id_vars=["scope", "district_code", "district_name", "school_year"], value_vars=cols,
                                  var_name="measure", value_name="value"))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["scope", "district_code", "district_name", "school_year", "measure", "value"])


def _name(measure: str, lang: str) -> str:
    if measure.startswith("dx_pct_"):
        n = measure[-1]
        return f"Share of schools at Decision 4725 level {n} (%)" if lang == "en" else \
            f"Tỷ lệ trường đạt mức {n} (QĐ 4725) (%)"
    return rollups.metric_name(measure, lang)


def _school_jumps(con: Connection, bid: int, kind: str) -> pd.DataFrame:
    """Per school of the batch: its new shares/scores and the previous published ones (inside the transaction)."""
    def j(key: str, typ: str = "INTEGER") -> str:  # a field of the superseded row's JSON
        return dialect.json_field(con, "data", key, typ)

    if kind == "school_year":
        rows = pd.read_sql(text("""SELECT s.code AS school_code, s.name AS school_name, sy.school_year,
                100.0 * sy.learners_digital / NULLIF(sy.students, 0) AS learners_digital,
                100.0 * sy.teachers_digital / NULLIF(sy.teachers, 0) AS teachers_digital, sy.school_id
            FROM school_year sy JOIN school s ON s.id = sy.school_id WHERE sy.batch_id = :b"""), con, params={"b": bid})
        prev_same = pd.read_sql(text(f"""SELECT {j('school_id')} AS school_id,
                {j('school_year')} AS school_year,
                100.0 * {j('learners_digital')} / NULLIF({j('students')}, 0)
                    AS learners_digital,
                100.0 * {j('teachers_digital')} / NULLIF({j('teachers')}, 0)
                    AS teachers_digital
            FROM intake_superseded WHERE batch_id = :b AND table_name = 'school_year'"""), con, params={"b": bid})
        prev_year = pd.read_sql(text("""SELECT o.school_id, o.school_year + 1 AS school_year,
                100.0 * o.learners_digital / NULLIF(o.students, 0) AS learners_digital,
                100.0 * o.teachers_digital / NULLIF(o.teachers, 0) AS teachers_digital
            FROM school_year o JOIN school_year n ON n.school_id = o.school_id AND o.school_year = n.school_year - 1
            WHERE n.batch_id = :b AND o.batch_id IS NOT NULL"""), con, params={"b": bid})
        measures = ["learners_digital", "teachers_digital"]
    elif kind == "assessment":
        rows = pd.read_sql(text("""SELECT a.school_code, s.name AS school_name, a.school_year, a.score_teaching,
                a.score_management, a.school_id FROM intake_assessment a JOIN school s ON s.id = a.school_id
                WHERE a.batch_id = :b"""), con, params={"b": bid})
        prev_same = pd.read_sql(text(f"""SELECT {j('school_id')} AS school_id,
                {j('school_year')} AS school_year, {j('score_teaching', 'DOUBLE PRECISION')} AS
                score_teaching, {j('score_management', 'DOUBLE PRECISION')} AS score_management
            FROM intake_superseded WHERE batch_id = :b AND table_name = 'intake_assessment'"""), con, params={"b": bid})
        prev_year = pd.read_sql(text("""SELECT o.school_id, o.school_year + 1 AS school_year, o.score_teaching,
                o.score_management FROM intake_assessment o JOIN intake_assessment n ON n.school_id = o.school_id
                AND o.school_year = n.school_year - 1 WHERE n.batch_id = :b"""), con, params={"b": bid})
        measures = ["score_teaching", "score_management"]
    else:
        return pd.DataFrame()
    prev = pd.concat([prev_same.assign(_p=0), prev_year.assign(_p=1)]).sort_values("_p")
    prev = prev.drop_duplicates(["school_id", "school_year"]).drop(columns="_p")
    m = rows.merge(prev, on=["school_id", "school_year"], how="inner", suffixes=("", "_before"))
    out = []
    for c in measures:
        d = m[["school_code", "school_name", "school_year", c + "_before", c]].rename(
            columns={c + "_before": "before", c: "after"}).assign(measure=c)
        d["change"] = d["after"] - d["before"]
        out.append(d[d["change"].abs() > JUMP_PP])
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame()


def preview(bid: int, *, lang: str = "vi", engine: Engine | None = None) -> Preview:
    """Before/after of publishing a staged batch; nothing is written (the transaction is rolled back)."""
    eng = engine_for(engine)
    with eng.connect() as con:
        trans = con.begin()
        try:
            b = get_batch(con, bid)
            years = [int(y) for y in b["school_years"].split(";") if y]
            province = b["province_code"]
            school_level = b["kind"] in ("school_year", "assessment")
            before = _summaries(con, province, years, lang) if school_level else pd.DataFrame()
            counts = apply(con, b)
            after = _summaries(con, province, years, lang) if school_level else pd.DataFrame()
            jumps = _school_jumps(con, bid, b["kind"])
            rows = _rows(con, b)
        finally:
            trans.rollback()
    if school_level:
        keys = ["scope", "district_code", "district_name", "school_year", "measure"]
        ind = before.rename(columns={"value": "before"}).merge(after.rename(columns={"value": "after"}), on=keys,
                                                               how="outer")
        ind["before"] = pd.to_numeric(ind["before"], errors="coerce")
        ind["after"] = pd.to_numeric(ind["after"], errors="coerce")
        ind["change"] = ind["after"] - ind["before"]
        ind["measure_name"] = ind["measure"].map(lambda x: _name(x, lang))
    else:
        ind = pd.DataFrame(columns=["scope", "district_code", "district_name", "school_year", "measure",
                                    "measure_name", "before", "after", "change"])
    if not jumps.empty:
        jumps["measure_name"] = jumps["measure"].map(
            lambda x: _SCORE_NAMES[x][lang] if x in _SCORE_NAMES else _name(x, lang))
    return Preview(b, counts, ind, jumps, rows)


_SCORE_NAMES = {"score_teaching": {"vi": "Điểm nhóm 1 (dạy, học)", "en": "Group 1 score (teaching)"},
                "score_management": {"vi": "Điểm nhóm 2 (quản trị)", "en": "Group 2 score (management)"}}


def _rows(con: Connection, b: dict) -> pd.DataFrame:
    if b["kind"] == "register":
        return pd.read_sql(text("""SELECT s.code AS school_code, s.name, s.level, s.district_code,
                CASE WHEN x.row_id IS NULL THEN 'new' ELSE 'changed' END AS change, x.data AS before
            FROM school s LEFT JOIN intake_superseded x ON x.batch_id = :b AND x.table_name = 'school'
                                                       AND x.row_id = s.id
            WHERE s.batch_id = :b ORDER BY s.code"""), con, params={"b": b["id"]})
    if b["kind"] == "report":
        figs = pd.read_sql(text("""SELECT o.indicator_code, o.unit_code, o.level, o.period, o.value, o.numerator,
                o.denominator, o.printed, o.section, o.quote,
                (SELECT GROUP_CONCAT(p.printed || ' (' || COALESCE(p.source_id, '') || ')', '; ') FROM observation p
                 WHERE p.indicator_code = o.indicator_code AND p.unit_code = o.unit_code AND p.level = o.level
                   AND p.period = o.period AND (p.batch_id IS NULL OR p.batch_id != o.batch_id)) AS other_statements
            FROM observation o WHERE o.batch_id = :b ORDER BY o.id"""), con, params={"b": b["id"]})
        return figs
    return pd.DataFrame()


def stage_rows(bid: int, *, engine: Engine | None = None, limit: int = 1000) -> pd.DataFrame:
    """The first `limit` staged rows of a batch as a table (row number + columns), for the page."""
    with engine_for(engine).connect() as con:
        rows = con.execute(text("SELECT row_no, data FROM intake_stage_row WHERE batch_id = :b ORDER BY row_no "
                                "LIMIT :n"), {"b": bid, "n": limit}).all()
    return pd.DataFrame([{"row": r[0], **json.loads(r[1])} for r in rows])
