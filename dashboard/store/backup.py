"""Backup and restore of the SQLite store with SQLite's online backup API (a PostgreSQL store is backed up
with pg_dump and restored with pg_restore: both commands say so).

backup: a consistent copy of the store while the app reads and the intake writes; the copy is written to
a temporary file beside FILE and renamed over it when complete (journal mode DELETE: one self-contained file).

restore: FILE must be a store of this dashboard (an Alembic revision this program knows; older ones are
migrated on the way in). It is staged in a temporary directory, given a data version above the current
store's (so every cache invalidates), then copied into the live store in one step of the backup API, which
SQLite runs as one write transaction: readers see the old store until it commits, then the restored one.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from ..db import StoreError, _fold_and_keep_wal, connect_read_only, data_version, is_server, write_engine
from .schema import inspect_store, upgrade_connection

SET_VERSION = ("INSERT INTO store_meta (key, value) VALUES ('data_version', ?) "
               "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def _version(path: Path) -> int:
    con = connect_read_only(path)
    try:
        row = con.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchone()
    except sqlite3.Error:
        return 0
    finally:
        con.close()
    return int(row[0]) if row else 0


PG_BACKUP = ("the store is a PostgreSQL database: back it up with PostgreSQL's own tools, e.g. "
             "`pg_dump --format=custom --file=FILE DBNAME` (see README, Running for many users)")
PG_RESTORE = ("the store is a PostgreSQL database: restore a `pg_dump` file with `pg_restore --clean --if-exists "
              "--dbname=DBNAME FILE`, then run `python -m dashboard migrate` (see README, Running for many users)")


def backup(db: Path, file: Path, *, force: bool = False) -> dict[str, object]:
    if is_server(db):
        raise StoreError(PG_BACKUP)
    db, file = Path(db), Path(file).expanduser().resolve()
    state = inspect_store(db)
    if state.kind not in ("current", "behind"):
        raise StoreError(state.message)
    if file == db:
        raise StoreError("the backup file must differ from the database file")
    if file.is_dir():
        raise StoreError(f"{file} is a directory: give a file name for the backup")
    if not file.parent.is_dir():
        raise StoreError(f"folder {file.parent} does not exist")
    if file.exists() and not force:
        raise StoreError(f"{file} exists: choose another name or add --force to overwrite it")
    if not os.access(file.parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write in {file.parent} (read-only or no permission)")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".partial", dir=file.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        src = connect_read_only(db)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"the copy of {db} fails its integrity check ({check}); the store may be damaged")
        finally:
            dst.close()
            src.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, file)
    except sqlite3.Error as exc:
        raise StoreError(f"backup failed, nothing written: {exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return {"source": db, "file": file, "revision": state.revision, "data_version": _version(file),
            "bytes": file.stat().st_size}


def restore(file: Path, db: Path) -> dict[str, object]:
    if is_server(db):
        raise StoreError(PG_RESTORE)
    file, db = Path(file).expanduser().resolve(), Path(db)
    src_state = inspect_store(file, check_integrity=True)
    if src_state.kind in ("missing", "directory"):
        raise StoreError(f"not restored, the database was not changed: backup file {file} "
                         f"{'does not exist' if src_state.kind == 'missing' else 'is a directory'}")
    if src_state.kind not in ("current", "behind"):
        raise StoreError(f"not restored, the database was not changed: {src_state.message}")
    from ..build import check_target

    check_target(db)
    target = inspect_store(db)
    if target.kind in ("foreign", "not_sqlite"):
        raise StoreError(f"not restored: {target.message}; it is not replaced")
    old_version = _version(db) if target.kind in ("current", "behind", "legacy") else 0
    with tempfile.TemporaryDirectory(prefix="dashboard-restore-") as tmpdir:
        stage = Path(tmpdir) / "stage.db"
        src = connect_read_only(file)
        dst = sqlite3.connect(stage)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        engine = write_engine(stage)  # WAL header like the live store; migrate an older backup to head
        try:
            with engine.begin() as con:
                con.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
                upgrade_connection(con)
                new_version = max(old_version, data_version(con)) + 1
                con.exec_driver_sql(SET_VERSION, (str(new_version),))
        finally:
            engine.dispose()
        revision = inspect_store(stage).revision
        if target.kind in ("missing", "empty", "corrupt"):
            _replace_file(stage, db)
        else:
            _copy_into(stage, db)
    return {"file": file, "target": db, "revision": revision, "data_version": new_version}


def _copy_into(stage: Path, db: Path) -> None:
    """Overwrite the live store with `stage` in one backup step (one write transaction; same inode)."""
    src = sqlite3.connect(stage)
    dst = sqlite3.connect(db, timeout=30)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        src.backup(dst)
    except sqlite3.Error as exc:
        raise StoreError(f"not restored, the database was not changed: {exc}") from None
    finally:
        _fold_and_keep_wal(dst, db)
        src.close()


def _replace_file(stage: Path, db: Path) -> None:
    """No usable store at `db`: put the staged copy there with an atomic rename."""
    tmp = db.parent / f".{db.name}.restoring"
    try:
        shutil.copyfile(stage, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        for suffix in ("-wal", "-shm"):  # a damaged store's WAL must not pair with the restored file
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db)
    finally:
        tmp.unlink(missing_ok=True)
