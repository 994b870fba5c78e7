"""Open every page in headless Chromium and save full-page screenshots (for looking at what we built).

Usage: python scripts/screenshots.py [BASE_URL] [OUT_DIR] [QUERY]
"""
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8501"
OUT = Path(sys.argv[2] if len(sys.argv) > 2 else "screenshots")
QUERY = sys.argv[3] if len(sys.argv) > 3 else ""
PAGES = ["", "muc-tieu", "ha-tang-so", "ung-dung-cntt", "du-bao", "ngan-sach", "ban-do-stem", "du-lieu-nguon"]  # "" = overview (default page)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

OUT.mkdir(parents=True, exist_ok=True)
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    for name in PAGES:
        url = f"{BASE}/{name}{QUERY}"
        page.goto(url, wait_until="networkidle")
        page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30000)
        for _ in range(60):  # wait for the script run to finish
            if page.locator("[data-testid='stStatusWidget']").count() == 0:
                break
            time.sleep(0.5)
        time.sleep(2)
        errs = page.locator("[data-testid='stException']").count()
        height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight || 900")
        page.set_viewport_size({"width": 1440, "height": min(int(height) + 40, 12000)})
        time.sleep(1)
        path = OUT / f"{name or 'tong-quan'}{QUERY.replace('?', '_').replace('&', '_').replace('=', '-')}.png"
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size({"width": 1440, "height": 900})
        print(f"{path} exceptions={errs}")
    browser.close()
