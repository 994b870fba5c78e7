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
        # SQLite's LIKE folds ASCII only; ulower() folds Vietnamese too ('đồng tháp' finds 'Đồng Tháp')
        dbapi_conn.create_function("ulower", 1, lambda s: s.lower() if isinstance(s, str) else s, deterministic=True)
        if read_only:
            cur.execute("PRAGMA query_only=ON")
        cur.close()

    return engine


def read_engine(path: str | Path | None = None) -> Engine:
    """Shared read-only engine for queries, one per database file *version*: a rebuild replaces the file
    (new inode and mtime), so the next query opens a new engine instead of reading the old file through
    pooled connections."""
    p = Path(path or database_path())
    try:
        st = p.stat()
        version = (st.st_ino, st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        version = (0, 0, 0)
    return _read_engine(str(p), version)


@lru_cache(maxsize=4)
def _read_engine(path: str, version: tuple[int, int, int]) -> Engine:  # noqa: ARG001 - version keys the cache
    return make_engine(path, read_only=True)
