"""In Chromium: the STEM map's meeting slide is as tall as the screen allows and its view is fitted to the deck's
real size (every placed school inside the drawn map), without vertical overflow; the national page's year box and
geography choice show their values whole at 1024×768."""
from __future__ import annotations

import json
import math

import pytest

from .conftest import wait_for_app

SIZES = [(1400, 900), (1024, 768)]
SLACK = 4  # px

FIT = """() => { const d = document.querySelector(".st-key-edu-slide-stem-map [data-testid='stDeckGlJsonChart']");
  const f = document.querySelector('.edu-stem-slide-foot');
  if (!d || !f || !d.querySelector('canvas')) return null;
  const r = d.getBoundingClientRect(), [w, h] = f.dataset.fit.split('x').map(Number);
  return {w: r.width, h: r.height, fitW: w, fitH: h, top: r.top,
          overflow: document.querySelector("[data-testid='stMain']").scrollHeight - window.innerHeight}; }"""


def _project(lon: float, lat: float, view: dict, w: float, h: float) -> tuple[float, float]:
    scale = 512 * 2 ** view["zoom"]
    merc = lambda y: math.log(math.tan(math.pi / 4 + math.radians(y) / 2))  # noqa: E731
    return ((lon - view["longitude"]) / 360 * scale + w / 2,
            -(merc(lat) - merc(view["latitude"])) / (2 * math.pi) * scale + h / 2)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stem_meeting_slide_fills_the_screen_and_fits_every_school(server, browser, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/ban-do-stem?meeting=true", wait_until="networkidle")
    wait_for_app(page)
    # the browser reports the deck's size and the page refits the view to it (within a few px)
    page.wait_for_function(f"() => {{ const m = ({FIT})(); return m && Math.abs(m.w - m.fitW) <= 6 "
                           "&& Math.abs(m.h - m.fitH) <= 6; }", timeout=60000)
    wait_for_app(page)
    m = page.evaluate(FIT)
    assert m["h"] >= 0.6 * size[1], m  # the map is most of the slide, not a third of it
    assert m["w"] >= size[0] - 120, m
    assert m["top"] + m["h"] <= size[1] + SLACK and m["overflow"] <= SLACK, m
    # the view fitted to that size holds every school point (the spec the frontend draws)
    spec = page.evaluate("""() => { const el = document.querySelector("[data-testid='stDeckGlJsonChart']");
        const fiber = Object.keys(el).find(k => k.startsWith('__reactFiber'));
        let f = el[fiber]; while (f && !(f.memoizedProps && f.memoizedProps.element && f.memoizedProps.element.json))
          f = f.return;
        return f ? f.memoizedProps.element.json : null; }""")
    assert spec, "the deck's spec is no longer on the element's React props (Streamlit changed)"
    spec = json.loads(spec)
    view = spec["initialViewState"]
    points = next(lay for lay in spec["layers"] if lay["id"] == "schools")["data"]
    assert len(points) == 36  # every placed STEM-lab school of Đồng Tháp
    for p in points:
        x, y = _project(p["lon"], p["lat"], view, m["w"], m["h"])
        assert 7 <= x <= m["w"] - 7 and 7 <= y <= m["h"] - 7, (p["name"], x, y, m)  # the whole dot inside
    for name in ("◀ Trước", "Sau ▶", "✕ Thoát chế độ họp"):
        assert page.get_by_role("button", name=name).is_visible()
    page.close()


WHOLE = """() => {
  const c = document.createElement('canvas').getContext('2d');
  const input = document.querySelector('.st-key-sy input');
  const cs = getComputedStyle(input);
  c.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = input.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  const buttons = [...document.querySelectorAll('.st-key-nat_geo button')].map(b => {
    const r = b.getBoundingClientRect(), p = b.querySelector('p') || b;
    return {text: b.innerText, scroll: p.scrollWidth, client: p.clientWidth, right: r.right}; });
  const main = document.querySelector("[data-testid='stMainBlockContainer']").getBoundingClientRect();
  const ind = document.querySelector('.st-key-nat_ind input');
  const ics = ind && getComputedStyle(ind);
  return {value: input.value, scroll: input.scrollWidth, client: input.clientWidth, text: c.measureText(input.value).width,
          room, buttons, mainRight: main.right,
          indicator: ind && {value: ind.value, scroll: ind.scrollWidth, client: ind.clientWidth,
                             text: (c.font = `${ics.fontWeight} ${ics.fontSize} ${ics.fontFamily}`, c.measureText(ind.value).width),
                             room: ind.clientWidth - parseFloat(ics.paddingLeft) - parseFloat(ics.paddingRight)}}; }"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_national_choices_show_their_values_whole_at_1024(server, browser, lang):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server}/toan-quoc?lang={lang}", wait_until="networkidle")
    wait_for_app(page)
    page.locator(".st-key-sy input").wait_for(timeout=60000)
    page.locator(".st-key-nat_geo button").first.wait_for(timeout=60000)
    m = page.evaluate(WHOLE)
    assert m["value"] == "2023-2024", m
    assert m["scroll"] <= m["client"] and m["text"] <= m["room"], m  # '2023-2024', not '2023-202'
    assert len(m["buttons"]) == 2 and all(b["scroll"] <= b["client"] and b["right"] <= m["mainRight"] + 1
                                          for b in m["buttons"]), m
    assert any(b["text"].startswith("63 ") and b["text"].endswith("7/2025)") for b in m["buttons"]), m
    ind = m["indicator"]
    assert ind and ind["scroll"] <= ind["client"] and ind["text"] <= ind["room"], m
    page.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_national_meeting_slide_fits_and_its_key_clears_the_subtitle(server, browser, size):
    """The national ranking's slide: no vertical overflow (its hidden choices and note take no room), and the
    national line's key is a legend entry below the subtitle, not on it."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/toan-quoc?meeting=true", wait_until="networkidle")
    wait_for_app(page)
    page.get_by_role("button", name="Sau ▶").wait_for(state="visible", timeout=60000)
    page.wait_for_selector(".js-plotly-plot .legend .traces", timeout=60000)
    m = page.evaluate("""() => { const sub = document.querySelector('.js-plotly-plot .gtitle-subtitle')
                                  || [...document.querySelectorAll('.js-plotly-plot text')].find(
                                       t => t.textContent.startsWith('Năm học'));
      const key = document.querySelector('.js-plotly-plot .legend');
      return {overflow: document.querySelector("[data-testid='stMain']").scrollHeight - window.innerHeight,
              sub: sub.getBoundingClientRect().bottom, key: key.getBoundingClientRect().top,
              keyText: key.textContent}; }""")
    assert m["overflow"] <= SLACK, m
    assert m["keyText"].startswith("Cả nước: ") and m["key"] >= m["sub"] - 1, m
    page.close()
