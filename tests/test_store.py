"""The store's lifecycle: migrations equal the models, build-db in place keeps imported data, readers keep a
consistent snapshot and never write, the data version moves with every write, backup/restore round trip."""
from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard import queries, rollups
from dashboard.build import build
from dashboard.db import StoreError, data_version, read_engine, write_engine
from dashboard.store import schema
from dashboard.store.backup import backup, restore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built store to copy from (each test works on its own copy)."""
    path = tmp_path_factory.mktemp("store_src") / "dashboard.db"
    build(path, quiet=True)
    return path


def copy_store(src: Path, folder: Path, name: str = "dashboard.db", *, side_files: bool = True) -> Path:
    """A copy of the store: with its -wal/-shm files as our writers leave them, or the bare file."""
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / name
    shutil.copyfile(src, dst)
    if side_files:
        write(dst)  # a writer's connection opens and closes: the (empty) -wal and -shm stay
    return dst


def write(db: Path, *sql: str) -> None:
    """Statements in one transaction through the store's writer engine (as the build and intake write)."""
    engine = write_engine(db)
    with engine.begin() as con:
        for s in sql:
            con.exec_driver_sql(s)
    engine.dispose()


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@contextmanager
def writer(db: Path):
    """A DB-API connection of the store's writer engine (autocommit; foreign keys on)."""
    engine = write_engine(db)
    con = engine.raw_connection()
    try:
        yield con.driver_connection
    finally:
        con.close()
        engine.dispose()


def rows(db: Path, sql: str, *args: object) -> list[tuple]:
    """Read with a plain read-only connection (it never deletes the store's -wal/-shm files)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def insert_row(con: sqlite3.Connection, table: str, **values: object) -> int:
    """Insert a row giving every NOT NULL column without a default a plausible value."""
    for _cid, name, typ, notnull, default, pk in con.execute(f'PRAGMA table_info("{table}")').fetchall():
        if name in values or not notnull or default is not None or pk:
            continue
        t = (typ or "").upper()
        values[name] = 0 if ("INT" in t or "BOOL" in t or "FLOAT" in t or "REAL" in t) else (
            "2025-01-01 00:00:00" if "DATE" in t else "x")
    cols = ", ".join(f'"{c}"' for c in values)
    cur = con.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" * len(values))})', list(values.values()))
    return cur.lastrowid


# --- migrations --------------------------------------------------------------------------------------------

def test_migrations_at_head_equal_the_models(tmp_path):
    """Any change to models/ without a migration makes this fail (alembic compare_metadata finds no diff)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = tmp_path / "fresh.db"
    engine = write_engine(db)
    with engine.begin() as con:
        assert schema.upgrade_connection(con) is True
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con, opts={"compare_type": True}),
                                schema.target_metadata())
        views = {r[0] for r in con.execute(text("SELECT name FROM sqlite_master WHERE type = 'view'"))}
        revision = schema.current_revision(con)
    engine.dispose()
    assert diff == []
    assert views == {"observation_conflict", "target_conflict"}
    assert revision == schema.head_revision()
    assert schema.inspect_store(db).kind == "current"


def test_migration_chain_starts_at_0001_initial():
    script = schema.script()
    chain = [r.revision for r in script.walk_revisions()]  # head first
    assert chain[-1] == "0001_initial" and script.get_revision("0001_initial").down_revision is None
    assert len(script.get_heads()) == 1


