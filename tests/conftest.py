"""Fixtures: a store built from the real seed data into a temporary file, used by every test."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboard import DATA_DIR
from dashboard.build import build


@pytest.fixture(scope="session")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "dashboard.db"
    build(path, quiet=True)
    return path


@pytest.fixture(scope="session", autouse=True)
def use_test_db(db_path: Path):
    """Point the app, the queries and the command line at the test store."""
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    yield
    if old is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = old


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ (seed, sources, geo) to corrupt in bad-input tests."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("*.db", "*.db-*", ".*.building*"))
    for p in dst.rglob("*"):
        if p.is_file():
            p.chmod(0o644)
    return dst


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One Debian Chromium driven by Playwright for every browser test of the run (Playwright's sync API
    allows one running instance per thread, so tests never start their own)."""
    from playwright.sync_api import sync_playwright
    assert Path(CHROMIUM).exists(), "Debian chromium is missing: run bash scripts/setup.sh --dev"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
