"""Tables in Chromium: no sideways scrolling on any page at 1400×900 or 1024×768 (the sidebar open), so no key
column (gap, source, status) is ever beyond the right edge; the columns wrap their text instead. The charts'
download buttons show their whole labels at both sizes, in both languages."""
from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import wait_for_app

PAGES = ["", "muc-tieu", "ha-tang-so", "ung-dung-cntt", "du-bao", "ngan-sach", "muc-do-cds", "ban-do-stem",
         "du-lieu-nguon"]
SIZES = [(1400, 900), (1024, 768)]
TABLE = """d => {
  const s = d.querySelector('.dvn-scroller'); const k = d.closest('[class*="st-key-"]');
  return {key: k ? [...k.classList].find(c => c.startsWith('st-key-')) : '?', scroll: s.scrollWidth,
          client: s.clientWidth, right: d.getBoundingClientRect().right};}"""
HTML_TABLES = """() => [...document.querySelectorAll("[data-testid='stMain'] table")].filter(t => t.offsetParent)
  .map(t => ({right: t.getBoundingClientRect().right, scroll: t.scrollWidth, box: t.parentElement.clientWidth}))"""
WITH_TABLES = ("muc-tieu", "ngan-sach", "du-lieu-nguon", "ung-dung-cntt", "ha-tang-so", "du-bao")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", PAGES)
def test_no_table_scrolls_sideways(server, browser, path, size):
    """Each table is brought into view (Streamlit mounts its table component lazily, only near the viewport),
    waited for, then measured; the pages that have tables must show at least one."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/{path}")
    wait_for_app(page)
    frames = page.locator("[data-testid='stDataFrame']")
    if path in WITH_TABLES:  # a grid or one of our HTML tables (read-only tables, status table)
        page.locator("[data-testid='stDataFrame'], [data-testid='stMain'] table").first.wait_for(timeout=60000)
    for i in range(frames.count()):
        frame = frames.nth(i)
        if not frame.is_visible():  # inside a closed expander (details on demand): not on the screen
            continue
        frame.scroll_into_view_if_needed(timeout=30000)
        frame.locator(".dvn-scroller").wait_for(timeout=60000)
        t = frame.evaluate(TABLE)
        assert t["scroll"] <= t["client"] + 1, f"/{path} at {size}: {t['key']} is {t['scroll'] - t['client']} px too wide"
        assert t["right"] <= size[0], f"/{path} at {size}: {t['key']} ends beyond the window"
    for t in page.evaluate(HTML_TABLES):  # our own HTML tables (status table, read-only tables) too
        assert t["right"] <= size[0] + 1 and t["scroll"] <= t["box"] + 1, f"/{path} at {size}: {t}"
    page.close()


DOWNLOAD_LABELS = """() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stDownloadButton'] button")]
  .filter(b => b.getBoundingClientRect().width > 0 && b.checkVisibility())  // not in a closed expander
  .map(b => { const m = b.querySelector("[data-testid='stMarkdownContainer']") || b; const r = b.getBoundingClientRect();
              const el = m.innerText.trim() ? m : b;  // a button with a tooltip: its label is in the button itself
              return {text: el.innerText.trim(), scroll: el.scrollWidth, client: el.clientWidth, right: r.right}; })"""
DOWNLOAD_READY = ("() => { const b = (" + DOWNLOAD_LABELS + ")(); return b.length >= 6 && new Set(b.map(x => x.text)).size"
                  " >= 3 && b.every(x => x.text && x.client > 0 && x.scroll <= x.client); }")
CHART_LABELS = {"⬇ PNG", "⬇ SVG", "⬇ CSV"}  # a table's own button says "⬇ Bảng CSV" / "⬇ Table CSV"
DOWNLOAD_HELP = {"vi": "Tải biểu đồ dạng ảnh PNG", "en": "Download the chart as a PNG image"}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", ["ha-tang-so", "ngan-sach"])
def test_download_button_labels_are_whole(server, browser, path, size, lang):
    """Each chart's PNG / SVG / CSV buttons: the label is not cut ("⬇ …" at 1024 px when they sat in fixed
    columns), every button is inside the window, and hovering one explains it in the page's language."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/{path}?lang={lang}")
    wait_for_app(page)
    page.locator("[data-testid='stMain'] [data-testid='stDownloadButton']").first.wait_for(timeout=60000)
    try:  # the page's charts and their buttons arrive one after another: wait until the row is laid out
        page.wait_for_function(DOWNLOAD_READY, timeout=30000)
    except PlaywrightTimeout:
        pass  # the assertions below say what is wrong
    labels = page.evaluate(DOWNLOAD_LABELS)
    chart_buttons = [b for b in labels if b["text"] in CHART_LABELS]
    # one chart drawn at a time (ui.part_choice): its row of three
    assert len(chart_buttons) >= 3 and {b["text"] for b in chart_buttons} == CHART_LABELS, labels
    assert {b["text"] for b in labels} - CHART_LABELS <= {"⬇ Bảng CSV", "⬇ Table CSV"}, labels
    for b in labels:
        assert b["scroll"] <= b["client"] and b["client"] > 0, f"/{path} at {size}: '{b['text']}' is cut ({b})"
        assert b["right"] <= size[0]
    button = page.locator("[data-testid='stMain'] [data-testid='stDownloadButton'] button").first
    button.scroll_into_view_if_needed()
    button.hover()
    tip = page.locator("[data-testid='stTooltipContent']").first
    tip.wait_for(timeout=10000)
    assert DOWNLOAD_HELP[lang] in tip.inner_text()
    page.close()


STEM_LAYOUT = """() => { const box = s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top, width: r.width}; };
  return {map: box('.st-key-stemmap-map-col'), side: box('.st-key-stemmap-side-col'),
          metrics: [...document.querySelectorAll('.st-key-stemmap-coverage [data-testid="stMetricValue"]')]
            .map(m => ({text: m.innerText.trim(), scroll: m.scrollWidth, client: m.clientWidth,
                        right: m.getBoundingClientRect().right}))}; }"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stem_map_is_not_cut(server, browser, size):
    """The map gets at least the 540 px its view is fitted for (at 1024 px the side panel wraps below it instead of
    squeezing it to ~330 px, which cut the districts on the right), and the coverage figures show whole."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/ban-do-stem")
    wait_for_app(page)
    page.locator(".st-key-stemmap-coverage [data-testid='stMetricValue']").nth(2).wait_for(timeout=60000)
    got = page.evaluate(STEM_LAYOUT)
    assert got["map"]["width"] >= 540 and got["map"]["right"] <= size[0], got
    assert got["side"]["right"] <= size[0] + 1, got
    if size[0] < 1200:  # no room beside the map: the panel is below it, as wide as the page's column
        assert got["side"]["top"] > got["map"]["top"] and got["side"]["width"] >= got["map"]["width"] - 1, got
    else:  # beside it
        assert got["side"]["left"] >= got["map"]["right"] and abs(got["side"]["top"] - got["map"]["top"]) < 2, got
    assert len(got["metrics"]) == 3 and all(m["text"] and "…" not in m["text"] for m in got["metrics"]), got
    for m in got["metrics"]:
        assert m["scroll"] <= m["client"] and m["right"] <= size[0], f"{m['text']} is cut at {size}: {m}"
    page.close()
