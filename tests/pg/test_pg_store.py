"""The store on a real PostgreSQL server: the migrations at head equal the models, build-db (command line and
in place, imported data kept), migrate, the data version seen by a second process's engine, the CLI's
clear lines for an empty or unreachable database and for backup/restore, exports identical to SQLite's."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard.build import build
from dashboard.db import ServerDatabase, data_version, make_engine, read_engine, write_engine
from dashboard.store import dialect, schema



def _url(db: ServerDatabase) -> str:
    return db.url.render_as_string(hide_password=False)


def test_migrations_at_head_equal_the_models_on_postgresql(pg):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    db = pg.empty()
    assert schema.inspect_store(db).kind == "empty"
    engine = write_engine(db)
    with engine.begin() as con:
        assert schema.upgrade_connection(con) is True
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con, opts={"compare_type": True}),
                                schema.target_metadata())
        views = set(dialect.view_sql(con))
        revision = schema.current_revision(con)
        functions = {r[0] for r in con.execute(text(
            "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema()"))}
        assert schema.upgrade_connection(con) is False  # views and functions are current: nothing to do
    assert diff == []
    assert views == {"observation_conflict", "target_conflict"}
    assert revision == schema.head_revision()
    assert {"ulower", "group_concat", "round"} <= functions
    assert schema.inspect_store(db).kind == "current"


def test_build_db_cli_filled_postgresql(pg, shipped, db_path):
    """The session's template was built by `python -m dashboard build-db`: same rows as the SQLite store."""
    pg_eng = read_engine(ServerDatabase(pg.url(shipped)))
    tables = ("source", "admin_unit", "indicator", "breakdown", "school", "observation", "target", "task",
              "budget_item", "school_year")
    with sqlite3.connect(db_path) as lite, pg_eng.connect() as con:
        for t in tables:
            n_lite = lite.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            assert con.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() == n_lite > 0, t
        # the same school ids by code (intake rows refer to them), the same published figures as printed
        assert lite.execute("SELECT SUM(id), SUM(LENGTH(code)) FROM school").fetchone() == \
            tuple(con.execute(text("SELECT SUM(id), SUM(LENGTH(code)) FROM school")).one())
        lite_obs = pd.read_sql("SELECT obs_key, printed, value FROM observation ORDER BY obs_key", lite)
        pg_obs = pd.read_sql(text("SELECT obs_key, printed, value FROM observation ORDER BY obs_key"), con)
    pd.testing.assert_frame_equal(lite_obs, pg_obs)
    pg.release(shipped)


def test_build_in_place_keeps_imported_data_and_bumps_the_version(pg_reg):
    eng = write_engine(pg_reg)
    v0 = data_version(eng)
    with eng.connect() as con:
        imported = con.execute(text("SELECT COUNT(*) FROM school WHERE batch_id IS NOT NULL")).scalar()
        users = con.execute(text("SELECT COUNT(*) FROM app_user")).scalar()
    assert imported > 500 and users == 3
    counts = build(pg_reg, quiet=True)
    assert counts["school_year"] == 5780
    with eng.connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM school WHERE batch_id IS NOT NULL")).scalar() == imported
        assert con.execute(text("SELECT COUNT(*) FROM app_user")).scalar() == users
        # the id sequence continues above the ids the build wrote: a new school gets a fresh id
        top = con.execute(text("SELECT MAX(id) FROM school")).scalar()
        nxt = con.execute(text("SELECT nextval(pg_get_serial_sequence('school', 'id'))")).scalar()
    assert nxt > top
    assert data_version(eng) == v0 + 1


def test_build_stops_when_a_seed_change_would_orphan_imported_data(pg_reg):
    """An indicator of an earlier build that the seeds no longer have, still used by an imported figure:
    PostgreSQL refuses to delete it (foreign keys are checked per statement), the build rolls back whole."""
    eng = write_engine(pg_reg)
    with eng.begin() as con:
        con.execute(text("""INSERT INTO indicator (code, name_vi, name_en, unit, direction, pillar, headline,
            definition_vi, definition_en, catalogue_file)
            SELECT 'OLD_PCT', name_vi, name_en, unit, direction, pillar, FALSE, definition_vi, definition_en,
                   catalogue_file FROM indicator ORDER BY code LIMIT 1"""))
        con.execute(text("""INSERT INTO observation (obs_key, indicator_code, unit_code, level, breakdown, period,
            period_start, period_end, year, value, qualifier, printed, value_derived, provenance, section, quote,
            note, batch_id) VALUES ('imp-1', 'OLD_PCT', '87', 'ALL', '', '2024', '2024-01-01', '2024-12-31', 2024,
            1, '', '1', FALSE, 'imported', '', '', '', 99)"""))
    v0 = data_version(eng)
    from dashboard.db import StoreError

    with pytest.raises(StoreError, match="imported data refers to rows the new seed files no longer contain"):
        build(pg_reg, quiet=True)
    assert data_version(eng) == v0  # rolled back: the old rows are all there
    with eng.connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM indicator WHERE code = 'OLD_PCT'")).scalar() == 1


