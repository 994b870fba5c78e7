"""The two geographies on PostgreSQL (issue 12): the current-commune filters, the current province's targets and
the target_conflict view give the same results as on SQLite."""
from __future__ import annotations

import shutil

import sqlalchemy as sa

from dashboard import packs, queries, rollups
from dashboard.db import ServerDatabase, read_engine, write_engine
from dashboard.intake_ui import dx_queries
from dashboard.units import queries as uq
from dashboard.units.rollup import targets_not_restated

from .calls import same

INSERT = sa.text("""INSERT INTO target (target_key, indicator_code, scope_code, scope_current_code, level, breakdown,
                    year, value, qualifier, printed, source_id, section, quote, reported_result, reported_status,
                    note)
                    VALUES (:k, 'LEARNERS_DIGITAL_RECORD_PCT', NULL, :cur, 'ALL', '', 2025, :v, '', :p,
                            'st_kh_2023', 'test', 'test', '', '', 'inserted by a test')""")
# Thành phố Cần Thơ (92) states one target twice differently (a conflict), Đồng Tháp (82) once (none)
ROWS = ({"k": "test_cur_92", "cur": "92", "v": 95.0, "p": "95%"},
        {"k": "test_cur_92b", "cur": "92", "v": 97.0, "p": "97%"},
        {"k": "test_cur_82", "cur": "82", "v": 90.0, "p": "90%"})


def test_commune_filters_and_current_targets_are_the_same_on_postgresql(pg, shipped, db_path):
    lite = read_engine(db_path)
    post = read_engine(ServerDatabase(pg.url(shipped)))
    sy = rollups.school_years("87", engine=lite)[-1]
    for fn, args, kw in [
        (rollups.district_summary, ("87", sy), {"communes_": ["29905"], "placed_only": True}),
        (rollups.district_summary, ("87", sy), {"communes_": ["29905"], "by_level": True}),
        (rollups.schools_without_district, ("87", sy), {"communes_": ["29905"]}),
        (rollups.district_schools, ("87", "867", sy), {"communes_": ["29905"]}),
        (dx_queries.level_shares, ("87",), {"by": "district", "communes_": ["29905", "30157"]}),
        (dx_queries.simulated_schools, ("87", sy), {"communes_": ["29905"]}),
        (uq.communes_of, ("82", "87"), {}),
        (queries.targets_for, ("94",), {"current": "92"}),
        (queries.progress_table, ("94",), {"current": "92"}),
        (targets_not_restated, ("92",), {}),
    ]:
        a, b = fn(*args, **kw, engine=lite), fn(*args, **kw, engine=post)
        assert same(a, b) is None, (fn.__name__, same(a, b))
        assert len(a) > 0 or fn is rollups.schools_without_district, fn.__name__
    assert uq.school_codes_in("87", ["29905"], engine=post) == ["dt24_s04", "dt24_s05"]
    assert uq.commune_coverage("87", ["29905"], engine=post) == {"schools": 595, "placed": 19, "chosen": 2}
    pg.release(shipped)


def test_current_province_targets_and_their_conflicts_are_the_same_on_postgresql(pg, pg_store, db_path, tmp_path,
                                                                                 monkeypatch):
    lite_path = tmp_path / "store.db"
    shutil.copy(db_path, lite_path)
    for db in (lite_path, pg_store):
        eng = write_engine(db)
        with eng.begin() as con:
            for row in ROWS:
                con.execute(INSERT, row)
        eng.dispose()
    lite, post = read_engine(lite_path), read_engine(pg_store)
    conflicts = "SELECT indicator_code, scope_code, scope_current_code, level, breakdown, year, statements, " \
                "target_keys, printed_values FROM target_conflict ORDER BY indicator_code, scope_code, year"
    with lite.connect() as a_con, post.connect() as b_con:
        a = a_con.exec_driver_sql(conflicts).mappings().all()
        b = b_con.exec_driver_sql(conflicts).mappings().all()
    norm = [{**r, "target_keys": sorted(r["target_keys"].split(" | ")),
             "printed_values": sorted(r["printed_values"].split(" | "))} for r in a]
    assert norm == [{**r, "target_keys": sorted(r["target_keys"].split(" | ")),
                     "printed_values": sorted(r["printed_values"].split(" | "))} for r in b]
    current = [r for r in norm if r["scope_current_code"] is not None]
    assert [(r["scope_code"], r["scope_current_code"], r["statements"], r["target_keys"]) for r in current] == [
        (None, "92", 2, ["test_cur_92", "test_cur_92b"])]  # 82's single target is no conflict with 92's
    for fn, args, kw in [(queries.targets_for, ("94",), {"current": "92"}),
                         (queries.progress_table, ("94",), {"current": "92", "target_years": (2025, 2024)}),
                         (targets_not_restated, ("92",), {})]:
        x, y = fn(*args, **kw, engine=lite), fn(*args, **kw, engine=post)
        assert same(x, y) is None, (fn.__name__, same(x, y))
    # the pack's status table on PostgreSQL (its queries read DATABASE_URL: the pg_store copy)
    rows = packs.status_table("94", current="92")
    learners = rows.loc[rows["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT", "target"].tolist()
    assert learners and all(v.startswith("97% (2025, Kế hoạch tỉnh)") for v in learners)  # the largest of 92's
    assert rows["target"].str.contains("Kế hoạch tỉnh Sóc Trăng (trước 7/2025)", regex=False).any()
    lite.dispose()
