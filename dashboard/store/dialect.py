"""Everything that differs between the two backends of the store, SQLite and PostgreSQL, in one place.

The rest of the program writes one SQL for both. Where the dialects differ:
- functions SQLite has and PostgreSQL lacks are created on PostgreSQL as derived objects beside the views
  (`PG_FUNCTIONS`: `ulower`, `GROUP_CONCAT(text, sep)`, `ROUND(double precision, int)`), so query text stays
  one text; on SQLite `ulower` is a Python function registered on every connection (dashboard.db);
- statements with no common spelling are produced here: deferring foreign keys, listing tables and views,
  temporary tables and their indexes, JSON fields of the intake's staged rows, upserts, the foreign-key
  check before a build commits.
Write portable SQL elsewhere: `IS DISTINCT FROM` (not `IS NOT`), `TRUE`/`FALSE` for booleans,
`CAST(x AS DOUBLE PRECISION)` (PostgreSQL's REAL is 4 bytes), `COALESCE` (not IFNULL), `COUNT(*) FILTER`.
"""
from __future__ import annotations

import hashlib
from typing import Iterable

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

SQLITE, POSTGRESQL = "sqlite", "postgresql"

# Functions the queries use that PostgreSQL does not have under SQLite's name (created with the views).
PG_FUNCTIONS: dict[str, str] = {
    "ulower": """CREATE OR REPLACE FUNCTION ulower(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT lower($1)'""",
    "_group_concat_step": """CREATE OR REPLACE FUNCTION _group_concat_step(acc text, v text, sep text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS 'SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v ELSE acc || sep || v END'""",
    "group_concat": """CREATE OR REPLACE AGGREGATE group_concat(text, text) (SFUNC = _group_concat_step,
        STYPE = text)""",
    "round": """CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS double precision
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT round($1::numeric, $2)::double precision'""",
}


def name(bind: Connection | Engine) -> str:
    return bind.dialect.name


def is_pg(bind: Connection | Engine) -> bool:
    return bind.dialect.name == POSTGRESQL


def defer_foreign_keys(con: Connection) -> None:
    """Foreign keys checked at COMMIT instead of at each statement (SQLite). PostgreSQL's constraints are
    not deferrable: the build deletes children before parents and upserts parents instead."""
    if is_pg(con):
        con.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
    else:
        con.exec_driver_sql("PRAGMA defer_foreign_keys=ON")


def table_names(con: Connection) -> list[str]:
    return sa_inspect(con).get_table_names()


def view_sql(con: Connection) -> dict[str, str]:
    """SQLite: name → CREATE VIEW text as stored. PostgreSQL: name → '' (definitions are normalised there)."""
    if is_pg(con):
        return {r[0]: "" for r in con.execute(text(
            "SELECT viewname FROM pg_views WHERE schemaname = current_schema()"))}
    return dict(con.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all())


def derived_sql(con: Connection, views: dict[str, str]) -> list[str]:
    """Statements that create the derived objects (functions on PostgreSQL, then the views)."""
    return [*(PG_FUNCTIONS.values() if is_pg(con) else ()), *views.values()]


def derived_hash(statements: Iterable[str]) -> str:
    return hashlib.sha256("\n;\n".join(statements).encode()).hexdigest()[:16]


