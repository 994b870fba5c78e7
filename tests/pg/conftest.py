"""Fixtures of the PostgreSQL tests: one throwaway cluster for the session (tests/pg/server.py), the shipped
data built into it once with the command line (`python -m dashboard build-db`), and cheap private copies of
that store for each test (CREATE DATABASE … TEMPLATE, a file-level copy inside the server).

Without PostgreSQL's server binaries every test here FAILS with one clear line (CI installs Debian's
`postgresql` through `scripts/setup.sh --dev`); they are never skipped silently.
"""
from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from dashboard.db import ServerDatabase, read_engine, write_engine

from test_intake_support import examples  # noqa: F401 - the demo workbooks (session fixture)

from .server import Cluster

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count(1)


class PG:
    """The session's server: `copy(template)` gives a private database cloned from a template database."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster

    def url(self, name: str) -> str:
        return self.cluster.url(name)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(f"host=127.0.0.1 port={self.cluster.port} user=postgres dbname=postgres",
                               autocommit=True)

    def release(self, name: str) -> None:
        """Close every pooled connection of this process to `name` (a template must have no session)."""
        read_engine(ServerDatabase(self.url(name))).dispose()

    def copy(self, template: str, name: str | None = None) -> ServerDatabase:
        name = name or f"t{next(_names)}"
        self.release(template)
        with self.admin() as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            con.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return ServerDatabase(self.url(name))

    def empty(self, name: str | None = None) -> ServerDatabase:
        return ServerDatabase(self.cluster.create_database(name or f"e{next(_names)}"))


@pytest.fixture(scope="session")
def pg() -> PG:
    try:
        cluster = Cluster()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        cluster.stop()
        pytest.fail(f"the throwaway PostgreSQL server did not start: {exc}", pytrace=False)
    yield PG(cluster)
    cluster.stop()


def run_cli(*args: str, url: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="session")
def shipped(pg: PG) -> str:
    """Template database 'shipped': the shipped data built by `python -m dashboard build-db` (CLI, once)."""
    url = pg.cluster.create_database("shipped")
    res = run_cli("build-db", url=url)
    assert res.returncode == 0, res.stderr
    assert "built postgresql+psycopg://" in res.stdout and "school_year 5780" in res.stdout, res.stdout
    pg.release("shipped")
    return "shipped"


@pytest.fixture(scope="session")
def registered(pg: PG, shipped: str, examples: Path) -> str:
    """Template database 'registered': accounts ed (editor), ap, ap2 (approvers) and the published demo
    register of Đồng Tháp (as tests/test_intake_support.registered_db, on PostgreSQL)."""
    from dashboard.intake import auth
    from dashboard.intake.batches import publish, stage
    from test_intake_support import PASSWORD

    db = pg.copy(shipped, "registered")
    eng = write_engine(db)
    for user, role in (("ed", "editor"), ("ap", "approver"), ("ap2", "approver")):
        auth.add_user(user, PASSWORD[user], role, engine=eng)
    f = examples / "demo_dong-thap_2024_register.xlsx"
    publish(stage(f.read_bytes(), f.name, "register", user="ed", engine=eng), approver="ap", engine=eng)
    eng.dispose()
    pg.release("registered")
    return "registered"


@pytest.fixture()
def pg_store(pg: PG, shipped: str, monkeypatch: pytest.MonkeyPatch) -> ServerDatabase:
    """A private copy of the shipped store; DATABASE_URL points at it for the test."""
    db = pg.copy(shipped)
    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    yield db
    pg.release(db.name)


@pytest.fixture()
def pg_reg(pg: PG, registered: str, monkeypatch: pytest.MonkeyPatch) -> ServerDatabase:
    """A private copy of the store with accounts and the published demo register; DATABASE_URL set."""
    db = pg.copy(registered)
    monkeypatch.setenv("DATABASE_URL", db.url.render_as_string(hide_password=False))
    yield db
    pg.release(db.name)
