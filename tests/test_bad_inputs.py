"""Bad inputs a careless clerk or a hostile file could bring: each is refused with file, row and field, by
`python -m dashboard validate` and by the build alike, and the existing database stays byte-identical with
no stray file beside it. One case per kind of bad input, made on a copy of data/ (fixture data_copy)."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from dashboard.build import build
from dashboard.seeds import SeedError, load_seeds

ROOT = Path(__file__).resolve().parent.parent
OBS_DN, OBS_DT, OBS_ST = "seed/observations/dn_bc_2024.csv", "seed/observations/dt_kh_2024.csv", \
    "seed/observations/st_bc_2023.csv"
ADM2 = "geo/vnm_adm2_3prov_censusVN2009.geojson"


# --- editing a copy of data/ ----------------------------------------------------------------------------

def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(base: Path, rel: str, key: str, field: str, value: str) -> int:
    """Set one cell of the row whose first column is `key`; return its spreadsheet row (header = 1)."""
    header, rows = _read(base / rel)
    for i, r in enumerate(rows):
        if r[0] == key:
            r[header.index(field)] = value
            _write(base / rel, header, rows)
            return i + 2
    raise AssertionError(f"{key} not in {rel}")


def first_key(base: Path, rel: str) -> str:
    return _read(base / rel)[1][0][0]


def _edit(base: Path, rel: str, transform: Callable[[str], str]) -> None:
    p = base / rel
    p.write_text(transform(p.read_text(encoding="utf-8")), encoding="utf-8")


def nul_byte(base: Path) -> tuple[str, int, str, str]:
    row = set_cell(base, OBS_DN, "dn24_029", "note", "a\x00b")
    return OBS_DN, row, "(file)", "NUL byte"


Case = Callable[[Path], tuple[str, int, str, str]]  # edits the copy; returns file, row, field, message part


def cell(rel: str, key: str | None, field: str, value: str, expect_field: str | None = None,
         fragment: str = "") -> Case:
    def run(base: Path) -> tuple[str, int, str, str]:
        row = set_cell(base, rel, key or first_key(base, rel), field, value)
        return rel, row, expect_field or field, fragment
    return run


def duplicate_by_case(base: Path) -> tuple[str, int, str, str]:
    header, rows = _read(base / OBS_ST)
    copy = list(rows[0])
    copy[0] = copy[0].upper()
    _write(base / OBS_ST, header, rows + [copy])
    return OBS_ST, len(rows) + 2, "obs_id", "differs only by case"


def extra_column(base: Path) -> tuple[str, int, str, str]:
    header, rows = _read(base / OBS_DN)
    _write(base / OBS_DN, header + ["ghi_chu_them"], [r + ["x"] for r in rows])
    return OBS_DN, 1, "ghi_chu_them", "unexpected column"


def short_row(base: Path) -> tuple[str, int, str, str]:
    header, rows = _read(base / OBS_DN)
    rows[2] = rows[2][:5]
    _write(base / OBS_DN, header, rows)
    return OBS_DN, 4, "(row)", "fewer than the 18 columns"


def source_row(base: Path, sid: str) -> int:
    header, rows = _read(base / "seed/sources.csv")
    return next(i + 2 for i, r in enumerate(rows) if r[0] == sid)


def source_path(value: str) -> Case:
    def run(base: Path) -> tuple[str, int, str, str]:
        return "seed/sources.csv", set_cell(base, "seed/sources.csv", "st_bc_2023", "file", value), "file", \
            "inside sources/"
    return run


def source_link_outside(base: Path) -> tuple[str, int, str, str]:
    (base / "sources" / "passwd.txt").symlink_to("/etc/passwd")
    row = set_cell(base, "seed/sources.csv", "st_bc_2023", "file", "sources/passwd.txt")
    return "seed/sources.csv", row, "file", "leads outside sources/"


def entry(make: Callable[[Path], None], name: str, fragment: str) -> Case:
    def run(base: Path) -> tuple[str, int, str, str]:
        make(base / name)
        return name, 0, "(file)", fragment
    return run


def geojson(transform: Callable[[str], str], row: int, field: str, fragment: str) -> Case:
    def run(base: Path) -> tuple[str, int, str, str]:
        p = base / ADM2
        p.write_text(transform(p.read_text(encoding="utf-8")), encoding="utf-8")
        return ADM2, row, field, fragment
    return run


def _point_geometry(text: str) -> str:
    doc = json.loads(text)
    doc["features"][0]["geometry"] = {"type": "Point", "coordinates": [105.6, 10.4]}
    return json.dumps(doc, ensure_ascii=False)


def calibration_beyond_schools(base: Path) -> tuple[str, int, str, str]:
    """Valid cells that the simulation cannot meet: fibre in 1.937 schools of Sóc Trăng (the computer count)."""
    p = base / "simulation" / "calibration.csv"
    header, rows = _read(p)
    r = next(r for r in rows if r[header.index("metric")] == "fibre" and r[0] == "94")
    r[header.index("obs_key")], r[header.index("field")] = "st23_o008", "value"
    _write(p, header, rows)
    return "simulation/calibration.csv", 0, "(file)", "cannot be calibrated"


CASES: dict[str, Case] = {
    # a figure without its quote or printed value
    "observation without quote": cell(OBS_ST, "st23_o008", "quote", "", fragment="required, but empty"),
    "observation without printed value": cell(OBS_ST, "st23_o008", "printed", "", fragment="required, but empty"),
    "target value without printed": cell("seed/targets/dt_kh_2024.csv", "dt24_t001", "printed", "",
                                         fragment="required when value is given"),
    "budget amount without quote": cell("seed/budget/dt_kh_2024.csv", "dt24_b002", "quote", "",
                                        fragment="required, but empty"),
    # numbers that float() accepts but no document prints
    "nan": cell(OBS_DT, "dt24_o014", "value", "nan", fragment="not a number in machine form"),
    "inf": cell(OBS_DN, "dn24_029", "value", "inf", fragment="not a number in machine form"),
    "1e308": cell(OBS_DT, "dt24_o014", "value", "1e308", fragment="not a number in machine form"),
    "underscore digits 2_83": cell(OBS_DT, "dt24_o014", "value", "2_83", fragment="not a number in machine form"),
    "full-width digits": cell(OBS_DT, "dt24_o014", "value", "２８３", fragment="not a number in machine form"),
    "negative count": cell(OBS_DN, "dn24_029", "numerator", "-188", fragment="negative"),
    "leading zero 03": cell(OBS_ST, "st23_o030", "numerator", "03", fragment="without leading zeros"),
    "decimal comma": cell(OBS_DN, "dn24_029", "value", "81,4", fragment="write 81.4"),
    # counts
    "count with decimals 283.5": cell(OBS_DT, "dt24_o014", "value", "283.5", fragment="not a whole number"),
    "numerator with decimals": cell(OBS_DN, "dn24_029", "numerator", "188.5", fragment="not a whole number"),
    "1.937 read as one point nine": cell(OBS_ST, "st23_o008", "value", "1.937", fragment="written 1937 here"),
    "budget 1.650 read as one point six": cell("seed/budget/dt_kh_2024.csv", "dt24_b002", "amount_million_vnd",
                                               "1.650", fragment="written 1650 here"),
    "value not the printed number": cell(OBS_ST, "st23_o008", "value", "1973", fragment="not a reading of the printed"),
    # shares
    "share contradicts its count": cell(OBS_DN, "dn24_029", "denominator", "213", "value", "contradicts"),
    "document inconsistency without note": cell(OBS_DT, "dt24_o002", "note", "", "value", "contradicts"),
    "derived share miscomputed": cell(OBS_ST, "st23_o030", "value", "48.4", fragment="derived share"),
    # unknown province codes
    "unknown province in tasks": cell("seed/tasks/dt_kh_2024.csv", None, "province_code", "99",
                                      fragment="unknown province code '99'"),
    "unknown province in budget": cell("seed/budget/dt_kh_2024.csv", None, "province_code", "99",
                                       fragment="unknown province code '99'"),
    "unknown province in schools": cell("seed/schools/dt_kh_2024.csv", None, "province_code", "99",
                                        fragment="unknown province code '99'"),
    "task of another province than its source": cell("seed/tasks/dt_kh_2024.csv", None, "province_code", "94",
                                                     fragment="differs from the province of its source"),
    # years and dates
    "year 20255": cell("seed/targets/dt_kh_2024.csv", "dt24_t001", "year", "20255", fragment="not a year"),
    "year 0001": cell("seed/tasks/dt_kh_2024.csv", None, "plan_year", "0001", fragment="not a year"),
    "year 9999": cell("seed/schools/dt_kh_2024.csv", None, "stem_year", "9999", fragment="not a year"),
    "date 30 February": cell(OBS_DN, "dn24_029", "period_end", "2024-02-30", fragment="not a calendar date"),
    "date d/m/y": cell(OBS_DN, "dn24_029", "period_end", "31/03/2024", fragment="not an ISO date"),
    "date without dashes": cell(OBS_DN, "dn24_029", "period_start", "20230901", fragment="not an ISO date"),
    "date year 0001": cell("seed/sources.csv", "st_bc_2023", "as_of", "0001-10-31", fragment="date outside"),
    "period label against its dates": cell(OBS_DN, "dn24_029", "period", "2019-2020", fragment="does not match"),
    # keys and columns
    "keys differing only by case": duplicate_by_case,
    "unexpected extra column": extra_column,
    "row with fewer cells": short_row,
    # source documents outside data/sources/
    "source path ../../../../etc/passwd": source_path("../../../../etc/passwd"),
    "source path absolute": source_path("/etc/passwd"),
    "source link leading outside": source_link_outside,
    # size and file-system entries
    "field over 128 KB": cell(OBS_DN, "dn24_029", "note", "x" * (128 * 1024 + 1), fragment="longer than 128 KB"),
    "symlink loop": entry(lambda p: p.symlink_to(p.name), "seed/observations/loop.csv", "symbolic link loop"),
    "dangling symlink": entry(lambda p: p.symlink_to("missing.csv"), "seed/observations/gone.csv",
                              "dangling symbolic link"),
    "directory named like a CSV": entry(lambda p: p.mkdir(), "seed/observations/x.csv", "a directory"),
    "CSV in an unknown folder": entry(lambda p: (p.parent.mkdir(), p.write_text("a,b\n1,2\n")),
                                      "seed/extra/x.csv", "not a known seed file"),
    "NUL byte": nul_byte,
    "column named twice": lambda b: (_edit(b, OBS_DN, lambda s: s.replace(",note\n", ",value\n", 1)),
                                     (OBS_DN, 1, "value", "named twice"))[1],
    "escape sequence in a note": cell(OBS_DN, "dn24_029", "note", "a\x1b[31mred", fragment="control character"),
    "bound printed in words, stored as exact": cell(OBS_DT, "dt24_o011", "qualifier", "", fragment="states a bound"),
    "seed CSV linking outside the data folder": entry(lambda p: p.symlink_to("/etc/hostname"),
                                                      "seed/observations/out.csv", "leads outside the data directory"),
    # boundaries
    "GeoJSON not valid JSON": geojson(lambda s: s[: len(s) // 2], 1, "(file)", "not valid JSON"),
    "GeoJSON without features": geojson(lambda s: '{"type": "FeatureCollection", "features": []}', 0, "(file)",
                                        "without features"),
    "GeoJSON wrong geometry": geojson(_point_geometry, 1, "geometry", "not Polygon or MultiPolygon"),
    # what only the build used to find: the simulation's calibration
    "calibration beyond the schools there are": calibration_beyond_schools,
}


# --- the checks ---------------------------------------------------------------------------------------

def _digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("template") / "store.db"
    build(db, quiet=True)
    return db


def validate_cli(base: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DASHBOARD_DATA": str(base)}
    return subprocess.run([sys.executable, "-m", "dashboard", "validate"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_shipped_data_passes_validate_and_builds(data_copy, tmp_path):
    out = validate_cli(data_copy)
    assert out.returncode == 0, out.stderr
    assert "seed data valid" in out.stdout
    counts = build(tmp_path / "ok.db", data_copy, quiet=True)
    assert counts["observation"] == len(load_seeds(data_copy).records["observations"])


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_with_file_row_and_field(case, data_copy, template_db, tmp_path):
    file, row, field, fragment = CASES[case](data_copy)
    # the build on an existing database: refused before anything is written
    store = tmp_path / "store"
    store.mkdir()
    db = store / "dashboard.db"
    shutil.copy2(template_db, db)
    before, listing = _digest(db), sorted(os.listdir(store))
    with pytest.raises(SeedError) as err:
        build(db, data_copy, quiet=True)
    hits = [p for p in err.value.problems if (p.file, p.row, p.field) == (file, row, field) and fragment in p.message]
    assert hits, f"{case}: no problem at {file}, row {row}, field {field!r} with {fragment!r}:\n{err.value}"
    assert _digest(db) == before, f"{case}: the database changed"
    assert sorted(os.listdir(store)) == listing, f"{case}: stray files {sorted(os.listdir(store))}"
    # validate refuses it first, with the same line, and no traceback
    out = validate_cli(data_copy)
    assert out.returncode == 2, f"{case}: validate exit code {out.returncode}\n{out.stdout}{out.stderr}"
    assert str(hits[0]) in out.stderr, f"{case}: {hits[0]} not in validate's output:\n{out.stderr}"
    assert "Traceback" not in out.stderr
    line = str(hits[0])
    assert line.startswith(file) and (row == 0 or f", row {row}, " in line) and (row == 0 or f"'{field}'" in line)


def test_all_problems_are_collected_in_one_run(data_copy):
    expected = [CASES[c](data_copy) for c in ("nan", "unknown province in tasks", "year 9999",
                                             "source path ../../../../etc/passwd", "GeoJSON wrong geometry")]
    with pytest.raises(SeedError) as err:
        load_seeds(data_copy)
    found = {(p.file, p.row, p.field) for p in err.value.problems}
    assert {(f, r, fld) for f, r, fld, _ in expected} <= found


def test_etc_passwd_is_never_read_into_the_store(data_copy, tmp_path):
    source_path("../../../../etc/passwd")(data_copy)
    with pytest.raises(SeedError):
        build(tmp_path / "x.db", data_copy, quiet=True)
    assert not (tmp_path / "x.db").exists() or b"root:" not in (tmp_path / "x.db").read_bytes()
