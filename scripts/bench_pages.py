"""Benchmark (not a test): every page fully rendered in headless Chromium against a one-chart Streamlit page
served the same way, interleaved, a fresh browser context (no cache) for every load; the ratio per page.

"Fully rendered" = the script run is over (app.py's footer is drawn after the page, the status widget is gone)
and every chart is drawn (each stPlotlyChart holds a .js-plotly-plot with its .main-svg, each deck.gl map its
canvas). Also reported
per page: the bytes the server sent over the websocket (mostly plotly figure JSON) and the number of charts.

Usage: .venv/bin/python scripts/bench_pages.py [--rounds 5] [--db data/dashboard.db] [--pages "",ngan-sach]
                                               [--app-url URL --one-url URL]   (servers already running)
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES = ["", "muc-tieu", "ha-tang-so", "ung-dung-cntt", "du-bao", "ngan-sach", "muc-do-cds", "ban-do-stem",
         "du-lieu-nguon"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
DONE = """(footer) => {
  if (document.querySelector("[data-testid='stStatusWidget']")) return false;
  const caps = [...document.querySelectorAll("[data-testid='stCaptionContainer']")];
  if (!caps.some(c => c.innerText.startsWith(footer))) return false;
  // Streamlit loads its plotly component lazily: count the chart elements, each must hold a drawn plot
  const plots = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  if (!plots.every(p => p.querySelector(".js-plotly-plot .main-svg"))) return false;
  const decks = [...document.querySelectorAll("[data-testid='stDeckGlJsonChart']")];
  if (!decks.every(d => d.querySelector("canvas"))) return false;
  const errors = document.querySelectorAll("[data-testid='stException'], [data-testid='stAlertContentError']").length;
  return {plots: plots.length, decks: decks.length, errors: errors};
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(script: Path, db: Path | None):
    port = _free_port()
    env = dict(os.environ)
    if db:
        env["DATABASE_URL"] = f"sqlite:///{db.resolve()}"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def load(browser, url: str, footer: str) -> tuple[float, int, dict]:
    """Seconds from navigation to fully rendered, websocket bytes received, and what was drawn."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    received = [0]

    def on_ws(ws):  # noqa: ANN001
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("h1", timeout=120000)
    drawn = page.wait_for_function(DONE, arg=footer, timeout=120000, polling=50).json_value()
    dt = time.perf_counter() - t0
    ctx.close()
    return dt, received[0], drawn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", default=str(ROOT / "data" / "dashboard.db"))
    ap.add_argument("--pages", default=None, help="comma-separated slugs ('' = overview)")
    ap.add_argument("--app-url")
    ap.add_argument("--one-url")
    a = ap.parse_args()
    pages = PAGES if a.pages is None else a.pages.split(",")
    from dashboard.i18n import t  # noqa: PLC0415
    footer = t("footer", "vi")[:30]
    with contextlib.ExitStack() as stack:
        app = a.app_url or stack.enter_context(serve(ROOT / "app.py", Path(a.db)))
        one = a.one_url or stack.enter_context(serve(ROOT / "scripts" / "bench_onechart.py", None))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for path in pages:  # warm-up: the server's caches and Streamlit's page registry
                load(browser, f"{app}/{path}", footer)
            load(browser, one, "footer")
            times: dict[str, list[float]] = {x: [] for x in pages}
            base: dict[str, list[float]] = {x: [] for x in pages}
            sizes: dict[str, int] = {}
            drawn: dict[str, dict] = {}
            for r in range(a.rounds):
                for path in (pages if r % 2 == 0 else pages[::-1]):
                    b, _, _ = load(browser, one, "footer")
                    s, n, d = load(browser, f"{app}/{path}", footer)
                    base[path].append(b)
                    times[path].append(s)
                    sizes[path], drawn[path] = n, d
            browser.close()
    print(f"{'page':<16}{'page s':>8}{'1-chart s':>10}{'ratio':>7}{'ws KiB':>9}{'plots':>6}{'maps':>5}{'errors':>7}")
    for path in pages:
        m, b = statistics.median(times[path]), statistics.median(base[path])
        print(f"{'/' + path:<16}{m:8.2f}{b:10.2f}{m / b:7.2f}{sizes[path] / 1024:9.0f}"
              f"{drawn[path]['plots']:6d}{drawn[path]['decks']:5d}{drawn[path]['errors']:7d}")


if __name__ == "__main__":
    main()
