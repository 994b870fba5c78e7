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

from ..db import StoreError, bump_data_version, connect_read_only, write_engine
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


def inspect_store(path: Path | str, *, check_integrity: bool = False) -> StoreState:
    """What `path` holds, without writing anything or creating a file next to it."""
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


def require_current(path: Path | str) -> StoreState:
    """For readers: the store at `path` is ours and at head, else StoreError with one clear line."""
    state = inspect_store(path)
    if state.kind != "current":
        raise StoreError(state.message)
    return state


def _views_current(con: Connection) -> bool:
    have = dict(con.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'view'")).all())
    return all(have.get(name) == sql for name, sql in VIEWS.items())


def drop_everything(con: Connection) -> None:
    """Drop every view, table and index (a pre-migration store holds only build-owned data)."""
    objs = con.execute(text("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                            "ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END")).all()
    for kind, name in objs:
        if kind in ("view", "trigger", "table"):
            con.exec_driver_sql(f'DROP {kind.upper()} IF EXISTS "{name}"')


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
    for sql in VIEWS.values():
        con.exec_driver_sql(sql)
    bump_data_version(con)
    return True


def upgrade(path: Path | str) -> bool:
    """`python -m dashboard migrate`: upgrade an existing store to head in one transaction."""
    p = Path(path)
    state = inspect_store(p, check_integrity=True)
    if state.kind in ("missing", "directory", "empty", "not_sqlite", "corrupt", "foreign", "legacy", "ahead"):
        raise StoreError(state.message)
    engine = write_engine(p)
    try:
        with engine.begin() as con:
            con.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
            return upgrade_connection(con)
    finally:
        engine.dispose()
