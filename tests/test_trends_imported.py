"""Trends after an import (issue 9 item 3, issue 10 items 8 and 13), on real store copies with real workbooks:
imported school years are fitted alone, never with simulated ones; one year rule for simulated and imported
points; imported school sums held against the published province figures on the sources page."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard import checks
from dashboard.db import write_engine
from dashboard.forecast import forecast_series
from dashboard.intake.batches import publish, stage
from dashboard.projections import (IMPORTED_SUFFIX, district_series, forecast_table, projection_path,
                                   school_year_date)
from test_intake_support import copy_db, examples, registered_db, use_db, users_db, xlsx  # noqa: F401

DT = "87"
SHARES = {2021: 1, 2022: 2, 2023: 3}  # cashless schools out of 4, per imported school year (25, 50, 75%)


def _publish(data: bytes, name: str, kind: str = "school_year", ack: bool = False) -> int:
    bid = stage(data, name, kind, user="ed", ack_warnings=ack)
    publish(bid, approver="ap")
    return bid


def _four_schools(db: Path) -> tuple[str, list[str]]:
    """A district of the demo register with at least four primary schools, and four of them."""
    with write_engine(db).connect() as con:
        rows = pd.read_sql("""SELECT district_code, code FROM school WHERE province_code = '87' AND batch_id IS NOT NULL
                              AND level = 'TH' AND district_code IS NOT NULL ORDER BY district_code, code""", con)
    d = rows.groupby("district_code")["code"].apply(list)
    d = d[d.map(len) >= 4]
    return d.index[0], d.iloc[0][:4]


def _small_batch(codes: list[str], sy: int, cashless: int) -> bytes:
    return xlsx("school_year", [{"school_code": c, "school_year": f"{sy}-{sy + 1}", "students": 100, "teachers": 10,
                                 "cashless": int(i < cashless)} for i, c in enumerate(codes)])


@pytest.fixture()
def reg(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_db(copy_db(registered_db, tmp_path / "t.db"), monkeypatch)


@pytest.fixture(scope="module")
def three_years(registered_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Three small imported school years (2021-2022 … 2023-2024) for four schools of one district."""
    db = copy_db(registered_db, tmp_path_factory.mktemp("trend3") / "t3.db")
    mp = pytest.MonkeyPatch()
    use_db(db, mp)
    try:
        district, codes = _four_schools(db)
        for sy, n in SHARES.items():
            _publish(_small_batch(codes, sy, n), f"dt_{sy}.xlsx", ack=True)  # a partial file: warned
    finally:
        mp.undo()
    return db, district


def test_one_year_rule_school_year_is_dated_by_its_end():
    assert school_year_date(2023) == 2024 and school_year_date(2020) == 2021


def test_simulated_years_do_not_move_when_another_school_year_is_imported(reg: Path, examples: Path):
    before = district_series(DT)
    sim_before = before[before["provenance"] == "simulated"]
    assert set(sim_before["year"]) == {2021, 2022, 2023, 2024}  # school years 2020-2021 … 2023-2024
    f = examples / "demo_dong-thap_2024_school_year.xlsx"  # school year 2024-2025
    _publish(f.read_bytes(), f.name)
    after = district_series(DT)
    sim_after = after[after["provenance"] == "simulated"]
    cols = ["series_id", "school_year", "year", "value"]
    pd.testing.assert_frame_equal(sim_before[cols].sort_values(cols[:2]).reset_index(drop=True),
                                  sim_after[cols].sort_values(cols[:2]).reset_index(drop=True))
    imp = after[after["provenance"] == "imported"]
    assert set(imp["school_year"]) == {2024} and set(imp["year"]) == {2025}  # the same rule: 2024-2025 -> 2025
    assert imp["series_id"].str.endswith(IMPORTED_SUFFIX).all()
    # the Đồng Tháp district 866 cashless series keeps 2021-2024 (before this fix it moved to 2022-2025)
    assert sorted(sim_after.loc[sim_after["series_id"] == "866|CASHLESS_SCHOOLS_PCT", "year"]) == [2021, 2022, 2023,
                                                                                                   2024]


