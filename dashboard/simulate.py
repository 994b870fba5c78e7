"""Simulated school-level data, calibrated exactly to the published province totals.

The documents publish province totals only. Until a province loads its own school list, district views
run on simulated schools that reproduce every published total in `data/simulation/calibration.csv`
exactly (the calibration rows point at published observations by key, so no number is typed twice).
Level splits and totals that no document prints are assumptions in `data/simulation/assumptions.csv`.

Determinism: every random draw comes from numpy's PCG64 seeded with (seed, province, purpose) through
zlib.crc32, so the same seed gives the same database. Remote districts (low population density, from
the 2009 census and the polygon area) get a lower adoption propensity, as the Đắk Nông report notes.
"""
from __future__ import annotations

import csv
import json
import math
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import DATA_DIR

YEARS = (2020, 2021, 2022, 2023)  # school years 2020-2021 .. 2023-2024 (latest with a published figure)
FINAL_YEAR = YEARS[-1]
LEVELS = ("MN", "TH", "THCS", "THPT", "GDTX")
GENERAL = ("TH", "THCS", "THPT")
DEFAULT_SEED = 20220125  # the date of Decision 131

# Simulation parameters (not published figures): typical size, adoption where nothing is published,
# and the yearly ratio used to walk adoption back from the latest year (count_{y-1} = count_y × ratio).
STUDENTS_MEAN = {"MN": 220, "TH": 420, "THCS": 480, "THPT": 900, "GDTX": 180}
STUDENTS_PER_TEACHER = {"MN": 14, "TH": 20, "THCS": 18, "THPT": 19, "GDTX": 20}
PC_PER_100 = {  # computers per 100 students where no total is published
    "pc_teaching": {"MN": 0.8, "TH": 2.0, "THCS": 4.0, "THPT": 5.0, "GDTX": 4.0},
    "pc_management": {"MN": 0.8, "TH": 0.5, "THCS": 1.0, "THPT": 0.8, "GDTX": 1.0},
    "pc_informatics": {"MN": 0.0, "TH": 2.5, "THCS": 4.0, "THPT": 4.0, "GDTX": 3.0},
}
DEFAULT_SHARE = {"fibre": 0.95, "wifi": 0.9, "mgmt_software": 0.95, "e_gradebook": 0.75, "e_transcript": 0.45,
                 "cashless": 0.7, "online_plan": 0.8, "cbt": 0.35, "stem": 0.6}
BACK_RATIO = {"fibre": 0.93, "wifi": 0.85, "mgmt_software": 0.92, "e_gradebook": 0.75, "e_transcript": 0.5,
              "cashless": 0.6, "online_plan": 0.85, "cbt": 0.7, "stem": 0.7, "pc": 0.93}
FLAG_LEVELS = {"e_gradebook": GENERAL, "e_transcript": GENERAL + ("GDTX",), "cashless": GENERAL + ("GDTX",),
               "online_plan": GENERAL, "cbt": GENERAL + ("GDTX",), "stem": GENERAL,
               "mgmt_software": LEVELS, "fibre": LEVELS, "wifi": LEVELS}
DX_LEVEL_SHARE = (0.1, 0.7, 0.2)  # levels 1, 2, 3 where nothing is published
LEVEL_SPLIT = {"TH": 200, "THCS": 108, "THPT": 40}  # Sóc Trăng 2023-24, for provinces with no split at all


def rng(seed: int, *parts: object) -> np.random.Generator:
    key = zlib.crc32("|".join(str(p) for p in (seed, *parts)).encode())
    return np.random.Generator(np.random.PCG64(key))


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split a whole `total` in proportion to weights so that the parts add up exactly."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=int)
    w = weights if weights.sum() > 0 else np.ones(len(weights))
    raw = w / w.sum() * total
    base = np.floor(raw).astype(int)
    rest = total - base.sum()
    order = np.argsort(-(raw - base), kind="stable")
    base[order[:rest]] += 1
    return base


@dataclass
class District:
    code: str
    name: str
    province_code: str
    pop: float
    remoteness: float  # 0 = densest district of the province, 1 = least dense


@dataclass
class SimSchool:
    code: str
    name: str
    level: str
    province_code: str
    district_code: str | None
    students: int
    propensity: float  # higher adopts earlier
    is_public: bool = True
    real_id: str | None = None  # code of a published school row reused instead of a simulated one
    active: set[int] = field(default_factory=lambda: set(YEARS))


