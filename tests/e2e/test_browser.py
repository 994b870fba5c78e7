"""End to end in Chromium: every page opens with no Streamlit exception box and shows its content."""
from __future__ import annotations

import pytest

from .conftest import wait_for_app

PAGES = {
    "": ("Tổng quan — Đồng Tháp", "78,18%"),
    "muc-tieu": ("Mục tiêu 2025/2030 — Đồng Tháp", "Tự đánh giá của tỉnh"),
    "ngan-sach": ("Ngân sách & nhiệm vụ — Đồng Tháp", "Tổng công bố 2024 (triệu đồng)"),
    "ha-tang-so": ("Hạ tầng số — Đồng Tháp", "Dữ liệu mô phỏng"),
    "ung-dung-cntt": ("Ứng dụng CNTT — Đồng Tháp", "Dữ liệu mô phỏng"),
    "du-bao": ("Dự báo — Đồng Tháp", "Trạng thái các chỉ tiêu của tỉnh"),
    "ban-do-stem": ("Bản đồ trường có phòng STEM Lab — Đồng Tháp", "censusVN2009"),
    "muc-do-cds": ("Mức độ chuyển đổi số (QĐ 4725) — Đồng Tháp", "Dữ liệu mô phỏng"),
    "du-lieu-nguon": ("Dữ liệu & nguồn", "Số liệu mâu thuẫn"),
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_opens_without_exception(server, browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    warm = page.goto(f"{server}/{path}", wait_until="networkidle")
    assert warm and warm.ok
    wait_for_app(page)
    title, expected = PAGES[path]
    # under load a script run can take a while: wait for the content rather than checking once
    page.wait_for_function("t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
                           arg=title, timeout=60000)
    page.get_by_text(expected).first.wait_for(state="visible", timeout=60000)
    assert page.locator("[data-testid='stException']").count() == 0
    if path in ("", "muc-tieu", "ngan-sach", "ha-tang-so", "ung-dung-cntt", "du-bao"):
        page.wait_for_selector(".js-plotly-plot", timeout=20000)
        assert page.locator(".js-plotly-plot").count() >= 1
    if path == "ban-do-stem":
        page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30000)
    page.close()


def test_filters_in_the_url_reproduce_the_view(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/muc-tieu?province=%C4%90%E1%BA%AFk+N%C3%B4ng&lang=English", wait_until="networkidle")
    wait_for_app(page)
    page.wait_for_function("t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
                           arg="Targets 2025/2030 — Đắk Nông", timeout=60000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_choosing_a_province_updates_the_url_and_the_page(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server, wait_until="networkidle")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Sóc Trăng").click()
    page.wait_for_function("document.querySelector('h1') && document.querySelector('h1').innerText.includes('Sóc Trăng')",
                           timeout=20000)
    assert "province=94" in page.url  # the province's code, not its label (tests/e2e/test_links.py)
    page.close()


def test_png_download_from_a_chart(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page.goto(f"{server}/ngan-sach", wait_until="networkidle")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=20000)
    with page.expect_download(timeout=60000) as info:
        page.get_by_role("button", name="⬇ PNG").first.click()
    download = info.value
    assert download.suggested_filename.startswith("ngan-sach_dong-thap_") and download.suggested_filename.endswith(".png")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 2000 and height > 800  # 2× scale of a 1200 px wide export, footer included
    page.close()


# Records, from before the first paint, whether the sidebar was ever laid out visibly (a flash on the projector).
SIDEBAR_WATCH = """
window.__sidebarSeen = false;
const look = () => {
  const s = document.querySelector("[data-testid='stSidebar']");
  if (!s) return;
  const r = s.getBoundingClientRect(), cs = getComputedStyle(s);
  if (r.width > 0 && r.height > 0 && r.right > 0 && cs.display !== 'none' && cs.visibility !== 'hidden')
    window.__sidebarSeen = true;
};
new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true});
const tick = () => { look(); requestAnimationFrame(tick); };
requestAnimationFrame(tick);
"""


def test_meeting_mode_hides_the_sidebar_before_the_first_paint(server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(SIDEBAR_WATCH)
    page = context.new_page()
    page.goto(f"{server}/muc-tieu?meeting=true", wait_until="networkidle")
    wait_for_app(page)
    # the controls are drawn after the page's script: wait for them rather than checking once
    page.get_by_role("button", name="Sau ▶").wait_for(state="visible", timeout=60000)
    page.wait_for_selector(".js-plotly-plot", timeout=30000)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.evaluate("window.__sidebarSeen") is False, "the sidebar was painted before meeting mode hid it"
    assert page.locator(".js-plotly-plot").count() == 1
    page.get_by_role("button", name="✕ Thoát chế độ họp").click()
    page.wait_for_selector("[data-testid='stSidebar']", state="visible", timeout=20000)
    context.close()


def test_every_page_slug_opens_its_page(server, browser):
    """/tong-quan (the overview's slug, used in links and export file names) opens the overview, not a
    'Page not found' dialog; so does every other page's slug."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    for slug, (title, _) in {**PAGES, "tong-quan": PAGES[""]}.items():
        page.goto(f"{server}/{slug}", wait_until="networkidle")
        page.wait_for_function("t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
                               arg=title, timeout=60000)
        assert page.get_by_text("Page not found").count() == 0, slug
    page.close()
