"""The forecast model core (dashboard.forecast): trends, intervals, probabilities and the SDG status rule.

Pure functions only: no Streamlit, no database (the session fixtures of conftest.py are not used here).
"""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit
from sklearn.linear_model import LinearRegression

from dashboard.forecast import (ACCELERATION_MIN, LIMITED_MIN, MODEL_CARD, ON_TRACK_MIN, STATUS_RULE_CITATION,
                                STATUSES, classify_progress_ratio, forecast_many, forecast_series, progress_ratio,
                                sdg_status)

YEARS6 = np.arange(2018, 2024, dtype=float)


def proj(fc, year):
    return next(p for p in fc.projections if p.year == year)


def outlook(fc, year):
    return next(o for o in fc.outlooks if o.year == year)


# ------------------------------------------------------------------------------------------------ trends
@pytest.mark.parametrize("ceiling", [None, 80.0])
def test_exact_logistic_share_is_recovered(ceiling):
    a, b = -1.0, 0.45
    c = ceiling or 100.0
    truth = lambda yr: c * expit(a + b * (yr - 2020))  # noqa: E731
    fc = forecast_series(YEARS6, truth(YEARS6), unit="pct", ceiling=ceiling, targets={2025: 0.9 * c})
    assert fc.method == "logistic"
    assert fc.n_points == 6
    assert fc.backtest_error < 1e-8 < fc.candidate_errors["linear"]
    for year in (2025, 2030):
        assert abs(proj(fc, year).value - truth(year)) < 1e-6
    assert abs(outlook(fc, 2025).projected - truth(2025)) < 1e-6
    assert proj(fc, 2030).n_points == outlook(fc, 2025).n_points == 6
    assert "exact_fit" in fc.notes  # zero-width interval is flagged, not presented as certainty


@pytest.mark.parametrize("unit", ["count", "million_vnd", "vnd"])
def test_exact_linear_count_is_recovered(unit):
    years = np.arange(2019, 2024, dtype=float)
    fc = forecast_series(years, 120 + 15 * (years - 2019), unit=unit)
    assert fc.method == "linear"
    assert fc.backtest_error < 1e-8 < fc.candidate_errors["log_linear"]
    assert abs(proj(fc, 2025).value - 210) < 1e-6   # 120 + 15 * 6
    assert abs(proj(fc, 2030).value - 285) < 1e-6   # 120 + 15 * 11


def test_exact_exponential_count_prefers_log_linear():
    years = np.arange(2019, 2024, dtype=float)
    fc = forecast_series(years, 100 * 1.2 ** (years - 2019), unit="count")
    assert fc.method == "log_linear"
    assert abs(proj(fc, 2030).value - 100 * 1.2 ** 11) < 1e-6


def test_declining_count_never_goes_negative():
    fc = forecast_series([2020, 2021, 2022, 2023], [40, 30, 20, 10], unit="count")
    assert fc.method == "linear"
    assert proj(fc, 2025).value == 0.0 and proj(fc, 2030).value == 0.0
    # an exact line clipped at 0: every draw is 0, and a 0–0 range is not certainty: no interval, no probability
    assert proj(fc, 2030).lower is None and proj(fc, 2030).upper is None
    assert "interval_collapsed" in fc.notes
    assert "capped" in fc.notes


def test_log_linear_not_a_candidate_with_zeros():
    fc = forecast_series([2020, 2021, 2022], [0, 5, 9], unit="count")
    assert fc.method == "linear"
    assert fc.candidate_errors["log_linear"] is None
    assert "log_linear_skipped" in fc.notes


@pytest.mark.parametrize("unit,values", [("pct", [12, 30, 33, 58, 61]), ("count", [5, 9, 8, 15, 30])])
def test_backtest_equals_an_explicit_refit_without_the_last_point(unit, values):
    years = np.array([2015, 2017, 2020, 2021, 2023], dtype=float)
    fc = forecast_series(years, values, unit=unit)
    y = np.asarray(values, dtype=float)
    transforms = {"logistic": (lambda v: logit(v / 100), lambda z: 100 * expit(z)),
                  "linear": (lambda v: v, lambda z: np.clip(z, 0, 100 if unit == "pct" else None)),
                  "log_linear": (np.log, np.exp)}
    for method, err in fc.candidate_errors.items():
        fwd, back = transforms[method]
        m = LinearRegression().fit(years[:-1, None], fwd(y[:-1]))
        assert err == pytest.approx(abs(back(m.predict([[years[-1]]])[0]) - y[-1]), rel=1e-9, abs=1e-9)
    assert fc.backtest_error == min(fc.candidate_errors.values())


