"""Engines on the SQLite store (WAL mode): one for writers, one that can only read.

Writers (build, migrations, intake, restore) use `write_engine`: WAL journaling, foreign keys on, and
explicit `BEGIN IMMEDIATE` transactions so DDL, `PRAGMA defer_foreign_keys` and DML share one transaction.
When a writer's connection closes, the WAL is folded into the main file (a plain copy of the file is
complete) and the empty `-wal` and `-shm` files are left in place for the readers.

Readers use `read_engine`, which never writes and never creates a file (issue 9, item 9). Its pooled
connections are checked at every checkout (the same file; an immutable one also unchanged), so a restored
file or a first write to a bare copy is always seen. A connection is opened:
- `-wal` exists (every store a writer of ours has touched): `mode=ro`, sharing the WAL index, so a reader
  sees the last committed snapshot and keeps its snapshot while a build or publish writes;
- a WAL database without `-wal` (a bare copy of the file, fully checkpointed): `immutable=1`, which reads
  the file without creating `-wal`/`-shm` next to it;
- a rollback-journal database: `mode=ro`.
If `mode=ro` cannot open the WAL index (read-only folder without `-shm`), it falls back to `immutable=1`.

The data version (`store_meta.data_version`) is bumped by every write that changes data (build, publish,
rollback, restore, migration); UI caches key on it instead of the file's mtime.

PostgreSQL (`DATABASE_URL=postgresql+psycopg://user:password@host:port/dbname`): `database_path()` gives a
`ServerDatabase` instead of a Path. Writers get short-lived connections (NullPool); readers share a pooled
engine per URL whose sessions are read-only (`default_transaction_read_only=on`) and checked before use
(`pool_pre_ping`). NUMERIC results (e.g. `100.0 * SUM(x) / COUNT(*)`) are read as float, as on SQLite.
Dialect-specific SQL lives in dashboard/store/dialect.py.
"""
from __future__ import annotations

import os
import sqlite3
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import NullPool, QueuePool
from sqlmodel import create_engine

from . import ROOT

DEFAULT_DB = ROOT / "data" / "dashboard.db"
BUSY_TIMEOUT_S = 30.0


class StoreError(ValueError):
    """A problem with the store or its location that the user can fix; the message is one clear line."""


PG_SCHEMES = ("postgresql+psycopg://", "postgresql://", "postgres://")


class ServerDatabase:
    """A store on a PostgreSQL server, named by its URL. It answers the few Path questions callers ask of a
    store location (`is_file`, `exists`: the server holds it; `is_dir`: never) and prints without the
    password, so messages and cache keys never show it."""

    def __init__(self, url: str) -> None:
        try:
            u = make_url(url)
        except ArgumentError:
            raise StoreError("DATABASE_URL is not a valid database URL") from None
        if u.drivername in ("postgresql", "postgres"):
            u = u.set(drivername="postgresql+psycopg")
        if u.drivername != "postgresql+psycopg":
            raise StoreError(f"PostgreSQL URLs must use the psycopg driver: postgresql+psycopg://… "
                             f"(got {u.drivername!r})")
        if not u.database:
            raise StoreError("the PostgreSQL URL names no database: postgresql+psycopg://user@host:port/dbname")
        self.url = u

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True)

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerDatabase) and str(self.url) == str(other.url)

    def __hash__(self) -> int:
        return hash(str(self.url))

    @property
    def name(self) -> str:
        return self.url.database or ""

    def is_file(self) -> bool:
        return True

    def exists(self) -> bool:
        return True

    def is_dir(self) -> bool:
        return False


def is_server(target: object) -> bool:
    return isinstance(target, ServerDatabase)


def target_of(engine: Engine | Connection) -> Path | ServerDatabase:
    """The store an engine (or connection) works on, as `database_path()` would name it."""
    url = engine.engine.url if isinstance(engine, Connection) else engine.url
    if url.get_backend_name() == "postgresql":
        return ServerDatabase(url.render_as_string(hide_password=False))
    return Path(url.database or "")


def parse_target(value: str) -> Path | ServerDatabase:
    """A --db value or DATABASE_URL: a PostgreSQL URL, a sqlite:/// URL or a file path."""
    v = value.strip()
    if v.startswith(PG_SCHEMES):
        return ServerDatabase(v)
    if "://" in v:
        if not v.startswith("sqlite:///") or v == "sqlite:///" or v.startswith("sqlite:///:memory:"):
            scheme = v.split(":", 1)[0]
            raise StoreError(f"DATABASE_URL must be sqlite:////absolute/path/file.db or "
                             f"postgresql+psycopg://user:password@host:port/dbname (got a {scheme!r} URL)")
        return Path(v.removeprefix("sqlite:///").split("?", 1)[0]).expanduser().resolve()
    return Path(v).expanduser().resolve()