def drop_everything(con: Connection) -> None:
    """Drop every view and table of the schema (a pre-migration store holds only build-owned data)."""
    if is_pg(con):
        for (v,) in con.execute(text("SELECT viewname FROM pg_views WHERE schemaname = current_schema()")).all():
            con.exec_driver_sql(f'DROP VIEW IF EXISTS "{v}" CASCADE')
        for t in table_names(con):
            con.exec_driver_sql(f'DROP TABLE IF EXISTS "{t}" CASCADE')
        return
    objs = con.execute(text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END")).all()
    for kind, obj in objs:
        if kind in ("view", "trigger", "table"):
            con.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{obj}"')


def foreign_key_problems(con: Connection, tables: Iterable[str]) -> list[tuple]:
    """Rows of `tables` whose foreign key finds no parent: (table, rowid, parent, fk index). SQLite checks
    deferred keys at COMMIT and can list the culprits before; PostgreSQL's keys are checked at each
    statement (a violating DELETE raises at once), so there is nothing left to find here."""
    if is_pg(con):
        return []
    problems: list[tuple] = []
    for t in tables:
        problems += con.exec_driver_sql(f'PRAGMA foreign_key_check("{t}")').all()
    return problems


def upsert(con: Connection, table, rows: list[dict], key: str) -> None:  # noqa: ANN001
    """INSERT … ON CONFLICT (key) DO UPDATE of every other column, as executemany batches."""
    if not rows:
        return
    if is_pg(con):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    missing = {c.name: (c.default.arg if c.default is not None and c.default.is_scalar else None)
               for c in table.columns if c.name not in rows[0] and not c.primary_key}
    if missing:  # an upserted row is the row as an INSERT would write it: columns left out take their default
        rows = [{**missing, **r} for r in rows]
    stmt = insert(table)
    cols = [c for c in rows[0] if c != key]
    stmt = stmt.on_conflict_do_update(index_elements=[key], set_={c: stmt.excluded[c] for c in cols})
    con.execute(stmt, rows)


def sync_sequence(con: Connection, table: str, column: str = "id") -> None:
    """After rows were written with explicit ids: PostgreSQL's sequence must continue above them."""
    if is_pg(con):
        con.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                            f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {table}")


def analyze(con: Connection, tables: Iterable[str]) -> None:
    """PostgreSQL: fresh planner statistics for tables a bulk load just replaced (inside the transaction; the
    pages' first queries after a build must not wait for autovacuum). SQLite plans without them, as before."""
    if is_pg(con):
        for t in tables:
            con.exec_driver_sql(f"ANALYZE {t}")


# --- temporary tables of the intake's set-based publishing ---------------------------------------

def drop_temp(con: Connection, table: str) -> None:
    con.exec_driver_sql(f"DROP TABLE IF EXISTS {'pg_temp' if is_pg(con) else 'temp'}.{table}")


def create_temp_index(con: Connection, index: str, table: str, columns: str) -> None:
    if is_pg(con):
        con.exec_driver_sql(f"CREATE INDEX {index} ON pg_temp.{table} ({columns})")
        con.exec_driver_sql(f"ANALYZE pg_temp.{table}")
    else:
        con.exec_driver_sql(f"CREATE INDEX temp.{index} ON {table} ({columns})")


def json_field(con: Connection, data: str, key: str, sql_type: str | None = None) -> str:
    """SQL for field `key` of the JSON text in column expression `data`, typed as `sql_type` on PostgreSQL
    (SQLite's json_extract keeps the JSON type: integer, real, text or NULL)."""
    if is_pg(con):
        expr = f"(({data})::jsonb ->> '{key}')"
        return f"CAST({expr} AS {sql_type})" if sql_type else expr
    return f"json_extract({data}, '$.{key}')"


def json_object(con: Connection, alias: str, columns: list[str]) -> str:
    """SQL that turns the row `alias` into JSON text with the given columns as keys."""
    if is_pg(con):
        return f"CAST(jsonb_build_object({', '.join(f'{chr(39)}{c}{chr(39)}, {alias}.{c}' for c in columns)}) AS TEXT)"
    return f"json_object({', '.join(f'{chr(39)}{c}{chr(39)}, {alias}.{c}' for c in columns)})"


def json_row(con: Connection, data: str, table: str, columns: list[str]) -> tuple[str, list[str]]:
    """(FROM-clause addition, column expressions) reading a JSON object made by `json_object` back into typed
    columns of `table`: PostgreSQL `jsonb_populate_record`, SQLite `json_extract`."""
    if is_pg(con):
        return (f", LATERAL jsonb_populate_record(NULL::{table}, ({data})::jsonb) AS j",
                [f"j.{c}" for c in columns])
    return "", [f"json_extract({data}, '$.{c}')" for c in columns]


def sql_type(con: Connection, column) -> str:  # noqa: ANN001
    """The column's type as the dialect spells it (for CASTs of JSON fields)."""
    return column.type.compile(dialect=con.dialect)
