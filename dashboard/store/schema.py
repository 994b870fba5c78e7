"""Schema of the store, managed by Alembic: what state a file is in, and upgrading it to head.

Every check here opens the file read-only (dashboard.db.connect_read_only), so inspecting a store never
changes it. `upgrade_connection` runs inside the caller's writing transaction (build-db, migrate), so a
migration and the data written with it commit together or not at all.
"""
from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from ..db import ServerDatabase, StoreError, bump_data_version, connect_read_only, is_server, write_engine
from . import dialect
from .views import VIEWS

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
# Tables that belong to the intake: build-db never touches them (their names, or this prefix).
INTAKE_PREFIX = "intake_"
INTAKE_TABLES = frozenset({"app_user"})


def is_intake_table(name: str) -> bool:
    return name.startswith(INTAKE_PREFIX) or name in INTAKE_TABLES


def target_metadata() -> MetaData:
    """SQLModel.metadata with every module of the models package imported (models/intake.py included)."""
    import models

    for mod in pkgutil.iter_modules(models.__path__):
        importlib.import_module(f"models.{mod.name}")
    return SQLModel.metadata


def alembic_config(connection: Connection | None = None, **attributes: object) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    cfg.attributes.update(attributes)
    return cfg


def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    heads = script().get_heads()
    if len(heads) != 1:
        raise StoreError(f"the migrations have {len(heads)} heads ({', '.join(heads)}); merge them")
    return heads[0]


def known_revisions() -> set[str]:
    return {r.revision for r in script().walk_revisions()}


def current_revision(con: Connection) -> str | None:
    return MigrationContext.configure(con).get_current_revision()


@dataclass(frozen=True)
class StoreState:
    path: Path
    kind: str  # missing | directory | empty | not_sqlite | corrupt | foreign | legacy | behind | ahead | current
    revision: str | None = None
    detail: str = ""

    @property
    def message(self) -> str:
        p, head = self.path, head_revision()
        if is_server(p):
            return _server_message(self, head)
        return {
            "missing": f"no database at {p}: build it with `python -m dashboard build-db`",
            "directory": f"{p} is a directory, not a database file",
            "empty": f"{p} is an empty database: build it with `python -m dashboard build-db`",
            "not_sqlite": f"{p} is not a SQLite database",
            "corrupt": f"{p} is damaged ({self.detail}): restore a backup with `python -m dashboard restore FILE`",
            "foreign": f"{p} is a SQLite database but not a store of this dashboard (no schema revision); "
                       "choose another file",
            "legacy": f"{p} was built before schema migrations: rebuild it in place with "
                      "`python -m dashboard build-db` (it holds only data built from the seed files)",
            "behind": f"{p} has schema revision {self.revision}, this program needs {head}: "
                      "run `python -m dashboard migrate`",
            "ahead": f"{p} has schema revision {self.revision}, unknown to this program (written by a newer "
                     "version?): update the program",
            "current": f"{p} is a store at schema revision {self.revision}",
        }[self.kind]


def _server_message(state: "StoreState", head: str) -> str:
    p = state.path
    return {
        "unreachable": f"cannot use the PostgreSQL database {p}: {state.detail}",
        "empty": f"the PostgreSQL database {p} is empty: build it with `python -m dashboard build-db`",
        "foreign": f"the PostgreSQL database {p} holds tables but is not a store of this dashboard (no schema "
                   "revision); choose another database",
        "legacy": f"the PostgreSQL database {p} has no schema revision: rebuild it with `python -m dashboard build-db`",
        "behind": f"the PostgreSQL database {p} has schema revision {state.revision}, this program needs {head}: "
                  "run `python -m dashboard migrate`",
        "ahead": f"the PostgreSQL database {p} has schema revision {state.revision}, unknown to this program "
                 "(written by a newer version?): update the program",
        "current": f"{p} is a store at schema revision {state.revision}",
    }.get(state.kind, f"the PostgreSQL database {p} cannot be used ({state.kind})")


