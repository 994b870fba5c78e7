"""Read and validate the curated seed files (data/seed) into plain records.

Every problem is reported with the file, the row (as a spreadsheet shows it: header = row 1) and
the field, and all problems are collected before the build stops, so one run shows them all.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from . import DATA_DIR

LEVELS = {"ALL", "MN", "TH", "THCS", "THPT", "TRH", "PT", "PT_GDTX", "GDTX"}
UNITS = {"pct", "count", "million_vnd", "vnd"}
DIRECTIONS = {"up", "down", "none"}
PILLARS = {"infrastructure", "teaching", "management", "services", "human_resources", "finance"}
QUALIFIERS = {"", ">", ">=", "<", "<=", "~"}
TASK_STATUSES = {"dat", "chua_dat", "planned", "assigned"}
COUNT_UNITS = {"count", "million_vnd", "vnd"}


@dataclass(frozen=True)
class SeedProblem:
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field '{self.field}': {self.message}"


class SeedError(Exception):
    """Raised when seed data is invalid; carries every problem found."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the seed data:\n{shown}{more}")


# --- column types -------------------------------------------------------------------------------

def _text(v: str) -> str:
    return v


def _opt_text(v: str) -> str | None:
    return v or None


def _float(v: str) -> float:
    if v.strip() == "":
        raise ValueError("a number is required")
    try:
        return float(v)
    except ValueError:
        raise ValueError(f"not a number: {v!r} (use machine form, e.g. 84.34 or 7661)") from None


def _opt_float(v: str) -> float | None:
    return None if v.strip() == "" else _float(v)


def _int(v: str) -> int:
    f = _float(v)
    if f != int(f):
        raise ValueError(f"not a whole number: {v!r}")
    return int(f)


def _opt_int(v: str) -> int | None:
    return None if v.strip() == "" else _int(v)


def _date(v: str) -> date:
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {v!r}") from None


def _opt_date(v: str) -> date | None:
    return None if v.strip() == "" else _date(v)


def _bool01(v: str) -> bool:
    if v.strip() in ("", "0"):
        return False
    if v.strip() == "1":
        return True
    raise ValueError(f"must be 0 or 1, got {v!r}")


Parser = Callable[[str], Any]


@dataclass
class Spec:
    """Columns of one kind of seed file: name -> parser; `key` must be unique across files."""

    kind: str
    pattern: str
    columns: dict[str, Parser]
    key: str
    optional: set[str] = field(default_factory=set)


SPECS: dict[str, Spec] = {
    "sources": Spec("sources", "sources.csv", {
        "source_id": _text, "short_title_vi": _text, "short_title_en": _text, "title": _text,
        "doc_type": _text, "issuer": _text, "number": _text, "issued": _text, "province_code": _text,
        "file": _opt_text, "url": _opt_text, "as_of": _opt_date}, key="source_id"),
    "indicators": Spec("indicators", "indicators/*.csv", {
        "code": _text, "name_vi": _text, "name_en": _text, "unit": _text, "direction": _text,
        "pillar": _text, "headline": _bool01, "definition_vi": _text, "definition_en": _text}, key="code"),
    "breakdowns": Spec("breakdowns", "breakdowns*.csv", {
        "code": _text, "name_vi": _text, "name_en": _text}, key="code"),
    "observations": Spec("observations", "observations/*.csv", {
        "obs_id": _text, "indicator": _text, "unit_code": _text, "level": _text, "breakdown": _text,
        "period": _text, "period_start": _date, "period_end": _date, "value": _opt_float,
        "numerator": _opt_float, "denominator": _opt_float, "qualifier": _text, "printed": _text,
        "value_derived": _bool01, "source_id": _text, "section": _text, "quote": _text, "note": _text},
        key="obs_id"),
    "targets": Spec("targets", "targets/*.csv", {
        "target_id": _text, "indicator": _text, "scope_code": _text, "level": _text, "breakdown": _text,
        "year": _int, "value": _opt_float, "qualifier": _text, "printed": _text, "source_id": _text,
        "section": _text, "quote": _text, "quote_source_id": _opt_text, "reported_result": _text,
        "reported_status": _text, "note": _text}, key="target_id"),
    "tasks": Spec("tasks", "tasks/*.csv", {
        "task_id": _text, "source_id": _text, "province_code": _text, "plan_year": _int, "group_vi": _text,
        "number": _text, "title_vi": _text, "lead_unit": _text, "partner_units": _text, "status": _text,
        "result_note": _text, "section": _text, "quote": _text}, key="task_id"),
    "budget": Spec("budget", "budget/*.csv", {
        "item_id": _text, "source_id": _text, "province_code": _text, "plan_period": _text,
        "group_vi": _text, "number": _text, "item_vi": _text, "description_vi": _text,
        "schools_level": _text, "schools_count": _opt_int, "year": _opt_int,
        "amount_million_vnd": _opt_float, "printed": _text, "funding_source": _text,
        "funding_source_vi": _text, "section": _text, "quote": _text, "note": _text}, key="item_id"),
    "schools": Spec("schools", "schools/*.csv", {
        "school_id": _text, "name": _text, "level": _text, "level_printed": _text, "province_code": _text,
        "district_code": _opt_text, "district_printed": _text, "stem_lab": _bool01, "stem_year": _opt_int,
        "source_id": _text, "section": _text, "quote": _text, "note": _text}, key="school_id"),
}


