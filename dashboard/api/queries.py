"""SQL of the read API that no page query already gives: filtered, paginated reads of the fact tables.

Parametrised SQL with bind parameters, portable between SQLite and PostgreSQL (standard joins, CASE, COALESCE,
LIMIT/OFFSET, no SQLite-only function). Filtering, counting and paging happen in SQL; a page of rows is paged
by a primary-key subquery first and only then joined to names and sources, so the national store
(~50.000 schools) is never read whole. Every row carries the columns the source object is made of
(`source_kind`, document, section, quote, batch, file, approver, note): see dashboard/api/records.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from ..db import read_engine
from . import keys

PROVENANCES = ("published", "imported", "simulated", "derived")


@dataclass
class Page:
    """One page of rows and the number of rows that match the filters."""
    rows: list[dict]
    total: int
    limit: int
    offset: int
    extra: dict = field(default_factory=dict)


def _engine(engine: Engine | None) -> Engine:
    return engine or read_engine()


def rows(sql: str, params: dict | None = None, *, expanding: Sequence[str] = (),
         engine: Engine | None = None) -> list[dict]:
    """Rows of a parametrised query as dicts (no pandas: the API serialises them as they are)."""
    stmt = text(sql)
    if expanding:
        stmt = stmt.bindparams(*[bindparam(n, expanding=True) for n in expanding])
    with _engine(engine).connect() as con:
        result = con.execute(stmt, params or {})
        names = list(result.keys())
        return [dict(zip(names, r)) for r in result.all()]


class Where:
    """The conditions of the filters a request gives, and only those: the planner of either database sees
    plain `col = :x` / `col IN :x` conditions it can match to an index (no `(:all OR …)` switches)."""

    def __init__(self) -> None:
        self.conds: list[str] = []
        self.params: dict = {}
        self.expanding: list[str] = []

    def eq(self, name: str, sql: str, value: object) -> "Where":
        """`sql` holds :name; added when value is not None (a list value is bound as an IN list)."""
        if value is not None:
            self.conds.append(sql)
            self.params[name] = value
            if isinstance(value, list):
                self.expanding.append(name)
        return self

    def any_of(self, name: str, column: str, values: Sequence[str] | None) -> "Where":
        vals = list(values or [])
        if vals:
            self.conds.append(f"{column} IN :{name}")
            self.params[name] = vals
            self.expanding.append(name)
        return self

    def sql(self) -> str:
        return " AND ".join(self.conds) or "1 = 1"


@dataclass
class Listing:
    """A filtered, ordered listing of one table: a page's keys first (indexed filter, ORDER BY a unique key),
    then the rows of chosen keys, joined to their names and sources (`select` reads FROM page and gives each
    row its `page_key`). With the data `version`, the filter's ordered keys are read once per version (keys.py)
    and a page is a slice of them; without it, or for a filter matching more than keys.MAX_KEYS rows, COUNT(*)
    and LIMIT/OFFSET in SQL."""
    w: Where
    table: str
    key: str
    order: str
    select: str
    engine: Engine
    version: int | None = None

    def _count(self) -> int:
        return int(rows(f"SELECT COUNT(*) AS n FROM {self.table} WHERE {self.w.sql()}", self.w.params,
                        expanding=self.w.expanding, engine=self.engine)[0]["n"])

    def _sql(self) -> str:
        return f"SELECT {self.key} AS page_key FROM {self.table} WHERE {self.w.sql()} ORDER BY {self.order}"

    def keys(self, limit: int, offset: int) -> tuple[list, int]:
        """The keys of one page, in order, and the number of rows that match the filters."""
        w = self.w
        if self.version is not None:
            def read(n: int) -> list:
                return [r["page_key"] for r in rows(f"{self._sql()} LIMIT :cap", dict(w.params, cap=n),
                                                    expanding=w.expanding, engine=self.engine)]
            frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in w.params.items()))
            found = keys.LISTS.get(str(id(self.engine)), self.version, (self.table, w.sql(), self.order, frozen),
                                   read, self._count)
            if not isinstance(found, keys.TooMany):
                return list(found[offset:offset + limit]), len(found)
            total = found.total
        else:
            total = self._count()
        page = rows(f"{self._sql()} LIMIT :limit OFFSET :offset", dict(w.params, limit=limit, offset=offset),
                    expanding=w.expanding, engine=self.engine)
        return [r["page_key"] for r in page], total

    def rows(self, page_keys: Sequence) -> list[dict]:
        """The rows of these keys (in the listing's order; a key deleted since is simply absent)."""
        if not page_keys:
            return []
        sql = f"WITH page AS (SELECT {self.key} AS page_key FROM {self.table} WHERE {self.key} IN :page_ids) " \
              f"{self.select}"
        return rows(sql, {"page_ids": list(page_keys)}, expanding=("page_ids",), engine=self.engine)

    def page(self, limit: int, offset: int) -> Page:
        page_keys, total = self.keys(limit, offset)
        return Page(self.rows(page_keys), total, limit, offset)


def _paged(w: Where, table: str, key: str, order: str, select: str, limit: int, offset: int,
           engine: Engine | None, version: int | None = None) -> Page:
    return Listing(w, table, key, order, select, _engine(engine), version).page(limit, offset)


# ------------------------------------------------------------------------------------------------ lookups
def province_codes(engine: Engine | None = None) -> list[dict]:
    """Every province of the data's geography (before 1 July 2025: code, name), the current province it merged
    into, and whether the store has data for it (figures, targets or schools)."""
    return rows("""SELECT u.code, u.name, f.current_province_code,
                          CASE WHEN EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = u.code)
                                 OR EXISTS (SELECT 1 FROM school s WHERE s.province_code = u.code)
                                 OR EXISTS (SELECT 1 FROM target t WHERE t.scope_code = u.code)
                               THEN 1 ELSE 0 END AS has_data
                   FROM admin_unit u LEFT JOIN unit_former f ON f.code = u.code AND f.level = 'province'
                   WHERE u.level = 'province' ORDER BY u.code""", engine=engine)


def current_province_codes(engine: Engine | None = None) -> list[dict]:
    """Provinces from 1 July 2025 (code, name), the former provinces merged into each (';'-joined, as stored)
    and whether the store has data for any of them."""
    return rows("""SELECT c.code, c.name, c.former_province_codes,
                          CASE WHEN EXISTS (SELECT 1 FROM unit_former f WHERE f.current_province_code = c.code
                                              AND f.level = 'province'
                                              AND (EXISTS (SELECT 1 FROM observation o WHERE o.unit_code = f.code)
                                                   OR EXISTS (SELECT 1 FROM school s WHERE s.province_code = f.code)))
                               THEN 1 ELSE 0 END AS has_data
                   FROM unit_current c WHERE c.level = 'province' ORDER BY c.code""", engine=engine)


def former_of_current(engine: Engine | None = None) -> dict[str, list[str]]:
    """current province code -> the former province codes merged into it (unit_former, the crosswalk's own)."""
    out: dict[str, list[str]] = {}
    for r in rows("""SELECT current_province_code AS cur, code FROM unit_former
                     WHERE level = 'province' AND current_province_code IS NOT NULL ORDER BY code""", engine=engine):
        out.setdefault(r["cur"], []).append(r["code"])
    return out


def unit_codes(codes: Sequence[str], engine: Engine | None = None) -> set[str]:
    """Which of these admin unit codes exist."""
    if not codes:
        return set()
    return {r["code"] for r in rows("SELECT code FROM admin_unit WHERE code IN :c", {"c": list(codes)},
                                    expanding=("c",), engine=engine)}


def indicator_codes(engine: Engine | None = None) -> list[str]:
    return [r["code"] for r in rows("SELECT code FROM indicator ORDER BY code", engine=engine)]


def school_levels(engine: Engine | None = None) -> list[str]:
    return [r["level"] for r in rows("SELECT DISTINCT level FROM school ORDER BY level", engine=engine)]


# ------------------------------------------------------------------------------------------------ indicators
def indicators(*, group: Sequence[str] = (), headline: bool | None = None, limit: int = 100, offset: int = 0,
               engine: Engine | None = None, version: int | None = None) -> Page:
    w = Where().any_of("g", "pillar", group).eq("h", "headline = :h", headline)
    select = """SELECT page.page_key, i.code, i.name_vi, i.name_en, i.unit, i.pillar AS "group", i.direction,
                       i.headline,
                       i.definition_vi, i.definition_en, i.catalogue_file
                FROM page JOIN indicator i ON i.code = page.page_key ORDER BY i.pillar, i.code"""
    return _paged(w, "indicator", "code", "pillar, code", select, limit, offset, engine, version)


# ------------------------------------------------------------------------------------------------ sources
_SOURCE_COLS = """CASE WHEN {a}.batch_id IS NOT NULL THEN 'imported' ELSE {a}.provenance END AS provenance,
       CASE WHEN {a}.source_id IS NOT NULL AND {a}.batch_id IS NULL THEN 'document'
            WHEN {a}.batch_id IS NOT NULL THEN 'intake_batch'
            ELSE {a}.provenance END AS source_kind,
       {a}.source_id AS source_document_id, s.short_title_vi AS source_document_title_vi,
       s.short_title_en AS source_document_title_en, s.title AS source_document_title_full,
       {a}.section AS source_section, {a}.quote AS source_quote,
       {a}.batch_id AS source_batch_id, b.file_name AS source_file, b.approved_by AS source_approved_by,
       b.approved_at AS source_approved_at, {a}.note AS source_note"""
_SOURCE_JOINS = """LEFT JOIN source s ON s.id = {a}.source_id LEFT JOIN intake_batch b ON b.id = {a}.batch_id"""


def sources(engine: Engine | None = None) -> list[dict]:
    """Documents of the store with their intake batch (report batches) and counts; the pages' `queries.sources`
    adds nothing of the batch, so the API reads it here."""
    return rows("""SELECT s.id, s.short_title_vi, s.short_title_en, s.title, s.doc_type, s.issuer, s.number, s.issued,
                          s.province_code, s.file, s.url, s.as_of,
                          CASE WHEN s.text IS NOT NULL THEN 1 ELSE 0 END AS has_text, s.batch_id,
                          b.file_name AS batch_file, b.approved_by AS batch_approved_by,
                          b.approved_at AS batch_approved_at,
                          (SELECT COUNT(*) FROM observation o WHERE o.source_id = s.id) AS observations,
                          (SELECT COUNT(*) FROM target t WHERE t.source_id = s.id) AS targets
                   FROM source s LEFT JOIN intake_batch b ON b.id = s.batch_id
                   ORDER BY s.issued, s.id""", engine=engine)


# ------------------------------------------------------------------------------------------------ observations
def observations(*, limit: int = 100, offset: int = 0, **filters) -> Page:
    """One page of observation_listing(**filters)."""
    return observation_listing(**filters).page(limit, offset)


def observation_listing(*, province: Sequence[str] = (), units: Sequence[str] = (), indicators_: Sequence[str] = (),
                        period: str | None = None, year_from: int | None = None, year_to: int | None = None,
                        provenance: Sequence[str] = (), engine: Engine | None = None,
                        version: int | None = None) -> Listing:
    """Figures of the `observation` table (published documents, published intake report batches, and any
    simulated or derived rows), filtered in SQL; `province` (former codes) takes its districts' and communes'
    figures too."""
    w = (Where()
         .eq("p", """observation.unit_code IN (SELECT a.code FROM admin_unit a WHERE a.code IN :p OR a.parent_code IN :p
                OR a.parent_code IN (SELECT d.code FROM admin_unit d WHERE d.parent_code IN :p))""",
             list(province) or None)
         .any_of("u", "observation.unit_code", units).any_of("i", "observation.indicator_code", indicators_)
         .eq("period", "observation.period = :period", period)
         .eq("yf", "observation.year >= :yf", year_from).eq("yt", "observation.year <= :yt", year_to)
         .any_of("pv", "(CASE WHEN observation.batch_id IS NOT NULL THEN 'imported' ELSE observation.provenance END)",
                 provenance))
    select = f"""
    SELECT page.page_key, o.obs_key AS id, o.indicator_code, i.name_vi AS indicator_name_vi,
           i.name_en AS indicator_name_en, i.unit AS measure_unit,
           CASE u.level WHEN 'province' THEN u.code WHEN 'district' THEN u.parent_code
                        WHEN 'commune' THEN pu.parent_code END AS province_code,
           (SELECT f.current_province_code FROM unit_former f WHERE f.level = 'province'
              AND f.code = CASE u.level WHEN 'province' THEN u.code WHEN 'district' THEN u.parent_code
                                        WHEN 'commune' THEN pu.parent_code END) AS current_province_code,
           o.unit_code, u.name AS unit_name, u.level AS unit_level, sc.code AS school_code, o.level AS school_level,
           o.breakdown, COALESCE(bd.name_vi, '') AS breakdown_name_vi, COALESCE(bd.name_en, '') AS breakdown_name_en,
           o.period, o.period_start, o.period_end, o.year, o.value, o.numerator, o.denominator, o.qualifier,
           o.printed, o.value_derived,
           {_SOURCE_COLS.format(a='o')}
    FROM page JOIN observation o ON o.id = page.page_key
    JOIN indicator i ON i.code = o.indicator_code JOIN admin_unit u ON u.code = o.unit_code
    LEFT JOIN admin_unit pu ON pu.code = u.parent_code LEFT JOIN school sc ON sc.id = o.school_id
    LEFT JOIN breakdown bd ON bd.code = o.breakdown
    {_SOURCE_JOINS.format(a='o')}
    ORDER BY o.indicator_code, o.unit_code, o.period_end, o.obs_key"""
    return Listing(w, "observation", "id", "indicator_code, unit_code, period_end, obs_key", select, _engine(engine),
                   version)


# ------------------------------------------------------------------------------------------------ targets
def targets(*, scope: Sequence[str] = (), indicators_: Sequence[str] = (), year_from: int | None = None,
            year_to: int | None = None, limit: int = 100, offset: int = 0, engine: Engine | None = None,
            version: int | None = None) -> Page:
    """Targets (scope 'VN' = national, else a province code) with their document, section and quote; a national
    target's quote is where a shipped plan restates it (`quote_document_id`)."""
    w = (Where().any_of("s", "scope_code", scope).any_of("i", "indicator_code", indicators_)
         .eq("yf", "year >= :yf", year_from).eq("yt", "year <= :yt", year_to))
    select = """
    SELECT page.page_key, t.target_key AS id, t.indicator_code, i.name_vi AS indicator_name_vi,
           i.name_en AS indicator_name_en,
           i.unit AS measure_unit, t.scope_code, u.name AS scope_name, t.level AS school_level, t.breakdown,
           t.year, t.value, t.qualifier, t.printed, t.reported_result, t.reported_status,
           'published' AS provenance, 'document' AS source_kind,
           t.source_id AS source_document_id, s.short_title_vi AS source_document_title_vi,
           s.short_title_en AS source_document_title_en, s.title AS source_document_title_full,
           t.section AS source_section, t.quote AS source_quote,
           COALESCE(t.quote_source_id, t.source_id) AS source_quote_document_id, t.note AS source_note
    FROM page JOIN target t ON t.id = page.page_key
    JOIN indicator i ON i.code = t.indicator_code JOIN admin_unit u ON u.code = t.scope_code
    LEFT JOIN source s ON s.id = t.source_id
    ORDER BY t.indicator_code, t.year, t.scope_code, t.target_key"""
    return _paged(w, "target", "id", "indicator_code, year, scope_code, target_key", select, limit, offset, engine,
                  version)


# ------------------------------------------------------------------------------------------------ schools
def schools(*, limit: int = 100, offset: int = 0, **filters) -> Page:
    """One page of school_listing(**filters)."""
    return school_listing(**filters).page(limit, offset)


def school_listing(*, province: Sequence[str] = (), districts: Sequence[str] = (), levels: Sequence[str] = (),
                   provenance: Sequence[str] = (), engine: Engine | None = None,
                   version: int | None = None) -> Listing:
    """Schools with their place (coordinates where placed; every position is approximate, see
    data/geo/PLACEMENT.md), school-year range and source. Filters use the indexes on province and
    (district, level)."""
    w = (Where().any_of("p", "school.province_code", province).any_of("d", "school.district_code", districts)
         .any_of("l", "school.level", levels)
         .any_of("pv", "(CASE WHEN school.batch_id IS NOT NULL THEN 'imported' ELSE school.provenance END)",
                 provenance))
    select = f"""
    SELECT page.page_key, sc.code, sc.name, sc.level AS school_level, sc.level_printed, sc.is_public,
           sc.province_code, pr.name AS province_name, cf.current_province_code, sc.district_code,
           dn.fullname AS district_name,
           sc.district_printed,
           sc.commune_code, cm.fullname AS commune_name, sc.lat, sc.lon, sc.location_precision,
           sc.placement_note, sc.stem_lab, sc.stem_year,
           (SELECT MIN(y.school_year) FROM school_year y WHERE y.school_id = sc.id) AS school_year_min,
           (SELECT MAX(y.school_year) FROM school_year y WHERE y.school_id = sc.id) AS school_year_max,
           {_SOURCE_COLS.format(a='sc')}
    FROM page JOIN school sc ON sc.id = page.page_key
    LEFT JOIN admin_unit pr ON pr.code = sc.province_code LEFT JOIN admin_unit dn ON dn.code = sc.district_code
    LEFT JOIN unit_former cf ON cf.code = sc.province_code AND cf.level = 'province'
    LEFT JOIN admin_unit cm ON cm.code = sc.commune_code
    {_SOURCE_JOINS.format(a='sc')}
    ORDER BY sc.code"""
    return Listing(w, "school", "id", "code", select, _engine(engine), version)