def test_migrate_command_on_a_current_store_changes_nothing(store, tmp_path):
    db = copy_store(store, tmp_path)
    before = (sha(db), rows(db, "SELECT value FROM store_meta"))
    out = subprocess.run([sys.executable, "-m", "dashboard", "migrate", "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "already at schema revision" in out.stdout
    assert (sha(db), rows(db, "SELECT value FROM store_meta")) == before


def test_store_at_first_revision_is_migrated_keeping_its_data(tmp_path):
    """A store at 0001_initial (before later migrations) goes to head with `migrate`, its rows kept, and
    `build-db` then fills it."""
    from alembic import command

    db = tmp_path / "old.db"
    engine = write_engine(db)
    with engine.begin() as con:
        command.upgrade(schema.alembic_config(con), "0001_initial")
        con.exec_driver_sql("INSERT INTO source (id, short_title_vi, short_title_en, title, doc_type, issuer, number, "
                            "issued, province_code, batch_id) VALUES ('imp', 'Nhập', 'Imported', 'Báo cáo', 'Báo cáo', "
                            "'Sở', '1', '2025', '87', 5)")
    engine.dispose()
    expected = "behind" if schema.head_revision() != "0001_initial" else "current"
    assert schema.inspect_store(db).kind == expected
    out = subprocess.run([sys.executable, "-m", "dashboard", "migrate", "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0 and schema.head_revision() in out.stdout, out.stderr
    assert schema.inspect_store(db).kind == "current"
    assert rows(db, "SELECT title FROM source WHERE batch_id = 5") == [("Báo cáo",)]
    build(db, quiet=True)
    assert rows(db, "SELECT COUNT(*) FROM source")[0][0] == 7  # six seed documents and the imported one


def make_legacy(db: Path) -> None:
    """A store as the pre-migration build left it: no alembic_version, no store_meta."""
    con = sqlite3.connect(db)
    con.executescript("DROP TABLE alembic_version; DROP TABLE store_meta;")
    con.close()


def test_pre_migration_store_is_rebuilt_in_place_by_build_db(store, tmp_path):
    db = copy_store(store, tmp_path)
    make_legacy(db)
    assert schema.inspect_store(db).kind == "legacy"
    with pytest.raises(StoreError, match="built before schema migrations"):
        schema.upgrade(db)
    build(db, quiet=True)
    assert schema.inspect_store(db).kind == "current"
    assert rows(db, "SELECT COUNT(*) FROM observation") == rows(store, "SELECT COUNT(*) FROM observation")


# --- build-db in place ---------------------------------------------------------------------------------------

def add_imported(db: Path) -> dict[str, int]:
    """Rows an intake batch would have published (batch_id set), one in each shared table and in intake_batch."""
    with writer(db) as con:
        return _add_imported(con)


def _add_imported(con: sqlite3.Connection) -> dict[str, int]:
    ids = {}
    ids["source"] = insert_row(con, "source", id="imp_doc", short_title_vi="Báo cáo nhập", short_title_en="Imported",
                               title="Báo cáo nhập", doc_type="Báo cáo", issuer="Sở", number="1", issued="2025",
                               province_code="87", batch_id=7)
    ids["school"] = insert_row(con, "school", id=900001, code="IMP-0001", name="Trường nhập", level="TH",
                               province_code="87", provenance="imported", stem_lab=0, batch_id=7)
    ids["school_year"] = insert_row(con, "school_year", school_id=900001, school_year=2024, province_code="87",
                                    level="TH", provenance="imported", students=321, batch_id=7)
    ids["observation"] = insert_row(con, "observation", obs_key="imp_obs_1", indicator_code="CASHLESS_SCHOOLS_PCT",
                                    unit_code="87", period="2024-2025", period_start="2024-09-01",
                                    period_end="2025-05-31", year=2025, value=91.5, provenance="imported",
                                    source_id="imp_doc", value_derived=0, batch_id=7)
    ids["intake_batch"] = insert_row(con, "intake_batch", id=7, kind="school_year", file_name="so-lieu.xlsx",
                                     sha256="ab" * 32, province_code="87", status="published", uploaded_by="editor")
    ids["app_user"] = insert_row(con, "app_user", username="nguyen.van.a", role="approver")
    return ids


def test_imported_rows_survive_build_db(store, tmp_path):
    db = copy_store(store, tmp_path)
    add_imported(db)
    version = rows(db, "SELECT value FROM store_meta WHERE key = 'data_version'")[0][0]
    built = {t: rows(db, f"SELECT COUNT(*) FROM {t} WHERE batch_id IS NULL")[0][0]
             for t in ("source", "school", "observation", "school_year")}
    build(db, quiet=True)
    assert rows(db, "SELECT name FROM school WHERE batch_id = 7") == [("Trường nhập",)]
    assert rows(db, "SELECT students FROM school_year WHERE batch_id = 7 AND school_id = 900001") == [(321,)]
    assert rows(db, "SELECT value FROM observation WHERE batch_id = 7") == [(91.5,)]
    assert rows(db, "SELECT id FROM source WHERE batch_id = 7") == [("imp_doc",)]
    assert rows(db, "SELECT file_name FROM intake_batch WHERE id = 7") == [("so-lieu.xlsx",)]
    assert rows(db, "SELECT username, role FROM app_user") == [("nguyen.van.a", "approver")]
    # the build-owned rows were replaced, not duplicated; the data version moved on
    assert {t: rows(db, f"SELECT COUNT(*) FROM {t} WHERE batch_id IS NULL")[0][0] for t in built} == built
    assert int(rows(db, "SELECT value FROM store_meta WHERE key = 'data_version'")[0][0]) > int(version)
    assert rows(db, "PRAGMA foreign_key_check") == []


def test_school_ids_stay_the_same_across_builds(store, tmp_path):
    db = copy_store(store, tmp_path)
    before = rows(db, "SELECT code, id FROM school ORDER BY code")
    build(db, quiet=True)
    assert rows(db, "SELECT code, id FROM school ORDER BY code") == before


def test_build_that_would_orphan_imported_data_is_rolled_back(store, tmp_path):
    """A seed change removed an indicator that imported data uses: one clear line, nothing changed."""
    db = copy_store(store, tmp_path)
    with writer(db) as con:
        insert_row(con, "indicator", code="ZZ_LOCAL_PCT", name_vi="Chỉ tiêu riêng", name_en="Local", unit="pct",
                   direction="up", pillar="infra", headline=0)
        insert_row(con, "observation", obs_key="imp_zz", indicator_code="ZZ_LOCAL_PCT", unit_code="87",
                   period="2024", period_start="2024-01-01", period_end="2024-12-31", year=2024, value=10.0,
                   provenance="imported", value_derived=0, batch_id=3)
    before = rows(db, "SELECT * FROM store_meta"), rows(db, "SELECT COUNT(*) FROM observation")
    with pytest.raises(StoreError) as err:
        build(db, quiet=True)
    assert "not changed" in str(err.value) and "imported data" in str(err.value) and "\n" not in str(err.value)
    assert (rows(db, "SELECT * FROM store_meta"), rows(db, "SELECT COUNT(*) FROM observation")) == before
    assert rows(db, "SELECT code FROM indicator WHERE code = 'ZZ_LOCAL_PCT'") == [("ZZ_LOCAL_PCT",)]


def test_reader_keeps_its_snapshot_during_a_rebuild(store, tmp_path, data_copy):
    """WAL: a reader sees complete old data until the build commits, then complete new data; never a mix."""
    db = copy_store(store, tmp_path / "live")
    (data_copy / "seed" / "breakdowns.csv").open("a", encoding="utf-8").write("zz_new,Mới,New\n")
    from dashboard.db import connect_read_only

    def state(con: sqlite3.Connection) -> tuple:
        return (con.execute("SELECT COUNT(*) FROM breakdown").fetchone()[0],
                con.execute("SELECT COUNT(*) FROM school_year").fetchone()[0],
                con.execute("SELECT COUNT(*) FROM observation").fetchone()[0],
                con.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchone()[0])

    held = connect_read_only(db)
    held.execute("BEGIN")
    old = state(held)
    errors: list[BaseException] = []
    worker = threading.Thread(target=lambda: _run(errors, build, db, data_copy, quiet=True))
    worker.start()
    seen = set()
    while worker.is_alive():  # fresh snapshots while the build runs: each one all old or all new
        poll = connect_read_only(db)
        poll.execute("BEGIN")  # one snapshot for the four reads (else a commit can fall between two of them)
        seen.add(state(poll))
        poll.execute("COMMIT")
        poll.close()
    worker.join()
    assert not errors, errors
    assert state(held) == old  # the held snapshot is still complete old data after the commit
    held.execute("COMMIT")
    new = state(held)
    held.close()
    assert new[0] == old[0] + 1 and new[1:3] == old[1:3] and int(new[3]) > int(old[3])
    assert old in seen and seen <= {old, new}


def _run(errors: list, fn, *args, **kwargs) -> None:  # noqa: ANN001
    try:
        fn(*args, **kwargs)
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


# --- data version --------------------------------------------------------------------------------------------

def test_data_version_moves_with_every_build_and_keys_the_ui_cache(store, tmp_path, monkeypatch):
    from dashboard import ui

    db = copy_store(store, tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    v1, t1 = data_version(read_engine(db)), ui._db_token()
    build(db, quiet=True)
    v2, t2 = data_version(read_engine(db)), ui._db_token()
    assert v2 == v1 + 1 and t1 != t2 and t2.endswith(f":{v2}")
    assert ui.database_ready()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    assert ui._db_token() == "missing" and not ui.database_ready()


# --- reading never writes ----------------------------------------------------------------------------------

def reads(db: Path, tmp_path: Path) -> None:
    """Queries, `export observations` and `forecast` on the store at `db`."""
    engine = read_engine(db)
    assert len(queries.provinces(engine)) == 3
    assert len(queries.export_observations(engine=engine)) > 100
    assert rollups.school_years("87", engine)
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    for cmd in (["export", "observations", "--format", "csv"],
                ["forecast", "--province", "Đắk Nông", "--indicator", "CASHLESS_SCHOOLS_PCT"]):
        out = subprocess.run([sys.executable, "-m", "dashboard", *cmd], cwd=ROOT, capture_output=True,
                             text=True, env=env)
        assert out.returncode == 0, out.stderr
        assert "Đắk Nông" in out.stdout


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: (sha(p) if not p.name.endswith("-shm") else "shm") for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("side_files", [True, False], ids=["store-folder", "bare-file-copy"])
def test_reading_changes_neither_the_file_nor_its_folder(store, tmp_path, side_files):
    db = copy_store(store, tmp_path / "copy", side_files=side_files)
    before = snapshot(db.parent)
    reads(db, tmp_path)
    assert snapshot(db.parent) == before


def test_reading_never_creates_a_database(tmp_path):
    missing = tmp_path / "nothing.db"
    with pytest.raises(StoreError, match="no database"):
        queries.provinces(read_engine(missing))
    out = subprocess.run([sys.executable, "-m", "dashboard", "export", "observations"], cwd=ROOT,
                         capture_output=True, text=True,
                         env={"DATABASE_URL": f"sqlite:///{missing}", "PATH": os.environ["PATH"]})
    assert out.returncode == 2 and "no database" in out.stderr and "Traceback" not in out.stderr
    assert list(tmp_path.iterdir()) == []


def test_pooled_readers_follow_writes_and_replaced_files(store, tmp_path):
    """A pooled read-only connection is reused only while it fits the file: after the first write to a bare
    copy (immutable → mode=ro) and after the file is replaced, the next query sees the new data."""
    db = copy_store(store, tmp_path / "bare", side_files=False)
    engine = read_engine(db)
    n = len(queries.export_observations(engine=engine))
    assert n > 100 and data_version(engine) == data_version(engine)
    write(db, "DELETE FROM observation WHERE indicator_code = 'CASHLESS_SCHOOLS_PCT'",
          "UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'data_version'")
    assert 0 < len(queries.export_observations(engine=engine)) < n
    other = copy_store(store, tmp_path / "other", name="x.db", side_files=False)
    os.replace(other, db)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert len(queries.export_observations(engine=engine)) == n


def can_unshare() -> bool:
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def run_with_mount(mount: str, cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `cmd` in a private mount namespace after `mount` (so root, too, meets a read-only or full folder)."""
    import shlex
    script = f"{mount} && {shlex.join(cmd)}; echo rc=$?"
    return subprocess.run(["unshare", "-m", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("side_files", [True, False], ids=["store-folder", "bare-file-copy"])
def test_reading_works_in_a_read_only_folder(store, tmp_path, side_files):
    db = copy_store(store, tmp_path / "ro", side_files=side_files)
    before = snapshot(db.parent)
    env = {"DATABASE_URL": f"sqlite:///{db}", "PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    cmd = [sys.executable, "-m", "dashboard", "export", "observations", "--format", "csv"]
    if can_unshare():
        out = run_with_mount(f"mount --bind -o ro {db.parent} {db.parent}", cmd, env)
        assert out.stdout.rstrip().endswith("rc=0"), out.stderr
    elif os.geteuid() != 0:
        db.parent.chmod(0o555)
        out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
        db.parent.chmod(0o755)
        assert out.returncode == 0, out.stderr
    else:
        pytest.skip("root without mount namespaces: cannot make a folder read-only for root")
    assert "Đồng Tháp" in out.stdout and "465/597" in out.stdout
    assert snapshot(db.parent) == before


# --- backup and restore ----------------------------------------------------------------------------------------

def results(db: Path) -> dict[str, object]:
    engine = read_engine(db)
    return {"obs": queries.export_observations(engine=engine).to_csv(index=False),
            "schools": queries.export_schools(engine=engine).to_csv(index=False),
            "figures": queries.figures(engine=engine).to_csv(index=False),
            "districts": rollups.district_summary("87", 2023, engine=engine).to_csv(index=False),
            "imported": rows(db, "SELECT * FROM school_year WHERE batch_id IS NOT NULL")}


def test_backup_restore_round_trip_gives_identical_results(store, tmp_path):
    db = copy_store(store, tmp_path / "live")
    add_imported(db)
    expected = results(db)
    out = subprocess.run([sys.executable, "-m", "dashboard", "backup", str(tmp_path / "b.db"), "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0 and "backed up" in out.stdout, out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db", "live"]  # no temporary file left
    # the store changes after the backup: rows deleted, others imported
    write(db, "DELETE FROM school_year WHERE batch_id IS NOT NULL",
          "DELETE FROM observation WHERE indicator_code = 'CASHLESS_SCHOOLS_PCT'",
          "UPDATE store_meta SET value = '41' WHERE key = 'data_version'")
    assert results(db) != expected
    restored = restore(tmp_path / "b.db", db)
    assert results(db) == expected
    assert restored["data_version"] == 42 == data_version(read_engine(db))  # above every version seen
    assert sorted(p.name for p in db.parent.iterdir()) <= ["dashboard.db", "dashboard.db-shm", "dashboard.db-wal"]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]


def test_restore_into_a_missing_store_creates_it(store, tmp_path):
    backup(store, tmp_path / "b.db")
    target = tmp_path / "new" / "dashboard.db"
    target.parent.mkdir()
    restore(tmp_path / "b.db", target)
    assert results(target)["obs"] == results(store)["obs"]


def test_restore_while_a_reader_holds_a_snapshot(store, tmp_path):
    from dashboard.db import connect_read_only

    db = copy_store(store, tmp_path / "live")
    backup(db, tmp_path / "b.db")
    write(db, "DELETE FROM observation")
    held = connect_read_only(db)
    held.execute("BEGIN")
    assert held.execute("SELECT COUNT(*) FROM observation").fetchone()[0] == 0
    restore(tmp_path / "b.db", db)
    assert held.execute("SELECT COUNT(*) FROM observation").fetchone()[0] == 0  # old snapshot, complete
    held.execute("COMMIT")
    assert held.execute("SELECT COUNT(*) FROM observation").fetchone()[0] == rows(store, "SELECT COUNT(*) FROM observation")[0][0]
    held.close()


@pytest.mark.parametrize("kind", ["text file", "foreign sqlite", "empty file", "unknown revision", "missing file"])
def test_restore_refuses_a_file_that_is_not_our_store(store, tmp_path, kind):
    db = copy_store(store, tmp_path / "live")
    bad = tmp_path / "bad.db"
    if kind == "text file":
        bad.write_text("không phải cơ sở dữ liệu\n", encoding="utf-8")
    elif kind == "foreign sqlite":
        con = sqlite3.connect(bad)
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        con.commit()
        con.close()
    elif kind == "empty file":
        bad.write_bytes(b"")
    elif kind == "missing file":
        pass
    else:
        shutil.copyfile(store, bad)
        con = sqlite3.connect(bad)
        con.execute("UPDATE alembic_version SET version_num = '9999_future'")
        con.commit()
        con.close()
    before = snapshot(db.parent)
    out = subprocess.run([sys.executable, "-m", "dashboard", "restore", str(bad), "--db", str(db)], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 2 and "not restored" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr
    assert snapshot(db.parent) == before


def test_restore_never_overwrites_a_database_that_is_not_a_store(store, tmp_path):
    backup(store, tmp_path / "b.db")
    other = tmp_path / "crm.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = sha(other)
    with pytest.raises(StoreError, match="not a store of this dashboard"):
        restore(tmp_path / "b.db", other)
    assert sha(other) == before


def test_backup_does_not_overwrite_without_force(store, tmp_path):
    backup(store, tmp_path / "b.db")
    first = sha(tmp_path / "b.db")
    with pytest.raises(StoreError, match="--force"):
        backup(store, tmp_path / "b.db")
    backup(store, tmp_path / "b.db", force=True)
    assert schema.inspect_store(tmp_path / "b.db").kind == "current" and sha(tmp_path / "b.db") == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db"]  # a self-contained file, nothing beside it
