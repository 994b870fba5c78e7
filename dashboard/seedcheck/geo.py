"""Boundary files (data/geo/*.geojson): valid JSON, a FeatureCollection with features, polygon geometries
with finite coordinates in range, a GSO code per province and district feature, districts in known provinces.

A feature is reported as a row (feature 1 = row 1); a JSON syntax error at its line.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from .files import entry_problem
from .problems import Collector

ADM1 = Path("geo") / "vnm_adm1_censusVN2009.geojson"
ADM2 = Path("geo") / "vnm_adm2_3prov_censusVN2009.geojson"
ADM3 = Path("geo") / "vnm_adm3_3prov_censusVN2009.geojson"
LAYER = {ADM1: "adm1", ADM2: "adm2", ADM3: "adm3"}


def _ring_problem(ring: Any) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "a ring needs at least 4 positions"
    for pos in ring:
        if (not isinstance(pos, list) or len(pos) < 2
                or not all(isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c)
                           for c in pos[:2])):
            return f"position {str(pos)[:40]} is not [longitude, latitude]"
        if not (-180 <= pos[0] <= 180 and -90 <= pos[1] <= 90):
            return f"position {pos[:2]} is outside longitude −180…180 / latitude −90…90"
    return None


def geometry_problem(g: Any) -> str | None:
    """Why g is not a usable Polygon or MultiPolygon, or None."""
    if not isinstance(g, dict):
        return "missing geometry"
    kind, coords = g.get("type"), g.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return f"geometry type {kind!r} is not Polygon or MultiPolygon"
    polys = [coords] if kind == "Polygon" else coords
    if not isinstance(polys, list) or not polys:
        return "no coordinates"
    for poly in polys:
        if not isinstance(poly, list) or not poly:
            return "a polygon without rings"
        for ring in poly:
            p = _ring_problem(ring)
            if p:
                return p
    return None


def read_features(path: Path, base: Path, col: Collector, *, required: bool) -> list[dict] | None:
    """The features of a GeoJSON FeatureCollection, or None after recording why not."""
    if not path.exists() and not path.is_symlink():
        if required:
            col.add(path, 0, "(file)", "required boundary file is missing")
        return None
    why = entry_problem(path, base)
    if why:
        col.add(path, 0, "(file)", why)
        return None
    try:
        doc = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        col.add(path, 0, "(file)", "not UTF-8 text")
        return None
    except json.JSONDecodeError as exc:
        col.add(path, exc.lineno, "(file)", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return None
    except (OSError, RecursionError, ValueError) as exc:
        col.add(path, 0, "(file)", f"cannot read GeoJSON: {type(exc).__name__}")
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        col.add(path, 0, "(file)", "not a GeoJSON FeatureCollection")
        return None
    feats = doc.get("features")
    if not isinstance(feats, list) or not feats:
        col.add(path, 0, "(file)", "a FeatureCollection without features")
        return None
    return feats


def check_features(path: Path, feats: list, col: Collector, layer: str | None) -> list[tuple[int, dict]]:
    """(feature number, feature) with a usable geometry and (known layers) a code; problems for the others."""
    good, codes = [], set()
    for i, feat in enumerate(feats, start=1):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if layer and isinstance(props, dict) and props.get(f"{layer}_code"):
            col.refuse(layer, str(props[f"{layer}_code"]))  # taken back below when the feature is good
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            col.add(path, i, "(row)", "not a GeoJSON Feature")
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            col.add(path, i, "properties", "missing properties")
            continue
        why = geometry_problem(feat.get("geometry"))
        if why:
            col.add(path, i, "geometry", why)
            continue
        if layer in ("adm1", "adm2"):
            code = props.get(f"{layer}_code")
            if not code or not isinstance(code, (str, int)):
                col.add(path, i, f"{layer}_code", "feature without a GSO code")
                continue
            if str(code) in codes:
                col.add(path, i, f"{layer}_code", f"duplicate code {code}")
                continue
            codes.add(str(code))
            pop = props.get("pop_2009")
            if pop is not None and (not isinstance(pop, (int, float)) or isinstance(pop, bool) or pop < 0):
                col.add(path, i, "pop_2009", f"not a population count: {str(pop)[:20]!r}")
                continue
        good.append((i, feat))
        if layer:
            col.refused.get(layer, set()).discard(str(props.get(f"{layer}_code")))
    return good


def _unit_type(fullname: str, name: str) -> str:
    """'Thành phố Cao Lãnh', 'Cao Lãnh' -> 'Thành phố'."""
    return fullname[: len(fullname) - len(name)].strip() if fullname.endswith(name) else ""


def load_geo(base: Path, col: Collector) -> tuple[list[dict], list[dict]]:
    """Province and district rows (admin_unit) from the boundary files; every *.geojson is checked."""
    out: dict[str, list[dict]] = {"adm1": [], "adm2": []}
    geo = base / "geo"
    extra = sorted(p for p in geo.glob("*.geojson") if p.relative_to(base) not in LAYER) if geo.is_dir() else []
    for rel in list(LAYER) + [p.relative_to(base) for p in extra]:
        layer = LAYER.get(rel)
        path = base / rel
        feats = read_features(path, base, col, required=layer in ("adm1", "adm2"))
        if feats is None:
            if layer:
                col.refuse(layer, "*")
            continue
        feats = check_features(path, feats, col, layer)
        if layer not in out:
            continue
        for i, feat in feats:
            p = feat["properties"]
            name, full = str(p.get(f"{layer}_name") or ""), str(p.get(f"{layer}_fullname") or "")
            out[layer].append({
                "code": str(p[f"{layer}_code"]), "name": name, "fullname": full,
                "level": "province" if layer == "adm1" else "district", "unit_type": _unit_type(full, name),
                "parent_code": "VN" if layer == "adm1" else str(p.get("adm1_code")),
                "name_ascii": p.get(f"{layer}_name_ascii"), "match_key": p.get("adm2_key"),
                "pop_2009": p.get("pop_2009"), "geometry": json.dumps(feat["geometry"], ensure_ascii=False),
                "_row": i})
    provinces = {p["code"] for p in out["adm1"]}
    districts = []
    for d in out["adm2"]:
        if d["parent_code"] not in provinces:
            col.refuse("adm2", d["code"])
            if not col.was_refused("adm1", d["parent_code"]):
                col.add(base / ADM2, d["_row"], "adm1_code",
                        f"district {d['code']} in unknown province {d['parent_code']!r}")
        else:
            districts.append(d)
    for d in out["adm1"] + districts:
        d.pop("_row")
    return out["adm1"], districts


CURRENT_PROVINCES = "geo/units_2025_provinces.csv"


def current_province_codes(base: Path) -> set[str]:
    """Codes of the provinces from 1 July 2025 (data/geo/units_2025_provinces.csv), for targets scoped to one
    ('92-2025'). An unreadable file gives none: its own problems are reported by dashboard.units.load."""
    import csv  # noqa: PLC0415

    try:
        with (base / CURRENT_PROVINCES).open(encoding="utf-8-sig", newline="") as fh:
            return {(r.get("code") or "").strip() for r in csv.DictReader(fh)} - {""}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()