def _area(geometry: dict) -> float:
    """Polygon area in km² (equirectangular approximation: relative sizes within a province)."""
    def ring(coords: list) -> float:
        lat0 = math.radians(sum(c[1] for c in coords) / len(coords))
        xs = [c[0] * 111.32 * math.cos(lat0) for c in coords]
        ys = [c[1] * 110.57 for c in coords]
        return abs(sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(xs)))) / 2
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return sum(ring(p[0]) - sum(ring(h) for h in p[1:]) for p in polys)


def districts_from_geo(district_rows: list[dict]) -> dict[str, list[District]]:
    out: dict[str, list[District]] = {}
    for d in district_rows:
        geom = json.loads(d["geometry"]) if d.get("geometry") else None
        density = (d.get("pop_2009") or 1) / max(_area(geom), 1.0) if geom else 1.0
        out.setdefault(d["parent_code"], []).append(
            District(d["code"], d["fullname"], d["parent_code"], float(d.get("pop_2009") or 1), density))
    for dists in out.values():  # remoteness = rank of density, least dense = 1
        order = sorted(dists, key=lambda x: -x.remoteness)
        for i, x in enumerate(order):
            x.remoteness = i / max(len(order) - 1, 1)
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _targets(province: str, calib: list[dict], obs: dict[str, dict]) -> list[dict]:
    out = []
    for c in calib:
        if c["province_code"] != province:
            continue
        o = obs[c["obs_key"]]
        value = o[c["field"]]
        if c["kind"] == "flag" and c["metric"] == "stem":  # published as a share of schools (100%)
            value = None
        out.append({**c, "school_year": int(c["school_year"]), "levels": tuple(c["levels"].split(";")),
                    "target": None if value is None else int(round(float(value))), "share": o["value"]})
    return out


def _level_counts(province: str, year: int, targets: list[dict], assumptions: list[dict]) -> dict[str, int]:
    counts = {t["levels"][0]: t["target"] for t in targets
              if t["kind"] == "schools" and t["school_year"] == year and len(t["levels"]) == 1}
    for a in assumptions:
        if a["province_code"] == province and a["item"] == "schools" and int(a["school_year"]) == year and a["value"]:
            counts.setdefault(a["level"], int(a["value"]))
    return counts


def generate_province(province: str, districts: list[District], *, targets: list[dict], assumptions: list[dict],
                      real_schools: list[dict], seed: int, n_schools: int | None = None,
                      code_prefix: str = "SIM") -> tuple[list[SimSchool], list[dict]]:
    """Schools of one province and their school-year rows, calibrated to `targets`."""
    r = rng(seed, province, "schools")
    final = _level_counts(province, FINAL_YEAR, targets, assumptions)
    if not final:  # a province with nothing published (national benchmark): split n_schools
        total = n_schools or 300
        split = largest_remainder(total, np.array(list(LEVEL_SPLIT.values()) + [131, 10]))
        final = dict(zip(list(LEVEL_SPLIT) + ["MN", "GDTX"], split.tolist()))
    earliest = {y: _level_counts(province, y, targets, assumptions) for y in YEARS}
    # schools per level = the largest count in any year; the extra ones close before the later years
    per_level = {lv: max([final.get(lv, 0)] + [earliest[y].get(lv, 0) for y in YEARS]) for lv in LEVELS}
    pops = np.array([d.pop for d in districts])
    schools: list[SimSchool] = []
    real_by_level: dict[str, list[dict]] = {}
    for s in real_schools:
        real_by_level.setdefault(s["level"], []).append(s)
    for lv in LEVELS:
        n = per_level.get(lv, 0)
        if n == 0:
            continue
        reals = real_by_level.get(lv, [])[:n]
        per_district = largest_remainder(n, pops)
        for s in reals:  # published schools take a place in their own district
            if s.get("district_code"):
                i = next(i for i, d in enumerate(districts) if d.code == s["district_code"])
                per_district[i] -= 1
        # a district can go negative when many real schools sit in it: take places from the largest others
        while (per_district < 0).any():
            i = int(np.argmin(per_district))
            j = int(np.argmax(per_district))
            per_district[i] += 1
            per_district[j] -= 1
        unlocated = sum(1 for s in reals if not s.get("district_code"))
        if unlocated:  # published schools without a district replace simulated ones in the largest districts
            for _ in range(unlocated):
                per_district[int(np.argmax(per_district))] -= 1
        sizes = np.maximum(20, r.lognormal(math.log(STUDENTS_MEAN[lv]), 0.45, n)).astype(int)
        k = 0
        for s in reals:
            d = next((d for d in districts if d.code == s.get("district_code")), None)
            schools.append(SimSchool(s["code"], s["name"], lv, province, s.get("district_code"), int(sizes[k]),
                                     float(r.random()) * 0.7 + 0.3 * (1 - (d.remoteness if d else 0.5)),
                                     real_id=s["code"]))
            k += 1
        for d, m in zip(districts, per_district):
            for j in range(int(m)):
                code = f"{code_prefix}-{d.code}-{lv}-{j + 1:03d}"
                schools.append(SimSchool(code, f"{lv} mô phỏng {j + 1:03d} — {d.name}", lv, province, d.code,
                                         int(sizes[k]), float(r.random()) * 0.7 + 0.3 * (1 - d.remoteness)))
                k += 1
    # closures: where an earlier year has more schools of a level than the final year
    for lv in LEVELS:
        lv_schools = [s for s in schools if s.level == lv and not s.real_id]
        for y in YEARS:
            n_y = earliest[y].get(lv)
            if n_y is None and lv in final:
                # no published count that year: the nearest later published network (documented assumption)
                later = [earliest[z].get(lv) for z in YEARS if z > y and earliest[z].get(lv) is not None]
                n_y = later[0] if later else final[lv]
            if n_y is None:
                continue
            extra = per_level[lv] - n_y
            for s in sorted(lv_schools, key=lambda s: s.propensity)[:max(extra, 0)]:
                s.active.discard(y)
    # public/private (published for the final year only: private schools stay private)
    priv = next((t for t in targets if t["metric"] == "is_private"), None)
    if priv:
        pool = [s for s in schools if FINAL_YEAR in s.active and not s.real_id]
        for s in _pick(pool, priv["target"], seed, province, "private"):
            s.is_public = False
    rows = _school_years(province, schools, districts, targets, assumptions, seed)
    return schools, rows


