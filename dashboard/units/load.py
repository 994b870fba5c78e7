"""Load the unit lists and the crosswalk (data/geo, SOURCES.md §8) into the store, inside build-db's transaction.

`read_units(base)` reads and checks every file before the store is opened (problems name file, row and field,
like the seed checks); `replace_units(con, rows)` deletes and re-inserts the three build-owned tables.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection

from models.units import UnitCrosswalk, UnitCurrent, UnitFormer

from ..seedcheck.problems import SeedError, SeedProblem

FILES = {
    "current_provinces": "geo/units_2025_provinces.csv",
    "current_communes": "geo/units_2025_communes.csv",
    "former_provinces": "geo/units_former_provinces.csv",
    "former_districts": "geo/units_former_districts.csv",
    "former_communes": "geo/units_former_communes.csv",
    "crosswalk": "geo/crosswalk_2025_communes.csv",
}
OUTLINES = "geo/vnm_adm1_2025_dissolved.geojson"  # optional: provinces without it have no outline
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
TABLES = ("unit_crosswalk", "unit_former", "unit_current")  # deletion order
LOADER_VERSION = "1"  # bump when the rows written from the same files change
DIGEST_KEY = "units_digest"  # store_meta: digest of the files the unit tables were last loaded from


@dataclass
class UnitRows:
    current: list[dict] = field(default_factory=list)
    former: list[dict] = field(default_factory=list)
    crosswalk: list[dict] = field(default_factory=list)
    digest: str = ""  # of the input files and the loader version: unchanged files, unchanged tables

    def counts(self) -> dict[str, int]:
        return {"unit_current": len(self.current), "unit_former": len(self.former),
                "unit_crosswalk": len(self.crosswalk)}


class _Reader:
    def __init__(self, base: Path):
        self.base = base
        self.problems: list[SeedProblem] = []

    def problem(self, rel: str, row: int, fld: str, msg: str) -> None:
        if len(self.problems) < 200:
            self.problems.append(SeedProblem(rel, row, fld, msg))

    def rows(self, key: str, required: tuple[str, ...]) -> list[tuple[int, dict]]:
        rel = FILES[key]
        path = self.base / rel
        if not path.is_file():
            self.problem(rel, 0, "(file)", "file is missing (regenerate with scripts/extract_units.py)")
            return []
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                self.problem(rel, 0, "(file)", f"missing column(s): {', '.join(missing)}")
                return []
            return [(i, {k: (v.strip() if v else None) for k, v in r.items()}) for i, r in enumerate(reader, start=2)]

    def code(self, rel: str, row: int, fld: str, value: str | None, level: str, *, optional: bool = False):
        if value is None:
            if not optional:
                self.problem(rel, row, fld, "empty")
            return None
        if not (value.isdigit() and len(value) == CODE_WIDTH[level]):
            self.problem(rel, row, fld, f"'{value}' is not a {CODE_WIDTH[level]}-digit {level} code")
        return value

    def number(self, rel: str, row: int, fld: str, value: str | None) -> float | None:
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            self.problem(rel, row, fld, f"'{value}' is not a number")
            return None

    def day(self, rel: str, row: int, fld: str, value: str | None, *, optional: bool = True) -> date | None:
        if value is None:
            if not optional:
                self.problem(rel, row, fld, "empty")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(rel, row, fld, f"'{value}' is not a date (YYYY-MM-DD)")
            return None

    def flag(self, rel: str, row: int, fld: str, value: str | None) -> bool:
        if value not in ("0", "1"):
            self.problem(rel, row, fld, f"'{value}' is not 0 or 1")
        return value == "1"


def _unit(rd: _Reader, key: str, level: str, parent_level: str | None, rel: str, n: int, r: dict) -> dict:
    return {"code": rd.code(rel, n, "code", r["code"], level), "level": level, "name": r["name"] or "",
            "fullname": r["fullname"] or "", "unit_type": r["unit_type"] or "",
            "lat": rd.number(rel, n, "lat", r.get("lat")), "lon": rd.number(rel, n, "lon", r.get("lon")),
            "valid_from": rd.day(rel, n, "valid_from", r.get("valid_from"), optional=key.startswith("former")),
            "valid_to": rd.day(rel, n, "valid_to", r.get("valid_to"), optional=key.startswith("current"))}


def _outlines(rd: _Reader, codes: list[str]) -> list[str | None]:
    """GeoJSON geometry text of each current province's dissolved outline (None where there is none)."""
    path = rd.base / OUTLINES
    if not path.is_file():
        return [None] * len(codes)
    try:
        feats = json.loads(path.read_text(encoding="utf-8"))["features"]
        geo = {f["properties"]["code"]: json.dumps(f["geometry"], separators=(",", ":")) for f in feats}
    except (ValueError, KeyError, TypeError) as exc:
        rd.problem(OUTLINES, 0, "(file)", f"not a GeoJSON FeatureCollection with a 'code' per feature ({exc})")
        return [None] * len(codes)
    unknown = sorted(set(geo) - set(codes))
    if unknown:
        rd.problem(OUTLINES, 0, "code", f"unknown current province(s): {', '.join(unknown)}")
    return [geo.get(c) for c in codes]