@dataclass
class SeedData:
    """Validated records by kind, plus the geography they refer to."""

    records: dict[str, list[dict[str, Any]]]
    provinces: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    files: list[Path]


class _Collector:
    def __init__(self, base: Path):
        self.base = base
        self.problems: list[SeedProblem] = []

    def add(self, path: Path | str, row: int, fld: str, msg: str) -> None:
        name = str(Path(path).relative_to(self.base)) if Path(path).is_absolute() else str(path)
        self.problems.append(SeedProblem(name, row, fld, msg))


def _read_csv(path: Path, spec: Spec, col: _Collector) -> list[dict[str, Any]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col.add(path, line, "(file)", f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
                                     "save the file as UTF-8")
        return []
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [c for c in spec.columns if c not in header and c not in spec.optional]
    for c in missing:
        col.add(path, 1, c, "missing column")
    if missing:
        return []
    out = []
    for rownum, raw_row in enumerate(reader, start=2):
        if None in raw_row:
            col.add(path, rownum, "(row)", f"more cells than the {len(header)} columns of the header")
            continue
        rec: dict[str, Any] = {"_file": str(path.relative_to(col.base)), "_row": rownum}
        ok = True
        for name, parse in spec.columns.items():
            value = (raw_row.get(name) or "")
            if unicodedata.normalize("NFC", value) != value:
                value = unicodedata.normalize("NFC", value)
            try:
                rec[name] = parse(value)
            except ValueError as exc:
                col.add(path, rownum, name, str(exc))
                ok = False
        if ok:
            out.append(rec)
    return out


def _unit_type(fullname: str, name: str) -> str:
    """'Thành phố Cao Lãnh', 'Cao Lãnh' -> 'Thành phố'."""
    return fullname[: len(fullname) - len(name)].strip() if fullname.endswith(name) else ""


def _load_geo(base: Path, col: _Collector) -> tuple[list[dict], list[dict]]:
    provinces, districts = [], []
    adm1 = base / "geo" / "vnm_adm1_censusVN2009.geojson"
    adm2 = base / "geo" / "vnm_adm2_3prov_censusVN2009.geojson"
    for path, kind, out in ((adm1, "province", provinces), (adm2, "district", districts)):
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
        except (OSError, ValueError, KeyError) as exc:
            col.add(path, 0, "(file)", f"cannot read GeoJSON: {exc}")
            continue
        for i, feat in enumerate(features, start=1):
            p = feat.get("properties", {})
            pre = "adm1" if kind == "province" else "adm2"
            code = p.get(f"{pre}_code")
            if not code:
                col.add(path, i, f"{pre}_code", "feature without a GSO code")
                continue
            out.append({
                "code": str(code), "name": p.get(f"{pre}_name"), "fullname": p.get(f"{pre}_fullname"),
                "level": kind,
                "unit_type": _unit_type(p.get(f"{pre}_fullname") or "", p.get(f"{pre}_name") or ""),
                "parent_code": "VN" if kind == "province" else str(p.get("adm1_code")),
                "name_ascii": p.get(f"{pre}_name_ascii"), "match_key": p.get("adm2_key"),
                "pop_2009": p.get("pop_2009"), "geometry": json.dumps(feat.get("geometry"), ensure_ascii=False),
            })
    return provinces, districts


def seed_files(base: Path = DATA_DIR) -> list[Path]:
    """Every input file of the build (for the staleness hash)."""
    files = sorted((base / "seed").rglob("*.csv")) + sorted((base / "sources").glob("*.txt"))
    files += sorted((base / "geo").glob("*.geojson"))
    files += sorted((base / "geo").glob("*.csv")) + sorted((base / "simulation").glob("*.csv"))
    return files


def load_seeds(base: Path = DATA_DIR) -> SeedData:
    """Read and check every seed file under base; raise SeedError listing all problems."""
    col = _Collector(base)
    recs: dict[str, list[dict[str, Any]]] = {}
    seed = base / "seed"
    for kind, spec in SPECS.items():
        recs[kind] = []
        paths = sorted(seed.glob(spec.pattern))
        if kind in ("sources", "indicators", "breakdowns") and not paths:
            col.add(seed / spec.pattern, 0, "(file)", "required file is missing")
        for path in paths:
            recs[kind].extend(_read_csv(path, spec, col))
        seen: dict[str, str] = {}
        for r in recs[kind]:
            k = r[spec.key]
            if not k:
                col.add(r["_file"], r["_row"], spec.key, "empty key")
            elif k in seen:
                col.add(r["_file"], r["_row"], spec.key, f"duplicate key {k!r} (first in {seen[k]})")
            else:
                seen[k] = f"{r['_file']} row {r['_row']}"
    provinces, districts = _load_geo(base, col)
    _check_references(base, recs, provinces, districts, col)
    if col.problems:
        raise SeedError(col.problems)
    return SeedData(recs, provinces, districts, seed_files(base))


def _check_references(base: Path, recs: dict, provinces: list, districts: list, col: _Collector) -> None:
    sources = {r["source_id"]: r for r in recs["sources"]}
    texts: dict[str, str] = {}
    for sid, s in sources.items():
        if s["file"]:
            p = base / s["file"]
            try:
                texts[sid] = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                col.add(s["_file"], s["_row"], "file", f"cannot read {s['file']}: {exc}")
    inds = {r["code"]: r for r in recs["indicators"]}
    for r in recs["indicators"]:
        for fld, allowed in (("unit", UNITS), ("direction", DIRECTIONS), ("pillar", PILLARS)):
            if r[fld] not in allowed:
                col.add(r["_file"], r["_row"], fld, f"unknown {fld} {r[fld]!r}; allowed: {sorted(allowed)}")
    breakdowns = {r["code"] for r in recs["breakdowns"]}
    units = {"VN"} | {p["code"] for p in provinces} | {d["code"] for d in districts}
    district_parent = {d["code"]: d["parent_code"] for d in districts}

    def src(r: dict, fld: str = "source_id") -> None:
        if r.get(fld) and r[fld] not in sources:
            col.add(r["_file"], r["_row"], fld, f"unknown source {r[fld]!r}")

    def quote(r: dict, sid: str | None) -> None:
        q = r.get("quote", "")
        if q and sid in texts and q not in texts[sid]:
            col.add(r["_file"], r["_row"], "quote", f"not found verbatim in {sources[sid]['file']}: {q[:70]!r}")
        if r.get("printed") and q and r["printed"] not in q:
            col.add(r["_file"], r["_row"], "printed", f"{r['printed']!r} does not occur in the quote")

    def level_bd(r: dict) -> None:
        if r["level"] not in LEVELS:
            col.add(r["_file"], r["_row"], "level", f"unknown school level {r['level']!r}; allowed: {sorted(LEVELS)}")
        if r["breakdown"] and r["breakdown"] not in breakdowns:
            col.add(r["_file"], r["_row"], "breakdown", f"unknown breakdown {r['breakdown']!r}")

    def numbers(r: dict, ind: dict | None) -> None:
        for fld in ("value", "numerator", "denominator"):
            v = r.get(fld)
            if v is not None and v < 0:
                col.add(r["_file"], r["_row"], fld, f"negative value {v:g}")
        if ind and ind["unit"] == "pct" and r.get("value") is not None and r["value"] > 100:
            col.add(r["_file"], r["_row"], "value", f"share over 100 %: {r['value']:g}")
        if r.get("numerator") is not None and r.get("denominator") and r["numerator"] > r["denominator"]:
            col.add(r["_file"], r["_row"], "numerator", "numerator exceeds denominator")
        if r.get("qualifier", "") not in QUALIFIERS:
            col.add(r["_file"], r["_row"], "qualifier", f"unknown qualifier {r['qualifier']!r}")

    for r in recs["observations"]:
        ind = inds.get(r["indicator"])
        if not ind:
            col.add(r["_file"], r["_row"], "indicator", f"unknown indicator {r['indicator']!r}")
        if r["unit_code"] not in units:
            col.add(r["_file"], r["_row"], "unit_code", f"unknown province or district {r['unit_code']!r}")
        if r["period_end"] < r["period_start"]:
            col.add(r["_file"], r["_row"], "period_end", "ends before period_start")
        if r["value"] is None and r["numerator"] is None:
            col.add(r["_file"], r["_row"], "value", "neither value nor numerator given")
        level_bd(r)
        numbers(r, ind)
        src(r)
        quote(r, r["source_id"])
    for r in recs["targets"]:
        ind = inds.get(r["indicator"])
        if not ind:
            col.add(r["_file"], r["_row"], "indicator", f"unknown indicator {r['indicator']!r}")
        if r["scope_code"] not in units:
            col.add(r["_file"], r["_row"], "scope_code", f"unknown scope {r['scope_code']!r}")
        level_bd(r)
        numbers(r, ind)
        src(r)
        src(r, "quote_source_id")
        quote(r, r["quote_source_id"] or r["source_id"])
    for r in recs["tasks"]:
        if r["status"] not in TASK_STATUSES:
            col.add(r["_file"], r["_row"], "status", f"unknown status {r['status']!r}; allowed: {sorted(TASK_STATUSES)}")
        src(r)
        quote(r, r["source_id"])
    for r in recs["budget"]:
        if r["funding_source"] not in breakdowns:
            col.add(r["_file"], r["_row"], "funding_source", f"unknown funding source {r['funding_source']!r}")
        if r["amount_million_vnd"] is not None and r["amount_million_vnd"] < 0:
            col.add(r["_file"], r["_row"], "amount_million_vnd", "negative amount")
        src(r)
        quote(r, r["source_id"])
    for r in recs["schools"]:
        if r["level"] not in LEVELS:
            col.add(r["_file"], r["_row"], "level", f"unknown school level {r['level']!r}")
        if r["district_code"] and r["district_code"] not in district_parent:
            col.add(r["_file"], r["_row"], "district_code", f"unknown district {r['district_code']!r}")
        elif r["district_code"] and district_parent[r["district_code"]] != r["province_code"]:
            col.add(r["_file"], r["_row"], "district_code",
                    f"district {r['district_code']} is not in province {r['province_code']}")
        src(r)
        quote(r, r["source_id"])
