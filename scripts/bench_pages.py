"""Benchmark (not a test): every page fully rendered in headless Chromium against a one-chart Streamlit page
served the same way, interleaved, a fresh browser context (no cache) for every load; the ratio per page.

"Fully rendered" = the script run is over (app.py's footer is drawn after the page, the status widget is gone)
and every chart is drawn (each stPlotlyChart holds a .js-plotly-plot with its .main-svg, each deck.gl map its
canvas, no element still a skeleton). Also reported per page, to see where the time goes: the bytes the server sent
over the websocket (mostly plotly figure JSON), the number of charts, the CPU seconds the app server spent on the
load (/proc, when this script started the server) and the browser tab's script time (Chrome's ScriptDuration).

Usage: .venv/bin/python scripts/bench_pages.py [--rounds 5] [--db data/dashboard.db] [--pages "",ngan-sach]
                                               [--before-dir /tmp/worktree-of-an-earlier-commit]
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
  // the run is over, and no element is still a skeleton (Streamlit loads each element type's code lazily and
  // shows a skeleton until it is there: the script's last message arrives long before the charts exist)
  if (document.querySelector("[data-testid='stStatusWidget'], [data-testid='stSkeleton']")) return false;
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
def serve(script: Path, db: Path | None, cwd: Path = ROOT):
    port = _free_port()
    env = dict(os.environ)
    if db:
        env["DATABASE_URL"] = f"sqlite:///{db.resolve()}"
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _cpu(pid: int | None) -> float:
    """CPU seconds (user + system, every thread) a process has used so far; 0 when it is not ours."""
    if not pid:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(browser, url: str, footer: str, pid: int | None = None) -> tuple[float, int, dict]:
    """Seconds from navigation to fully rendered, websocket bytes received, and what was drawn (with the server's
    CPU seconds and the tab's script seconds for this load)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    cpu0 = _cpu(pid)
    received = [0]

    def on_ws(ws):  # noqa: ANN001
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("h1", timeout=120000)
    drawn = page.wait_for_function(DONE, arg=footer, timeout=120000, polling=50).json_value()
    dt = time.perf_counter() - t0
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    drawn["script_s"] = metrics.get("ScriptDuration", 0.0)
    drawn["server_s"] = _cpu(pid) - cpu0  # the run is over when the page is drawn: its CPU is all counted
    ctx.close()
    return dt, received[0], drawn


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", default=str(ROOT / "data" / "dashboard.db"))
    ap.add_argument("--pages", default=None, help="comma-separated slugs ('' = overview)")
    ap.add_argument("--app-url")
    ap.add_argument("--one-url")
    ap.add_argument("--before-dir", help="a checkout of an earlier commit (e.g. a git worktree with its own built "
                                         "data/dashboard.db): its pages are loaded in the same interleaved run")
    a = ap.parse_args()
    pages = PAGES if a.pages is None else a.pages.split(",")
    from dashboard.i18n import t  # noqa: PLC0415
    footer = t("footer", "vi")[:30]
    with contextlib.ExitStack() as stack:
        app, app_pid = (a.app_url, None) if a.app_url else stack.enter_context(serve(ROOT / "app.py", Path(a.db)))
        one, one_pid = (a.one_url, None) if a.one_url else stack.enter_context(
            serve(ROOT / "scripts" / "bench_onechart.py", None))
        before = Path(a.before_dir).resolve() if a.before_dir else None
        old, old_pid = stack.enter_context(serve(before / "app.py", before / "data" / "dashboard.db", before)) \
            if before else (None, None)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for path in pages:  # warm-up: the server's caches and Streamlit's page registry
                load(browser, f"{app}/{path}", footer)
                if old:
                    load(browser, f"{old}/{path}", footer)
            load(browser, one, "footer")
            earlier: dict[str, list[float]] = {x: [] for x in pages}
            times: dict[str, list[float]] = {x: [] for x in pages}
            base: dict[str, list[float]] = {x: [] for x in pages}
            sizes: dict[str, int] = {}
            drawn: dict[str, dict] = {}
            cpu: dict[str, list[tuple[float, float]]] = {x: [] for x in pages + ["(1 chart)"]}
            for r in range(a.rounds):
                for path in (pages if r % 2 == 0 else pages[::-1]):
                    b, _, d1 = load(browser, one, "footer", one_pid)
                    s, n, d = load(browser, f"{app}/{path}", footer, app_pid)
                    if old:
                        earlier[path].append(load(browser, f"{old}/{path}", footer, old_pid)[0] / b)
                    cpu["(1 chart)"].append((d1["server_s"], d1["script_s"]))
                    cpu[path].append((d["server_s"], d["script_s"]))
                    base[path].append(b)
                    times[path].append(s)
                    sizes[path], drawn[path] = n, d
            browser.close()
    print(f"load average during the run: {os.getloadavg()[0]:.2f} (1 min)")
    print(f"{'page':<16}{'page s':>8}{'1-chart s':>10}{'ratio':>7}{'ws KiB':>9}{'plots':>6}{'maps':>5}{'errors':>7}"
          f"{'srv cpu s':>10}{'tab js s':>9}" + (f"{'ratio before':>13}" if a.before_dir else ""))
    med = lambda rows, i: statistics.median(r[i] for r in rows)  # noqa: E731
    for path in pages:
        m, b = statistics.median(times[path]), statistics.median(base[path])
        print(f"{'/' + path:<16}{m:8.2f}{b:10.2f}{m / b:7.2f}{sizes[path] / 1024:9.0f}"
              f"{drawn[path]['plots']:6d}{drawn[path]['decks']:5d}{drawn[path]['errors']:7d}"
              f"{med(cpu[path], 0):10.2f}{med(cpu[path], 1):9.2f}"
              + (f"{statistics.median(earlier[path]):13.2f}" if a.before_dir else ""))
    print(f"{'(1 chart)':<16}{'':8}{'':10}{'':7}{'':9}{'':6}{'':5}{'':7}"
          f"{med(cpu['(1 chart)'], 0):10.2f}{med(cpu['(1 chart)'], 1):9.2f}")


if __name__ == "__main__":
    main()