def database_path() -> Path | ServerDatabase:
    """Where the store is: DATABASE_URL (sqlite:///... or postgresql+psycopg://...) wins over DASHBOARD_DB
    (a file), else data/dashboard.db. A PostgreSQL URL gives a ServerDatabase.

    Every cached query asks for it (the cache key holds the store's data version): the answer is remembered per
    setting and working directory, so a page run does not resolve the same path on the disk dozens of times."""
    return _database_path(os.environ.get("DATABASE_URL"), os.environ.get("DASHBOARD_DB"), os.getcwd())


@lru_cache(maxsize=16)
def _database_path(url: str | None, env: str | None, _cwd: str) -> Path | ServerDatabase:
    if url is not None:
        if not url.strip():
            raise StoreError("DATABASE_URL is set but empty: unset it or give sqlite:////absolute/path/file.db "
                             "or postgresql+psycopg://user:password@host:port/dbname")
        if "://" not in url:
            raise StoreError("DATABASE_URL must be a URL: sqlite:////absolute/path/file.db or "
                             "postgresql+psycopg://user:password@host:port/dbname")
        return parse_target(url)
    if env is not None and not env.strip():
        raise StoreError("DASHBOARD_DB is set but empty: unset it or give the path of the database file")
    return Path(env or DEFAULT_DB).expanduser().resolve()


def _pg_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
    """Results typed as SQLite gives them to the queries, so both backends give identical frames and files:
    NUMERIC as float (100.0 * a / b; Decimal would change every frame's dtypes), DATE as ISO text
    ('2024-03-31', as stored in SQLite), BOOLEAN as 0/1."""
    from psycopg.adapt import Loader
    from psycopg.types.numeric import FloatLoader
    from psycopg.types.string import TextLoader

    class BoolAsInt(Loader):
        def load(self, data) -> int:  # noqa: ANN001
            return 1 if bytes(data) in (b"t", b"\x01") else 0

    dbapi_conn.adapters.register_loader("numeric", FloatLoader)
    dbapi_conn.adapters.register_loader("date", TextLoader)
    dbapi_conn.adapters.register_loader("bool", BoolAsInt)


def _pg_engine(db: ServerDatabase, *, read_only: bool) -> Engine:
    from sqlalchemy import create_engine as sa_create_engine

    args: dict = {"application_name": "dashboard-read" if read_only else "dashboard", "connect_timeout": 10,
                  "options": "-c timezone=UTC"}  # times are stored as UTC (timestamp without time zone)
    if read_only:
        args["options"] += " -c default_transaction_read_only=on"
        engine = sa_create_engine(db.url, pool_pre_ping=True, pool_size=4, max_overflow=16, connect_args=args)
    else:
        engine = sa_create_engine(db.url, poolclass=NullPool, connect_args=args)
    event.listen(engine, "connect", _pg_connect)
    return engine


def _ulower(s: object) -> object:
    # SQLite's LIKE folds ASCII only; ulower() folds Vietnamese too ('đồng tháp' finds 'Đồng Tháp')
    return s.lower() if isinstance(s, str) else s


def _register(dbapi_conn: sqlite3.Connection) -> None:
    dbapi_conn.create_function("ulower", 1, _ulower, deterministic=True)


def make_engine(path: Path | str | ServerDatabase, *, read_only: bool = False) -> Engine:
    """An engine on one store. read_only=True gives `read_engine`'s never-writing connections."""
    if is_server(path):
        return _pg_engine(path, read_only=read_only)
    return _ro_engine(Path(path)) if read_only else write_engine(path)


