"""Benchmark each page's script run with Streamlit's AppTest: cold (caches cleared) and warm.

Usage: python scripts/bench.py [--db PATH] [--runs N] [--province CODE]
Prints a table in milliseconds (median of N runs). Not a test: figures go into the closing note.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ["pages/overview.py", "pages/targets.py", "pages/infrastructure.py", "pages/adoption.py", "pages/forecast.py",
         "pages/budget.py", "pages/stem_map.py", "pages/sources.py"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="database file (default: the configured one)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--province", default=None, help="province label as in the filter, e.g. 'Đắk Nông'")
    args = ap.parse_args()
    if args.db:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.db).resolve()}"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)

    def run_page(page: str, cold: bool) -> float:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        if args.province:
            next(w for w in at.selectbox if w.key == "province").set_value(args.province)
            at.run()
        if cold:
            st.cache_data.clear()
        t0 = time.perf_counter()
        at.switch_page(page).run()
        elapsed = (time.perf_counter() - t0) * 1000
        assert not at.exception, [e.value for e in at.exception]
        return elapsed

    print(f"database: {os.environ.get('DATABASE_URL', 'default')}; runs: {args.runs}")
    print(f"{'page':<22}{'cold ms':>10}{'warm ms':>10}")
    for page in PAGES:
        cold, warm = [], []
        for _ in range(args.runs):
            cold.append(run_page(page, cold=True))
            warm.append(run_page(page, cold=False))
        print(f"{page:<22}{statistics.median(cold):>10.0f}{statistics.median(warm):>10.0f}")

    # the SQL rollups alone (no cache): one province by district, and every district of the store at once
    from dashboard import rollups
    from dashboard.queries import _df
    n = _df("SELECT COUNT(*) AS n, COUNT(DISTINCT district_code) AS d FROM school_year WHERE school_year = 2023").iloc[0]
    for label, fn in (("district_summary(67)", lambda: rollups.district_summary("67", 2023)),
                      ("all districts GROUP BY", lambda: _df(
                          "SELECT district_code, COUNT(*), AVG(cashless), SUM(pc_teaching) FROM school_year "
                          "WHERE school_year = 2023 GROUP BY district_code"))):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        print(f"SQL {label:<26}{statistics.median(times):>8.1f} ms  ({int(n['n'])} schools, {int(n['d'])} districts)")


if __name__ == "__main__":
    main()
