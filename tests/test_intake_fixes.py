"""Fixes after review: no store created by intake commands, coordinates, coverage, plausibility, formulas,
approver checked before staging, case-insensitive codes, stale checks, messages, template writing."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.intake import auth
from dashboard.intake.errors import StoreUnavailable
from test_intake_support import copy_db, db_bytes, examples, registered_db, users_db, use_db, xlsx  # noqa: F401

DT = "87"


# --- 1. no empty database created where none exists -------------------------------------------------

STORE_CMDS = [
    ["import", "FILE", "--kind", "register", "--user", "ed"],
    ["preview", "1"],
    ["publish", "1", "--approver", "ap"],
    ["rollback", "1", "--user", "ap"],
    ["user", "add", "someone", "--role", "editor", "--password-stdin"],
    ["batches"],
]


@pytest.mark.parametrize("argv", STORE_CMDS, ids=[a[0] for a in STORE_CMDS])
def test_intake_commands_never_create_a_store(argv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    db = tmp_path / "none" / "missing.db"
    db.parent.mkdir()
    f = tmp_path / "f.xlsx"
    f.write_bytes(xlsx("register", [{"school_code": "87X1", "name": "T", "level": "TH", "province_code": DT}]))
    use_db(db, monkeypatch)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-password-1\n"))
    rc = main([str(f) if a == "FILE" else a for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert err == [f"no database at {db}: build it with `python -m dashboard build-db`"]
    assert list(db.parent.iterdir()) == []  # nothing created, not even -wal/-shm


@pytest.mark.parametrize("kind", ["foreign", "ahead"])
def test_intake_commands_refuse_a_foreign_or_newer_store(kind, users_db: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, capsys):
    db = tmp_path / "x.db"
    if kind == "foreign":
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE t (a)")
    else:
        copy_db(users_db, db)
        with sqlite3.connect(db) as con:
            con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    use_db(db, monkeypatch)
    before = db_bytes(db)
    assert main(["batches"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(db) in err[0]
    assert ("no schema revision" in err[0]) if kind == "foreign" else ("9999_future" in err[0])
    assert db_bytes(db) == before


def test_sign_in_on_a_missing_store_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "missing.db"
    use_db(db, monkeypatch)
    with pytest.raises(StoreUnavailable) as e:
        auth.verify("ed", "whatever-password")
    assert not db.exists() and list(tmp_path.iterdir()) == []
    assert "kho dữ liệu chưa sẵn sàng" in e.value.message("vi") and str(tmp_path) not in e.value.message("vi")
    assert e.value.detail.startswith("no database at")