def _pick(pool: list[SimSchool], k: int, seed: int, *key: object) -> list[SimSchool]:
    """k schools of the pool, the most likely adopters first (deterministic)."""
    if k > len(pool):
        raise ValueError(f"calibration asks for {k} schools among {len(pool)} ({key})")
    r = rng(seed, *key)
    score = np.array([s.propensity for s in pool]) + r.normal(0, 0.15, len(pool))
    order = np.argsort(-score, kind="stable")
    return [pool[i] for i in order[:k]]


def _school_years(province: str, schools: list[SimSchool], districts: list[District], targets: list[dict],
                  assumptions: list[dict], seed: int) -> list[dict]:
    r = rng(seed, province, "years")
    by_code = {s.code: s for s in schools}
    rows: dict[tuple[str, int], dict] = {}
    students_total = next((int(a["value"]) for a in assumptions if a["province_code"] == province
                           and a["item"] == "students" and a["value"]), None)
    teachers_total = next((int(a["value"]) for a in assumptions if a["province_code"] == province
                           and a["item"] == "teachers" and a["value"]), None)
    active_final = [s for s in schools if FINAL_YEAR in s.active]
    if students_total:
        for s, n in zip(active_final, largest_remainder(students_total, np.array([s.students for s in active_final]))):
            s.students = int(max(n, 1))
    teachers = {s.code: max(2, round(s.students / STUDENTS_PER_TEACHER[s.level] * r.uniform(0.85, 1.15)))
                for s in schools}
    if teachers_total:
        for s, n in zip(active_final, largest_remainder(teachers_total, np.array([teachers[s.code] for s in active_final]))):
            teachers[s.code] = int(max(n, 1))
    for y in YEARS:
        drift = 1 - 0.01 * (FINAL_YEAR - y)
        for s in schools:
            if y in s.active:
                rows[(s.code, y)] = {"school_code": s.code, "school_year": y, "province_code": province,
                                     "district_code": s.district_code, "level": s.level,
                                     "students": max(1, round(s.students * drift)),
                                     "teachers": max(1, round(teachers[s.code] * drift)),
                                     "dx_level": None}
    # flags: exact counts in the calibrated year, nested subsets walking back in time
    for metric, levels in FLAG_LEVELS.items():
        # the published figure covering the most levels decides; other eligible levels get the default share
        tgts = sorted((t for t in targets if t["kind"] == "flag" and t["metric"] == metric),
                      key=lambda t: -len(t["levels"]))
        tgt = tgts[0] if tgts else None
        groups = []
        if tgt:
            groups.append((tgt["levels"], tgt))
        rest = tuple(lv for lv in levels if not tgt or lv not in tgt["levels"])
        if rest:
            groups.append((rest, None))
        for lv, tg in groups:
            pool = [s for s in schools if s.level in lv and FINAL_YEAR in s.active]
            if tg and tg["target"] is not None:
                k = tg["target"]
            elif tg:  # published as a share only (Đồng Tháp STEM: 100%)
                k = round(len(pool) * tg["share"] / 100)
            else:
                k = round(len(pool) * DEFAULT_SHARE[metric])
            chosen = _pick(pool, k, seed, province, metric, lv)
            rank = {s.code: i for i, s in enumerate(chosen)}
            for y in YEARS:
                k_y = round(k * BACK_RATIO[metric] ** (FINAL_YEAR - y))
                for s in schools:
                    if (s.code, y) in rows and s.level in lv:
                        rows[(s.code, y)][metric] = int(s.code in rank and rank[s.code] < k_y)
        for (code, y), row in rows.items():  # not applicable to this level (e.g. e-gradebook in preschools)
            if row["level"] not in levels and (not tgt or row["level"] not in tgt["levels"]):
                row[metric] = None
    # counts: exact sums per level in the calibrated year, allocated by students and propensity
    for metric in ("pc_teaching", "pc_management", "pc_informatics", "learners_digital", "teachers_digital"):
        # levels the province's documents count for this metric: a level they leave out (Sóc Trăng's
        # computers by TH/THCS/THPT, Đắk Nông's informatics computers of general schools) gets no invented
        # value, so that no simulated total exceeds the published one it is compared with
        counted = {lv for t in targets if t["kind"] == "sum" and t["metric"] == metric for lv in t["levels"]}
        for lv in LEVELS:
            pool = [s for s in schools if s.level == lv and FINAL_YEAR in s.active]
            if not pool:
                continue
            tgt = next((t for t in targets if t["kind"] == "sum" and t["metric"] == metric and
                        (t["levels"] == (lv,) or (len(t["levels"]) > 1 and lv in t["levels"]))), None)
            if tgt is None and counted:
                for (code, y), row in rows.items():
                    if row["level"] == lv:
                        row[metric] = None
                continue
            if tgt and len(tgt["levels"]) > 1:  # a total over several levels: split by students
                all_pool = [s for s in schools if s.level in tgt["levels"] and FINAL_YEAR in s.active]
                base = np.array([rows[(s.code, FINAL_YEAR)]["students" if metric == "learners_digital" else "teachers"]
                                 for s in all_pool], dtype=float)
                parts = largest_remainder(tgt["target"], base)
                share = dict(zip((s.code for s in all_pool), parts))
                final = [int(share[s.code]) for s in pool]
            elif tgt:
                weights = np.array([s.students * (0.6 + s.propensity) for s in pool])
                final = largest_remainder(tgt["target"], weights).tolist()
            elif metric in ("learners_digital", "teachers_digital"):
                col = "students" if metric == "learners_digital" else "teachers"
                final = [round(rows[(s.code, FINAL_YEAR)][col] * min(1.0, 0.85 + 0.15 * s.propensity)) for s in pool]
            else:
                final = [round(s.students * PC_PER_100[metric][lv] / 100 * (0.6 + 0.8 * s.propensity)) for s in pool]
            for s, v in zip(pool, final):
                for y in YEARS:
                    if (s.code, y) in rows:
                        factor = 1.0 if y == FINAL_YEAR else (
                            BACK_RATIO["pc"] ** (FINAL_YEAR - y) if metric.startswith("pc") else 0.8 ** (FINAL_YEAR - y))
                        rows[(s.code, y)][metric] = int(round(v * factor))
            for s in schools:  # closed schools in earlier years get values too
                for y in YEARS:
                    if (s.code, y) in rows and s.level == lv and metric not in rows[(s.code, y)]:
                        rows[(s.code, y)][metric] = int(round(s.students * PC_PER_100.get(metric, {}).get(lv, 0) / 100))
    # Decision 4725 digital-transformation maturity levels: exact category counts in the calibrated year
    cats = sorted((t for t in targets if t["metric"] == "dx_level"), key=lambda t: t["category"])
    pool = [s for s in schools if s.level in GENERAL and FINAL_YEAR in s.active]
    counts = [t["target"] for t in cats] if cats else largest_remainder(len(pool), np.array(DX_LEVEL_SHARE)).tolist()
    ordered = _pick(pool, len(pool), seed, province, "informatics")  # best equipped first
    level_of: dict[str, int] = {}
    i = 0
    for lvl, n in zip((3, 2, 1), reversed(counts)):
        for s in ordered[i:i + n]:
            level_of[s.code] = lvl
        i += n
    for (code, y), row in rows.items():
        if row["level"] in GENERAL:
            lvl = level_of.get(code, 1)
            row["dx_level"] = max(1, lvl - (1 if y < FINAL_YEAR - 1 and lvl == 3 and
                                                     by_code[code].propensity < 0.6 else 0))
    for row in rows.values():
        for metric in FLAG_LEVELS:
            row.setdefault(metric, None)
    return list(rows.values())


