"""Warm script-run time of pages with a current province chosen (issue 12's speed target: < 300 ms warm on the
shipped store): the overview, targets and STEM map (current outlines) with Thành phố Cần Thơ, and the school-level
pages with Tỉnh Đồng Tháp and one current commune (the crosswalk lookups of the commune filter run in SQL).

    .venv/bin/python scripts/bench_units.py   # the configured store: DATABASE_URL, else DASHBOARD_DB, else data/dashboard.db

AppTest runs of each page script, 5 warm runs (cached queries): median and minimum in ms.
"""
import os
import statistics
import time

from streamlit.testing.v1 import AppTest

APP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "app.py")
CASES = [("pages/overview.py", "92-2025", {}), ("pages/targets.py", "92-2025", {}),
         ("pages/stem_map.py", "92-2025", {"geo": "current"}),
         ("pages/infrastructure.py", "82-2025", {"commune": ["29905"]}),
         ("pages/adoption.py", "82-2025", {"commune": ["29905"]}),
         ("pages/dx_levels.py", "82-2025", {"commune": ["29905"]})]


def _widget(at: AppTest, key: str):
    return next(w for kind in ("selectbox", "multiselect", "segmented_control") for w in at.get(kind) if w.key == key)


for page, province, extra in CASES:
    at = AppTest.from_file(APP, default_timeout=120).run()
    _widget(at, "province").set_value(province).run()
    at.switch_page(page).run()
    for key, value in extra.items():
        _widget(at, key).set_value(value).run()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
    assert not at.exception, [e.value for e in at.exception]
    what = f"{province} " + " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"{page:24s} {what:28s} warm median {statistics.median(times):6.0f} ms  min {min(times):6.0f} ms")