def test_one_imported_year_shows_its_points_and_no_trend(reg: Path, examples: Path):
    f = examples / "demo_dong-thap_2024_school_year.xlsx"
    _publish(f.read_bytes(), f.name)
    df = forecast_table(DT, districts=True)
    imp = df[df["provenance"] == "imported"]
    assert len(imp) and set(imp["n_points"]) == {1} and set(imp["method"]) == {"none"}
    assert imp["value_2025"].isna().all() and imp["probability"].isna().all() and imp["lower"].isna().all()
    assert imp["note_vi"].str.contains("quá ít để ước lượng xu hướng").all()
    assert imp["note_en"].str.contains("too few for a trend").all()
    assert not imp["note_vi"].str.contains("mô phỏng tự suy ngược").any()
    # the simulated series stay illustrations, beside and never mixed into the imported ones
    sim = df[df["provenance"] == "simulated"]
    assert set(sim["status"]) == {"simulated"} and set(sim["last_year"]) == {2024.0}
    points, summary = projection_path(DT, "866|CASHLESS_SCHOOLS_PCT" + IMPORTED_SUFFIX)
    assert list(points["year"]) == [2025] and set(points["provenance"]) == {"imported"}
    assert summary["method"] == "none" and summary["projection"]["value"].isna().all()
    assert list(summary["illustration"]["year"]) == [2021, 2022, 2023, 2024]  # drawn apart, labelled


def test_three_imported_years_give_a_trend_with_its_backtest_on_imported_points_only(three_years, monkeypatch):
    db, district = three_years
    use_db(db, monkeypatch)
    sid = f"{district}|CASHLESS_SCHOOLS_PCT{IMPORTED_SUFFIX}"
    df = forecast_table(DT, districts=True)
    row = df[df["series_id"] == sid].iloc[0]
    assert row["provenance"] == "imported" and row["n_points"] == 3
    assert (row["first_year"], row["last_year"], row["last_value"]) == (2022.0, 2024.0, 75.0)
    ref = forecast_series([2022, 2023, 2024], [25, 50, 75], unit="pct", projection_years=(2025, 2030))
    assert row["method"] == ref.method and row["backtest_error"] == pytest.approx(ref.backtest_error)
    assert row["backtest_error"] is not None and row["value_2025"] == pytest.approx(ref.projections[0].value)
    assert "Số liệu trường do tỉnh nhập: 3 năm học (2021-2022, 2022-2023, 2023-2024" in row["note_vi"]
    assert "Dữ liệu nhập: dt_2021.xlsx, phê duyệt " in row["note_vi"] and "dt_2023.xlsx" in row["note_vi"]
    assert "Imported data: dt_2022.xlsx, approved " in row["note_en"]
    points, summary = projection_path(DT, sid)
    assert list(points["year"]) == [2022, 2023, 2024] and list(points["value"]) == [25, 50, 75]
    assert summary["backtest_error"] == pytest.approx(ref.backtest_error)
    # the simulated 2020-2021 of that district is never in the fit; it is returned apart
    assert list(summary["illustration"]["year"]) == [2021]
    sim = df[df["series_id"] == f"{district}|CASHLESS_SCHOOLS_PCT"]
    assert set(sim["n_points"]) == {1} and set(sim["status"]) == {"simulated"}


