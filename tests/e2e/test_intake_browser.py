"""The intake in Chromium on its own server and store copy: an editor signs in, sees a clear error list for a
bad workbook, stages the demo Decision 4725 workbook (edited by the Sở's staff: 100 schools re-scored) after
acknowledging its warnings; an approver publishes it; the 4725 page shows the imported numbers; rollback
returns the simulated ones. A viewer gets no intake page, also by its address."""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.db import write_engine
from dashboard.i18n import fmt_value
from dashboard.intake import audit
from test_intake_support import PASSWORD, copy_db, examples, registered_db, users_db, xlsx  # noqa: F401

from .conftest import streamlit_server, wait_for_app

SHOTS = os.environ.get("INTAKE_SHOTS")  # a folder: save screenshots of each step (for looking at the pages)


@pytest.fixture(scope="module")
def intake_store(registered_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Accounts ed (editor), ap (approver) and the published demo register of Đồng Tháp, on a private copy."""
    return copy_db(registered_db, tmp_path_factory.mktemp("e2e_intake") / "intake.db")


@pytest.fixture(scope="module")
def intake_server(intake_store: Path, browser):
    with streamlit_server(intake_store, browser, intake_store.parent / "server.log") as url:
        yield url


def shot(page, name: str) -> None:  # noqa: ANN001
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def new_page(browser):  # noqa: ANN001, ANN201
    """A fresh browser context: its own Streamlit session (its own sign-in)."""
    return browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()


def open_app(page, url: str) -> None:  # noqa: ANN001
    page.goto(url)
    wait_for_app(page)


def sign_in(page, user: str) -> None:  # noqa: ANN001
    page.locator(".st-key-signin_box summary").click()  # the sidebar's sign-in box opens (a rerun draws the form)
    page.get_by_label("Tên tài khoản").fill(user)
    page.get_by_label("Mật khẩu").fill(PASSWORD[user])
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text(f"Đã đăng nhập: {user}").wait_for(timeout=60000)


def go(page, link: str, title: str) -> None:  # noqa: ANN001
    wait_for_app(page)  # the sign-in's rerun has finished: the link is the new navigation's
    page.get_by_role("link", name=link).click()
    try:
        page.wait_for_function("t => [...document.querySelectorAll('h1')].some(h => "
                               "h.innerText.trim().startsWith(t))", arg=title, timeout=90000)
    finally:
        shot(page, f"go_{title}")
    wait_for_app(page)


def upload(page, kind: str, name: str, data: bytes) -> None:  # noqa: ANN001
    """Give the file to the uploader of this kind of data (its widget key), then wait until it shows the file.

    The uploader of the kind chosen before stays in the page until the rerun replaces it; a file given to it
    would be lost, so the uploader is found by its key, and the upload counts only once its chip shows the file."""
    box = page.locator(f".st-key-ik_file_{kind}")
    box.locator("input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    box.locator(f"[data-testid='stFileChipName'][title='{name}']").wait_for(timeout=60000)  # shown shortened


def edited_demo(examples: Path) -> bytes:
    """The demo assessment workbook after the Sở's staff re-scored its first 100 schools (both groups 90,
    declared and verified level 3): the published numbers must differ from the simulated ones."""
    wb = load_workbook(examples / "demo_dong-thap_2024_assessment.xlsx")
    ws = wb["Tự đánh giá QĐ 4725"]
    heads = [c.value.rstrip(" *") for c in ws[1]]
    col = {h: i for i, h in enumerate(heads)}
    for row in ws.iter_rows(min_row=3, max_row=102):
        for h in heads:
            if h.startswith("Điểm nhóm"):
                row[col[h]].value = 90
            elif h.startswith("Mức"):
                row[col[h]].value = 3
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def l3_share(page) -> str:  # noqa: ANN001
    """The headline share of schools at level 3 as the page shows it."""
    m = page.locator("[data-testid='stMetric']").filter(has_text="Tỷ lệ mức 3").first
    m.wait_for(timeout=60000)
    return m.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_viewer_gets_no_intake_page_also_by_address(intake_server, browser):
    page = new_page(browser)
    open_app(page, intake_server)
    assert page.get_by_role("link", name="Mức độ chuyển đổi số (QĐ 4725)").count() == 1  # for everyone
    assert page.get_by_role("link", name="Nhập dữ liệu").count() == 0
    assert page.get_by_role("link", name="Nhật ký nhập liệu").count() == 0
    for path in ("nhap-du-lieu", "nhat-ky-nhap-lieu"):
        open_app(page, f"{intake_server}/{path}")
        # the address opens the page, which says which role is needed and offers nothing to do
        page.get_by_text("cần đăng nhập với vai trò").first.wait_for(timeout=60000)
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        assert page.get_by_role("link", name="Nhập dữ liệu").count() == 0  # still not in the navigation
    page.context.close()


def test_editor_uploads_approver_publishes_dashboard_changes_rollback_returns(intake_server, intake_store, browser,
                                                                              examples):
    eng = write_engine(intake_store)
    viewer = new_page(browser)
    open_app(viewer, f"{intake_server}/muc-do-cds")
    simulated = l3_share(viewer)
    assert simulated == "20,1%" and viewer.get_by_text("Dữ liệu mô phỏng").count() >= 1

    editor = new_page(browser)
    open_app(editor, intake_server)
    sign_in(editor, "ed")
    go(editor, "Nhập dữ liệu", "Nhập dữ liệu")
    editor.locator("button", has_text="Tự đánh giá QĐ 4725").first.click()
    editor.get_by_text("Tự đánh giá theo QĐ 4725/QĐ-BGDĐT").wait_for(timeout=60000)
    editor.locator(".st-key-ik_file_assessment").wait_for(timeout=60000)
    bad = xlsx("assessment", [{"school_code": "87DEMO0002", "school_year": "2024-2025", "score_teaching": 120,
                               "score_management": 60}])
    upload(editor, "assessment", "tu_danh_gia_loi.xlsx", bad)
    editor.get_by_text("Lỗi — cần sửa tệp").wait_for(timeout=60000)
    err = editor.locator("[data-testid='stAlertContentError']").first.inner_text()
    assert re.search(r"tu_danh_gia_loi\.xlsx, trang tính 'Tự đánh giá QĐ 4725', dòng 3, cột '[^']+': điểm 120 ngoài "
                     r"khoảng 0–100", err), err
    assert "Traceback" not in editor.content() and "/tmp/" not in err
    assert editor.get_by_role("button", name="Nạp thành lô chờ duyệt").is_disabled()
    shot(editor, "1_bad_file")

    upload(editor, "assessment", "demo_dong-thap_2024_assessment.xlsx", edited_demo(examples))
    editor.get_by_text("Cảnh báo — cần xem và xác nhận").wait_for(timeout=60000)
    editor.get_by_text(re.compile(r"Tôi đã xem \d+ cảnh báo")).click()
    button = editor.get_by_role("button", name="Nạp thành lô chờ duyệt")
    editor.wait_for_function("() => [...document.querySelectorAll('button')].some(b => "
                             "b.innerText.includes('Nạp thành lô chờ duyệt') && !b.disabled)", timeout=60000)
    button.click()
    editor.get_by_text(re.compile(r"Đã tạo lô số \d+")).wait_for(timeout=90000)
    bid = int(re.search(r"Đã tạo lô số (\d+)", editor.content()).group(1))
    editor.get_by_text(f"Xem trước khi phát hành — lô {bid}").wait_for(timeout=60000)
    shot(editor, "2_staged")
    assert audit.batches(engine=eng).set_index("id").loc[bid, "status"] == "staged"
    open_app(viewer, f"{intake_server}/muc-do-cds")
    assert l3_share(viewer) == simulated  # staged = invisible

    approver = new_page(browser)
    open_app(approver, intake_server)
    sign_in(approver, "ap")
    go(approver, "Nhật ký nhập liệu", "Nhật ký nhập liệu")
    approver.get_by_role("button", name=f"Phát hành lô {bid}").click()
    approver.get_by_text(f"Phát hành lô {bid}?").wait_for(timeout=60000)
    shot(approver, "3_confirm")
    approver.get_by_role("button", name="Xác nhận").click()
    approver.get_by_text(f"Đã phát hành lô {bid}").wait_for(timeout=90000)
    shot(approver, "4_published")

    lv = audit.assessment_levels("87", by="province", engine=eng).iloc[0]
    imported = fmt_value(round(float(lv["pct_l3"]), 1), "pct", "vi")
    assert imported != simulated
    open_app(viewer, f"{intake_server}/muc-do-cds")  # a new run: the newest school year, the imported data
    viewer.get_by_text("Dữ liệu nhập: demo_dong-thap_2024_assessment.xlsx, phê duyệt").first.wait_for(timeout=60000)
    viewer.wait_for_function("v => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                             ".some(e => e.innerText.trim() === v)", arg=imported, timeout=60000)
    assert l3_share(viewer) == imported
    shot(viewer, "5_dx_imported")

    wait_for_app(approver)
    approver.get_by_role("button", name=f"Hoàn tác lô {bid}").click()  # still on the log, the batch chosen
    approver.get_by_text(f"Hoàn tác lô {bid}?").wait_for(timeout=60000)
    approver.get_by_role("button", name="Xác nhận").click()
    try:
        approver.get_by_text(f"Đã hoàn tác lô {bid}").wait_for(timeout=90000)
    finally:
        shot(approver, "6_rollback")
    assert audit.batches(engine=eng).set_index("id").loc[bid, "status"] == "rolled_back"
    open_app(viewer, f"{intake_server}/muc-do-cds")
    viewer.get_by_text("Dữ liệu mô phỏng: chưa có tự đánh giá").first.wait_for(timeout=60000)
    assert l3_share(viewer) == simulated
    for p in (viewer, editor, approver):
        p.context.close()
