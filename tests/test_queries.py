"""Query functions return the published values, the right targets and honest statuses."""
from __future__ import annotations

import pandas as pd

from dashboard import queries as q
from dashboard.i18n import fmt_number, fmt_value


def test_vietnamese_number_formats():
    assert fmt_number(1234.5) == "1.234,5"
    assert fmt_number(55500) == "55.500"
    assert fmt_value(84.34, "pct") == "84,34%"
    assert fmt_value(1234.5, "pct", "en") == "1,234.5%"
    assert fmt_value(99.5, "pct", "vi", ">") == "trên 99,5%"


def test_latest_observations_for_dak_nong():
    df = q.latest_observations(["67"], headline_only=True)
    eq = df[df["indicator_code"] == "STU_ONLINE_EQUIPPED_PCT"].set_index("breakdown")
    assert eq.loc["computer", "value"] == 42.82 and eq.loc["internet", "value"] == 48.2
    assert eq.loc["computer", "numerator"] == 64450
    assert set(df["unit_code"]) == {"67"}


def test_year_filter_excludes_later_periods():
    all_years = q.latest_observations(["67"])
    up_to_2023 = q.latest_observations(["67"], year_max=2023)
    assert (pd.to_datetime(up_to_2023["period_end"]).dt.year <= 2023).all()
    assert len(up_to_2023) < len(all_years)


def test_level_and_pillar_filters():
    th = q.latest_observations(["67"], levels=["TH"])
    assert set(th["level"]) == {"TH"}
    assert set(th["indicator_code"]) >= {"PC_INFORMATICS", "ONLINE_CONTENT_SHARE_PCT"}
    services = q.latest_observations(["67"], pillars=["services"])
    assert set(services["pillar"]) == {"services"}


def test_progress_uses_national_target_when_province_has_none():
    df = q.progress_table("67", target_years=(2025, 2030))
    row = df[(df["indicator_code"] == "ONLINE_CONTENT_SHARE_PCT") & (df["level"] == "TH")].iloc[0]
    assert row["value"] == 14.7 and row["target_2025"] == 5 and row["target_2025_scope"] == "VN"
    assert row["status_2025"] == "reached"
    full = df[df["indicator_code"] == "ONLINE_PROC_FULL_PCT"].iloc[0]
    assert full["value"] == 32 and full["target_2025"] == 100 and full["gap_2025"] == 68
    assert full["status_2025"] == "far"  # 32 / 100 < 0.8


def test_progress_prefers_the_provinces_own_target():
    df = q.progress_table("94", target_years=(2025,))
    wr = df[(df["indicator_code"] == "WORK_RECORDS_DIGITAL_PCT") & (df["breakdown"] == "dept")].iloc[0]
    assert wr["target_2025"] == 90 and wr["target_2025_scope"] == "94"
    assert pd.isna(wr["value"])  # Sóc Trăng publishes no actual for it: a target-only row


def test_status_rule():
    assert q.status_of(85, 100, "up") == "near"
    assert q.status_of(79.9, 100, "up") == "far"
    assert q.status_of(100, 100, "up") == "reached"
    assert q.status_of(None, 100, "up") == "none"


def test_province_comparison_only_shared_indicators():
    df = q.province_comparison()
    assert set(df["unit_code"]) == {"67", "87", "94"}
    counts = df.groupby(["indicator_code", "compare_level", "breakdown"])["unit_code"].nunique()
    assert (counts >= 2).all()
    cashless = df[df["indicator_code"] == "CASHLESS_SCHOOLS_PCT"].set_index("unit_code")["value"]
    assert cashless["67"] == 89.17 and cashless["87"] == 78.18


def test_conflicts_and_part_sums():
    c = q.conflicts()
    cashless = c[(c["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (c["unit_code"] == "87")].iloc[0]
    assert cashless["exact_conflict"] == 1
    s = q.part_sum_checks()
    pc = s[s["indicator_code"] == "PC_INFORMATICS"].iloc[0]
    assert (pc["total"], pc["parts_sum"], pc["consistent"]) == (5326, 5325, 0)  # printed 5.326 vs 1.726+2.143+1.456


def test_budget_checks_flag_the_unassigned_item():
    b = q.budget_checks("87").set_index("breakdown")
    assert b.loc["", "published"] == b.loc["", "items_sum"] == 55500
    assert b.loc["fund_so_su_nghiep", "published"] == 320 and b.loc["fund_so_su_nghiep", "items_sum"] == 290


def test_figures_search_and_passage():
    f = q.figures(search="465/597")
    assert len(f) == 1 and f.iloc[0]["unit_code"] == "87"
    before, quote, after = q.passage(f.iloc[0]["quote_source_id"], f.iloc[0]["quote"])
    assert "465/597" in quote and len(before) > 0


def test_export_observations_columns():
    df = q.export_observations()
    assert {"province", "district", "school", "indicator_code", "indicator_name_vi", "indicator_name_en", "period",
            "value", "unit", "provenance", "source", "section"} <= set(df.columns)
    assert set(df["province"]) == {"Sóc Trăng", "Đắk Nông", "Đồng Tháp"}


def test_as_of_never_later_than_the_documents():
    assert q.as_of(["87"]) == "2023-12-31"  # results 2023; the 2024 budget is a plan, not an observation
    assert q.as_of(["94"]) == "2023-10-31" and q.as_of(["67"]) == "2024-03-31"


def test_search_folds_vietnamese_case():
    assert len(q.figures(search="đồng tháp")) == len(q.figures(search="Đồng Tháp")) > 0


def test_a_rebuild_is_seen_without_restarting(tmp_path, monkeypatch):
    from dashboard.build import build
    db = tmp_path / "live.db"
    build(db, quiet=True)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    first = q.build_info()["built_at"]
    import time
    time.sleep(1.1)
    build(db, quiet=True)
    assert q.build_info()["built_at"] != first
