"""Tables in Chromium: no sideways scrolling on any page at 1400×900 or 1024×768 (the sidebar open), so no key
column (gap, source, status) is ever beyond the right edge; the columns wrap their text instead."""
from __future__ import annotations

import pytest

from .conftest import wait_for_app

PAGES = ["", "muc-tieu", "ha-tang-so", "ung-dung-cntt", "du-bao", "ngan-sach", "muc-do-cds", "ban-do-stem",
         "du-lieu-nguon"]
SIZES = [(1400, 900), (1024, 768)]
DONE = """() => !document.querySelector("[data-testid='stStatusWidget']")
  && [...document.querySelectorAll("[data-testid='stCaptionContainer']")].some(c => c.innerText.startsWith("Số liệu công bố"))
  && [...document.querySelectorAll("[data-testid='stDataFrame']")].every(d => d.querySelector('.dvn-scroller'))"""
TABLES = """() => [...document.querySelectorAll("[data-testid='stDataFrame']")].map(d => {
  const s = d.querySelector('.dvn-scroller'); const k = d.closest('[class*="st-key-"]');
  return {key: k ? [...k.classList].find(c => c.startsWith('st-key-')) : '?', scroll: s.scrollWidth,
          client: s.clientWidth, right: d.getBoundingClientRect().right};})"""
HTML_TABLES = """() => [...document.querySelectorAll("[data-testid='stMain'] table")].map(t => t.getBoundingClientRect().right)"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_no_table_scrolls_sideways(server, browser, path, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/{path}", wait_until="networkidle")
    wait_for_app(page)
    page.wait_for_function(DONE, timeout=90000, polling=250)
    if path in ("muc-tieu", "ngan-sach", "du-lieu-nguon", "ung-dung-cntt", "ha-tang-so", "du-bao"):
        # the pages that have tables are checked, not skipped (Streamlit mounts its table component lazily)
        page.wait_for_selector("[data-testid='stDataFrame'] .dvn-scroller", timeout=60000)
        page.wait_for_function(DONE, timeout=90000, polling=250)
    tables = page.evaluate(TABLES)
    for t in tables:
        assert t["scroll"] <= t["client"] + 1, f"/{path} at {size}: {t['key']} is {t['scroll'] - t['client']} px too wide"
        assert t["right"] <= size[0], f"/{path} at {size}: {t['key']} ends beyond the window"
    for right in page.evaluate(HTML_TABLES):  # our own HTML tables (status table) too
        assert right <= size[0] + 1
    page.close()