def test_two_points_go_through_both_and_have_no_interval():
    share = forecast_series([2022, 2023], [50, 60], unit="pct", targets={2025: 80})
    assert share.method == "logistic" and share.backtest_error is None and share.n_points == 2
    # logistic through (2022, 50%) and (2023, 60%): logit rises by logit(0.6) - logit(0.5) per year
    z2025 = logit(0.6) + 2 * (logit(0.6) - logit(0.5))
    assert abs(proj(share, 2025).value - 100 * expit(z2025)) < 1e-9
    p = proj(share, 2025)
    assert p.lower is None and p.upper is None
    assert outlook(share, 2025).probability is None
    assert "two_points" in share.notes and "interval" not in share.notes
    count = forecast_series([2022, 2023], [100, 110], unit="count")
    assert count.method == "linear" and count.backtest_error is None
    assert abs(proj(count, 2030).value - 180) < 1e-9  # 110 + 10 * 7


def test_interval_with_three_or_more_noisy_points():
    fc = forecast_series([2019, 2020, 2021, 2022, 2023], [52, 55, 61, 62, 68], unit="pct",
                         targets={2025: 75}, interval_level=0.8)
    assert fc.interval_level == 0.8
    for p in fc.projections:
        assert p.lower <= p.value <= p.upper
        assert p.upper - p.lower > 0
    o = outlook(fc, 2025)
    assert 0.0 <= o.probability <= 1.0
    assert "interval" in fc.notes and "exact_fit" not in fc.notes
    wider = forecast_series([2019, 2020, 2021, 2022, 2023], [52, 55, 61, 62, 68], unit="pct", interval_level=0.95)
    assert (proj(wider, 2030).upper - proj(wider, 2030).lower) >= (proj(fc, 2030).upper - proj(fc, 2030).lower)


def test_duplicates_averaged_and_nan_dropped():
    fc = forecast_series([2021, 2022, 2022, 2023, 2024], [10, 20, 30, 35, float("nan")], unit="count")
    assert fc.n_points == 3
    assert fc.last_year == 2023 and fc.last_value == 35
    assert "duplicates_averaged" in fc.notes


# ------------------------------------------------------------------------------------------------ status rule
def test_status_rule_worked_example_by_hand():
    # Share rising from 40% (2020) to 55% (2023), target 80% in 2025, direction 'up'.
    #   observed pace = (55 - 40) / (2023 - 2020) = 15 / 3 = 5 points a year
    #   required pace from the base = (80 - 40) / (2025 - 2020) = 40 / 5 = 8 points a year
    #   progress ratio = 5 / 8 = 0.625 -> 0.5 <= 0.625 < 0.95 -> 'acceleration_needed'
    #   required pace from the latest value = (80 - 55) / (2025 - 2023) = 25 / 2 = 12.5 points a year
    r = progress_ratio(base_year=2020, base_value=40, current_year=2023, current_value=55, target_year=2025,
                       target=80)
    assert r == pytest.approx(0.625)
    assert classify_progress_ratio(r) == "acceleration_needed"
    assert sdg_status([2020, 2023], [40, 55], target_year=2025, target=80) == "acceleration_needed"
    o = outlook(forecast_series([2020, 2023], [40, 55], unit="pct", targets={2025: 80}), 2025)
    assert (o.observed_pace, o.required_pace, o.status) == (pytest.approx(5), pytest.approx(12.5),
                                                            "acceleration_needed")
    assert o.progress_ratio == pytest.approx(0.625)

    # Lower is better: dropout share 30% (2019) -> 22% (2023), target 10% in 2025.
    #   observed = (22 - 30) / 4 = -2 a year; required = (10 - 30) / 6 = -3.333 a year
    #   ratio = -2 / -3.333 = 0.6 -> 'acceleration_needed'
    r = progress_ratio(base_year=2019, base_value=30, current_year=2023, current_value=22, target_year=2025,
                       target=10, direction="down")
    assert r == pytest.approx(0.6)
    assert sdg_status([2019, 2023], [30, 22], target_year=2025, target=10, direction="down") == "acceleration_needed"

    # With direction 'up' a target below the base asks for a fall: required growth has the wrong sign -> None.
    assert progress_ratio(base_year=2019, base_value=30, current_year=2023, current_value=22, target_year=2025,
                          target=10, direction="up") is None


