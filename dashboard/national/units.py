"""The geography of the national store, read from the unit tables in data/geo/ (SOURCES.md §8, extracted from
vietnamadminunits 1.0.4, MIT): the 34 current provinces, the 63 former provinces with the current province each
was merged into, and the 696 former districts with their number of former communes (the size weight)."""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .. import DATA_DIR


@dataclass(frozen=True)
class Geography:
    provinces: list[dict]  # current: code, name, fullname, former_province_codes
    former_provinces: list[dict]  # code, name, fullname, current_province_code
    districts: list[dict]  # former: code, name, fullname, unit_type, province_code (former), current_province_code, wards


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(base: Path | None = None) -> Geography:
    geo = Path(base or DATA_DIR) / "geo"
    provinces = _read(geo / "units_2025_provinces.csv")
    former = _read(geo / "units_former_provinces.csv")
    wards = Counter(c["district_code"] for c in _read(geo / "units_former_communes.csv"))
    current_of = {p["code"]: p["current_province_code"] for p in former}
    districts = [{**d, "current_province_code": current_of[d["province_code"]], "wards": max(wards[d["code"]], 1)}
                 for d in _read(geo / "units_former_districts.csv")]
    if len(provinces) != 34 or len(former) != 63:
        raise ValueError(f"data/geo: {len(provinces)} current and {len(former)} former provinces (34 and 63 expected)")
    return Geography(provinces, former, districts)
