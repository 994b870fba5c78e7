"""Geography helpers in pure Python (no shapely, no streamlit): name matching, points in polygons,
representative points, and the placement of named schools at commune or district centroids.

Used by the build (placing school rows), by the map builders and by the tests. The rules are written
out, with the result for every school, in data/geo/PLACEMENT.md.
"""
from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

# --- match key (data/geo/SOURCES.md §5) ---------------------------------------------------------

_TONE_MOVES = {  # old-style tone placement -> new style
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TYPE_PREFIX = re.compile(r"^(thành phố|thị xã|huyện|quận|thị trấn|phường|xã)\s+", re.IGNORECASE)


def match_key(name: str | None) -> str:
    """The key of SOURCES.md §5: NFC, whitespace collapsed, lower case, new-style tone marks, variant fixes.

    'Phường An Hoà' and 'An Hòa' both give 'an hòa' once the type prefix is stripped (see strip_type)."""
    s = unicodedata.normalize("NFC", name or "")
    s = " ".join(s.split()).lower()
    for old, new in _TONE_MOVES.items():
        s = s.replace(old, new)
    s = re.sub(r"(?<!\w)đăk(?!\w)", "đắk", s)
    s = re.sub(r"\s+ii$", " 2", s)
    return s.replace("n'drung", "n'dung")


def strip_type(name: str) -> str:
    """'Thị trấn Mỹ An' -> 'Mỹ An' (Thành phố, Thị xã, Huyện, Quận, Thị trấn, Phường, Xã)."""
    return _TYPE_PREFIX.sub("", " ".join(unicodedata.normalize("NFC", name).split()), count=1)


# --- polygons -----------------------------------------------------------------------------------

Ring = list[list[float]]  # [[lon, lat], ...]


def polygons(geometry: dict | str | None) -> list[list[Ring]]:
    """The polygons of a GeoJSON Polygon or MultiPolygon (text or dict), each as [outer, hole, ...]."""
    if geometry is None:
        return []
    g = json.loads(geometry) if isinstance(geometry, str) else geometry
    if g.get("type") == "Polygon":
        return [g["coordinates"]]
    if g.get("type") == "MultiPolygon":
        return list(g["coordinates"])
    return []


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Ray casting (even-odd rule) for one closed or open ring."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_geometry(lon: float, lat: float, geometry: dict | str | None) -> bool:
    """True when (lon, lat) lies inside the polygon(s): inside an outer ring and outside its holes."""
    for poly in polygons(geometry):
        if poly and _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def _ring_area_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace)."""
    a = cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        x0, y0 = ring[i][0], ring[i][1]
        x1, y1 = ring[(i + 1) % n][0], ring[(i + 1) % n][1]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / max(n, 1), sum(ys) / max(n, 1)
    return a, cx / (6 * a), cy / (6 * a)


def centroid(geometry: dict | str | None) -> tuple[float, float] | None:
    """Area-weighted centroid (lon, lat) of all polygons, holes subtracted."""
    total = sx = sy = 0.0
    for poly in polygons(geometry):
        for k, ring in enumerate(poly):
            a, cx, cy = _ring_area_centroid(ring)
            a = abs(a) * (1 if k == 0 else -1)
            total += a
            sx += a * cx
            sy += a * cy
    if total == 0:
        return None
    return sx / total, sy / total


def bbox(geometries: Iterable[dict | str | None]) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) over every outer ring of the geometries."""
    xs: list[float] = []
    ys: list[float] = []
    for g in geometries:
        for poly in polygons(g):
            if poly:
                xs += [p[0] for p in poly[0]]
                ys += [p[1] for p in poly[0]]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _scanline_midpoint(geometry: dict | str, lat: float) -> tuple[float, float, float] | None:
    """Widest inside-interval of the horizontal line at `lat`: (width, mid_lon, lat)."""
    best = None
    for poly in polygons(geometry):
        xs = []
        for ring in poly:
            n = len(ring)
            for i in range(n):
                (x0, y0), (x1, y1) = ring[i][:2], ring[(i + 1) % n][:2]
                if (y0 > lat) != (y1 > lat):
                    xs.append(x0 + (lat - y0) * (x1 - x0) / (y1 - y0))
        xs.sort()
        for a, b in zip(xs[0::2], xs[1::2]):
            if best is None or b - a > best[0]:
                best = (b - a, (a + b) / 2, lat)
    return best


