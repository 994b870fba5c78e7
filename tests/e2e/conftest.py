"""A real Streamlit server on a free port and Debian's Chromium driven by Playwright."""
from __future__ import annotations

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


@pytest.fixture(scope="session")
def server(db_path, browser):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db_path}"}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    # Streamlit 1.67 learns the pages of st.navigation from the first session's run; until then a deep link
    # opens with a "Page not found" dialog over the right page (streamlit/streamlit#9992). Warm it up.
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector("h1", timeout=60000)
    page.close()
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the script run (status widget gone, main block present)."""
    page.wait_for_selector("[data-testid='stMain']", timeout=60000)
    page.wait_for_selector("h1", timeout=60000)
    for _ in range(240):
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        time.sleep(0.25)
    time.sleep(0.5)