def _main(args: list[str], url: str, capsys, monkeypatch) -> tuple[int, str, str]:  # noqa: ANN001
    """The command line in this process (its own interpreter start costs seconds; build-db runs as a real
    subprocess in the session fixture)."""
    from dashboard.cli import main

    monkeypatch.setenv("DATABASE_URL", url)
    capsys.readouterr()
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_migrate_and_readers_cli_on_postgresql(pg_store, capsys, monkeypatch):
    url = _url(pg_store)
    code, out, err = _main(["migrate"], url, capsys, monkeypatch)
    assert code == 0 and "already at schema revision" in out, err
    code, out, err = _main(["backup", "/tmp/x.db"], url, capsys, monkeypatch)
    assert code == 2 and "pg_dump" in err and err.count("\n") == 1
    code, out, err = _main(["restore", "/tmp/x.db"], url, capsys, monkeypatch)
    assert code == 2 and "pg_restore" in err and err.count("\n") == 1
    code, out, err = _main(["migrate", "--db", url], f"sqlite:////nonexistent/{pg_store.name}.db", capsys, monkeypatch)
    assert code == 0 and "already at schema revision" in out, err  # --db takes the URL too


def test_export_and_forecast_are_identical_on_both_backends(pg_store, db_path, capsys, monkeypatch):
    for args in (["export", "observations", "--format", "csv"], ["export", "schools", "--format", "json"],
                 ["forecast", "--province", "Đắk Nông", "--all"]):
        code_pg, out_pg, err = _main(args, _url(pg_store), capsys, monkeypatch)
        code_lite, out_lite, _ = _main(args, f"sqlite:///{db_path}", capsys, monkeypatch)
        assert code_pg == 0 == code_lite, err
        assert out_pg == out_lite and out_pg.count("\n") > 50, args


def test_unusable_postgresql_gives_one_clear_line(pg, capsys, monkeypatch):
    empty = pg.empty()
    code, _, err = _main(["export", "observations"], _url(empty), capsys, monkeypatch)
    assert code == 2 and "is empty: build it with `python -m dashboard build-db`" in err and err.count("\n") == 1
    port = pg.cluster.port + 1 if pg.cluster.port < 65535 else 1024
    dead = f"postgresql+psycopg://postgres:secret-pw@127.0.0.1:{port}/none"
    code, _, err = _main(["export", "observations"], dead, capsys, monkeypatch)
    assert code == 2 and "cannot use the PostgreSQL database" in err and err.count("\n") == 1
    assert "secret-pw" not in err
    code, _, err = _main(["export", "observations"], "mysql://x@y/z", capsys, monkeypatch)
    assert code == 2 and "postgresql+psycopg://" in err


def test_a_second_process_sees_a_publish_at_once(pg_reg, examples, monkeypatch):
    """Two engines on one database stand for two app processes: the reader's data version (the UI cache key)
    moves as soon as the writer's publish commits, with no restart and no file to watch."""
    from dashboard import rollups, ui
    from dashboard.intake.batches import publish, stage

    writer = write_engine(pg_reg)
    other = make_engine(pg_reg, read_only=True)  # another process's pooled, read-only engine
    with other.connect() as con:  # a pooled session already open before the publish
        v0 = data_version(con)
        assert con.execute(text("SHOW transaction_read_only")).scalar() == "on"
    t0 = ui._db_token()
    assert t0 == f"{pg_reg}:{v0}" and "postgresql+psycopg://" in t0
    before = rollups.data_source("87", 2024, engine=other)
    f = examples / "demo_dong-thap_2024_school_year.xlsx"
    bid = stage(f.read_bytes(), f.name, "school_year", user="ed", ack_warnings=True, engine=writer)
    assert data_version(other) == v0  # staging changes nothing the dashboards read
    publish(bid, approver="ap", engine=writer)
    assert data_version(other) == v0 + 1
    assert ui._db_token() == f"{pg_reg}:{v0 + 1}" != t0
    after = rollups.data_source("87", 2024, engine=other)
    assert before["provenance"] != "imported" and after["provenance"] == "imported"
    other.dispose()


def test_without_postgresql_the_tests_fail_with_one_clear_line(tmp_path, monkeypatch):
    """No server binaries: the session fixture turns this RuntimeError into a failure (never a silent skip)."""
    from . import server

    monkeypatch.setattr(server.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError) as exc:
        server.bindir(roots=(tmp_path,))
    assert "install Debian's `postgresql` package" in str(exc.value)
    assert server.bindir().joinpath("initdb").exists()  # this machine has them
