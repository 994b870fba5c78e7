"""Exports and packs name the chosen unit: with Thành phố Cần Thơ (92-2025) chosen, the filter line, the pack's
title and the file names say Thành phố Cần Thơ (not its former part Sóc Trăng, whose figures follow); with the
former Sóc Trăng (94) chosen they say Sóc Trăng, as before."""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from dashboard import export
from dashboard.uikit.exports import _filters_text, export_name
from dashboard.uikit.filters import Filters

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 23)
CAN_THO = Filters(lang="vi", province="94", year_max=None, levels=(), pillars=(), current_province="92")
SOC_TRANG = Filters(lang="vi", province="94", year_max=None, levels=(), pillars=())
needs_chromium = pytest.mark.skipif(not export.chromium_available(), reason="no Chrome/Chromium to draw with")


def test_filter_line_names_the_chosen_unit():
    assert _filters_text(CAN_THO).startswith("Tỉnh: Thành phố Cần Thơ · Năm")
    assert "Sóc Trăng" not in _filters_text(CAN_THO)
    assert _filters_text(SOC_TRANG).startswith("Tỉnh: Sóc Trăng · Năm")
    en = Filters(lang="en", province="94", year_max=2024, levels=(), pillars=(), current_province="92")
    assert _filters_text(en).startswith("Province: Thành phố Cần Thơ · Year")
    # a current province named 'Tỉnh …': no 'Tỉnh: Tỉnh Đồng Tháp'
    dong_thap = Filters(lang="vi", province="87", year_max=None, levels=(), pillars=(), current_province="82")
    assert _filters_text(dong_thap).startswith("Tỉnh: Đồng Tháp · Năm")
    assert export_name("tong-quan", dong_thap, "ban-tom-tat", "pdf", DAY) == \
        "tong-quan_tinh-dong-thap_ban-tom-tat_2026-11-23.pdf"


def test_file_names_name_the_chosen_unit_in_ascii():
    assert export_name("tong-quan", CAN_THO, "ban-tom-tat", "pdf", DAY) == \
        "tong-quan_thanh-pho-can-tho_ban-tom-tat_2026-11-23.pdf"
    assert export_name("tong-quan", SOC_TRANG, "ban-tom-tat", "pptx", DAY) == \
        "tong-quan_soc-trang_ban-tom-tat_2026-11-23.pptx"
    assert export_name("Chỉ tiêu", CAN_THO, "ov_pillars", "png", DAY) == \
        "chi-tieu_thanh-pho-can-tho_ov-pillars_2026-11-23.png"


