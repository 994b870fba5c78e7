"""Meeting mode in Chromium: every slide fits the screen (no vertical scrolling) at 1400×900 and 1024×768, the
controls are always there (also when a filter empties the page), ← / → step through the slides."""
from __future__ import annotations

import re

import pytest

from .conftest import wait_for_app

# every page of the navigation: its slides fit and keep their controls
PAGES = {"": "Tổng quan", "muc-tieu": "Mục tiêu 2025/2030", "ha-tang-so": "Hạ tầng số",
         "ung-dung-cntt": "Ứng dụng CNTT", "du-bao": "Dự báo", "ngan-sach": "Ngân sách", "muc-do-cds": "Mức độ",
         "ban-do-stem": "Bản đồ", "du-lieu-nguon": "Dữ liệu"}
SIZES = [(1400, 900), (1024, 768)]
SLACK = 4  # px

OVERFLOW = """() => { const m = document.querySelector("[data-testid='stMain']");
  return m.scrollHeight - window.innerHeight; }"""


def _counter(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"^Trang chiếu \d+/\d+$")).first.inner_text()
    k, n = re.search(r"(\d+)/(\d+)", text).groups()
    return int(k), int(n)


def _settled(page) -> None:
    wait_for_app(page)
    page.get_by_role("button", name="Sau ▶").wait_for(state="visible", timeout=60000)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", list(PAGES))
def test_every_meeting_slide_fits_the_screen_and_keeps_its_controls(server, browser, path, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{server}/{path}?meeting=true", wait_until="networkidle")
    _settled(page)
    page.wait_for_function("t => [...document.querySelectorAll('h1')].some(h => h.innerText.startsWith(t))",
                           arg=PAGES[path], timeout=60000)
    k, n = _counter(page)
    assert k == 1 and n >= 1
    for step in range(1, n + 1):
        page.wait_for_function("s => [...document.querySelectorAll('p')].some(p => p.innerText === s)",
                               arg=f"Trang chiếu {step}/{n}", timeout=60000)
        wait_for_app(page)
        if page.locator(".js-plotly-plot").count():
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30000)
        if page.locator("[data-testid='stDeckGlJsonChart']").count():  # the STEM map slide: drawn, and tall
            page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30000)
            box = page.locator("[data-testid='stDeckGlJsonChart']").first.bounding_box()
            assert box["height"] >= 0.45 * size[1] and box["y"] + box["height"] <= size[1] + SLACK
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= SLACK, f"/{path} slide {step}/{n} at {size}: {overflow} px below the screen"
        for name in ("◀ Trước", "Sau ▶", "✕ Thoát chế độ họp"):
            assert page.get_by_role("button", name=name).is_visible()
        assert page.locator("[data-testid='stException']").count() == 0
        if step < n:
            page.keyboard.press("ArrowRight")  # the keyboard steps (button shortcut)
    page.close()


def test_arrow_keys_step_and_leaving_always_works(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{server}/muc-tieu?meeting=true", wait_until="networkidle")
    _settled(page)
    k, n = _counter(page)
    assert k == 1 and n >= 3
    page.keyboard.press("ArrowRight")
    page.wait_for_function("s => [...document.querySelectorAll('p')].some(p => p.innerText === s)",
                           arg=f"Trang chiếu 2/{n}", timeout=30000)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("s => [...document.querySelectorAll('p')].some(p => p.innerText === s)",
                           arg=f"Trang chiếu 1/{n}", timeout=30000)
    page.get_by_role("button", name="✕ Thoát chế độ họp").click()
    page.wait_for_selector("[data-testid='stSidebar']", state="visible", timeout=30000)
    page.close()


def test_controls_stay_when_a_filter_empties_the_page(server, browser):
    """Sóc Trăng has no continuing-education school: the page says so, the counter and ◀ ▶ stay, and leaving works."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{server}/ha-tang-so?meeting=true&province=S%C3%B3c+Tr%C4%83ng&level=GDTX", wait_until="networkidle")
    _settled(page)
    page.get_by_text("Không có trường nào").first.wait_for(state="visible", timeout=30000)
    assert page.get_by_role("button", name="◀ Trước").is_visible()
    assert page.get_by_text(re.compile(r"^Trang chiếu \d+/\d+$")).first.is_visible()
    page.get_by_role("button", name="✕ Thoát chế độ họp").click()
    page.wait_for_selector("[data-testid='stSidebar']", state="visible", timeout=30000)
    page.close()
