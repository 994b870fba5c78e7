"""Synthetic schools and school years for the national scale-test store (vectorised numpy/pandas).

NOT real data: every row is simulated (provenance 'simulated', note NOTE) to measure the dashboard at national
scale (~50.000 schools × 10 school years). Schools sit in the former districts (before 7/2025), in proportion
to each district's number of former communes, and are keyed like the shipped store and the intake key them:
former province and former district codes (the current province follows from unit_former). A current province,
a district and a school each draw an adoption propensity, and adoption rises over the school years along a
logistic curve with one fixed uniform draw per school and measure, so a school that adopted stays adopted.
The former Sóc Trăng, Đắk Nông and Đồng Tháp keep the shipped store's calibrated simulation under their own
codes and are left out here, so no territory gets two simulated school networks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..simulate import DEFAULT_SEED, GENERAL, LEVELS, STUDENTS_MEAN, STUDENTS_PER_TEACHER, largest_remainder
from .units import Geography

FIRST_YEAR, N_YEARS = 2016, 10  # school years 2016-2017 .. 2025-2026
YEARS = tuple(range(FIRST_YEAR, FIRST_YEAR + N_YEARS))
DOCUMENTED = ("94", "67", "87")  # former provinces with published documents: their own calibrated simulation
LEVEL_SHARE = {"MN": 0.34, "TH": 0.31, "THCS": 0.24, "THPT": 0.07, "GDTX": 0.04}
LEVEL_LABEL = {"MN": "Trường mầm non", "TH": "Trường tiểu học", "THCS": "Trường THCS", "THPT": "Trường THPT",
               "GDTX": "Trung tâm GDNN-GDTX"}
URBAN_TYPES = ("Quận", "Thành phố", "Thị xã")
NOTE = ("Dữ liệu mô phỏng — kho thử tải quốc gia, không phải số liệu thật / "
        "simulated — synthetic national scale-test store, not real data")
# Adoption curve per measure: logit at school year FIRST_YEAR, change per year, levels it applies to.
CURVES = {
    "fibre": (-0.3, 0.50, LEVELS), "wifi": (-1.0, 0.50, LEVELS), "mgmt_software": (0.0, 0.45, LEVELS),
    "e_gradebook": (-1.8, 0.55, GENERAL), "e_transcript": (-4.0, 0.62, GENERAL + ("GDTX",)),
    "cashless": (-4.5, 0.75, GENERAL + ("GDTX",)), "online_plan": (-3.0, 0.65, GENERAL),
    "cbt": (-3.5, 0.40, GENERAL + ("GDTX",)), "stem": (-3.2, 0.50, GENERAL),
}
PC_PER_100 = {"pc_teaching": {"MN": 0.8, "TH": 2.0, "THCS": 4.0, "THPT": 5.0, "GDTX": 4.0},
              "pc_management": {"MN": 0.8, "TH": 0.5, "THCS": 1.0, "THPT": 0.8, "GDTX": 1.0},
              "pc_informatics": {"MN": 0.0, "TH": 2.5, "THCS": 4.0, "THPT": 4.0, "GDTX": 3.0}}


@dataclass
class NationalData:
    schools: pd.DataFrame  # code, name, level, province_code, district_code, is_public, provenance, note
    school_years: pd.DataFrame  # school_code + the school_year columns
    districts: pd.DataFrame  # the former districts used (code, name, fullname, unit_type, province_code, ...)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def generate(geo: Geography, n_schools: int = 48_000, *, seed: int = DEFAULT_SEED,
             years: tuple[int, ...] = YEARS) -> NationalData:
    """`n_schools` simulated schools in the former districts of the current provinces, `years` school years."""
    r = np.random.default_rng([seed, 2025])
    dist = pd.DataFrame(geo.districts)
    dist = dist[~dist["province_code"].isin(DOCUMENTED)].reset_index(drop=True)
    prov_codes = sorted(dist["current_province_code"].unique())
    prov_effect = dict(zip(prov_codes, r.normal(0.0, 0.6, len(prov_codes))))
    dist_effect = r.normal(0.0, 0.35, len(dist)) + np.where(dist["unit_type"].isin(URBAN_TYPES), 0.5, -0.1)
    per_dist = largest_remainder(n_schools, dist["wards"].to_numpy(dtype=float))
    di = np.repeat(np.arange(len(dist)), per_dist)
    n = len(di)
    levels = np.array(list(LEVEL_SHARE))
    lv = levels[r.choice(len(levels), size=n, p=np.array(list(LEVEL_SHARE.values())))]
    d = dist.iloc[di].reset_index(drop=True)
    prop = d["current_province_code"].map(prov_effect).to_numpy() + dist_effect[di] + r.normal(0.0, 0.7, n)
    mean = pd.Series(lv).map(STUDENTS_MEAN).to_numpy(dtype=float)
    students = np.maximum(20, r.lognormal(np.log(mean), 0.45)).astype(int)
    k = pd.DataFrame({"d": di, "lv": lv}).groupby(["d", "lv"]).cumcount().to_numpy() + 1
    num = pd.Series(k).map("{:03d}".format)
    schools = pd.DataFrame({
        "code": "NAT-" + d["code"] + "-" + lv + "-" + num,
        "name": pd.Series(lv).map(LEVEL_LABEL) + " mô phỏng " + num + " — " + d["fullname"],
        "level": lv, "province_code": d["province_code"], "district_code": d["code"],
        "is_public": r.random(n) > 0.08, "provenance": "simulated", "note": NOTE})
    return NationalData(schools, _school_years(schools, students, prop, r, years), dist)


def _school_years(schools: pd.DataFrame, students: np.ndarray, prop: np.ndarray, r: np.random.Generator,
                  years: tuple[int, ...]) -> pd.DataFrame:
    n, ny = len(schools), len(years)
    si = np.tile(np.arange(n), ny)  # row i: school si[i], year yr[i]
    yr = np.repeat(np.array(years), n)
    t = (yr - FIRST_YEAR).astype(float)
    lv = schools["level"].to_numpy()[si]
    p = prop[si]
    out = pd.DataFrame({"school_code": schools["code"].to_numpy()[si], "school_year": yr,
                        "province_code": schools["province_code"].to_numpy()[si],
                        "district_code": schools["district_code"].to_numpy()[si], "level": lv,
                        "provenance": "simulated"})
    st_ = np.maximum(1, np.round(students[si] * (1 + 0.012 * (t - (N_YEARS - 1))))).astype(int)
    out["students"] = st_
    ratio = pd.Series(lv).map(STUDENTS_PER_TEACHER).to_numpy(dtype=float)
    out["teachers"] = np.maximum(1, np.round(st_ / ratio * r.uniform(0.85, 1.15, n)[si])).astype(int)
    for metric, (a, b, applies) in CURVES.items():
        u = r.random(n)[si]  # one draw per school: adoption is nested over the years
        flag = (u < _sigmoid(a + b * t + 0.8 * p)).astype("float")
        flag[~np.isin(lv, applies)] = np.nan
        out[metric] = pd.array(flag, dtype="Int64")
    growth = 0.55 + 0.45 * t / max(N_YEARS - 1, 1)
    for metric, rates in PC_PER_100.items():
        rate = pd.Series(lv).map(rates).to_numpy(dtype=float)
        out[metric] = np.round(st_ * rate / 100 * growth * np.exp(0.25 * p)).astype(int)
    # Decision 4725 maturity (general schools): a latent score that rises with the years, fixed noise per school
    latent = p + 0.35 * (t - 5) + r.normal(0.0, 0.5, n)[si]
    dx = 1 + (latent > 0.4).astype(int) + (latent > 1.7).astype(int)
    out["dx_level"] = pd.array(np.where(np.isin(lv, GENERAL), dx, np.nan), dtype="Int64")
    out["learners_digital"] = np.round(st_ * _sigmoid(-2.0 + 0.7 * t + 0.5 * p)).astype(int)
    out["teachers_digital"] = np.round(out["teachers"].to_numpy() * _sigmoid(-1.0 + 0.7 * t + 0.5 * p)).astype(int)
    return out
