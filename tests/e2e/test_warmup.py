"""scripts/warmup.py (started by run.sh): after it, a first visitor's deep link opens its page without Streamlit's
"Page not found" dialog; without it, the dialog shows (the control, so the test proves the warm-up does it)."""
from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlparse

from .conftest import ROOT, streamlit_server, wait_for_app

DIALOG = "[role=dialog]:has-text('Page not found')"


def _open_deep_link(browser, url: str) -> tuple[str, int]:  # noqa: ANN001
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.goto(f"{url}/ngan-sach", wait_until="networkidle")
    wait_for_app(page)
    title, dialogs = page.locator("h1").first.inner_text(), page.locator(DIALOG).count()
    ctx.close()
    return title, dialogs


def test_a_deep_link_after_the_warmup_opens_without_the_page_not_found_dialog(db_path, browser, tmp_path):
    with streamlit_server(db_path, browser, tmp_path / "cold.log", warm=False) as url:
        title, dialogs = _open_deep_link(browser, url)
        assert title.startswith("Ngân sách & nhiệm vụ") and dialogs == 1  # Streamlit's own behaviour, unwarmed
    with streamlit_server(db_path, browser, tmp_path / "warm.log", warm=False) as url:
        port = str(urlparse(url).port)
        done = subprocess.run([sys.executable, str(ROOT / "scripts" / "warmup.py"), port, "--timeout", "120"],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr
        title, dialogs = _open_deep_link(browser, url)
        assert title.startswith("Ngân sách & nhiệm vụ") and dialogs == 0


def test_the_warmup_says_so_when_no_server_answers():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "warmup.py"), "9", "--timeout", "1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "no Streamlit server on port 9" in done.stderr
