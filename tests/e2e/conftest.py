"""A real Streamlit server on a free port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The `browser` fixture (one Chromium for the whole run) is in tests/conftest.py.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(db_path: Path, browser, log_path: Path | None = None, *, warm: bool = True):  # noqa: ANN001
    """A real Streamlit server on a free port over the store `db_path`, warmed up (unless `warm` is False),
    stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    log = open(log_path, "wb") if log_path else subprocess.PIPE  # noqa: SIM115 - the server's log, for a failing run
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError("streamlit did not start" + (
                "" if log_path else ": " + proc.stdout.read().decode(errors="replace")[-2000:]))
        # Streamlit 1.67 learns the pages of st.navigation from the first session's run; until then a deep link
        # opens with a "Page not found" dialog over the right page (streamlit/streamlit#9992). Warm it up.
        if warm:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector("h1", timeout=60000)
            page.close()
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if log_path:
            log.close()


@pytest.fixture(scope="session")
def server(db_path, browser):
    with streamlit_server(db_path, browser) as url:
        yield url


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the script run (status widget gone, main block present)."""
    page.wait_for_selector("[data-testid='stMain']", timeout=60000)
    page.wait_for_selector("h1", timeout=60000)
    for _ in range(240):
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        time.sleep(0.25)
    time.sleep(0.5)
