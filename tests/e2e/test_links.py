"""Shareable links in Chromium: a view made in English (sidebar filters and an in-page choice) is kept in the
address by codes, and the copied address opened in a fresh browser context shows the same filters and the same
numbers; an old link naming a level by its Vietnamese label still opens with that level."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from .conftest import wait_for_app

SIDEBAR = ("lang", "province", "district", "year", "level")


def _pick(page, key: str, name: str | None = None) -> str:
    """Choose an option of the keyed select/multiselect (the first one when no name is given); its label."""
    box = page.locator(f".st-key-{key} [role=combobox]")
    box.scroll_into_view_if_needed()
    for _ in range(20):  # the list opens once the widget has settled after the last rerun
        box.click()
        options = page.get_by_role("option")
        try:
            options.first.wait_for(state="visible", timeout=2000)
            break
        except Exception:  # noqa: BLE001 - not open yet: click again
            page.keyboard.press("Escape")
    option = page.get_by_role("option", name=name, exact=True) if name else options.first
    label = option.inner_text().strip()
    option.click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    return label


def _shown(page, key: str) -> str:
    """What a keyed widget shows: its text (label, multiselect tags, segmented buttons) and the value of its box."""
    box = page.locator(f".st-key-{key}")
    values = [i.input_value() for i in box.locator("input[role=combobox]").all()]
    return box.inner_text() + " = " + " | ".join(values)


def _widgets(page) -> dict[str, str]:
    """What the sidebar widgets show (label, chosen values), once every one of them is drawn: a fresh page can
    finish its run before the browser has drawn the first widget (CI read an empty language switch)."""
    page.wait_for_function(
        "keys => keys.every(k => { const e = document.querySelector('.st-key-' + k); "
        "return e && e.innerText.trim() !== ''; })", arg=list(SIDEBAR), timeout=30000)
    return {k: _shown(page, k) for k in SIDEBAR}


def _numbers(page, selector: str) -> str:
    page.wait_for_selector(selector, timeout=60000)
    return "\n".join(page.locator(selector).all_inner_texts())


def _plot_texts(page) -> list[str]:
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    return page.locator(".js-plotly-plot").evaluate_all(
        "els => els.map(e => [...e.querySelectorAll('text')].map(t => t.textContent).join('|'))")


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_a_link_made_in_english_reproduces_the_view(server, browser):
    made = browser.new_context(viewport={"width": 1400, "height": 900})
    page = made.new_page()
    page.goto(f"{server}/?lang=en", wait_until="networkidle")
    wait_for_app(page)
    _pick(page, "year", "2023")
    district = _pick(page, "district")
    _pick(page, "level", "Primary")
    page.wait_for_function("() => location.search.includes('level=')", timeout=30000)
    overview_url = page.url
    q = _params(overview_url)
    # codes, not labels of one language
    assert q["lang"] == ["en"] and q["level"] == ["TH"] and q["year"] == ["2023"], q
    assert q["district"][0].isdigit() and q["province"][0]
    overview_widgets, overview_numbers = _widgets(page), _numbers(page, ".edu-st")
    assert "Primary" in overview_widgets["level"] and district in overview_widgets["district"]

    page.get_by_role("link", name="ICT adoption").click()
    wait_for_app(page)
    # the page draws one chart at a time: the part 'by district' (its button, kept in the address by code)
    page.locator(".st-key-adoption_part button", has_text="Share of schools adopting, by district").click()
    page.wait_for_function("() => location.search.includes('adoption_part=')", timeout=30000)
    metric = _pick(page, "adoption_metric", "E-gradebook")
    page.wait_for_function("() => location.search.includes('adoption_metric=')", timeout=30000)
    adoption_url = page.url
    assert _params(adoption_url)["adoption_metric"] != [metric]  # a code, not the English label
    assert _params(adoption_url)["adoption_part"] == ["indicator"]
    adoption_widgets, adoption_plots = _widgets(page), _plot_texts(page)
    metric_box = _shown(page, "adoption_metric")
    assert metric_box.endswith(metric) and "2023" in adoption_widgets["year"]
    made.close()

    fresh = browser.new_context(viewport={"width": 1400, "height": 900})
    page = fresh.new_page()
    page.goto(overview_url, wait_until="networkidle")
    wait_for_app(page)
    assert _widgets(page) == overview_widgets
    assert _numbers(page, ".edu-st") == overview_numbers
    page.goto(adoption_url, wait_until="networkidle")
    wait_for_app(page)
    assert _widgets(page) == adoption_widgets
    assert _shown(page, "adoption_metric") == metric_box
    assert _plot_texts(page) == adoption_plots
    fresh.close()


def test_an_old_link_with_a_vietnamese_label_opens_with_that_level(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/?level=Ti%E1%BB%83u+h%E1%BB%8Dc&lang=English", wait_until="networkidle")
    wait_for_app(page)
    assert "Primary" in page.locator(".st-key-level").inner_text()
    page.wait_for_function("() => location.search.includes('level=TH')", timeout=30000)
    q = _params(page.url)
    assert q["level"] == ["TH"] and q["lang"] == ["en"]  # the address now names the codes
    context.close()