@needs_chromium
def test_app_pack_of_can_tho_is_titled_with_can_tho():
    """The sidebar's pack with Thành phố Cần Thơ chosen: title slide and filter line name Cần Thơ."""
    from pptx import Presentation
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    next(w for w in at.selectbox if w.key == "province").set_value("92-2025").run()
    next(r for r in at.radio if r.key == "pack_format").set_value("pptx").run()
    next(b for b in at.button if b.key == "pack_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    prs = Presentation(io.BytesIO(at.session_state["_pack"][1]))
    assert prs.slides[0].shapes.title.text == "Báo cáo tóm tắt — Thành phố Cần Thơ"
    title_slide = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "Bộ lọc: Tỉnh: Thành phố Cần Thơ" in title_slide
    assert "Tỉnh: Sóc Trăng" not in title_slide


# ------------------------------------------------------------------ conflicting targets of a current province
def test_conflicting_targets_of_a_current_province_are_listed_under_it(db_path: Path, tmp_path: Path):
    """Thành phố Cần Thơ (current 92) states its 2025 target for learners with digital records twice, 95% and
    90%: the conflicts listing shows it under '92-2025' and the province's name; a restatement of the same value
    is no conflict."""
    import shutil

    import sqlalchemy as sa

    from dashboard import queries
    from dashboard.db import read_engine, write_engine

    insert = sa.text("""INSERT INTO target (target_key, indicator_code, scope_code, scope_current_code, level,
                        breakdown, year, value, qualifier, printed, source_id, section, quote, reported_result,
                        reported_status, note)
                        VALUES (:k, 'LEARNERS_DIGITAL_RECORD_PCT', NULL, '92', 'ALL', '', 2025, :v, '', :p,
                                'st_kh_2023', 'test', 'test', '', '', 'inserted by a test')""")
    path = tmp_path / "store.db"
    shutil.copy(db_path, path)
    before = queries.conflicts(engine=read_engine(db_path))
    engine = write_engine(path)
    with engine.begin() as con:
        for k, v, p in (("test_cur_92_a", 95.0, "95%"), ("test_cur_92_b", 90.0, "90%"), ("test_cur_92_c", 95.0, "95%"),
                        ("test_cur_92_d", 80.0, "80%")):
            con.execute(insert, {"k": k, "v": v, "p": p})
        con.execute(sa.text("UPDATE target SET year = 2030 WHERE target_key = 'test_cur_92_d'"))  # alone in 2030
    engine.dispose()
    rows = queries.conflicts(engine=read_engine(path))
    assert len(rows) == len(before) + 1
    mine = rows[rows["unit_code"] == "92-2025"]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert row["unit_name"] == "Thành phố Cần Thơ" and row["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT"
    assert row["period"] == "2025 (mục tiêu)" and row["statements"] == 3
    assert sorted(row["printed_values"].split(" | ")) == ["90%", "95%", "95%"]
    assert sorted(row["obs_keys"].split(" | ")) == ["test_cur_92_a", "test_cur_92_b", "test_cur_92_c"]
    # the former provinces' target conflicts are still listed under their own codes and names
    assert rows[rows["unit_code"] != "92-2025"].reset_index(drop=True).equals(before.reset_index(drop=True))


# ------------------------------------------------------------------------------------ the pack command
def _pack(tmp_path: Path, *args: str):
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "dashboard", "pack", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env=env)


def _slides_text(path: Path) -> tuple[str, str, str]:
    from pptx import Presentation

    prs = Presentation(str(path))
    title = prs.slides[0].shapes.title.text
    first = " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    table = next(sh.table for sh in prs.slides[1].shapes if sh.has_table)
    return title, first, " ".join(c.text for row in table.rows for c in row.cells)


@needs_chromium
def test_pack_command_accepts_a_current_province_and_names_it(tmp_path: Path):
    from dashboard.export.names import export_filename

    res = _pack(tmp_path, "--province", "92-2025", "--format", "pptx", "--page", "targets")
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    name = export_filename("targets", "Thành phố Cần Thơ", "ban-tom-tat", "pptx", date.today())
    assert name.startswith("targets_thanh-pho-can-tho_ban-tom-tat_")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name] and f"wrote {name}" in res.stdout
    title, first, table = _slides_text(tmp_path / name)
    assert title == "Báo cáo tóm tắt — Thành phố Cần Thơ"
    assert "Bộ lọc: Tỉnh: Thành phố Cần Thơ" in first and "Tỉnh: Sóc Trăng" not in first
    # the status table is the current province's: the former Sóc Trăng's targets name the province that set them
    assert "Kế hoạch tỉnh Sóc Trăng (trước 7/2025)" in table
    # by its full name too, into a file given by --out
    out = tmp_path / "can-tho.pptx"
    assert _pack(tmp_path, "--province", "thanh pho can tho", "--format", "pptx", "--page", "overview",
                 "--out", str(out)).returncode == 0
    assert _slides_text(out)[0] == "Báo cáo tóm tắt — Thành phố Cần Thơ"


@needs_chromium
def test_pack_command_of_a_former_province_is_unchanged(tmp_path: Path):
    res = _pack(tmp_path, "--province", "94", "--format", "pptx", "--page", "targets")
    assert res.returncode == 0, res.stderr
    (path,) = tmp_path.iterdir()
    assert path.name.startswith("targets_soc-trang_ban-tom-tat_") and path.suffix == ".pptx"
    title, first, table = _slides_text(path)
    assert title == "Báo cáo tóm tắt — Sóc Trăng" and "Bộ lọc: Tỉnh: Sóc Trăng" in first
    assert "trước 7/2025" not in table
    bad = _pack(tmp_path, "--province", "01-2025", "--format", "pdf")  # Hà Nội: no figures in the store
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "unknown province '01-2025'" in bad.stderr and "92-2025 (Thành phố Cần Thơ)" in bad.stderr
