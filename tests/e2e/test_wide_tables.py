"""The reflowed wide tables in Chromium (forecast status tables on /du-bao, targets tables on /muc-tieu): at
1024×768 and 1400×900, in Vietnamese and English, no word or number is broken across lines, no cell overflows,
and no table is wider than its column (so value, target, gap, status and source are all on the screen). The
table's CSV download keeps every field in its own column with human headers."""
from __future__ import annotations

import csv
import io

import pytest

from .conftest import wait_for_app

SIZES = [(1024, 768), (1400, 900)]
MEASURE = """() => [...document.querySelectorAll("[data-testid='stMain'] table.edu-wt")].map(tb => {
  const k = tb.closest('[class*="st-key-"]');
  const broken = [], overflow = [];
  for (const td of tb.querySelectorAll('td, th')) {
    if (td.scrollWidth > td.clientWidth + 1) overflow.push(td.innerText.slice(0, 80));
    const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(n.data))) {  // a word drawn on two lines has boxes at two heights
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  const box = tb.parentElement.getBoundingClientRect(), r = tb.getBoundingClientRect();
  return {key: k ? [...k.classList].find(c => c.startsWith('st-key-')) : '?', width: r.width, box: box.width,
          right: r.right, cols: tb.querySelectorAll('thead th').length, rows: tb.querySelectorAll('tbody tr').length,
          narrowest: Math.min(...[...tb.querySelectorAll('thead th')].map(th => th.getBoundingClientRect().width)),
          broken, overflow};
})"""
# the page's tables drawn (each expected one by its key) and the script run over
SETTLED = """keys => keys.every(k => document.querySelector(`.${k} table.edu-wt`))
  && !document.querySelector("[data-testid='stStatusWidget']")"""
EXPECTED = {"du-bao": ("st-key-fc_province_table", "st-key-fc_district_table"),
            "muc-tieu": ("st-key-targets_table_management", "st-key-targets_table_services",
                         "st-key-targets_table_teaching")}
# the targets page shows one pillar at a time (its chart and table): one load per pillar, chosen by the address
LOADS = {"du-bao": [("", EXPECTED["du-bao"])],
         "muc-tieu": [(f"targets_pillar={k.rsplit('_', 1)[1]}", (k,)) for k in EXPECTED["muc-tieu"]]}


def _measure(page, url: str, path: str) -> list[dict]:
    found = []
    for query, keys in LOADS[path]:
        page.goto(url + ("&" if "?" in url else "?") + query if query else url)
        wait_for_app(page)
        page.wait_for_function(SETTLED, arg=list(keys), timeout=60000)
        found += page.evaluate(MEASURE)
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", ["du-bao", "muc-tieu"])
def test_wide_tables_fit_without_breaking_a_word(server, browser, path, size, lang):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    found = _measure(page, f"{server}/{path}" + ("?lang=en" if lang == "en" else ""), path)
    assert {x["key"] for x in found} >= set(EXPECTED[path]), found
    for t in found:
        where = f"/{path} {lang} at {size}: {t['key']}"
        assert t["rows"] > 0 and 4 <= t["cols"] <= 6, where
        assert not t["broken"], f"{where}: words broken across lines {t['broken']}"
        assert not t["overflow"], f"{where}: cells wider than their column {t['overflow']}"
        assert t["width"] <= t["box"] + 1 and t["right"] <= size[0], f"{where}: {t['width']} px in {t['box']} px"
        if t["key"] in EXPECTED[path]:  # a reflowed table (a read-only table's year column may be narrower)
            assert t["narrowest"] >= 40, f"{where}: a column only {t['narrowest']} px wide"
    page.close()


def test_current_province_targets_fit(server, browser):
    """A current province (Cần Thơ from 7/2025): its targets name the former province in small type."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server}/muc-tieu?province=92-2025&targets_pillar=teaching")
    wait_for_app(page)
    page.wait_for_function(SETTLED, arg=["st-key-targets_table_teaching"], timeout=60000)
    found = page.evaluate(MEASURE)
    assert found and all(not t["broken"] and not t["overflow"] and t["width"] <= t["box"] + 1 for t in found), found
    page.close()


def test_table_csv_keeps_every_field(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/du-bao?province=67&lang=en")
    wait_for_app(page)
    page.wait_for_function(SETTLED, arg=["st-key-fc_province_table"], timeout=60000)
    # .first: while a rerun replaces the page, the old button can stand beside the new one for a moment
    button = page.locator(".st-key-fc_province_table [data-testid='stDownloadButton'] button").first
    button.wait_for(timeout=60000)
    assert button.inner_text().strip() == "⬇ Table CSV"
    with page.expect_download(timeout=60000) as dl:
        button.click()
    rows = list(csv.DictReader(io.StringIO(open(dl.value.path(), encoding="utf-8-sig").read())))
    assert list(rows[0]) == ["Indicator", "Level", "Breakdown", "Points", "Method", "Actual", "Year of the figure",
                             "Target year", "Target", "Projected", "Prediction interval", "Probability",
                             "Pace needed/yr", "Status"]
    learners = next(r for r in rows if r["Indicator"] == "Learners on digital records with a unified ID")
    assert (learners["Actual"], learners["Year of the figure"], learners["Target"], learners["Target year"]) == (
        "96.3%", "2024", "100%", "2025")
    page.close()
