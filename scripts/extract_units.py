"""Regenerate the unit lists and the 2025 crosswalk in data/geo/ from the `vietnamadminunits` package.

    .venv/bin/python scripts/extract_units.py [--out data/geo]

The package (MIT, installed in the development venv only) is read here and nowhere else: the dashboard
reads the CSV files this script writes, never the package. Written files (UTF-8, NFC, sorted, LF):

* units_2025_provinces.csv — the 34 provinces from 1 July 2025 with the former provinces they merge
* units_2025_communes.csv  — their 3.321 communes (xã, phường, đặc khu)
* units_former_provinces.csv, units_former_districts.csv, units_former_communes.csv — the 63 provinces,
  696 districts and 10.035 communes valid until 30 June 2025
* crosswalk_2025_communes.csv — former commune → current commune; a former commune split among several
  current ones has one row per part, `split` = 1 and `is_default` = 1 on the package's default part
* vnm_adm1_2025_dissolved.geojson — outlines of the 34 provinces, dissolved from the former province
  outlines of vnm_adm1_censusVN2009.geojson (needs shapely, a dependency of vietnamadminunits)

The checks at the end stop the script (exit 1) when a count or a reference does not hold.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import sqlite3
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

FORMER_VALID_TO = "2025-06-30"
CURRENT_VALID_FROM = "2025-07-01"
SUSPECT_KM = 25.0
ROOT = Path(__file__).resolve().parent.parent


def nfc(s):
    return unicodedata.normalize("NFC", s.strip()) if isinstance(s, str) else s


def _type_of(fullname: str, short: str) -> str:
    return nfc(fullname[: len(fullname) - len(short)]).strip()


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else r[k]) for k in header})
    print(f"{path.name}: {len(rows)} rows")


def _km(lat1, lon1, lat2, lon2) -> float | None:
    if None in (lat1, lon1, lat2, lon2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(6371.0 * 2 * math.asin(math.sqrt(a)), 1)


def extract(out: Path) -> None:
    import vietnamadminunits  # noqa: PLC0415 - development-only dependency

    pkg = Path(vietnamadminunits.__file__).parent
    con = sqlite3.connect(pkg / "data" / "dataset.db")
    con.row_factory = sqlite3.Row
    conv = json.loads((pkg / "data" / "converter_2025.json").read_text(encoding="utf-8"))

    # --- current units ---------------------------------------------------------------------------------
    cur = [dict(r) for r in con.execute("SELECT * FROM admin_units")]
    prov_by_key = {}
    provinces, communes = {}, []
    for r in cur:
        pcode = r["provinceCode"]
        prov_by_key[r["provinceKey"]] = pcode
        provinces.setdefault(pcode, {
            "code": pcode, "name": nfc(r["provinceShort"]), "fullname": nfc(r["province"]),
            "unit_type": _type_of(r["province"], r["provinceShort"]), "lat": r["provinceLat"], "lon": r["provinceLon"],
            "valid_from": CURRENT_VALID_FROM, "valid_to": None})
        communes.append({
            "code": r["wardCode"], "name": nfc(r["wardShort"]), "fullname": nfc(r["ward"]), "unit_type": nfc(r["wardType"]),
            "province_code": pcode, "lat": r["wardLat"], "lon": r["wardLon"], "area_km2": r["wardAreaKm2"],
            "valid_from": CURRENT_VALID_FROM, "valid_to": None, "_key": (r["provinceKey"], r["wardKey"])})
    commune_by_key = {c.pop("_key"): c for c in communes}

    # --- former units ----------------------------------------------------------------------------------
    old = [dict(r) for r in con.execute("SELECT * FROM admin_units_legacy")]
    fprov, fdist, fcomm, old_by_key = {}, {}, [], {}
    old_prov_by_key = {}
    for r in old:
        old_prov_by_key[r["provinceKey"]] = r["provinceCode"]
        fprov.setdefault(r["provinceCode"], {
            "code": r["provinceCode"], "name": nfc(r["provinceShort"]), "fullname": nfc(r["province"]),
            "unit_type": _type_of(r["province"], r["provinceShort"]), "lat": r["provinceLat"], "lon": r["provinceLon"],
            "valid_from": None, "valid_to": FORMER_VALID_TO})
        fdist.setdefault(r["districtCode"], {
            "code": r["districtCode"], "name": nfc(r["districtShort"]), "fullname": nfc(r["district"]),
            "unit_type": nfc(r["districtType"]), "province_code": r["provinceCode"], "lat": r["districtLat"],
            "lon": r["districtLon"], "valid_from": None, "valid_to": FORMER_VALID_TO})
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        old_by_key[key] = r
        if r["wardCode"]:
            fcomm.append({
                "code": r["wardCode"], "name": nfc(r["wardShort"]), "fullname": nfc(r["ward"]),
                "unit_type": nfc(r["wardType"]), "district_code": r["districtCode"], "province_code": r["provinceCode"],
                "lat": r["wardLat"], "lon": r["wardLon"], "valid_from": None, "valid_to": FORMER_VALID_TO})

    # provinces: former → current
    merged_into = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for ok in old_keys:
            merged_into[old_prov_by_key[ok]] = prov_by_key[new_key]
    for code, p in fprov.items():
        p["current_province_code"] = merged_into[code]
    for code, p in provinces.items():
        p["former_province_codes"] = ";".join(sorted(c for c, n in merged_into.items() if n == code))

    # --- crosswalk -------------------------------------------------------------------------------------
    xw = []

    def _row(old_key: str, new_pkey: str, new_wkey: str, split: bool, default: bool) -> dict:
        o = old_by_key[old_key]
        n = commune_by_key[(new_pkey, new_wkey)]
        return {"former_commune_code": o["wardCode"] or None, "former_commune": nfc(o["ward"]) or None,
                "former_district_code": o["districtCode"], "former_province_code": o["provinceCode"],
                "current_commune_code": n["code"], "current_commune": n["fullname"],
                "current_province_code": n["province_code"], "split": int(split), "is_default": int(default),
                "distance_km": _km(o["wardLat"] or o["districtLat"], o["wardLon"] or o["districtLon"], n["lat"], n["lon"])}

    def _suspect(r: dict) -> int:
        """A non-default part of a split commune whose centre lies far from the former commune's centre: the
        package matched split parts by name, and a same-named commune of another merged province can slip in."""
        return int(bool(r["split"] and not r["is_default"] and (r["distance_km"] or 0) > SUSPECT_KM))

    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for ok in old_keys:
                xw.append(_row(ok, new_pkey, new_wkey, False, True))
    unmatched = []
    for new_pkey, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for ok, parts in olds.items():
            for part in parts:
                if (new_pkey, part["newWardKey"]) not in commune_by_key:
                    unmatched.append((ok, part["newWardKey"]))
                    continue
                xw.append(_row(ok, new_pkey, part["newWardKey"], True, bool(part["isDefaultNewWard"])))
    for r in xw:
        r["suspect"] = _suspect(r)
    xw.sort(key=lambda r: (r["former_province_code"], r["former_district_code"], r["former_commune_code"] or "",
                           r["current_commune_code"]))

    # --- checks ----------------------------------------------------------------------------------------
    problems = []
    if len(provinces) != 34:
        problems.append(f"{len(provinces)} current provinces, expected 34")
    if len(fprov) != 63:
        problems.append(f"{len(fprov)} former provinces, expected 63")
    mapped = {r["former_commune_code"] for r in xw}
    missing = [c["code"] for c in fcomm if c["code"] not in mapped]
    if missing:
        problems.append(f"{len(missing)} former communes without a current commune: {missing[:10]}")
    for r in xw:
        if merged_into[r["former_province_code"]] != r["current_province_code"]:
            problems.append(f"{r['former_commune_code']} maps outside its current province")
    if unmatched:
        problems.append(f"split parts naming unknown current communes: {unmatched[:10]}")
    if any(r["suspect"] and r["is_default"] for r in xw):
        problems.append("a default part is marked suspect")
    if problems:
        sys.exit("extract_units: " + "; ".join(problems))

    # --- write -----------------------------------------------------------------------------------------
    out.mkdir(parents=True, exist_ok=True)
    _write(out / "units_2025_provinces.csv",
           ["code", "name", "fullname", "unit_type", "former_province_codes", "lat", "lon", "valid_from", "valid_to"],
           sorted(provinces.values(), key=lambda r: r["code"]))
    _write(out / "units_2025_communes.csv",
           ["code", "name", "fullname", "unit_type", "province_code", "lat", "lon", "area_km2", "valid_from", "valid_to"],
           sorted(communes, key=lambda r: r["code"]))
    _write(out / "units_former_provinces.csv",
           ["code", "name", "fullname", "unit_type", "current_province_code", "lat", "lon", "valid_from", "valid_to"],
           sorted(fprov.values(), key=lambda r: r["code"]))
    _write(out / "units_former_districts.csv",
           ["code", "name", "fullname", "unit_type", "province_code", "lat", "lon", "valid_from", "valid_to"],
           sorted(fdist.values(), key=lambda r: r["code"]))
    _write(out / "units_former_communes.csv",
           ["code", "name", "fullname", "unit_type", "district_code", "province_code", "lat", "lon", "valid_from",
            "valid_to"], sorted(fcomm, key=lambda r: r["code"]))
    _write(out / "crosswalk_2025_communes.csv",
           ["former_commune_code", "former_commune", "former_district_code", "former_province_code",
            "current_commune_code", "current_commune", "current_province_code", "split", "is_default", "distance_km", "suspect"], xw)
    n_split = len({r["former_commune_code"] for r in xw if r["split"]})
    print(f"crosswalk: {len(xw)} rows, {len(mapped)} former units, {n_split} split; "
          f"{sum(r['suspect'] for r in xw)} split parts marked suspect (> {SUSPECT_KM} km)")
    dissolve(out, merged_into, provinces)
    print(f"vietnamadminunits {metadata.version('vietnamadminunits')}")


def dissolve(out: Path, merged_into: dict[str, str], provinces: dict[str, dict]) -> None:
    """Outline of each current province = union of its former provinces' outlines (they merged whole)."""
    from shapely.geometry import mapping, shape  # noqa: PLC0415 - development-only dependency
    from shapely.ops import unary_union  # noqa: PLC0415

    src = json.loads((out / "vnm_adm1_censusVN2009.geojson").read_text(encoding="utf-8"))
    parts: dict[str, list] = {}
    for f in src["features"]:
        code = f["properties"]["adm1_code"]
        parts.setdefault(merged_into[code], []).append((code, shape(f["geometry"]).buffer(0)))
    feats = []
    for code in sorted(parts):
        geom = unary_union([g for _, g in parts[code]]).buffer(0.0005).buffer(-0.0005).simplify(0.002)
        geo = json.loads(json.dumps(mapping(geom)), parse_float=lambda s: round(float(s), 5))
        p = provinces[code]
        feats.append({"type": "Feature", "properties": {
            "code": code, "name": p["name"], "fullname": p["fullname"],
            "former_province_codes": ";".join(sorted(c for c, _ in parts[code]))}, "geometry": geo})
    if len(feats) != 34:
        sys.exit(f"extract_units: {len(feats)} dissolved provinces, expected 34")
    path = out / "vnm_adm1_2025_dissolved.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False,
                               separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(feats)} features, {path.stat().st_size // 1024} KB")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "geo")
    extract(ap.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