def _inspect_server(db: ServerDatabase) -> StoreState:
    """The same questions as for a file, asked of a PostgreSQL database through a read-only session."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from ..db import read_engine

    try:
        with read_engine(db).connect() as con:
            tables = set(dialect.table_names(con))
            if not tables:
                return StoreState(db, "empty")
            if "alembic_version" not in tables:
                legacy = {"build_info", "observation", "indicator", "admin_unit"} <= tables
                return StoreState(db, "legacy" if legacy else "foreign")
            row = con.execute(text("SELECT version_num FROM alembic_version")).first()
    except OperationalError as exc:
        detail = " ".join(str(getattr(exc, "orig", exc)).split())[:300]
        return StoreState(db, "unreachable", detail=detail)
    except DBAPIError as exc:
        return StoreState(db, "unreachable", detail=" ".join(str(getattr(exc, "orig", exc)).split())[:300])
    rev = row[0] if row else None
    if rev is None:
        return StoreState(db, "foreign")
    if rev == head_revision():
        return StoreState(db, "current", rev)
    return StoreState(db, "behind" if rev in known_revisions() else "ahead", rev)


def inspect_store(path: Path | str | ServerDatabase, *, check_integrity: bool = False) -> StoreState:
    """What `path` holds, without writing anything or creating a file next to it."""
    if is_server(path):
        return _inspect_server(path)
    p = Path(path)
    if not p.exists():
        return StoreState(p, "missing")
    if p.is_dir():
        return StoreState(p, "directory")
    try:
        with open(p, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        return StoreState(p, "corrupt", detail=exc.strerror or str(exc))
    if not head:
        return StoreState(p, "empty")
    if head != SQLITE_HEADER:
        return StoreState(p, "not_sqlite")
    try:
        con = connect_read_only(p)
    except (sqlite3.Error, StoreError) as exc:
        return StoreState(p, "corrupt", detail=str(exc))
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if check_integrity:
            bad = [r[0] for r in con.execute("PRAGMA quick_check(3)")]
            if bad != ["ok"]:
                return StoreState(p, "corrupt", detail="; ".join(bad)[:200])
        if not tables:
            return StoreState(p, "empty")
        if "alembic_version" not in tables:
            legacy = {"build_info", "observation", "indicator", "admin_unit"} <= tables
            return StoreState(p, "legacy" if legacy else "foreign")
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return StoreState(p, "corrupt", detail=str(exc))
    finally:
        con.close()
    rev = row[0] if row else None
    if rev is None:
        return StoreState(p, "foreign")
    if rev == head_revision():
        return StoreState(p, "current", rev)
    return StoreState(p, "behind" if rev in known_revisions() else "ahead", rev)


def require_current(path: Path | str | ServerDatabase) -> StoreState:
    """For readers: the store at `path` is ours and at head, else StoreError with one clear line."""
    state = inspect_store(path)
    if state.kind != "current":
        raise StoreError(state.message)
    return state


DERIVED_KEY = "derived_objects"  # store_meta key: hash of the PostgreSQL functions and views as created


def _views_current(con: Connection) -> bool:
    have = dialect.view_sql(con)
    if dialect.is_pg(con):  # PostgreSQL normalises view text: compare the hash of what we created
        stored = con.execute(text("SELECT value FROM store_meta WHERE key = :k"), {"k": DERIVED_KEY}).scalar()
        return set(VIEWS) <= set(have) and stored == dialect.derived_hash(dialect.derived_sql(con, VIEWS))
    return all(have.get(name) == sql for name, sql in VIEWS.items())


def drop_everything(con: Connection) -> None:
    """Drop every view, table and index (a pre-migration store holds only build-owned data)."""
    dialect.drop_everything(con)


def upgrade_connection(con: Connection) -> bool:
    """Bring the schema reachable through `con` (inside a transaction) to head, views included.
    Returns True if anything changed (then the data version is bumped too)."""
    head = head_revision()
    rev = current_revision(con)
    if rev == head and _views_current(con):
        return False
    if rev is not None and rev not in known_revisions():
        raise StoreError(f"schema revision {rev} is unknown to this program (written by a newer version?)")
    for name in VIEWS:
        con.exec_driver_sql(f'DROP VIEW IF EXISTS "{name}"')
    if rev != head:
        command.upgrade(alembic_config(con), "head")
    statements = dialect.derived_sql(con, VIEWS)
    for sql in statements:
        con.exec_driver_sql(sql)
    if dialect.is_pg(con):
        con.execute(text("DELETE FROM store_meta WHERE key = :k"), {"k": DERIVED_KEY})
        con.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"),
                    {"k": DERIVED_KEY, "v": dialect.derived_hash(statements)})
    bump_data_version(con)
    return True


def upgrade(path: Path | str | ServerDatabase) -> bool:
    """`python -m dashboard migrate`: upgrade an existing store to head in one transaction."""
    p = path if is_server(path) else Path(path)
    state = inspect_store(p, check_integrity=True)
    if state.kind in ("missing", "directory", "empty", "not_sqlite", "corrupt", "foreign", "legacy", "ahead",
                      "unreachable"):
        raise StoreError(state.message)
    engine = write_engine(p)
    try:
        with engine.begin() as con:
            dialect.defer_foreign_keys(con)
            return upgrade_connection(con)
    finally:
        engine.dispose()
