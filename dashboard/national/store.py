"""Write the national scale-test store: the shipped build, then the national simulation in one transaction.

`create(target)` runs `build-db` on the target (SQLite file or PostgreSQL database: the documents, the three
documented former provinces and their calibrated simulation, the unit tables), then appends in ONE transaction
the former districts the shipped store lacks (admin_unit, valid until 2025-06-30), the simulated schools and
their school years (dashboard.national.generate) with bulk executemany inserts, a `national_store` note in
build_info, and bumps the data version. Everything appended is build-owned (batch_id NULL): `build-db` on this
store removes it again; intake data is never touched.
"""
from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, text

import models as m

from ..db import bump_data_version, write_engine
from ..simulate import DEFAULT_SEED
from ..store import dialect
from .generate import NOTE, generate
from .units import load

TOTAL_SCHOOLS = 50_000
BATCH = 20_000


def _columns(df: pd.DataFrame) -> tuple[list[str], list[tuple]]:
    """Column names and rows as tuples of plain Python values (None where missing), column by column."""
    cols = []
    for c in df.columns:
        col = df[c]
        if str(col.dtype) in ("Int64", "boolean"):
            cols.append(col.to_numpy(dtype=object, na_value=None).tolist())
        else:
            cols.append(col.astype(object).where(col.notna(), None).tolist() if col.dtype == object
                        else col.tolist())
    return list(df.columns), list(zip(*cols))


def _insert(con, table: str, df: pd.DataFrame) -> None:  # noqa: ANN001
    """Bulk insert: COPY on PostgreSQL, the driver's executemany on SQLite (prepared once, batched)."""
    names, rows = _columns(df)
    cols = ", ".join(names)
    if con.dialect.name == "postgresql":
        cur = con.connection.dbapi_connection.cursor()
        with cur.copy(f"COPY {table} ({cols}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        return
    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in names)})"
    for i in range(0, len(rows), BATCH):
        con.exec_driver_sql(sql, rows[i:i + BATCH])


def create(target: Path | object, *, total_schools: int = TOTAL_SCHOOLS, seed: int = DEFAULT_SEED,
           quiet: bool = False, base: Path | None = None) -> dict[str, float]:
    """Build `target` and add the national simulation; returns counts and seconds per step."""
    from ..build import build

    t0 = time.perf_counter()
    build(target, base, quiet=True)
    t_build = time.perf_counter() - t0
    geo = load(base)
    engine = write_engine(target)
    try:
        with engine.connect() as con:
            existing = con.execute(text("SELECT COUNT(*) FROM school")).scalar() or 0
        t1 = time.perf_counter()
        data = generate(geo, max(total_schools - existing, 0), seed=seed)
        t_gen = time.perf_counter() - t1
        t2 = time.perf_counter()
        with engine.begin() as con:
            known = {r[0] for r in con.execute(text("SELECT code FROM admin_unit WHERE level = 'district'"))}
            dist = data.districts[~data.districts["code"].isin(known)]
            _insert(con, "admin_unit", pd.DataFrame({
                "code": dist["code"], "name": dist["name"], "fullname": dist["fullname"], "level": "district",
                "unit_type": dist["unit_type"], "parent_code": dist["province_code"],
                "valid_to": [date.fromisoformat(v) for v in dist["valid_to"]]}))
            top = con.execute(text("SELECT COALESCE(MAX(id), 0) FROM school")).scalar() or 0
            schools = data.schools.assign(id=np.arange(top + 1, top + 1 + len(data.schools)), stem_lab=False)
            _insert(con, "school", schools)
            dialect.sync_sequence(con, "school")  # explicit ids: PostgreSQL's sequence moves past them
            ids = dict(zip(schools["code"], schools["id"].astype(int)))
            years = data.school_years.assign(school_id=data.school_years["school_code"].map(ids)) \
                .drop(columns="school_code")
            _insert(con, "school_year", years)
            con.execute(text("DELETE FROM build_info WHERE key IN ('national_store', 'simulation_scale', "
                             "'rows_school_national', 'rows_school_year_national')"))
            con.execute(insert(m.BuildInfo), [
                {"key": "national_store", "value": NOTE}, {"key": "simulation_scale", "value": "national"},
                {"key": "rows_school_national", "value": str(len(schools))},
                {"key": "rows_school_year_national", "value": str(len(years))}])
            bump_data_version(con)
        if engine.dialect.name == "postgresql":  # fresh statistics after a bulk load (autovacuum would, later)
            with engine.connect() as con:
                con.execute(text("ANALYZE school_year"))
                con.execute(text("ANALYZE school"))
                con.commit()
        t_write = time.perf_counter() - t2
    finally:
        engine.dispose()
    out = {"schools": existing + len(data.schools), "school_years_added": len(data.school_years),
           "districts_added": len(dist), "seconds_build": t_build, "seconds_generate": t_gen,
           "seconds_write": t_write}
    if not quiet:
        print(f"national store {target}: {out['schools']} schools ({len(data.schools)} simulated here, "
              f"{len(data.school_years)} school-year rows, {len(dist)} former districts added) — "
              f"build {t_build:.1f} s, generate {t_gen:.1f} s, write {t_write:.1f} s. "
              "SIMULATED: a synthetic scale-test store, not real data.")
    return out
