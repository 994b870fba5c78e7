"""Engine and connection settings for the SQLite store (WAL mode)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from . import ROOT

DEFAULT_DB = ROOT / "data" / "dashboard.db"


def database_path() -> Path:
    """Path of the SQLite file: DATABASE_URL (sqlite:///...) wins over DASHBOARD_DB, else data/dashboard.db."""
    url = os.environ.get("DATABASE_URL", "")
    if url:
        if not url.startswith("sqlite:///"):
            raise ValueError(f"DATABASE_URL must be a sqlite:/// URL, got {url!r}")
        return Path(url.removeprefix("sqlite:///")).expanduser().resolve()
    return Path(os.environ.get("DASHBOARD_DB", DEFAULT_DB)).expanduser().resolve()


def make_engine(path: Path | str, *, read_only: bool = False) -> Engine:
    """An engine on one SQLite file with WAL journaling and foreign keys on."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    return engine


def read_engine(path: str | Path | None = None) -> Engine:
    """Shared read-only engine for queries: one per database file (the file named by the environment)."""
    return _read_engine(str(path or database_path()))


@lru_cache(maxsize=8)
def _read_engine(path: str) -> Engine:
    return make_engine(path, read_only=True)