def write_engine(path: Path | str | ServerDatabase) -> Engine:
    """Engine for writers. SQLite: WAL, foreign keys, `BEGIN IMMEDIATE` transactions that include DDL.
    PostgreSQL: one connection per use (NullPool), transactions as the server gives them."""
    if is_server(path):
        return _pg_engine(path, read_only=False)
    engine = create_engine(f"sqlite:///{path}", poolclass=NullPool,
                           connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # the driver issues no BEGIN of its own; see _begin
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        _register(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "close")
    def _close(dbapi_conn, _record):  # noqa: ANN001
        _fold_and_keep_wal(dbapi_conn, Path(path))

    return engine


def _fold_and_keep_wal(dbapi_conn: sqlite3.Connection, path: Path) -> None:
    """Before a writer's connection closes: copy the WAL into the main file (so a plain copy of the file is
    complete), and keep the empty `-wal` and `-shm` files in place, so that readers (mode=ro) find them and
    never have to create files next to the store. SQLite deletes them when the last connection closes; a
    read-only connection held open across that close prevents it, and a read-only connection never deletes."""
    keeper = None
    try:
        dbapi_conn.execute("PRAGMA busy_timeout=200")  # a reader holding an old snapshot: fold what it allows
        dbapi_conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        keeper = sqlite3.connect(_uri(path, "mode=ro"), uri=True)
        keeper.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.Error:
        pass  # an unusable file: nothing to keep
    finally:
        try:
            dbapi_conn.close()
        finally:
            if keeper is not None:
                keeper.close()


def _uri(path: Path, params: str) -> str:
    return f"file:{quote(str(path))}?{params}"


def _is_wal(path: Path) -> bool:
    """Byte 18 of the SQLite header is 2 for a WAL database, 1 for a rollback-journal one."""
    try:
        with open(path, "rb") as f:
            head = f.read(20)
    except OSError:
        return False
    return len(head) == 20 and head[18] == 2


class ReadOnlyConnection(sqlite3.Connection):
    """A read-only connection that remembers how it was opened, so a pool can tell when it is outdated."""

    mode: str = "ro"
    file_id: tuple[int, int, int] = (0, 0, 0)

    def still_fits(self, path: Path) -> bool:
        """True while the file is the one this connection opened and `connect_read_only` would still choose
        the same mode (an immutable connection also needs the file unchanged: it does not see writes)."""
        try:
            st = os.stat(path)
        except OSError:
            return False
        if st.st_ino != self.file_id[0]:
            return False
        if self.mode == "immutable":
            return (st.st_mtime_ns, st.st_size) == self.file_id[1:] and not Path(f"{path}-wal").exists()
        return True


def connect_read_only(path: Path | str) -> ReadOnlyConnection:
    """A DB-API connection that cannot write and creates no file (see the module docstring)."""
    p = Path(path)
    if not p.exists():
        raise StoreError(f"no database at {p}: build it with `python -m dashboard build-db`")
    if not p.is_file():
        raise StoreError(f"{p} is a directory, not a database file")
    st = os.stat(p)
    kw = dict(uri=True, check_same_thread=False, factory=ReadOnlyConnection)
    if _is_wal(p) and not Path(f"{p}-wal").exists():
        con, mode = sqlite3.connect(_uri(p, "immutable=1"), **kw), "immutable"
    else:
        try:
            con, mode = sqlite3.connect(_uri(p, "mode=ro"), timeout=BUSY_TIMEOUT_S, **kw), "ro"
            con.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # opens the WAL index now
        except sqlite3.OperationalError as exc:
            # a read-only folder without the -shm file: read the main file as it is
            if os.access(p.parent, os.W_OK) and "unable to open" not in str(exc) and "readonly" not in str(exc):
                raise
            con, mode = sqlite3.connect(_uri(p, "immutable=1"), **kw), "immutable"
    con.mode, con.file_id = mode, (st.st_ino, st.st_mtime_ns, st.st_size)
    con.execute("PRAGMA query_only=ON")
    _register(con)
    return con


def _ro_engine(path: Path) -> Engine:
    """Pooled read-only connections; each checkout checks (two stat calls) that the connection still fits
    the file, else the pool opens a fresh one (a restored file, a first write to a bare copy)."""
    engine = create_engine("sqlite://", creator=lambda: connect_read_only(path), poolclass=QueuePool,
                           pool_size=4, max_overflow=16)

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, _record, _proxy):  # noqa: ANN001
        if not dbapi_conn.still_fits(path):
            raise DisconnectionError("the store changed under a read-only connection")

    return engine


def read_engine(path: str | Path | ServerDatabase | None = None) -> Engine:
    """Shared read-only engine for queries, one per database path or URL. SQLite: a connection is reused
    only while it still fits the file (see ReadOnlyConnection.still_fits), so every query sees the store as
    it is now. PostgreSQL: a pool of read-only sessions, pinged before use."""
    target = path if path is not None else database_path()
    if is_server(target):
        return _read_engine_pg(str(target.url.render_as_string(hide_password=False)))
    if isinstance(target, str) and target.startswith(PG_SCHEMES):
        return _read_engine_pg(target)
    return _read_engine(str(Path(target)))


@lru_cache(maxsize=8)
def _read_engine(path: str) -> Engine:
    return _ro_engine(Path(path))


@lru_cache(maxsize=8)
def _read_engine_pg(url: str) -> Engine:
    return _pg_engine(ServerDatabase(url), read_only=True)


def data_version(engine: Engine | Connection) -> int:
    """The store's data version: changes with every build, publish, rollback, restore and migration."""
    sql = text("SELECT value FROM store_meta WHERE key = 'data_version'")
    if isinstance(engine, Connection):
        v = engine.execute(sql).scalar()
    else:
        with engine.connect() as con:
            v = con.execute(sql).scalar()
    return int(v or 0)


def bump_data_version(connection: Connection | sqlite3.Connection) -> int:
    """Increase the data version inside the caller's writing transaction; returns the new version."""
    upd = ("UPDATE store_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
           "WHERE key = 'data_version'")
    ins = "INSERT INTO store_meta (key, value) VALUES ('data_version', '1')"
    sel = "SELECT value FROM store_meta WHERE key = 'data_version'"
    if isinstance(connection, sqlite3.Connection):
        if connection.execute(upd).rowcount == 0:
            connection.execute(ins)
        return int(connection.execute(sel).fetchone()[0])
    if connection.execute(text(upd)).rowcount == 0:
        connection.execute(text(ins))
    return int(connection.execute(text(sel)).scalar())