def representative_point(geometry: dict | str | None) -> tuple[float, float] | None:
    """A point (lon, lat) inside the polygon(s): the centroid when it is inside, otherwise the middle
    of the widest inside-stretch on horizontal lines scanned through the shape (centroid's latitude first)."""
    c = centroid(geometry)
    if c is None:
        return None
    if point_in_geometry(c[0], c[1], geometry):
        return c
    box = bbox([geometry])
    assert box is not None
    lats = [c[1]] + [box[1] + (box[3] - box[1]) * k / 40 for k in range(1, 40)]
    best = None
    for lat in lats:
        m = _scanline_midpoint(geometry, lat)
        if m and (best is None or m[0] > best[0]):
            best = m
            if lat == c[1]:
                break  # a stretch on the centroid's own latitude is good enough
    return (best[1], best[2]) if best else None


# --- communes and school placement --------------------------------------------------------------

CENTROIDS_FILE = Path("geo") / "vnm_adm3_3prov_centroids.csv"
ADM3_FILE = Path("geo") / "vnm_adm3_3prov_censusVN2009.geojson"


@dataclass(frozen=True)
class Commune:
    code: str | None  # GSO 5 digits; None for the four units merged away before 2025
    name: str
    fullname: str
    unit_type: str
    key: str
    district_code: str
    province_code: str
    name_ascii: str
    lon: float
    lat: float


def load_communes(base: Path) -> list[Commune]:
    """Commune points (one per ADM3 polygon) from data/geo/vnm_adm3_3prov_centroids.csv."""
    out = []
    with (base / CENTROIDS_FILE).open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            fullname = r["adm3_fullname"] or r["adm3_fullname_src"]
            name = r["adm3_name"]
            unit_type = fullname[: len(fullname) - len(name)].strip() if fullname.endswith(name) else ""
            out.append(Commune(code=r["adm3_code"] or None, name=name, fullname=fullname, unit_type=unit_type,
                               key=r["adm3_key"], district_code=r["adm2_code"], province_code=r["adm1_code"],
                               name_ascii=r["adm3_name_ascii"], lon=float(r["lon"]), lat=float(r["lat"])))
    return out


def commune_units(base: Path) -> list[dict[str, Any]]:
    """Admin-unit rows (level 'commune', parent = district) for every commune that has a GSO code."""
    pops: dict[str, int | None] = {}
    # The polygons only add populations and are optional; when present they were checked by load_seeds
    # (dashboard/seedcheck/geo.py), so a corrupt file stops `validate` and the build instead of being skipped.
    if (base / ADM3_FILE).exists():
        for f in json.loads((base / ADM3_FILE).read_text(encoding="utf-8"))["features"]:
            p = f.get("properties") or {}
            if p.get("adm3_code"):
                pops[str(p["adm3_code"])] = p.get("pop_2009")
    return [{"code": c.code, "name": c.name, "fullname": c.fullname, "level": "commune", "unit_type": c.unit_type,
             "parent_code": c.district_code, "name_ascii": c.name_ascii, "match_key": c.key,
             "pop_2009": pops.get(c.code or ""), "geometry": None}
            for c in load_communes(base) if c.code]


# School-name parsing. Level prefixes, longest first so that 'THCS' is not read as 'TH' + 'CS'.
_LEVEL_PREFIX = re.compile(
    r"^(?:trường\s+)?(?:th\s*&\s*thcs|thcs\s*&\s*thpt|th\s*-\s*thcs|thcs\s*-\s*thpt|ptdtnt|ptdtbt|thcs|thpt|th|"
    r"tiểu học|trung học cơ sở|trung học phổ thông|mầm non|mn)\s+", re.IGNORECASE)
_COMMUNE_TYPES = {"thị trấn": "Thị trấn", "xã": "Xã", "phường": "Phường"}
_DISTRICT_TYPES = {"thành phố": "Thành phố", "thị xã": "Thị xã", "huyện": "Huyện", "tp": "Thành phố"}
_TYPE_WORD = re.compile(r"^(thị trấn|xã|phường|thành phố|thị xã|huyện|tp\.?)\s+", re.IGNORECASE)


def name_token(school_name: str) -> tuple[str, str | None]:
    """'THCS thị trấn Mỹ An' -> ('Mỹ An', 'thị trấn'); 'TH Tân Quy Tây' -> ('Tân Quy Tây', None)."""
    s = " ".join(unicodedata.normalize("NFC", school_name).split())
    s = _LEVEL_PREFIX.sub("", s, count=1)
    m = _TYPE_WORD.match(s)
    kind = None
    if m:
        kind = m.group(1).lower().rstrip(".")
        s = s[m.end():]
    return s.strip(), kind


def token_candidates(token: str) -> list[str]:
    """The token, then without a letter after a closing number ('1A' -> '1'), then without the number:
    'Thường Phước 1A' -> ['Thường Phước 1A', 'Thường Phước 1', 'Thường Phước']."""
    out = [token]
    t = re.sub(r"(?<=\d)[A-Za-z]$", "", token)
    if t != out[-1]:
        out.append(t)
    t = re.sub(r"\s+\d+[A-Za-z]?$", "", t)
    if t != out[-1] and t:
        out.append(t)
    return out