def test_forecast_page_shows_imported_points_trend_and_simulated_years_apart(three_years, monkeypatch):
    from tests.test_pages import run, specs

    db, district = three_years
    use_db(db, monkeypatch)
    at = run("pages/forecast.py", province=DT)
    [r for r in at.radio if r.key == "fc_scope"][0].set_value("district").run()
    sid = f"{district}|CASHLESS_SCHOOLS_PCT{IMPORTED_SUFFIX}"
    at.selectbox(key="fc_series").set_value(sid).run()
    assert not at.exception
    fig = specs(at)[-1]
    names = {tr.name for tr in fig.data}
    assert {"Số liệu nhập", "Xu hướng (chỉ các năm học có số liệu nhập)",
            "Năm học mô phỏng — minh hoạ, không dùng cho xu hướng"} <= names
    pts = next(tr for tr in fig.data if tr.name == "Số liệu nhập")
    assert list(pts.x) == [2022, 2023, 2024]
    assert not any("MÔ PHỎNG" in (a.text or "") for a in fig.layout.annotations)
    assert "Sai số kiểm tra ngược:" in fig.layout.title.subtitle.text.replace("<br>", " ")
    from tests.wide_tables import wide_tables

    imp = wide_tables(at)[-1]  # the imported districts' table comes last; the backtest error under the method
    assert len(imp) and (imp["Phương pháp"] != "").all() and imp["Phương pháp"].str.contains("Sai số kiểm tra ngược: ").any()
    assert any("Trạng thái theo huyện (số liệu trường do tỉnh nhập)" == s.value for s in at.subheader)
    en = run("pages/forecast.py", province=DT, lang="en")
    [r for r in en.radio if r.key == "fc_scope"][0].set_value("district").run()
    en.selectbox(key="fc_series").set_value(sid).run()
    names = {tr.name for tr in specs(en)[-1].data}
    assert {"Imported data", "Trend (imported school years only)",
            "Simulated school years — illustration, not used for the trend"} <= names
    assert any("Status by district (school data imported by the province)" == s.value for s in en.subheader)


def test_imported_sum_that_disagrees_with_a_published_figure_is_a_conflict(three_years, monkeypatch):
    db, _ = three_years
    use_db(db, monkeypatch)
    cmp = checks.imported_vs_published(all_rows=True)
    # 2023-2024 holds the 31/12/2023 figures: 465/595 = 78,18% (Phần I.I) against 3/4 imported schools
    main = cmp[cmp["obs_key"] == "dt24_o002"].iloc[0]
    assert (main["school_year"], main["imp_count"], main["imp_base"], main["imp_share"]) == (2023, 3, 4, 75)
    assert not main["agrees"] and not main["share_agrees"]
    bound = cmp[cmp["qualifier"] == ">"]
    assert len(bound) and not bound["agrees"].any()  # 75% breaks "trên 78%"
    inc = checks.inconsistencies()
    rows = inc[inc["kind"] == "imported"].set_index("keys")
    r = rows.loc["dt24_o002"]
    assert r["statement"] == "78,18% — Kế hoạch CĐS ngành Giáo dục Đồng Tháp năm 2024, Phần I.I"
    assert r["other"].startswith("3/4 = 75% (năm học 2023-2024, 4 trường) — Dữ liệu nhập: dt_2023.xlsx, phê duyệt ")
    assert r["finding"] == "75% ≠ 78,18%; 3 ≠ 465; 4 ≠ 595"
    en = checks.inconsistencies(lang="en").query("kind == 'imported'").set_index("keys").loc["dt24_o002"]
    assert "Imported data: dt_2023.xlsx, approved " in en["other"] and "school year 2023-2024" in en["other"]
    # a school year without a published figure of the same period is compared with nothing
    assert set(cmp["school_year"]) == {2023}


def test_sources_page_lists_the_imported_conflict_in_both_languages(three_years, monkeypatch):
    from tests.test_pages import run

    db, _ = three_years
    use_db(db, monkeypatch)
    for lang, col, kind, words in (("vi", "Loại", "Tổng số liệu nhập ≠ số công bố", "dt_2023.xlsx, phê duyệt"),
                                   ("en", "Kind", "Imported sum ≠ published figure", "dt_2023.xlsx, approved")):
        at = run("pages/sources.py", **({"lang": "en"} if lang == "en" else {}))
        table = next(d.value for d in at.dataframe if col in d.value.columns and kind in set(d.value[col]))
        rows = table[table[col] == kind]
        other = "Đối chiếu với" if lang == "vi" else "Against"
        assert rows[other].str.contains(words, regex=False).all() and len(rows) >= 2
        assert any(("Tổng các dòng số liệu trường đã nhập" if lang == "vi" else "sums of the imported school rows")
                   in c.value for c in at.caption)


def test_no_import_no_comparison():
    assert checks.imported_vs_published().empty
    assert not (checks.inconsistencies()["kind"] == "imported").any()
