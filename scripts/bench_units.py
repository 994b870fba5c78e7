"""Warm script-run time of the overview, targets and STEM map with a current province (Thành phố Cần Thơ) chosen.

    .venv/bin/python scripts/bench_units.py   # the configured store: DATABASE_URL, else DASHBOARD_DB, else data/dashboard.db

AppTest runs of each page script, 5 warm runs (cached queries): median and minimum in ms; target < 300 ms.
"""
import os
import statistics
import time

from streamlit.testing.v1 import AppTest
APP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "app.py")
for page, extra in [("pages/overview.py", {}), ("pages/targets.py", {}), ("pages/stem_map.py", {"geo": "current"})]:
    at = AppTest.from_file(APP, default_timeout=120).run()
    next(w for w in at.get("selectbox") if w.key == "province").set_value("92-2025").run()
    at.switch_page(page).run()
    if extra:
        next(w for w in at.get("segmented_control") if w.key == "geo").set_value("current").run()
    times = []
    for _ in range(5):
        t = time.perf_counter(); at.run(); times.append((time.perf_counter() - t) * 1000)
    assert not at.exception, [e.value for e in at.exception]
    print(f"{page:22s} warm median {statistics.median(times):6.0f} ms  min {min(times):6.0f} ms")