@dataclass(frozen=True)
class Placement:
    lat: float | None
    lon: float | None
    commune_code: str | None
    location_precision: str | None  # commune | district | None
    rule: str  # commune | district_named | ambiguous | no_commune | no_district | district_unknown
    note: str  # the reason, in Vietnamese (stored in school.placement_note)


class Placer:
    """Places schools within their district: commune centroid when the name identifies exactly one
    commune of that district, otherwise the district's representative point, otherwise nothing."""

    def __init__(self, communes: list[Commune], districts: list[dict[str, Any]]):
        self.communes = communes
        self.districts = {d["code"]: d for d in districts}
        self.by_district: dict[str, list[Commune]] = {}
        for c in communes:
            if c.code:  # the four units merged away before 2025 are not used for placement
                self.by_district.setdefault(c.district_code, []).append(c)
        self._district_points: dict[str, tuple[float, float] | None] = {}

    def district_point(self, code: str) -> tuple[float, float] | None:
        if code not in self._district_points:
            d = self.districts.get(code)
            p = representative_point(d["geometry"]) if d else None
            self._district_points[code] = (round(p[0], 5), round(p[1], 5)) if p else None
        return self._district_points[code]

    def _district_fallback(self, code: str, rule: str, reason: str) -> Placement:
        p = self.district_point(code)
        if p is None:
            return Placement(None, None, None, None, "district_unknown",
                             f"{reason} Không có ranh giới của huyện {code} nên không đặt.")
        return Placement(p[1], p[0], None, "district", rule,
                         f"{reason} Đặt tại điểm đại diện bên trong ranh giới {self.districts[code]['fullname']}.")

    def place(self, name: str, province_code: str, district_code: str | None) -> Placement:
        token, kind = name_token(name)
        if not district_code:
            same = [c for c in self.communes if c.code and c.province_code == province_code
                    and c.key in {match_key(t) for t in token_candidates(token)}]
            hint = ""
            if len(same) == 1:
                d = self.districts.get(same[0].district_code, {})
                hint = (f" Tên trường trùng tên {same[0].fullname} ({d.get('fullname', same[0].district_code)}), "
                        "duy nhất trong tỉnh, nhưng chỉ tên trùng thì chưa đủ căn cứ để đặt.")
            return Placement(None, None, None, None, "no_district",
                             "Văn bản không ghi huyện/thành phố của trường, nên không đặt trên bản đồ." + hint)
        district = self.districts.get(district_code, {})
        dname = district.get("fullname", district_code)
        dkey = district.get("match_key") or match_key(district.get("name"))
        if kind in _DISTRICT_TYPES:
            return self._district_fallback(district_code, "district_named",
                                           f"Tên trường mang tên {kind} ('{token}'), không nêu xã/phường/thị trấn.")
        want_type = _COMMUNE_TYPES.get(kind or "")
        local = self.by_district.get(district_code, [])
        for cand in token_candidates(token):
            k = match_key(cand)
            same_name = [c for c in local if c.key == k]
            if k == dkey:
                homonym = (f" Có {', '.join(c.fullname for c in same_name)} cùng tên, nhưng tên trường theo tên "
                           "huyện/thành phố nên không đủ để xác định xã.") if same_name else ""
                return self._district_fallback(district_code, "district_named",
                                               f"Tên trường là tên {dname} ('{cand}'), không nêu xã.{homonym}")
            hits = [c for c in same_name if not want_type or c.unit_type == want_type]
            if len(hits) == 1:
                c = hits[0]
                how = f"'{cand}'" + (f" ({kind})" if kind else "")
                return Placement(c.lat, c.lon, c.code, "commune", "commune",
                                 f"Tên xã {how} khớp duy nhất {c.fullname} [{c.code}] trong {dname}; "
                                 "đặt tại tâm xã (vnm_adm3_3prov_centroids.csv).")
            if len(hits) > 1:
                names = ", ".join(f"{c.fullname} [{c.code}]" for c in hits)
                return self._district_fallback(district_code, "ambiguous",
                                               f"'{cand}' khớp nhiều đơn vị trong {dname}: {names}.")
        return self._district_fallback(district_code, "no_commune",
                                       f"Không có xã/phường/thị trấn nào của {dname} trùng tên '{token}'.")


def place_schools(schools: list[dict[str, Any]], districts: list[dict[str, Any]], base: Path) -> list[Placement]:
    """Placement of each school record (seed rows: name, province_code, district_code), in order."""
    placer = Placer(load_communes(base), districts)
    return [placer.place(s["name"], s["province_code"], s.get("district_code")) for s in schools]