@dataclass
class Simulation:
    schools: list[dict[str, Any]]
    school_years: list[dict[str, Any]]
    admin_units: list[dict[str, Any]]  # synthetic districts (national benchmark only)


def simulate(*, districts: list[dict], observations: list[dict], real_schools: list[dict], seed: int = DEFAULT_SEED,
             base: Path = DATA_DIR, provinces: tuple[str, ...] = ("94", "67", "87")) -> Simulation:
    """School rows (simulated, plus the published ones reused) and school-year rows for the provinces."""
    calib = read_csv(base / "simulation" / "calibration.csv")
    assumptions = read_csv(base / "simulation" / "assumptions.csv")
    obs = {o["obs_id"]: o for o in observations}
    missing = [c["obs_key"] for c in calib if c["obs_key"] not in obs]
    if missing:
        raise ValueError(f"simulation/calibration.csv refers to unknown observations: {missing}")
    by_prov = districts_from_geo(districts)
    schools, years = [], []
    for p in provinces:
        sch, rows = generate_province(p, by_prov[p], targets=_targets(p, calib, obs), assumptions=assumptions,
                                      real_schools=[s for s in real_schools if s["province_code"] == p], seed=seed)
        schools += [_school_row(s) for s in sch if not s.real_id]
        years += rows
    return Simulation(schools, years, [])


