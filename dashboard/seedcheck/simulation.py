"""The simulation's inputs (calibration, assumptions, commune points) and a dry run of what the build derives.

`build-db` places the named schools on the map and generates the simulated school data from the
validated records; both are run here, before anything is written, so that whatever `validate` passes the
build builds (a calibration that asks for more schools than exist is refused here, not half-way through).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .problems import Collector
from .schema import LEVELS

Rec = dict[str, Any]


def check_inputs(recs: dict[str, list[Rec]], provinces: list[Rec], districts: list[Rec], col: Collector) -> None:
    prov = {p["code"] for p in provinces}
    dist = {d["code"]: d["parent_code"] for d in districts}
    obs = {o["obs_id"]: o for o in recs["observations"]}

    def add(r: Rec, fld: str, msg: str) -> None:
        col.add(r["_file"], r["_row"], fld, msg)

    for r in recs["calibration"] + recs["assumptions"]:
        if r["province_code"] not in prov and not col.was_refused("adm1", r["province_code"]):
            add(r, "province_code", f"unknown province code {r['province_code']!r}")
    for r in recs["calibration"]:
        for lv in r["levels"].split(";"):
            if lv not in LEVELS:
                add(r, "levels", f"unknown school level {lv!r}; allowed: {sorted(LEVELS)}")
        o = obs.get(r["obs_key"])
        if o is None:
            if not col.was_refused("observations", r["obs_key"]):
                add(r, "obs_key", f"no published observation {r['obs_key']!r} in seed/observations")
        elif o[r["field"]] is None:
            add(r, "field", f"observation {r['obs_key']} has no {r['field']}")
        elif o["unit_code"] != r["province_code"]:
            add(r, "obs_key", f"observation {r['obs_key']} is of unit {o['unit_code']}, not {r['province_code']}")
    for r in recs["assumptions"]:
        if r["level"] and r["level"] not in LEVELS:
            add(r, "level", f"unknown school level {r['level']!r}")
    for r in recs["centroids"]:
        if r["adm2_code"] not in dist:
            if not col.was_refused("adm2", r["adm2_code"]):
                add(r, "adm2_code", f"unknown district {r['adm2_code']!r}")
        elif dist[r["adm2_code"]] != r["adm1_code"]:
            add(r, "adm1_code", f"district {r['adm2_code']} is not in province {r['adm1_code']}")
        if not -180 <= r["lon"] <= 180:
            add(r, "lon", f"longitude out of range: {r['lon']}")
        if not -90 <= r["lat"] <= 90:
            add(r, "lat", f"latitude out of range: {r['lat']}")


def dry_run(base: Path, recs: dict[str, list[Rec]], districts: list[Rec], col: Collector) -> None:
    """Place the named schools and generate the simulation exactly as the build does, writing nothing."""
    from .. import geo, simulate  # noqa: PLC0415 - the build's own code, run on validated records

    try:
        geo.commune_units(base)
        geo.place_schools(recs["schools"], districts, base)
    except Exception as exc:  # noqa: BLE001 - any failure here would stop the build: report it instead
        col.add("geo/vnm_adm3_3prov_centroids.csv", 0, "(file)",
                f"the named schools cannot be placed on the map: {type(exc).__name__}: {str(exc)[:200]}")
        return
    real = [{"code": s["school_id"], "name": s["name"], "level": s["level"], "province_code": s["province_code"],
             "district_code": s["district_code"]} for s in recs["schools"]]
    try:
        simulate.simulate(districts=districts, observations=recs["observations"], real_schools=real, base=base)
    except Exception as exc:  # noqa: BLE001
        col.add("simulation/calibration.csv", 0, "(file)",
                f"the simulation cannot be calibrated to these figures: {type(exc).__name__}: {str(exc)[:200]}")
