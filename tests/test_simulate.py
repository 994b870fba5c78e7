"""Simulated school-level data: reproduces every published total exactly, is deterministic, and labelled."""
from __future__ import annotations

import csv
import hashlib
import sqlite3

import pytest

from dashboard import DATA_DIR
from dashboard.build import build

CALIBRATION = list(csv.DictReader((DATA_DIR / "simulation" / "calibration.csv").open(encoding="utf-8")))


def q(db, sql, *args):
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def published(db, key, field):
    return q(db, f"SELECT {field} FROM observation WHERE obs_key = ?", key)[0][0]


@pytest.mark.parametrize("c", CALIBRATION, ids=[f"{c['province_code']}-{c['school_year']}-{c['kind']}-"
                                                f"{c['metric'] or 'schools'}-{c['levels']}-{c['category']}"
                                                for c in CALIBRATION])
def test_calibration_identity(db_path, c):
    """The sum over the province's schools equals the published figure, for every calibrated figure."""
    levels = c["levels"].split(";")
    marks = ",".join("?" * len(levels))
    where = f"sy.province_code = ? AND sy.school_year = ? AND sy.level IN ({marks})"
    args = [c["province_code"], int(c["school_year"]), *levels]
    value = published(db_path, c["obs_key"], c["field"])
    if c["kind"] == "schools":
        got = q(db_path, f"SELECT COUNT(*) FROM school_year sy WHERE {where}", *args)[0][0]
    elif c["kind"] == "flag" and c["metric"] == "is_private":
        got = q(db_path, f"SELECT COUNT(*) FROM school_year sy JOIN school s ON s.id = sy.school_id "
                         f"WHERE {where} AND s.is_public = 0", *args)[0][0]
    elif c["kind"] == "flag" and c["metric"] == "stem":  # published as a share (%)
        n, k = q(db_path, f"SELECT COUNT(*), SUM(stem) FROM school_year sy WHERE {where}", *args)[0]
        got, value = round(100 * k / n, 2), value
    elif c["kind"] == "flag":
        got = q(db_path, f"SELECT SUM({c['metric']}) FROM school_year sy WHERE {where}", *args)[0][0]
    elif c["kind"] == "sum":
        got = q(db_path, f"SELECT SUM({c['metric']}) FROM school_year sy WHERE {where}", *args)[0][0]
    else:  # category
        got = q(db_path, f"SELECT COUNT(*) FROM school_year sy WHERE {where} AND {c['metric']} = ?",
                *args, int(c["category"]))[0][0]
    assert got == value, f"{c}: simulated {got} != published {value}"


def test_schools_by_level_and_year_sóc_trăng(db_path):
    rows = dict(((y, lv), n) for y, lv, n in q(db_path, "SELECT school_year, level, COUNT(*) FROM school_year "
                                                        "WHERE province_code = '94' GROUP BY 1, 2"))
    assert [rows[(2023, lv)] for lv in ("THPT", "THCS", "TH", "MN")] == [40, 108, 200, 131]
    assert [rows[(2021, lv)] for lv in ("THPT", "THCS", "TH", "MN")] == [40, 109, 201, 131]
    public = q(db_path, "SELECT SUM(s.is_public = 1), SUM(s.is_public = 0) FROM school_year sy JOIN school s "
                        "ON s.id = sy.school_id WHERE sy.province_code = '94' AND sy.school_year = 2023 "
                        "AND s.provenance = 'simulated'")[0]
    assert public[1] == 18


def test_real_schools_are_published_rows_not_simulated(db_path):
    real = q(db_path, "SELECT COUNT(*) FROM school_year sy JOIN school s ON s.id = sy.school_id "
                      "WHERE s.provenance = 'published' AND sy.school_year = 2023")[0][0]
    assert real == 40  # 36 STEM-lab schools + Đỗ Công Tường + 3 Sóc Trăng pilots take part in the totals
    assert q(db_path, "SELECT DISTINCT provenance FROM school_year") == [("simulated",)]
    names = {n for (n,) in q(db_path, "SELECT name FROM school WHERE provenance = 'simulated'")}
    assert all("mô phỏng" in n for n in names)


def test_every_district_has_schools_and_remote_districts_lag(db_path):
    per_district = q(db_path, "SELECT district_code, COUNT(*) FROM school_year WHERE school_year = 2023 "
                              "AND district_code IS NOT NULL GROUP BY 1")
    assert len(per_district) == 31 and min(n for _, n in per_district) > 5
    # Đắk Nông: e-gradebook adoption in the least dense half of districts is lower than in the densest half
    rows = q(db_path, "SELECT u.pop_2009, AVG(e_gradebook) FROM school_year sy JOIN admin_unit u "
                      "ON u.code = sy.district_code WHERE sy.province_code = '67' AND sy.school_year = 2020 "
                      "AND sy.level IN ('TH','THCS','THPT') GROUP BY sy.district_code ORDER BY 2")
    assert rows[0][1] < rows[-1][1]


def test_adoption_grows_over_the_years(db_path):
    series = q(db_path, "SELECT school_year, SUM(cashless) FROM school_year WHERE province_code = '67' "
                        "AND level IN ('TH', 'THCS', 'THPT') "
                        "GROUP BY 1 ORDER BY 1")
    values = [v for _, v in series]
    assert [y for y, _ in series] == [2020, 2021, 2022, 2023] and values == sorted(values) and values[-1] == 206


def _digest(path):
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT * FROM school_year ORDER BY id").fetchall()
        rows += con.execute("SELECT code, name, district_code, is_public FROM school ORDER BY code").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_same_seed_same_database_other_seed_other_data(tmp_path, db_path):
    a, b, c = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    build(a, quiet=True)
    build(b, quiet=True)
    build(c, quiet=True, sim_seed=7)
    assert _digest(a) == _digest(b) == _digest(db_path)
    assert _digest(c) != _digest(a)