def _school_row(s: SimSchool) -> dict[str, Any]:
    return {"code": s.code, "name": s.name, "level": s.level, "level_printed": None, "province_code": s.province_code,
            "district_code": s.district_code, "district_printed": None, "is_public": s.is_public, "stem_lab": False,
            "stem_year": None, "provenance": "simulated", "source_id": None, "section": None, "quote": None,
            "note": "Dữ liệu mô phỏng / simulated"}


def simulate_national(*, provinces: list[dict], districts: list[dict], observations: list[dict],
                      real_schools: list[dict], seed: int = DEFAULT_SEED, base: Path = DATA_DIR,
                      n_schools: int = 45000, n_districts: int = 700) -> Simulation:
    """Benchmark scale: the three provinces as usual plus synthetic districts for the other 60 provinces."""
    sim = simulate(districts=districts, observations=observations, real_schools=real_schools, seed=seed, base=base)
    others = [p for p in provinces if p["code"] not in ("94", "67", "87")]
    remaining_schools = n_schools - len({r["school_code"] for r in sim.school_years})
    remaining_districts = n_districts - len(districts)
    pops = np.array([p.get("pop_2009") or 1 for p in others], dtype=float)
    d_per_prov = largest_remainder(remaining_districts, pops)
    s_per_prov = largest_remainder(remaining_schools, pops)
    units = []
    for p, nd, ns in zip(others, d_per_prov, s_per_prov):
        nd = max(int(nd), 1)
        ds = [District(f"{p['code']}-{i + 1:02d}", f"Huyện mô phỏng {i + 1:02d} ({p['name']})", p["code"],
                       1.0, i / max(nd - 1, 1)) for i in range(nd)]
        units += [{"code": d.code, "name": d.name, "fullname": d.name, "level": "district", "unit_type": "Huyện",
                   "parent_code": p["code"], "name_ascii": None, "match_key": None, "pop_2009": None,
                   "valid_from": None, "valid_to": None, "geometry": None} for d in ds]
        sch, rows = generate_province(p["code"], ds, targets=[], assumptions=[], real_schools=[], seed=seed,
                                      n_schools=int(ns), code_prefix="NAT")
        sim.schools += [_school_row(s) for s in sch]
        sim.school_years += rows
    sim.admin_units = units
    return sim