def test_published_thresholds_and_boundaries():
    assert (ON_TRACK_MIN, ACCELERATION_MIN, LIMITED_MIN) == (0.95, 0.5, -0.1)
    assert classify_progress_ratio(0.95) == "on_track"
    assert classify_progress_ratio(0.9499) == "acceleration_needed"
    assert classify_progress_ratio(0.5) == "acceleration_needed"
    assert classify_progress_ratio(0.4999) == "limited_progress"
    assert classify_progress_ratio(-0.1) == "limited_progress"
    assert classify_progress_ratio(-0.1001) == "deterioration"
    for s in ("reached", "on_track", "acceleration_needed", "limited_progress", "deterioration",
              "insufficient_data"):
        assert s in STATUSES
    assert "Progress_Chart_Technical_Note_2022.pdf" in STATUS_RULE_CITATION
    assert "0.95" in STATUS_RULE_CITATION and "-0.1" in STATUS_RULE_CITATION


def test_flat_series_below_target_is_limited_progress():
    # Flat at 60%, target 90%: ratio = 0 / 6 = 0, inside [-0.1, 0.5), which the UNSD note names
    # "limited or no progress" (stagnation falls in this band) -> 'limited_progress'.
    fc = forecast_series([2020, 2021, 2022, 2023], [60, 60, 60, 60], unit="pct", targets={2025: 90})
    o = outlook(fc, 2025)
    assert o.progress_ratio == 0.0
    assert o.status == "limited_progress"


def test_series_over_target_is_reached():
    assert sdg_status([2021, 2022, 2023], [85, 90, 95], target_year=2025, target=90) == "reached"
    assert sdg_status([2021, 2022, 2023], [10, 8, 5], target_year=2025, target=6, direction="down") == "reached"
    fc = forecast_series([2021, 2022, 2023], [85, 90, 95], unit="pct", targets={2025: 90, 2030: 100})
    assert outlook(fc, 2025).status == "reached"
    assert outlook(fc, 2030).status != "reached"


def test_deteriorating_series_is_deterioration():
    # up: 70 -> 60 over 2021..2023, target 90 in 2025: observed -5/yr, required (90-70)/4 = 5/yr, ratio -1
    assert sdg_status([2021, 2022, 2023], [70, 65, 60], target_year=2025, target=90) == "deterioration"
    # down: 10 -> 14 while the target is 5: observed +2/yr, required -5/4/yr, ratio -1.6
    assert sdg_status([2021, 2022, 2023], [10, 12, 14], target_year=2025, target=5, direction="down") \
        == "deterioration"
    # the base met the target, the latest value no longer does: ratio undefined, moved away -> deterioration
    assert sdg_status([2021, 2023], [95, 85], target_year=2025, target=90) == "deterioration"


def test_one_point_is_insufficient_data():
    fc = forecast_series([2023], [50], unit="pct", targets={2025: 90})
    assert fc.method == "none" and fc.n_points == 1
    assert outlook(fc, 2025).status == "insufficient_data"
    assert all(p.value is None for p in fc.projections)
    assert outlook(fc, 2025).probability is None and outlook(fc, 2025).progress_ratio is None
    assert outlook(fc, 2025).required_pace == pytest.approx(20)  # (90 - 50) / (2025 - 2023)
    assert "one_point" in fc.notes
    # every result says how many points it rests on
    assert {p.n_points for p in fc.projections} == {o.n_points for o in fc.outlooks} == {1}
    assert sdg_status([], [], target_year=2025, target=90) == "insufficient_data"
    # 'reached' is checked first: a single value already at the target is a fact, not a trend.
    assert sdg_status([2023], [100], target_year=2025, target=100) == "reached"


