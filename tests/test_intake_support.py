"""Shared fixtures and file builders of the intake tests (real SQLite copies, real .xlsx via openpyxl)."""
from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard.db import write_engine
from dashboard.intake import auth
from dashboard.intake.batches import publish, stage
from dashboard.intake.demo import make_examples
from dashboard.intake.spec import spec

PASSWORD = {"ed": "editor-password-1", "ap": "approver-pass-12", "ap2": "approver-pass-34"}


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a store (SQLite online backup)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


def db_bytes(path: Path) -> str:
    """Hash of the database file and its WAL: equal hashes = nothing written."""
    h = hashlib.sha256(path.read_bytes())
    wal = Path(f"{path}-wal")
    h.update(wal.read_bytes() if wal.exists() else b"")
    return h.hexdigest()


def xlsx(kind: str, rows: list, *, sheet: str | None = None, headers: list[str] | None = None, en_row: bool = True,
         merge: str | None = None, blank_rows_at: tuple[int, ...] = ()) -> bytes:
    """A workbook as a user would send it: VI headers (or `headers`), optional EN row, rows (dicts by key or lists)."""
    k = spec(kind)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet or k.sheet_vi
    heads = headers or [c.vi for c in k.columns]
    ws.append(heads)
    if en_row and headers is None:
        ws.append([c.en for c in k.columns])
    keys = [c.key for c in k.columns]
    for i, r in enumerate(rows):
        if i in blank_rows_at:
            ws.append([])
        ws.append([r.get(key) for key in keys] if isinstance(r, dict) else r)
    if merge:
        ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def examples(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    make_examples(out, engine=write_engine(db_path))
    return out


@pytest.fixture(scope="session")
def users_db(db_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session store plus the accounts ed (editor), ap and ap2 (approvers)."""
    p = copy_db(db_path, tmp_path_factory.mktemp("users") / "users.db")
    eng = write_engine(p)
    auth.add_user("ed", PASSWORD["ed"], "editor", engine=eng)
    auth.add_user("ap", PASSWORD["ap"], "approver", engine=eng)
    auth.add_user("ap2", PASSWORD["ap2"], "approver", engine=eng)
    return p


@pytest.fixture(scope="session")
def registered_db(users_db: Path, examples: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Accounts plus the demo register of Đồng Tháp, published."""
    p = copy_db(users_db, tmp_path_factory.mktemp("reg") / "reg.db")
    eng = write_engine(p)
    f = examples / "demo_dong-thap_2024_register.xlsx"
    publish(stage(f.read_bytes(), f.name, "register", user="ed", engine=eng), approver="ap", engine=eng)
    return p


def use_db(path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path
