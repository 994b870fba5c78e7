"""Honest numbers (issue 9, items 1-6): no claim stronger than the data, on the real store built from data/."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard import queries
from dashboard.forecast import forecast_series
from dashboard.projections import forecast_table, projection_path, simulation_anchors

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ 1. simulated forecasts claim no more
def _cli_forecast(db_path: Path, province: str) -> list[dict]:
    env = {"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "dashboard", "forecast", "--province", province, "--all",
                          "--districts"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("province", ["Đắk Nông", "Sóc Trăng", "Đồng Tháp"])
def test_cli_simulated_series_are_illustrations(db_path, province):
    recs = _cli_forecast(db_path, province)
    sim = [r for r in recs if r["provenance"] == "simulated"]
    for r in sim:
        assert r["status"] == "simulated" and r["probability"] is None
        assert r["interval"]["lower"] is None and r["interval"]["upper"] is None
        assert "đã công bố quanh" not in r["note"] and "các điểm đã công bố" not in r["note"]
        assert "hiệu chỉnh để tổng toàn tỉnh bằng số đã công bố" in r["note"]
    for r in recs:  # nowhere a zero-width interval presented as certainty
        lo, hi = r["interval"]["lower"], r["interval"]["upper"]
        assert lo is None or hi is None or hi > lo


def test_simulated_series_need_a_published_anchor(db_path):
    # learners/teachers on digital records: published only by Đắk Nông
    for code, province in (("94", "Sóc Trăng"), ("87", "Đồng Tháp")):
        sim = forecast_table(code, districts=True)
        sim = sim[sim["provenance"] == "simulated"]
        assert not sim["indicator_code"].isin(["LEARNERS_DIGITAL_RECORD_PCT", "TEACHERS_DIGITAL_RECORD_PCT"]).any()
    assert forecast_table("94", districts=True).query("provenance == 'simulated'").empty  # nothing anchors them
    dt = forecast_table("87", districts=True).query("provenance == 'simulated'")
    assert set(dt["indicator_code"]) == {"CASHLESS_SCHOOLS_PCT", "STEM_SCHOOLS_PCT"}
    dn = forecast_table("67", districts=True).query("provenance == 'simulated'")
    assert {"LEARNERS_DIGITAL_RECORD_PCT", "TEACHERS_DIGITAL_RECORD_PCT"} <= set(dn["indicator_code"])
    anchors = simulation_anchors("67")
    assert anchors["learners_digital"]["obs_key"] == "dn24_059" and anchors["learners_digital"]["school_year"] == 2023
    assert "stem" not in anchors and "learners_digital" not in simulation_anchors("94")


def test_projection_path_of_simulated_series_has_no_interval_or_probability():
    points, summary = projection_path("67", "662|LEARNERS_DIGITAL_RECORD_PCT")
    assert summary["projection"]["lower"].isna().all() and summary["projection"]["upper"].isna().all()
    assert all(o["probability"] is None and o["status"] == "simulated" for o in summary["outlooks"])
    assert "96,33%" in summary["note_vi"] and "Phụ lục, dòng 8" in summary["note_vi"]


def test_saturated_bootstrap_gives_no_interval_instead_of_100_to_100():
    fc = forecast_series([2021, 2022, 2023, 2024], [88, 91, 94, 97], unit="pct", targets={2025: 100, 2030: 100})
    p2030 = next(p for p in fc.projections if p.year == 2030)
    assert p2030.value == 100.0 and p2030.lower is None and p2030.upper is None
    o2030 = next(o for o in fc.outlooks if o.year == 2030)
    assert o2030.probability is None and "interval_collapsed" in fc.notes
    assert "không ghi khoảng dự báo" in fc.note("vi")


# ------------------------------------------------------------------ 5. inconsistencies in the documents
def test_share_check_finds_every_printed_share_that_disagrees():
    df = queries.share_checks()
    found = dict(zip(df["obs_key"], df["recomputed"].round(2)))
    assert found["dt24_o002"] == 78.15 and found["dt24_o003"] == 77.89  # 78,18% matches neither
    assert set(found) == {"dt24_o002", "dt24_o003", "dn24_020", "dn24_030", "st23_o031"}
    trunc = dict(zip(df["obs_key"], df["truncated_agrees"]))
    assert trunc["dn24_030"] and trunc["st23_o031"] and not trunc["dt24_o002"]  # 89,177 printed 89.17: cut, not rounded
    everything = queries.share_checks(all_rows=True)
    assert len(everything) > len(df) and everything.loc[everything["obs_key"] == "dn24_029", "agrees"].item()


def test_implied_teacher_totals_disagree_and_learner_records_exceed_them():
    d = queries.implied_denominators().set_index("obs_key")
    teachers = d[d["population"] == "teachers"]
    assert not teachers["consistent"].any()
    assert round(teachers.loc["dn24_044", "implied_low"]) == 6628
    assert 9083 <= teachers.loc["dn24_049", "implied_high"] <= 9085  # 7.661 = 84,34%
    assert 9201 <= teachers.loc["dn24_050", "implied_high"] <= 9203  # 8.899 = 96,71%
    assert 11017 <= teachers.loc["dn24_060", "implied_high"] <= 11019  # 10.393 = 94,33%
    learners = d[d["population"] == "learners"]
    assert learners["consistent"].all()
    assert 150520 <= learners.loc["dn24_059", "implied_low"] <= learners.loc["dn24_059", "implied_high"] <= 150540
    assert learners.loc["dn24_025", "exceeds"]  # 187.122 records "định danh thống nhất" > about 150.530 learners


def test_inconsistencies_table_names_each_case_with_both_statements():
    inc = queries.inconsistencies()
    by_kind = {k: g for k, g in inc.groupby("kind")}
    share = " ".join(by_kind["share"]["finding"])
    assert "465/595 = 78,15% ≠ 78,18%" in share and "465/597 = 77,89% ≠ 78,18%" in share
    exceeds = by_kind["count_exceeds"].iloc[0]
    assert exceeds["statement"].startswith("187.122") and "145.006 = 96,33%" in exceeds["finding"]
    den = by_kind["denominator"].iloc[0]
    for part in ("6.628 = 100%", "7.661 = 84,34%", "8.899 = 96,71%", "10.393 = 94,33%"):
        assert part in den["finding"]
    conflicts = by_kind["conflict"]
    schools = conflicts[conflicts["keys"].str.contains("stkh_o00")].set_index("keys")
    assert set(schools["period"]) == {"2022-2023"} and len(schools) == 2  # plan vs report, same school year
    thcs = schools.loc[[k for k in schools.index if "stkh_o005" in k][0], "statement"]
    thpt = schools.loc[[k for k in schools.index if "stkh_o006" in k][0], "statement"]
    assert set(thcs.split(" | ")) == {"108", "109"} and set(thpt.split(" | ")) == {"39", "40"}
    en = queries.inconsistencies(lang="en")
    assert len(en) == len(inc) and "agrees if truncated" in " ".join(en["finding"])


def test_sources_page_shows_the_inconsistencies_with_both_statements():
    from tests.test_pages import run

    at = run("pages/sources.py")
    table = next(d.value for d in at.dataframe if "Tính lại" in d.value.columns)
    text = " ".join(table["Tính lại"]) + " " + " ".join(table["Số in"])
    assert "465/595 = 78,15% ≠ 78,18%" in text and "187.122" in text and "10.393 = 94,33%" in text
    assert any(s.value == "Số liệu trong văn bản không khớp nhau" for s in at.subheader)


# ------------------------------------------------------------------ 4. targets
def test_national_work_record_targets_compare_dak_nong():
    df = queries.progress_table("67", target_years=(2025,))
    wr = df[df["indicator_code"] == "WORK_RECORDS_DIGITAL_PCT"].set_index("breakdown")
    assert (wr.loc["dept", "value"], wr.loc["dept", "target_2025"], wr.loc["dept", "target_2025_scope"]) == (90, 90, "VN")
    assert (wr.loc["district_office", "value"], wr.loc["district_office", "target_2025"]) == (88, 80)
    assert set(wr["status_2025"]) == {"reached"}
    assert wr.loc["dept", "target_2025_source"] and "II.2.b" == wr.loc["dept", "target_2025_section"]


def test_national_2030_targets_and_sóc_trăng_2030_indicators():
    t = queries.targets_for("67", years=(2030,))
    vn = t[t["scope_code"] == "VN"].set_index("indicator_code")
    assert {"ONLINE_PLATFORM_LEARNERS_PCT", "ONLINE_PLATFORM_TEACHERS_PCT", "LEARNING_MATERIALS_COVERAGE_PCT",
            "EDU_RESOURCES_DIGITAL_MGMT_PCT"} <= set(vn.index)
    assert (vn["quote_source_id"] == "st_kh_2023").all() and (vn["value"] == 100).all()
    st = queries.targets_for("94", years=(2030,))
    own = st[st["scope_code"] == "94"]
    # the 2030 sentences are about a platform and about all resources: not devices, not facility records
    assert not own["indicator_code"].isin(["STU_ONLINE_EQUIPPED_PCT", "TCH_ONLINE_EQUIPPED_PCT",
                                            "FACILITIES_DIGITAL_RECORD_PCT"]).any()


def test_dong_thap_2024_targets_added_with_verbatim_quotes():
    t = queries.targets_for("87", years=(2024,)).set_index("target_key")
    pd_row, gov = t.loc["dt24_t029"], t.loc["dt24_t030"]
    assert (pd_row["indicator_code"], pd_row["value"], pd_row["section"]) == ("TEACHERS_PD_PLATFORM_PCT", 100,
                                                                             "Phần II.II.2.1.b")
    assert "100% nhà giáo có hồ sơ và tài khoản sử dụng để tự bồi dưỡng" in pd_row["quote"]
    assert (gov["indicator_code"], gov["value"], gov["section"]) == ("SCHOOLS_DATA_DRIVEN_PCT", 100, "Phần II.II.2.4.c")
    doc = queries.source_text("dt_kh_2024")
    assert pd_row["quote"] in doc and gov["quote"] in doc


# ------------------------------------------------------------------ 3. years line up
CALIBRATION = list(__import__("csv").DictReader(
    (ROOT / "data" / "simulation" / "calibration.csv").open(encoding="utf-8")))


@pytest.mark.parametrize("c", CALIBRATION, ids=[f"{c['obs_key']}-{c['metric'] or c['levels']}" for c in CALIBRATION])
def test_calibrated_school_year_is_the_period_of_the_published_figure(db_path, c):
    import sqlite3
    with sqlite3.connect(db_path) as con:
        period, end = con.execute("SELECT period, period_end FROM observation WHERE obs_key = ?",
                                  (c["obs_key"],)).fetchone()
    sy = int(c["school_year"])
    assert f"{sy}-09-01" <= end <= f"{sy + 1}-08-31", (c, period, end)  # its as-of date lies in that school year
    if len(period) == 9:  # a school-year label
        assert period == f"{sy}-{sy + 1}"


def test_school_years_are_dated_by_their_end_and_the_note_names_the_figure_year():
    # one rule (docs/DESIGN.md 14): a point is dated by its as-of year; a school year's data by the year it ends
    dt = forecast_table("87", districts=True)
    pub = dt[(dt["provenance"] == "published") & (dt["indicator_code"] == "CASHLESS_SCHOOLS_PCT")]
    sim = dt[(dt["provenance"] == "simulated") & (dt["indicator_code"] == "CASHLESS_SCHOOLS_PCT")]
    assert set(pub["last_year"]) == {2023.0}  # Đồng Tháp: 78,18% as of 31/12/2023
    assert set(sim["first_year"]) == {2021.0} and set(sim["last_year"]) == {2024.0}  # 2020-2021 … 2023-2024
    assert sim["note_vi"].str.contains("Năm học 2023-2024 (ghi năm 2024, năm kết thúc năm học)", regex=False).all()
    assert sim["note_vi"].str.contains("số tính đến năm 2023", regex=False).all()
    dn = forecast_table("67", districts=True)
    assert set(dn.loc[dn["provenance"] == "simulated", "last_year"]) == {2024.0}  # Đắk Nông 2023-2024, as of 3/2024
    assert set(dn.loc[(dn["provenance"] == "published") & (dn["indicator_code"] == "CASHLESS_SCHOOLS_PCT"),
                      "last_year"]) == {2024.0}


# ------------------------------------------------------------------ 6. simulated values follow the documents
def test_no_invented_values_where_documents_count_only_some_levels(db_path):
    import sqlite3
    with sqlite3.connect(db_path) as con:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        # Đắk Nông: informatics computers are counted for general schools only (1.726 + 2.143 + 1.456)
        assert q("SELECT COUNT(pc_informatics) FROM school_year WHERE province_code = '67' "
                 "AND level IN ('MN', 'GDTX')") == [(0,)]
        assert q("SELECT SUM(pc_informatics) FROM school_year WHERE province_code = '67' AND school_year = 2023") \
            == [(5325,)]
        # Sóc Trăng: computers for teaching and management are counted for TH, THCS, THPT only
        assert q("SELECT COUNT(pc_teaching), COUNT(pc_management) FROM school_year WHERE province_code = '94' "
                 "AND level NOT IN ('TH', 'THCS', 'THPT')") == [(0, 0)]
        assert q("SELECT SUM(pc_teaching), SUM(pc_management) FROM school_year WHERE province_code = '94' "
                 "AND school_year = 2023") == [(1566 + 3296 + 1937, 342 + 629 + 325)]
        # Đắk Nông: "370 (chiếm 100%) cơ sở giáo dục được kết nối internet": no institution left unconnected
        assert q("SELECT COUNT(*), SUM(fibre), SUM(wifi) FROM school_year WHERE province_code = '67' "
                 "AND school_year = 2023") == [(370, 370, 370)]


def test_school_export_says_which_school_years_each_row_covers(db_path):
    import csv
    import io
    env = {"DATABASE_URL": f"sqlite:///{db_path}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "dashboard", "export", "schools", "--format", "csv"], cwd=ROOT,
                         env=env, capture_output=True, text=True, check=True)
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    closed = [r for r in rows if r["school_year_to"] != "2023-2024"]
    # Sóc Trăng had 201 TH and 109 THCS schools in 2021-2022, 200 and 108 from 2022-2023: two rows end earlier
    assert sorted((r["province"], r["level"], r["school_year_to"]) for r in closed) == [
        ("Sóc Trăng", "TH", "2021-2022"), ("Sóc Trăng", "THCS", "2021-2022")]
    assert {r["school_year_from"] for r in rows} == {"2020-2021"}
    stem = next(r for r in rows if r["stem_lab"] == "1")
    assert stem["school_year_from"] == "2020-2021" and stem["school_year_to"] == "2023-2024"


# ------------------------------------------------------------------ 2. qualifiers kept
QUALIFIER_WORDS = r"(?:trên|hơn|tối thiểu|ít nhất|khoảng|ước đạt|ước|gần|dưới)"


def _seed_rows():
    import csv
    import glob
    for kind in ("observations", "targets"):
        for path in sorted(glob.glob(str(ROOT / "data" / "seed" / kind / "*.csv"))):
            yield from csv.DictReader(open(path, encoding="utf-8"))


def test_every_bound_or_estimate_in_a_quote_is_stored_with_its_qualifier():
    import re
    missing = []
    for r in _seed_rows():
        number = re.search(r"\d[\d.,]*%?", r["printed"] or "")
        if not number:
            continue
        if re.search(QUALIFIER_WORDS + r"\s+" + re.escape(number.group(0)), r["quote"], re.IGNORECASE) \
                and not r["qualifier"]:
            missing.append(r.get("obs_id") or r.get("target_id"))
    assert missing == []
    rows = {(r.get("obs_id") or r.get("target_id")): r for r in _seed_rows()}
    for key, q, printed in (("dn24_035", ">", "trên 99,5%"), ("dt24_o009", ">", "trên 80%"),
                            ("dt24_o011", ">", "hơn 11.000"), ("dt24_t024", ">=", "tối thiểu 50%"),
                            ("stkh_t032", ">=", "tối thiểu 50%"), ("dt24_t005", ">", "Trên 80%")):
        assert (rows[key]["qualifier"], rows[key]["printed"]) == (q, printed)


def test_qualifiers_reach_tables_csv_and_the_status_says_when_it_rests_on_a_bound():
    fig = queries.figures(search="11.000").set_index("key")
    assert fig.loc["dt24_o011", "qualifier"] == ">" and fig.loc["dt24_o011", "printed"] == "hơn 11.000"
    exp = queries.export_observations()
    bounds = exp[exp["qualifier"] != ""].set_index("quote")
    assert set(exp["qualifier"]) == {"", ">", "~"}
    assert {"hơn 11.000", "trên 99,5%", "trên 78%", "trên 80%", "khoảng 620"} <= set(bounds["printed"])
    assert ',>,"trên 99,5%",' in exp.to_csv(index=False)
    df = queries.progress_table("67", target_years=(2025,))
    sat = df[(df["indicator_code"] == "SATISFACTION_SCHOOLS_PCT")].iloc[0]
    assert (sat["value"], sat["qualifier"], sat["status_2025"], sat["status_2025_basis"]) == (95, "~", "reached", "approx")
    exact = df[df["indicator_code"] == "ONLINE_PROC_FULL_PCT"].iloc[0]
    assert exact["status_2025_basis"] == ""
    assert queries.status_with_basis(99.5, 90, "up", qualifier=">") == ("reached", "min")
    assert queries.status_with_basis(80, 80, "up", target_qualifier=">") == ("near", "")  # 'trên 80%' needs more
    assert queries.status_with_basis(81, 80, "up", target_qualifier=">") == ("reached", "")


def test_overview_card_says_a_status_rests_on_an_estimate():
    from tests.test_pages import markdown, run

    text = markdown(run("pages/overview.py", province="67"))
    assert "Đã đạt (theo số ước tính đã in)" in text


def test_forecast_keeps_the_bound_of_the_latest_point(db_path):
    dn = forecast_table("67")
    exam = dn[dn["indicator_code"] == "EXAM_ONLINE_REG_PCT"].iloc[0]
    assert (exam["last_value"], exam["last_qualifier"]) == (99.5, ">")
    recs = {r["indicator_code"]: r for r in _cli_forecast(db_path, "Đắk Nông") if r["provenance"] == "published"}
    assert recs["EXAM_ONLINE_REG_PCT"]["last_qualifier"] == ">" and recs["ONLINE_PROC_FULL_PCT"]["last_qualifier"] == ""
    points, _ = projection_path("67", "EXAM_ONLINE_REG_PCT|THPT|")
    assert list(points["qualifier"]) == [">"]


def test_forecast_page_table_shows_the_bound():
    from tests.test_pages import run

    at = run("pages/forecast.py", province="67")
    from tests.wide_tables import wide_tables

    province_table = wide_tables(at)[0]
    assert "trên 99,5% (2024)" in set(province_table["Thực hiện"])  # the bound over its year, in one cell


def test_charts_show_the_qualifier_of_values_and_targets():
    from dashboard import charts

    df = queries.progress_table("87", target_years=(2024, 2025))
    fig = charts.target_progress_figure(df, lang="vi", target_years=(2024, 2025))
    hovers = " ".join(h for tr in fig.data for h in (tr.hovertext or []) if h)
    assert "Mục tiêu 2024: tối thiểu 50%" in hovers  # 'tối thiểu 50%' online applications (dt24_t024)
    comp = queries.province_comparison()  # today every compared figure is exact: mark one as a printed bound
    comp.loc[comp.index[0], "qualifier"] = ">"
    fig = charts.comparison_figure(comp, lang="vi")
    texts = {x for tr in fig.data for x in (tr.text or [])}
    from dashboard.i18n import fmt_value
    assert fmt_value(comp["value"].iloc[0], "pct", "vi", ">") in texts and "trên " in fmt_value(1, "pct", "vi", ">")


def test_forecast_page_has_no_district_trend_where_nothing_anchors_it():
    from tests.test_pages import run

    at = run("pages/forecast.py", province="94")
    [r for r in at.radio if r.key == "fc_scope"][0].set_value("district").run()
    assert any("tỉnh chưa công bố (hay nhập) số liệu nào" in i.value for i in at.info)
    from tests.wide_tables import wide_tables

    assert len(wide_tables(at)) == 1  # the province table only: no district table


def test_sources_page_section_in_english():
    from tests.test_pages import run

    at = run("pages/sources.py", lang="en")
    assert any(s.value == "Figures in the documents that do not agree" for s in at.subheader)
    table = next(d.value for d in at.dataframe if "Recomputed" in d.value.columns)
    assert "Share ≠ count / denominator" in set(table["Kind"]) and "Count exceeds the implied total" in set(table["Kind"])


def test_targets_csv_carries_qualifiers_and_the_status_basis():
    from dashboard import packs

    items = packs.targets_pack("87")
    csv = pd.concat([i.csv for i in items if i.csv is not None], ignore_index=True)
    apps = csv[csv["indicator_code"] == "ONLINE_APPLICATIONS_PCT"].iloc[0]
    assert (apps["target_2024_qualifier"], apps["target_2024_printed"]) == (">=", "tối thiểu 50%")
    dn = pd.concat([i.csv for i in packs.targets_pack("67") if i.csv is not None], ignore_index=True)
    sat = dn[dn["indicator_code"] == "SATISFACTION_SCHOOLS_PCT"].iloc[0]
    assert (sat["qualifier"], sat["status"], sat["status_basis"]) == ("~", "reached", "approx")
