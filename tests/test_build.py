"""The build: row counts, in-place rebuild, staleness, and a clear message for every kind of bad input."""
from __future__ import annotations

import csv
import hashlib
import sqlite3
from pathlib import Path

import pytest

from dashboard import DATA_DIR
from dashboard.build import build, is_stale
from dashboard.seeds import SeedError


def csv_rows(pattern: str) -> int:
    return sum(sum(1 for _ in csv.DictReader(p.open(encoding="utf-8")))
               for p in (DATA_DIR / "seed").glob(pattern))


def count(db: Path, table: str, where: str = "1=1") -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # read-only: leaves the store's WAL files alone
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}").fetchone()[0]
    finally:
        con.close()


def test_row_counts_match_seed_files(db_path):
    assert count(db_path, "source") == csv_rows("sources.csv") == 6
    assert count(db_path, "indicator") == csv_rows("indicators/*.csv")
    assert count(db_path, "observation") == csv_rows("observations/*.csv")
    assert count(db_path, "target") == csv_rows("targets/*.csv")
    assert count(db_path, "task") == csv_rows("tasks/*.csv")
    assert count(db_path, "budget_item") == csv_rows("budget/*.csv")
    assert count(db_path, "school", "provenance = 'published'") == csv_rows("schools/*.csv")


def test_geography_and_fixed_counts(db_path):
    assert count(db_path, "admin_unit", "level = 'province'") == 63
    # 12 Đồng Tháp + 11 Sóc Trăng + 8 Đắk Nông pre-2025 districts, with GSO codes and parents
    assert count(db_path, "admin_unit", "level = 'district'") == 31
    assert count(db_path, "admin_unit", "level = 'district' AND parent_code = '87'") == 12
    assert count(db_path, "admin_unit", "level = 'district' AND parent_code = '94'") == 11
    assert count(db_path, "admin_unit", "level = 'district' AND parent_code = '67'") == 8
    assert count(db_path, "admin_unit", "level IN ('province', 'district') AND valid_to = '2025-06-30'") == 94
    assert count(db_path, "admin_unit", "level = 'commune' AND valid_to = '2025-06-30'") == 320
    # appendix IV: 36 STEM-lab schools, three per district
    assert count(db_path, "school", "province_code = '87' AND stem_lab = 1 AND stem_year = 2024") == 36
    with sqlite3.connect(db_path) as con:
        per_district = con.execute("SELECT district_code, COUNT(*) FROM school WHERE stem_year = 2024 "
                                   "GROUP BY district_code").fetchall()
    assert len(per_district) == 12 and {n for _, n in per_district} == {3}


def test_store_is_wal_and_indexed(db_path):
    from dashboard.db import make_engine
    with make_engine(db_path).connect() as con:
        assert con.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        idx = {r[1] for r in con.exec_driver_sql("SELECT * FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_obs_indicator_unit_year", "ix_obs_unit_year", "ix_target_scope_indicator"} <= idx


def test_published_values_stored_as_printed(db_path):
    with sqlite3.connect(db_path) as con:
        row = con.execute("SELECT value, numerator, denominator, printed FROM observation "
                          "WHERE unit_code = '67' AND indicator_code = 'E_GRADEBOOK_SCHOOLS_PCT'").fetchone()
        assert row == (81.4, 188.0, 231.0, "81.4%") or (row[0], row[1], row[2]) == (81.4, 188.0, 231.0)
        teachers = con.execute("SELECT value, numerator FROM observation WHERE unit_code = '67' AND "
                               "indicator_code = 'TCH_ONLINE_EQUIPPED_PCT' AND breakdown = 'computer'").fetchone()
        assert teachers == (84.34, 7661.0)
        cashless = con.execute("SELECT numerator, denominator FROM observation WHERE unit_code = '87' AND "
                               "indicator_code = 'CASHLESS_SCHOOLS_PCT' AND qualifier = '' ORDER BY denominator").fetchall()
        assert cashless == [(465.0, 595.0), (465.0, 597.0)]  # both statements kept


def test_conflicts_are_listed(db_path):
    with sqlite3.connect(db_path) as con:
        rows = con.execute("SELECT indicator_code, unit_code FROM observation_conflict").fetchall()
    assert ("CASHLESS_SCHOOLS_PCT", "87") in rows
    assert ("ONLINE_APPLICATIONS_PCT", "67") in rows


def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_rebuild_in_place_and_staleness_is_detected(tmp_path, data_copy):
    """build-db rewrites the same file (same inode: readers keep their connections) and leaves only the
    store and its WAL files; the input hash decides staleness."""
    db = tmp_path / "x.db"
    assert is_stale(db, data_copy)
    build(db, data_copy, quiet=True)
    inode = db.stat().st_ino
    assert not is_stale(db, data_copy)
    (data_copy / "seed" / "breakdowns.csv").open("a", encoding="utf-8").write("zz_new,Mới,New\n")
    assert is_stale(db, data_copy)
    build(db, data_copy, quiet=True)
    assert db.stat().st_ino == inode and not is_stale(db, data_copy)
    assert count(db, "breakdown", "code = 'zz_new'") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "x.db", "x.db-shm", "x.db-wal"]


