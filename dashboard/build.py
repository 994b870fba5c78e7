"""Build the SQLite store from the seed files: validate, write a new file, swap it in atomically.

The previous database is never touched until the new one is complete: a failed build leaves it as
it was. The input hash stored in build_info lets the run command rebuild only when inputs changed.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import insert, text
from sqlmodel import SQLModel

import models as m

from . import DATA_DIR, ROOT
from .db import database_path, make_engine
from .seeds import SeedData, load_seeds, seed_files

SCHEMA_VERSION = "1"
# Units before the July 2025 reorganisation: provinces merged, district level abolished (Resolution 202/2025/QH15).
PRE_2025_VALID_TO = date(2025, 6, 30)
BUILD_CODE = [ROOT / "models" / "__init__.py", ROOT / "dashboard" / "build.py", ROOT / "dashboard" / "seeds.py",
              ROOT / "dashboard" / "simulate.py", ROOT / "dashboard" / "geo.py"]


def input_hash(base: Path = DATA_DIR) -> str:
    """Hash of every input file and of the build code: the database is stale when it changes."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for p in seed_files(base) + BUILD_CODE:
        h.update(str(p.relative_to(p.parents[1])).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def stored_hash(db: Path) -> str | None:
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            row = con.execute("SELECT value FROM build_info WHERE key='input_hash'").fetchone()
            return row[0] if row else None
    except sqlite3.Error:
        return None


def is_stale(db: Path | None = None, base: Path = DATA_DIR) -> bool:
    db = db or database_path()
    return stored_hash(db) != input_hash(base)


def _rows(seed: SeedData, base: Path) -> dict[type, list[dict]]:
    r = seed.records
    texts = {s["source_id"]: (base / s["file"]).read_text(encoding="utf-8") if s["file"] else None
             for s in r["sources"]}
    units = [{"code": "VN", "name": "Việt Nam", "fullname": "Việt Nam", "level": "country", "unit_type": "Quốc gia",
              "parent_code": None, "name_ascii": "Viet Nam", "match_key": "việt nam", "pop_2009": None,
              "valid_from": None, "valid_to": None, "geometry": None}]
    for u in seed.provinces + seed.districts:
        units.append({**u, "valid_from": None, "valid_to": PRE_2025_VALID_TO})
    from .geo import commune_units, place_schools  # noqa: PLC0415 - communes and school placement (map)
    # Communes (level 'commune', parent = district) from the ADM3 layer: pre-July-2025 units as well.
    units += [{**c, "valid_from": None, "valid_to": PRE_2025_VALID_TO} for c in commune_units(base)]
    placed = place_schools(r["schools"], seed.districts, base)  # data/geo/PLACEMENT.md
    return {
        m.Source: [{"id": s["source_id"], **{k: s[k] for k in ("short_title_vi", "short_title_en", "title",
                    "doc_type", "issuer", "number", "issued", "province_code", "file", "url", "as_of")},
                    "text": texts.get(s["source_id"])} for s in r["sources"]],
        m.AdminUnit: units,
        m.Indicator: [{k: i[k] for k in ("code", "name_vi", "name_en", "unit", "direction", "pillar", "headline",
                       "definition_vi", "definition_en")} | {"catalogue_file": i["_file"]} for i in r["indicators"]],
        m.Breakdown: [{k: b[k] for k in ("code", "name_vi", "name_en")} for b in r["breakdowns"]],
        m.School: [{"code": s["school_id"], "name": s["name"], "level": s["level"], "level_printed": s["level_printed"],
                    "province_code": s["province_code"], "district_code": s["district_code"],
                    "district_printed": s["district_printed"], "stem_lab": s["stem_lab"], "stem_year": s["stem_year"],
                    "provenance": "published", "source_id": s["source_id"], "section": s["section"],
                    "quote": s["quote"], "note": s["note"], "lat": p.lat, "lon": p.lon, "commune_code": p.commune_code,
                    "location_precision": p.location_precision, "placement_note": p.note}
                   for s, p in zip(r["schools"], placed)],
        m.Observation: [{"obs_key": o["obs_id"], "indicator_code": o["indicator"], "unit_code": o["unit_code"],
                         "school_id": None, "level": o["level"], "breakdown": o["breakdown"], "period": o["period"],
                         "period_start": o["period_start"], "period_end": o["period_end"],
                         "year": o["period_end"].year, "value": o["value"] if o["value"] is not None else
                         (round(o["numerator"] / o["denominator"] * 100, 2) if o["denominator"] else o["numerator"]),
                         "numerator": o["numerator"], "denominator": o["denominator"], "qualifier": o["qualifier"],
                         "printed": o["printed"], "value_derived": o["value_derived"] or o["value"] is None,
                         "provenance": "published", "source_id": o["source_id"], "section": o["section"],
                         "quote": o["quote"], "note": o["note"]} for o in r["observations"]],
        m.Target: [{"target_key": t["target_id"], "indicator_code": t["indicator"], "scope_code": t["scope_code"],
                    **{k: t[k] for k in ("level", "breakdown", "year", "value", "qualifier", "printed", "source_id",
                                         "section", "quote", "quote_source_id", "reported_result",
                                         "reported_status", "note")}} for t in r["targets"]],
        m.Task: [{"task_key": t["task_id"], **{k: t[k] for k in ("source_id", "province_code", "plan_year",
                  "group_vi", "number", "title_vi", "lead_unit", "partner_units", "status", "result_note",
                  "section", "quote")}} for t in r["tasks"]],
        m.BudgetItem: [{"item_key": b["item_id"], **{k: b[k] for k in ("source_id", "province_code", "plan_period",
                        "group_vi", "number", "item_vi", "description_vi", "schools_level", "schools_count", "year",
                        "amount_million_vnd", "printed", "funding_source", "funding_source_vi", "section", "quote",
                        "note")}} for b in r["budget"]],
    }


VIEWS = [
    # Two statements of one figure that disagree: same indicator, unit, level, breakdown and period.
    """CREATE VIEW observation_conflict AS
       SELECT o.indicator_code, o.unit_code, o.level, o.breakdown, o.period,
              COUNT(*) AS statements,
              GROUP_CONCAT(o.obs_key, ' | ') AS obs_keys,
              GROUP_CONCAT(o.printed, ' | ') AS printed_values
       FROM observation o
       WHERE o.provenance = 'published'
       GROUP BY o.indicator_code, o.unit_code, o.level, o.breakdown, o.period
       HAVING COUNT(DISTINCT printed || '|' || COALESCE(value, '') || '|' || COALESCE(numerator, '') || '|'
                    || COALESCE(denominator, '') || '|' || qualifier) > 1""",
    """CREATE VIEW target_conflict AS
       SELECT indicator_code, scope_code, level, breakdown, year, COUNT(*) AS statements,
              GROUP_CONCAT(target_key, ' | ') AS target_keys, GROUP_CONCAT(printed, ' | ') AS printed_values
       FROM target WHERE value IS NOT NULL
       GROUP BY indicator_code, scope_code, level, breakdown, year
       HAVING COUNT(DISTINCT COALESCE(value, '') || qualifier) > 1""",
]


def _insert_simulation(con, seed: SeedData, base: Path, sim_seed: int, scale: str) -> dict[str, int]:  # noqa: ANN001
    """Simulated schools and school-year rows (dashboard/simulate.py), in the build's transaction."""
    from .simulate import simulate, simulate_national

    real = [{"code": s["school_id"], "name": s["name"], "level": s["level"], "province_code": s["province_code"],
             "district_code": s["district_code"]} for s in seed.records["schools"]]
    args = dict(districts=seed.districts, observations=seed.records["observations"], real_schools=real,
                seed=sim_seed, base=base)
    sim = simulate_national(provinces=seed.provinces, **args) if scale == "national" else simulate(**args)
    if sim.admin_units:
        con.execute(insert(m.AdminUnit), sim.admin_units)
    if sim.schools:
        con.execute(insert(m.School), sim.schools)
    ids = dict(con.execute(text("SELECT code, id FROM school")).all())
    rows = [{k: v for k, v in r.items() if k != "school_code"} | {"school_id": ids[r["school_code"]]}
            for r in sim.school_years]
    con.execute(insert(m.SchoolYear), rows)
    return {"school_simulated": len(sim.schools), "school_year": len(rows), "district_synthetic": len(sim.admin_units)}


def build(db: Path | None = None, base: Path = DATA_DIR, *, quiet: bool = False, sim_seed: int | None = None,
          scale: str = "province") -> dict[str, int]:
    """Validate the seeds, write a complete new database next to `db`, then atomically replace it.

    The simulated school-level data (scale 'province': the three provinces; 'national': a ~45.000-school
    benchmark store) is generated in the same transaction, so a store never has one without the other.
    """
    from .simulate import DEFAULT_SEED

    sim_seed = DEFAULT_SEED if sim_seed is None else sim_seed
    db = db or database_path()
    seed = load_seeds(base)  # raises SeedError before anything is written
    db.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db.name}.", suffix=".building", dir=db.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    counts: dict[str, int] = {}
    try:
        tmp.unlink()
        engine = make_engine(tmp)
        SQLModel.metadata.create_all(engine)
        rows = _rows(seed, base)
        with engine.begin() as con:
            for model, items in rows.items():
                if items:
                    con.execute(insert(model), items)
                counts[model.__tablename__] = len(items)
            counts.update(_insert_simulation(con, seed, base, sim_seed, scale))
            for v in VIEWS:
                con.execute(text(v))
            meta = {"input_hash": input_hash(base) if (scale, sim_seed) == ("province", DEFAULT_SEED) else "custom",
                    "schema_version": SCHEMA_VERSION, "simulation_seed": str(sim_seed), "simulation_scale": scale,
                    "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    **{f"rows_{k}": str(n) for k, n in counts.items()}}
            con.execute(insert(m.BuildInfo), [{"key": k, "value": v} for k, v in meta.items()])
        with engine.connect() as con:
            con.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            con.exec_driver_sql("PRAGMA journal_mode=DELETE")  # a single self-contained file to move
        engine.dispose()
        _retire(db)
        os.replace(tmp, db)
    finally:
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
    if not quiet:
        print(f"built {db}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return counts


def _retire(db: Path) -> None:
    """Fold the old database's WAL back into it so no stale -wal file pairs with the new file."""
    if not db.exists():
        return
    try:
        with sqlite3.connect(db) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            con.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error:
        pass
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
