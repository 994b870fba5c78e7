"""Build the store from the seed files, in place: validate everything, migrate, then replace the
build-owned rows in one transaction.

Order: seeds validated and the simulation computed before the file is opened (a bad seed writes nothing);
the schema brought to head by the migrations (dashboard/store); then ONE transaction, with foreign keys
deferred to its commit, deletes the build-owned rows (whole tables admin_unit, indicator, breakdown,
target, task, budget_item, build_info; rows with batch_id IS NULL in source, school, observation,
school_year), inserts the new ones and bumps the data version. Intake data (batch_id set, tables intake_*
and app_user) is never touched. Readers (WAL) see the old data until the commit, then the new.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

import models as m

from . import ROOT
from .db import (ServerDatabase, StoreError, bump_data_version, connect_read_only, database_path, is_server,
                 read_engine, write_engine)
from .seeds import SeedData, code_files, data_dir, load_seeds, seed_files
from .store import dialect
from .store.schema import drop_everything, head_revision, inspect_store, is_intake_table, upgrade_connection
from .units.load import read_units, replace_units

SCHEMA_VERSION = "2"
# Units before the July 2025 reorganisation: provinces merged, district level abolished (Resolution 202/2025/QH15).
PRE_2025_VALID_TO = date(2025, 6, 30)
STORE_DIR = ROOT / "dashboard" / "store"
BUILD_CODE = [*sorted((ROOT / "models").glob("*.py")), ROOT / "dashboard" / "build.py", *code_files(),
              ROOT / "dashboard" / "simulate.py", ROOT / "dashboard" / "geo.py",
              ROOT / "dashboard" / "units" / "load.py",
              STORE_DIR / "views.py", *sorted((STORE_DIR / "migrations" / "versions").glob("*.py"))]
# Tables the build owns entirely, and shared tables where it owns the rows with batch_id IS NULL.
BUILD_TABLES = ("build_info", "budget_item", "task", "target", "breakdown", "indicator", "admin_unit")
SHARED_TABLES = ("school_year", "observation", "school", "source")
# Rows other rows refer to (imported rows too): upserted by key, and only rows the new build no longer has
# are deleted, so a parent is never deleted and reinserted under its children (PostgreSQL checks foreign
# keys at each statement). Everything else the build owns is deleted and inserted again.
PARENTS = (("source", "id", "batch_id IS NULL"), ("admin_unit", "code", ""), ("indicator", "code", ""),
           ("breakdown", "code", ""), ("school", "id", "batch_id IS NULL"))
CHILDREN = (("school_year", "batch_id IS NULL"), ("observation", "batch_id IS NULL"), ("target", ""),
            ("task", ""), ("budget_item", ""), ("build_info", ""))


def input_hash(base: Path | None = None) -> str:
    """Hash of every input file and of the build code: the database is stale when it changes."""
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for p in seed_files(base) + BUILD_CODE:
        h.update(str(p.relative_to(p.parents[1])).encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def stored_hash(db: Path | ServerDatabase) -> str | None:
    """The input hash of the last build, read without writing anything (None: no store, or not ours)."""
    if is_server(db):
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with read_engine(db).connect() as con:
                return con.execute(text("SELECT value FROM build_info WHERE key='input_hash'")).scalar()
        except SQLAlchemyError:
            return None
    if not db.is_file():
        return None
    try:
        con = connect_read_only(db)
        try:
            row = con.execute("SELECT value FROM build_info WHERE key='input_hash'").fetchone()
        finally:
            con.close()
        return row[0] if row else None
    except (sqlite3.Error, StoreError):
        return None


def is_stale(db: Path | None = None, base: Path | None = None) -> bool:
    db = db or database_path()
    return stored_hash(db) != input_hash(base) or inspect_store(db).kind != "current"


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
        m.Target: [{"target_key": t["target_id"], "indicator_code": t["indicator"], **_target_scope(t["scope_code"]),
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


def _target_scope(scope: str) -> dict[str, str | None]:
    """A seed target's scope column: 'VN' or a former unit's code → scope_code; '92-2025' (a province from 1 July
    2025; GSO codes are reused across the two geographies) → scope_current_code '92' (migration 0005)."""
    from .units.queries import CURRENT_SUFFIX  # noqa: PLC0415

    if scope.endswith(CURRENT_SUFFIX):
        return {"scope_code": None, "scope_current_code": scope[:-len(CURRENT_SUFFIX)]}
    return {"scope_code": scope, "scope_current_code": None}


def _simulation(seed: SeedData, base: Path, sim_seed: int, scale: str):  # noqa: ANN202
    """Simulated schools and school-year rows (dashboard/simulate.py), computed before the file is opened."""
    from .simulate import simulate, simulate_national

    real = [{"code": s["school_id"], "name": s["name"], "level": s["level"], "province_code": s["province_code"],
             "district_code": s["district_code"]} for s in seed.records["schools"]]
    args = dict(districts=seed.districts, observations=seed.records["observations"], real_schools=real,
                seed=sim_seed, base=base)
    return simulate_national(provinces=seed.provinces, **args) if scale == "national" else simulate(**args)


def check_target(db: Path | ServerDatabase) -> None:
    """The place to write is usable: a file (or nothing) in an existing, writable folder (a PostgreSQL
    database is checked when it is opened)."""
    if is_server(db):
        return
    if db.is_dir():
        raise StoreError(f"{db} is a directory, not a database file")
    folder = db.parent
    if not folder.is_dir():
        raise StoreError(f"folder {folder} does not exist: create it first or choose another --db")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write in {folder} (read-only or no permission): the store needs its folder "
                         "writable for its -wal and -shm files")
    if db.exists() and not os.access(db, os.R_OK | os.W_OK):
        raise StoreError(f"cannot write {db} (read-only or no permission)")


def _school_ids(con: Connection, schools: list[dict]) -> list[dict]:
    """Give the build's schools the ids they had (by code), so intake rows that refer to a seed or simulated
    school keep pointing at it; new codes get ids above every id in use."""
    old = dict(con.execute(text("SELECT code, id FROM school WHERE batch_id IS NULL")).all())
    top = max([*old.values(), con.execute(text("SELECT COALESCE(MAX(id), 0) FROM school")).scalar()])
    out = []
    for s in schools:
        sid = old.get(s["code"])
        if sid is None:
            top += 1
            sid = top
        out.append({**s, "id": sid})
    return out


def _replace_rows(con: Connection, rows: dict[type, list[dict]], sim, meta: dict[str, str]) -> dict[str, int]:  # noqa: ANN001
    """Replace the build-owned rows (inside the caller's transaction): delete the children, upsert the
    parents by key and delete the parents the new build no longer has, insert the children. Every insert
    is one executemany of the whole list (batched by SQLAlchemy: multi-row VALUES on PostgreSQL)."""
    schools = _school_ids(con, rows[m.School] + list(sim.schools))
    for t, where in CHILDREN:
        con.exec_driver_sql(f"DELETE FROM {t}" + (f" WHERE {where}" if where else ""))
    n_real = len(rows[m.School])
    rows = {**rows, m.School: schools[:n_real]}
    parents = {m.Source: [rows[m.Source]], m.AdminUnit: [rows[m.AdminUnit], list(sim.admin_units)],
               m.Indicator: [rows[m.Indicator]], m.Breakdown: [rows[m.Breakdown]],
               m.School: [schools[:n_real], schools[n_real:]]}
    for (table, key, where), (model, lists) in zip(PARENTS, parents.items()):
        for items in lists:  # one key set per list (seed rows and simulated rows differ)
            dialect.upsert(con, model.__table__, items, key)
        keep = {r[key] for items in lists for r in items}
        old = [r[0] for r in con.execute(text(f"SELECT {key} FROM {table}" + (f" WHERE {where}" if where else "")))]
        gone = [{"k": k} for k in old if k not in keep]
        if gone:
            con.execute(text(f"DELETE FROM {table} WHERE {key} = :k"), gone)
    dialect.sync_sequence(con, "school")
    counts: dict[str, int] = {}
    for model, items in rows.items():
        if items and model not in parents:
            con.execute(insert(model), items)
        counts[model.__tablename__] = len(items)
    ids = {s["code"]: s["id"] for s in schools}
    years = [{k: v for k, v in r.items() if k != "school_code"} | {"school_id": ids[r["school_code"]]}
             for r in sim.school_years]
    if years:
        con.execute(insert(m.SchoolYear), years)
    counts.update({"school_simulated": len(schools) - n_real, "school_year": len(years),
                   "district_synthetic": len(sim.admin_units)})
    meta = {**meta, **{f"rows_{k}": str(n) for k, n in counts.items()}}
    con.execute(insert(m.BuildInfo), [{"key": k, "value": v} for k, v in meta.items()])
    return counts


def _foreign_key_problems(con: Connection) -> list[tuple]:
    """Rows of intake data that refer to something the new build no longer has (checked before COMMIT, only
    where intake data exists; build rows are validated by the seeds)."""
    if dialect.is_pg(con):
        return []  # checked by every statement: a DELETE of a row imported data refers to has raised already
    tables = dialect.table_names(con)
    check = [t for t in tables if is_intake_table(t) and con.exec_driver_sql(f'SELECT 1 FROM "{t}" LIMIT 1').first()]
    check += [t for t in SHARED_TABLES
              if con.exec_driver_sql(f"SELECT 1 FROM {t} WHERE batch_id IS NOT NULL LIMIT 1").first()]
    return dialect.foreign_key_problems(con, check)


def build(db: Path | None = None, base: Path | None = None, *, quiet: bool = False, sim_seed: int | None = None,
          scale: str = "province") -> dict[str, int]:
    """Validate the seeds, then replace the store's build-owned rows in place, in one transaction.

    The simulated school-level data (scale 'province': the three provinces; 'national': a ~45.000-school
    benchmark store) is written in the same transaction, so a store never has one without the other.
    Raises SeedError (bad seeds) or StoreError (unusable target, foreign store, intake data that the new
    seeds would orphan); in both cases the database is unchanged.
    """
    from .simulate import DEFAULT_SEED

    sim_seed = DEFAULT_SEED if sim_seed is None else sim_seed
    db = db or database_path()
    db = db if is_server(db) else Path(db)
    base = data_dir(base)  # --data, else DASHBOARD_DATA, else data/ (the same folder `validate` reads)
    seed = load_seeds(base)  # raises SeedError before anything is written
    rows = _rows(seed, base)
    units = read_units(base)  # data/geo/units_*.csv and the 2025 crosswalk, checked before the store is opened
    sim = _simulation(seed, base, sim_seed, scale)
    meta = {"input_hash": input_hash(base) if (scale, sim_seed) == ("province", DEFAULT_SEED) else "custom",
            "schema_version": SCHEMA_VERSION, "schema_revision": head_revision(), "simulation_seed": str(sim_seed),
            "simulation_scale": scale, "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    check_target(db)
    state = inspect_store(db, check_integrity=True)
    if state.kind not in ("missing", "empty", "legacy", "behind", "current"):
        raise StoreError(f"build stopped, the database was not changed: {state.message}")
    created = not is_server(db) and not db.exists()
    engine = write_engine(db)
    ok = False
    try:
        with engine.connect() as con:
            tr = con.begin()
            try:
                dialect.defer_foreign_keys(con)
                if state.kind == "legacy":
                    drop_everything(con)
                upgrade_connection(con)
                try:
                    counts = _replace_rows(con, rows, sim, meta)
                    counts.update(replace_units(con, units))  # whole tables unit_current/unit_former/unit_crosswalk
                except IntegrityError as exc:
                    if not dialect.is_pg(con) or getattr(exc.orig, "sqlstate", "") != "23503":
                        raise
                    detail = " ".join(str(getattr(exc.orig.diag, "message_detail", "") or exc.orig).split())
                    raise StoreError("build stopped, the database was not changed: imported data refers to rows "
                                     f"the new seed files no longer contain ({detail}); restore those seed rows "
                                     "or roll back the batch") from None
                bump_data_version(con)
                dialect.analyze(con, SHARED_TABLES + BUILD_TABLES)
                problems = _foreign_key_problems(con)
                if problems:
                    t, rowid, parent, _ = problems[0]
                    raise StoreError(f"build stopped, the database was not changed: {len(problems)} row(s) of "
                                     f"imported data refer to {parent} rows the new seed files no longer contain "
                                     f"(first: {t} row {rowid}); restore those seed rows or roll back the batch")
                try:
                    tr.commit()
                except IntegrityError:
                    first = _first_violation(con)
                    raise StoreError("build stopped, the database was not changed: a foreign key fails at commit"
                                     + (f" ({first})" if first else "")) from None
            except BaseException:
                _rollback(tr)
                raise
        ok = True
    except IntegrityError as exc:
        raise StoreError(f"build stopped, the database was not changed: {exc.orig}") from None
    except OperationalError as exc:
        raise StoreError(f"build stopped, the database was not changed: {exc.orig} ({db})") from None
    finally:
        engine.dispose()
        if created and not ok:
            for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
                p.unlink(missing_ok=True)
    if not quiet:
        print(f"built {db}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return counts


def _rollback(tr) -> None:  # noqa: ANN001
    """Roll back; a connection that already failed (disk full, I/O error) may refuse, SQLite then rolls back."""
    try:
        if tr.is_active:
            tr.rollback()
    except Exception:  # noqa: BLE001 - the original error is the one to report
        pass


def _first_violation(con: Connection) -> str:
    """After a COMMIT refused by a deferred foreign key, SQLite keeps the transaction open: name one culprit."""
    try:
        row = con.connection.dbapi_connection.execute("PRAGMA foreign_key_check").fetchone()
    except Exception:  # noqa: BLE001 - only a diagnostic
        return ""
    return f"first: {row[0]} row {row[1]} refers to a missing {row[2]} row" if row else ""