BAD_CASES = {
    # name: (file, transform of the text, expected fragments of the message)
    "missing column": ("seed/observations/dn_bc_2024.csv",
                       lambda s: s.replace("obs_id,indicator,", "obs_id,indicatorX,", 1),
                       ["observations/dn_bc_2024.csv", "row 1", "'indicator'", "missing column"]),
    "wrong type (date)": ("seed/observations/dn_bc_2024.csv",
                          lambda s: s.replace("2024-03-31", "31/03/2024", 1),
                          ["observations/dn_bc_2024.csv", "row 2", "'period_end'", "ISO date"]),
    "share over 100": ("seed/observations/dn_bc_2024.csv", lambda s: _set_field(s, 3, "value", "184.34"),
                       ["observations/dn_bc_2024.csv", "row 3", "'value'", "over 100"]),
    "negative count": ("seed/observations/dn_bc_2024.csv", lambda s: _set_field(s, 3, "numerator", "-5"),
                       ["observations/dn_bc_2024.csv", "row 3", "'numerator'", "negative"]),
    "unknown indicator": ("seed/observations/st_bc_2023.csv", lambda s: _set_field(s, 4, "indicator", "NOPE_PCT"),
                          ["observations/st_bc_2023.csv", "row 4", "'indicator'", "unknown indicator 'NOPE_PCT'"]),
    "unknown district": ("seed/observations/st_bc_2023.csv", lambda s: _set_field(s, 5, "unit_code", "999"),
                         ["observations/st_bc_2023.csv", "row 5", "'unit_code'", "unknown province or district '999'"]),
    "duplicate key": ("seed/observations/st_bc_2023.csv", lambda s: _dup_first_row(s),
                      ["observations/st_bc_2023.csv", "'obs_id'", "duplicate key"]),
    "text in a number field": ("seed/budget/dt_kh_2024.csv",
                               lambda s: _set_field(s, 2, "amount_million_vnd", "bốn nghìn"),
                               ["budget/dt_kh_2024.csv", "row 2", "'amount_million_vnd'", "not a number"]),
    "school in the wrong province": ("seed/schools/dt_kh_2024.csv", lambda s: _set_field(s, 2, "district_code", "941"),
                                     ["schools/dt_kh_2024.csv", "row 2", "'district_code'", "not in province 87"]),
    "quote not in the document": ("seed/observations/dn_bc_2024.csv", lambda s: _set_field(s, 2, "quote", "câu này không có trong văn bản 1.275"),
                                  ["observations/dn_bc_2024.csv", "row 2", "'quote'", "not found verbatim"]),
}


def _rows(text: str) -> tuple[list[str], list[dict]]:
    import io
    r = csv.DictReader(io.StringIO(text))
    return list(r.fieldnames or []), list(r)


def _write(fields: list[str], rows: list[dict]) -> str:
    import io
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue()


def _set_field(text: str, row: int, field: str, value: str) -> str:
    fields, rows = _rows(text)
    rows[row - 2][field] = value
    return _write(fields, rows)


def _dup_first_row(text: str) -> str:
    fields, rows = _rows(text)
    return _write(fields, rows + [dict(rows[0])])


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_bad_input_stops_build_and_keeps_previous_db(case, tmp_path, data_copy):
    db = tmp_path / "keep.db"
    build(db, data_copy, quiet=True)
    before = _digest(db)
    listing = sorted(p.name for p in tmp_path.iterdir())
    rel, transform, expected = BAD_CASES[case]
    path = data_copy / rel
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SeedError) as err:
        build(db, data_copy, quiet=True)
    message = str(err.value)
    for fragment in expected:
        assert fragment in message, f"{case}: {fragment!r} not in {message}"
    assert _digest(db) == before  # previous database untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no stray files


def test_file_that_is_not_utf8(tmp_path, data_copy):
    db = tmp_path / "keep.db"
    build(db, data_copy, quiet=True)
    before = _digest(db)
    path = data_copy / "seed" / "observations" / "st_bc_2023.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    with pytest.raises(SeedError) as err:
        build(db, data_copy, quiet=True)
    assert "observations/st_bc_2023.csv" in str(err.value) and "not UTF-8" in str(err.value)
    assert _digest(db) == before


def test_cli_reports_bad_input_and_exits_nonzero(tmp_path, data_copy, capsys, monkeypatch):
    from dashboard import cli, seeds
    path = data_copy / "seed" / "observations" / "st_bc_2023.csv"
    path.write_text(_set_field(path.read_text(encoding="utf-8"), 4, "indicator", "NOPE_PCT"), encoding="utf-8")
    monkeypatch.setattr(seeds, "DATA_DIR", data_copy)
    monkeypatch.setattr(seeds.load_seeds, "__defaults__", (data_copy,))
    rc = cli.main(["validate"])
    err = capsys.readouterr().err
    assert rc == 2 and "st_bc_2023.csv, row 4, field 'indicator'" in err and "not changed" in err
