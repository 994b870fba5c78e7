"""The forecast wired to the store: page, overview cards, command line."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dashboard.projections import forecast_table, projection_path
from tests.test_pages import markdown, run, specs
from tests.wide_tables import wide_tables
from tests.parts import open_box

ROOT = Path(__file__).resolve().parent.parent


def test_forecast_table_province_and_districts():
    df = forecast_table("67", districts=True)
    pub = df[df["provenance"] == "published"]
    assert (pub["n_points"] <= 2).all()  # published series are short, and the table says so
    full = pub[(pub["indicator_code"] == "ONLINE_PROC_FULL_PCT") & (pub["target_year"] == 2025)].iloc[0]
    assert (full["status"], full["target"], full["required_pace"]) == ("insufficient_data", 100, 68)
    dist = df[df["provenance"] == "simulated"]
    assert set(dist["n_points"]) == {4} and dist["district_name"].nunique() == 8
    assert dist["method"].isin(["logistic", "linear"]).all()
    assert ((dist["value_2025"] >= 0) & (dist["value_2025"] <= 100)).all()
    # an illustration: no probability, no interval, no progress status, and a note saying what it rests on
    assert set(dist["status"]) == {"simulated"} and dist["probability"].isna().all()
    assert dist["lower"].isna().all() and dist["upper_2025"].isna().all() and dist["progress_ratio"].isna().all()
    assert not dist["note_vi"].str.contains("đã công bố quanh").any()
    assert dist["note_vi"].str.contains("suy ngược theo tỉ lệ giả định").all()


def test_bound_statements_do_not_enter_the_series():
    df = forecast_table("87")
    gov = df[df["indicator_code"] == "DIGITAL_GOVERNANCE_PCT"].iloc[0]
    assert gov["last_value"] == 100  # 'trên 70%' beside '100%' in 2023: the exact statement counts


def test_projection_path_of_a_district_series():
    points, summary = projection_path("67", "662|CASHLESS_SCHOOLS_PCT")
    assert list(points["year"]) == [2021, 2022, 2023, 2024]
    proj = summary["projection"]
    assert proj["year"].max() == 2030 and proj["value"].between(0, 100).all()


def test_forecast_page_renders_both_scopes():
    at = run("pages/forecast.py", province="67")
    assert at.title[0].value == "Dự báo — Đắk Nông"
    assert len(wide_tables(at)) == 2  # province table and district table (reflowed HTML tables)
    _widget_radio = [r for r in at.radio if r.key == "fc_scope"][0]
    _widget_radio.set_value("district").run()
    fig = specs(at)[0]
    names = {tr.name for tr in fig.data}
    # simulated points are not "actual" figures and their trend is an illustration, with no interval band
    assert "Xu hướng minh hoạ (mô phỏng)" in names and "Giá trị mô phỏng" in names
    assert "Thực hiện" not in names and not any(n and n.startswith("Khoảng dự báo") for n in names)
    assert any("MÔ PHỎNG" in (a.text or "") for a in fig.layout.annotations)
    district = wide_tables(at)[1]
    assert district["Trạng thái"].str.startswith("Mô phỏng — minh hoạ").all()
    # simulated histories claim no probability and no interval: neither line is in their cells
    assert not district["Trạng thái"].str.contains("Xác suất đạt").any()
    assert not district["Dự báo"].str.contains("Khoảng dự báo").any()
    captions = " ".join(c.value for c in at.caption)
    assert "các điểm đã công bố" not in captions and "hiệu chỉnh để tổng toàn tỉnh bằng số đã công bố" in captions


def test_overview_cards_show_status_and_projection():
    at = open_box(run("pages/overview.py", province="67"), "overview_cards")
    text = markdown(at)
    assert "Dự báo 2025" in text and "Chưa đủ số liệu" in text and "Đã đạt mục tiêu" in text


def test_cli_forecast_json(db_path):
    env = {"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"}
    one = subprocess.run([sys.executable, "-m", "dashboard", "forecast", "--province", "Đắk Nông", "--indicator",
                          "ONLINE_PROC_FULL_PCT", "--year", "2025"], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    rec = json.loads(one.stdout)
    assert rec["status"] == "insufficient_data" and rec["n_points"] == 1 and rec["method"] == "none"
    assert rec["target"] == 100 and rec["required_pace"] == 68
    many = subprocess.run([sys.executable, "-m", "dashboard", "forecast", "--province", "Đắk Nông", "--all",
                           "--districts"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    recs = json.loads(many.stdout)
    assert len({r["series_id"] for r in recs}) == len(recs)
    assert {r["provenance"] for r in recs} == {"published", "simulated"}


def test_disagreeing_statements_are_separate_series_never_averaged(db_path):
    import sqlite3
    with sqlite3.connect(db_path) as con:
        printed = {(ind, unit): {v for (v,) in con.execute(
            "SELECT value FROM observation WHERE indicator_code = ? AND unit_code = ?", (ind, unit))}
            for ind, unit in con.execute("SELECT DISTINCT indicator_code, unit_code FROM observation")}
    for province in ("94", "67", "87"):
        df = forecast_table(province)
        for _, r in df.iterrows():
            assert r["last_value"] in printed[(r["indicator_code"], province)], (province, r["series_id"])
    dn = forecast_table("67")
    apps = dn[dn["indicator_code"] == "ONLINE_APPLICATIONS_PCT"]
    assert sorted(apps["last_value"]) == [87, 98] and apps["series_id"].nunique() == 2