def test_direction_none_is_not_applicable():
    fc = forecast_series([2020, 2021, 2022], [5, 6, 8], unit="count", direction="none", targets={2025: 10})
    o = outlook(fc, 2025)
    assert o.status == "not_applicable" and o.probability is None and o.progress_ratio is None
    assert o.projected is not None


def test_cagr_variant_of_the_note():
    # 100 -> 121 in two years: CAGR = 10%; target 146.41 four years after the base: required CAGR = 10%.
    r = progress_ratio(base_year=2015, base_value=100, current_year=2017, current_value=121, target_year=2019,
                       target=146.41, growth="cagr")
    assert r == pytest.approx(1.0)
    assert progress_ratio(base_year=2015, base_value=0, current_year=2017, current_value=121, target_year=2019,
                          target=146.41, growth="cagr") is None


# ------------------------------------------------------------------------------------------------ properties
# arbitrary inputs: negative, above 100 %, missing
shares = st.one_of(st.floats(min_value=-1e4, max_value=1e4), st.just(float("nan")),
                   st.sampled_from([0.0, 100.0]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(years=st.lists(st.integers(2000, 2035), min_size=0, max_size=8),
       data=st.data(),
       ceiling=st.one_of(st.none(), st.floats(min_value=0.5, max_value=100)),
       level=st.floats(min_value=0.5, max_value=0.99))
def test_share_projections_stay_within_bounds(years, data, ceiling, level):
    values = data.draw(st.lists(shares, min_size=len(years), max_size=len(years)))
    target = data.draw(st.floats(min_value=0, max_value=100))
    fc = forecast_series(years, values, unit="pct", ceiling=ceiling, interval_level=level, n_boot=200,
                         targets={2025: target, 2030: target}, projection_years=(2024, 2025, 2030, 2040))
    top = ceiling if ceiling is not None else 100.0
    numbers = [v for p in fc.projections for v in (p.value, p.lower, p.upper)]
    numbers += [v for o in fc.outlooks for v in (o.projected, o.lower, o.upper)]
    for v in numbers:
        assert v is None or 0.0 <= v <= top
    for o in fc.outlooks:
        assert o.probability is None or 0.0 <= o.probability <= 1.0
        assert o.status in STATUSES
    json.dumps(fc.to_dict(), allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(min_value=1, max_value=99), min_size=3, max_size=7),
       direction=st.sampled_from(["up", "down"]),
       unit=st.sampled_from(["pct", "count"]))
def test_probability_in_unit_interval_and_monotone_in_target(values, direction, unit):
    years = list(range(2024 - len(values), 2024))
    grid = np.linspace(0, 100, 11)
    probs = []
    for target in grid:
        fc = forecast_series(years, values, unit=unit, direction=direction, targets={2030: float(target)},
                             n_boot=300)
        p = outlook(fc, 2030).probability
        if p is None:  # draws without spread (exact fit or saturation): no probability, and the note says why
            assert "interval_collapsed" in fc.notes and outlook(fc, 2030).lower is None
            continue
        assert 0.0 <= p <= 1.0
        probs.append(p)
    steps = np.diff(probs)
    if direction == "up":   # a higher target is never easier to reach
        assert (steps <= 0).all()
    else:                   # lower is better: a higher (looser) target is never harder
        assert (steps >= 0).all()


# ------------------------------------------------------------------------------------------------ batch
def _frame():
    rows = []
    specs = {
        ("67", "A_PCT"): ("pct", "up", [2019, 2020, 2021, 2022, 2023], [52, 55, 61, 62, 68]),
        ("67", "B_PCT"): ("pct", "up", [2022, 2023], [40, 45]),
        ("94", "A_PCT"): ("pct", "down", [2020, 2021, 2022, 2023], [30, 28, 27, 22]),
        ("94", "C_CNT"): ("count", "up", [2019, 2020, 2021, 2022, 2023], [100, 118, 131, 150, 171]),
        ("87", "C_CNT"): ("count", "none", [2023], [12]),
        ("87", "D_VND"): ("million_vnd", "up", [2019, 2020, 2021, 2022, 2023], [500, 620, 610, 700, 820]),
    }
    for (unit_code, ind), (unit, direction, years, values) in specs.items():
        for yr, v in zip(years, values):
            rows.append({"unit_code": unit_code, "indicator": ind, "year": yr, "value": v, "unit": unit,
                         "direction": direction})
    targets = pd.DataFrame([
        {"unit_code": "67", "indicator": "A_PCT", "target_year": 2025, "target": 80},
        {"unit_code": "67", "indicator": "A_PCT", "target_year": 2030, "target": 100},
        {"unit_code": "67", "indicator": "B_PCT", "target_year": 2025, "target": 60},
        {"unit_code": "94", "indicator": "A_PCT", "target_year": 2025, "target": 15},
        {"unit_code": "87", "indicator": "C_CNT", "target_year": 2025, "target": 20},
    ])
    return pd.DataFrame(rows), specs, targets


def test_forecast_many_matches_forecast_series():
    frame, specs, targets = _frame()
    out = forecast_many(frame, key=["unit_code", "indicator"], targets=targets)
    # one row per series and target year; series without a target keep one row
    assert len(out) == 5 + 2
    assert set(out.columns) >= {"unit_code", "indicator", "method", "n_points", "status", "probability",
                                "value_2025", "lower_2030", "notes", "note_vi"}
    for (unit_code, ind), (unit, direction, years, values) in specs.items():
        tg = targets[(targets.unit_code == unit_code) & (targets.indicator == ind)]
        fc = forecast_series(years, values, unit=unit, direction=direction,
                             targets=dict(zip(tg.target_year, tg.target)))
        rows = out[(out.unit_code == unit_code) & (out.indicator == ind)].sort_values("target_year")
        assert (rows["method"] == fc.method).all() and (rows["n_points"] == fc.n_points).all()
        for p in fc.projections:
            got = rows[f"value_{p.year}"].iloc[0]
            assert (p.value is None and pd.isna(got)) or got == pytest.approx(p.value, abs=1e-9)
        for o, (_, r) in zip(fc.outlooks, rows.iterrows()):
            assert r["target_year"] == o.year and r["status"] == o.status
            assert (o.probability is None and pd.isna(r["probability"])) or r["probability"] == o.probability
            assert (o.lower is None and pd.isna(r["lower"])) or r["lower"] == pytest.approx(o.lower, abs=1e-9)
    one = out[(out.unit_code == "87") & (out.indicator == "C_CNT")].iloc[0]
    assert one["status"] == "not_applicable" and one["method"] == "none"


def test_forecast_many_rejects_mixed_units_in_a_series():
    frame = pd.DataFrame({"series_id": ["s", "s"], "year": [2022, 2023], "value": [1, 2], "unit": ["pct", "count"]})
    with pytest.raises(ValueError, match="varies"):
        forecast_many(frame)


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        forecast_series([2022, 2023], [1, 2], unit="kg")
    with pytest.raises(ValueError):
        forecast_series([2022, 2023], [1, 2], unit="pct", direction="sideways")
    with pytest.raises(ValueError):
        forecast_series([2022, 2023], [1, 2], unit="pct", ceiling=150)
    with pytest.raises(ValueError):
        forecast_series([2022, 2023], [1, 2], unit="count", ceiling=50)
    with pytest.raises(ValueError):
        forecast_series([2022, 2023], [1, 2], unit="pct", interval_level=1.0)


# ------------------------------------------------------------------------------------------------ texts
def test_model_card_and_notes_in_both_languages():
    assert set(MODEL_CARD) == {"vi", "en"}
    assert MODEL_CARD["vi"].keys() == MODEL_CARD["en"].keys()
    assert len(MODEL_CARD["vi"]["limitations"]) == len(MODEL_CARD["en"]["limitations"]) >= 4
    assert any("202/2025/QH15" in s for s in MODEL_CARD["en"]["limitations"])
    fc = forecast_series([2022, 2023], [40, 45], unit="pct")
    vi, en = fc.note("vi"), fc.note("en")
    assert vi and en and vi != en
    d = fc.to_dict()
    assert d["note_vi"] == vi and d["n_points"] == 2 and d["method"] == "logistic"
    json.dumps(d, allow_nan=False)
    assert math.isclose(d["interval_level"], 0.8)