def read_units(base: Path) -> UnitRows:
    """Every unit and crosswalk row, checked; raises SeedError naming file, row and field (none of the files
    present: no rows)."""
    rd = _Reader(base)
    h = hashlib.sha256(LOADER_VERSION.encode())
    for rel in [*FILES.values(), OUTLINES]:
        path = base / rel
        h.update(rel.encode() + (path.read_bytes() if path.is_file() else b"-"))
    out = UnitRows(digest=h.hexdigest())
    if not any((base / rel).exists() for rel in FILES.values()):
        return out  # a data folder without the 2025 units (e.g. a test's minimal copy): the tables stay empty
    base_cols = ("code", "name", "fullname", "unit_type", "lat", "lon", "valid_from", "valid_to")
    for n, r in rd.rows("current_provinces", base_cols + ("former_province_codes",)):
        out.current.append({**_unit(rd, "current", "province", None, FILES["current_provinces"], n, r),
                            "parent_code": None, "former_province_codes": r["former_province_codes"], "area_km2": None})
    provinces = {u["code"] for u in out.current}
    for u, geom in zip(out.current, _outlines(rd, [u["code"] for u in out.current])):
        u["geometry"] = geom
    rel = FILES["current_communes"]
    for n, r in rd.rows("current_communes", base_cols + ("province_code", "area_km2")):
        u = _unit(rd, "current", "commune", "province", rel, n, r)
        if r["province_code"] not in provinces:
            rd.problem(rel, n, "province_code", f"unknown current province '{r['province_code']}'")
        out.current.append({**u, "parent_code": r["province_code"], "former_province_codes": None,
                            "area_km2": rd.number(rel, n, "area_km2", r["area_km2"]), "geometry": None})
    rel = FILES["former_provinces"]
    for n, r in rd.rows("former_provinces", base_cols + ("current_province_code",)):
        if r["current_province_code"] not in provinces:
            rd.problem(rel, n, "current_province_code", f"unknown current province '{r['current_province_code']}'")
        out.former.append({**_unit(rd, "former", "province", None, rel, n, r), "parent_code": None,
                           "province_code": r["code"], "current_province_code": r["current_province_code"]})
    merged_into = {u["code"]: u["current_province_code"] for u in out.former}
    rel = FILES["former_districts"]
    for n, r in rd.rows("former_districts", base_cols + ("province_code",)):
        if r["province_code"] not in merged_into:
            rd.problem(rel, n, "province_code", f"unknown former province '{r['province_code']}'")
        out.former.append({**_unit(rd, "former", "district", "province", rel, n, r), "parent_code": r["province_code"],
                           "province_code": r["province_code"],
                           "current_province_code": merged_into.get(r["province_code"], "")})
    districts = {u["code"]: u["province_code"] for u in out.former if u["level"] == "district"}
    rel = FILES["former_communes"]
    for n, r in rd.rows("former_communes", base_cols + ("district_code", "province_code")):
        if districts.get(r["district_code"]) != r["province_code"]:
            rd.problem(rel, n, "district_code", f"district '{r['district_code']}' is not a former district of "
                       f"province '{r['province_code']}'")
        out.former.append({**_unit(rd, "former", "commune", "district", rel, n, r), "parent_code": r["district_code"],
                           "province_code": r["province_code"],
                           "current_province_code": merged_into.get(r["province_code"], "")})
    communes = {u["code"]: u for u in out.former if u["level"] == "commune"}
    current_communes = {u["code"]: u["parent_code"] for u in out.current if u["level"] == "commune"}
    rel = FILES["crosswalk"]
    defaults: dict[str | None, int] = {}
    for n, r in rd.rows("crosswalk", ("former_commune_code", "former_district_code", "former_province_code",
                                      "current_commune_code", "current_province_code", "split", "is_default",
                                      "distance_km", "suspect")):
        fc, cc = r["former_commune_code"], r["current_commune_code"]
        rd.code(rel, n, "former_commune_code", fc, "commune", optional=True)
        if fc is not None and fc not in communes:
            rd.problem(rel, n, "former_commune_code", f"unknown former commune '{fc}'")
        elif fc is not None and communes[fc]["parent_code"] != r["former_district_code"]:
            rd.problem(rel, n, "former_district_code", f"commune '{fc}' is not in district '{r['former_district_code']}'")
        if current_communes.get(cc) is None:
            rd.problem(rel, n, "current_commune_code", f"unknown current commune '{cc}'")
        elif current_communes[cc] != r["current_province_code"] or \
                merged_into.get(r["former_province_code"]) != r["current_province_code"]:
            rd.problem(rel, n, "current_province_code", f"current commune '{cc}' is not in the province that former "
                       f"province '{r['former_province_code']}' merged into")
        row = {"former_commune_code": fc, "former_district_code": r["former_district_code"],
               "former_province_code": r["former_province_code"], "current_commune_code": cc,
               "current_province_code": r["current_province_code"], "split": rd.flag(rel, n, "split", r["split"]),
               "is_default": rd.flag(rel, n, "is_default", r["is_default"]),
               "suspect": rd.flag(rel, n, "suspect", r["suspect"]),
               "distance_km": rd.number(rel, n, "distance_km", r["distance_km"])}
        if row["is_default"]:
            defaults[fc or r["former_district_code"]] = defaults.get(fc or r["former_district_code"], 0) + 1
        out.crosswalk.append(row)
    for code in communes:
        if defaults.get(code, 0) != 1:
            rd.problem(rel, 0, "former_commune_code", f"former commune '{code}' has {defaults.get(code, 0)} default "
                       "current commune(s), expected exactly 1")
    if rd.problems:
        raise SeedError(rd.problems)
    return out


def replace_units(con: Connection, rows: UnitRows) -> dict[str, int]:
    """Replace the three unit tables inside the caller's transaction (build-owned: nothing else writes them).
    Skipped when they were loaded from the same files (digest in store_meta, which builds keep): a rebuild then
    writes ~25.000 rows less."""
    prev = con.execute(text("SELECT value FROM store_meta WHERE key = :k"), {"k": DIGEST_KEY}).scalar()
    have = con.execute(text("SELECT COUNT(*) FROM unit_crosswalk")).scalar()
    if prev == rows.digest and have == len(rows.crosswalk):
        return rows.counts()
    for t in TABLES:
        con.exec_driver_sql(f"DELETE FROM {t}")
    for model, items in ((UnitCurrent, rows.current), (UnitFormer, rows.former), (UnitCrosswalk, rows.crosswalk)):
        if items:
            con.execute(insert(model), items)
    if prev is None:
        con.execute(text("INSERT INTO store_meta (key, value) VALUES (:k, :v)"), {"k": DIGEST_KEY, "v": rows.digest})
    else:
        con.execute(text("UPDATE store_meta SET value = :v WHERE key = :k"), {"k": DIGEST_KEY, "v": rows.digest})
    return rows.counts()
