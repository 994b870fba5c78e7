"""Fixes after review: no store created by intake commands, coordinates, coverage, plausibility, formulas,
approver checked before staging, case-insensitive codes, stale checks, messages, template writing."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.intake import auth
from dashboard.intake.errors import StoreUnavailable
from test_intake_support import copy_db, db_bytes, examples, registered_db, users_db, use_db, xlsx  # noqa: F401

DT = "87"


# --- 1. no empty database created where none exists -------------------------------------------------

STORE_CMDS = [
    ["import", "FILE", "--kind", "register", "--user", "ed"],
    ["preview", "1"],
    ["publish", "1", "--approver", "ap"],
    ["rollback", "1", "--user", "ap"],
    ["user", "add", "someone", "--role", "editor", "--password-stdin"],
    ["batches"],
]


@pytest.mark.parametrize("argv", STORE_CMDS, ids=[a[0] for a in STORE_CMDS])
def test_intake_commands_never_create_a_store(argv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    db = tmp_path / "none" / "missing.db"
    db.parent.mkdir()
    f = tmp_path / "f.xlsx"
    f.write_bytes(xlsx("register", [{"school_code": "87X1", "name": "T", "level": "TH", "province_code": DT}]))
    use_db(db, monkeypatch)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("a-long-password-1\n"))
    rc = main([str(f) if a == "FILE" else a for a in argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert err == [f"no database at {db}: build it with `python -m dashboard build-db`"]
    assert list(db.parent.iterdir()) == []  # nothing created, not even -wal/-shm


@pytest.mark.parametrize("kind", ["foreign", "ahead"])
def test_intake_commands_refuse_a_foreign_or_newer_store(kind, users_db: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, capsys):
    db = tmp_path / "x.db"
    if kind == "foreign":
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE t (a)")
    else:
        copy_db(users_db, db)
        with sqlite3.connect(db) as con:
            con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    use_db(db, monkeypatch)
    before = db_bytes(db)
    assert main(["batches"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(db) in err[0]
    assert ("no schema revision" in err[0]) if kind == "foreign" else ("9999_future" in err[0])
    assert db_bytes(db) == before


def test_sign_in_on_a_missing_store_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "missing.db"
    use_db(db, monkeypatch)
    with pytest.raises(StoreUnavailable) as e:
        auth.verify("ed", "whatever-password")
    assert not db.exists() and list(tmp_path.iterdir()) == []
    assert "kho dữ liệu chưa sẵn sàng" in e.value.message("vi") and str(tmp_path) not in e.value.message("vi")
    assert e.value.detail.startswith("no database at")


# --- 2. coordinates: a dot or a comma is the decimal point; the message repeats what was typed ---------

@pytest.fixture()
def reg(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_db(copy_db(registered_db, tmp_path / "s.db"), monkeypatch)


def _reg(code: str, **kw) -> dict:
    return {"school_code": code, "name": "Trường thử", "level": "TH", "province_code": DT, **kw}


def _by(res, code: str) -> list:
    return [p for p in res.problems if p.code == code]


def test_coordinates_read_with_either_decimal_mark(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("register", [_reg("87X0001", lat="10.456", lon="105,632"),
                                  _reg("87X0002", lat="10,4567", lon="105.6321"),
                                  _reg("87X0003", lat=10.5, lon=105.5)]), "r.xlsx", "register")
    assert res.ok, [p.text("en") for p in res.errors]
    assert res.rows["lat"].tolist() == [10.456, 10.4567, 10.5]
    assert res.rows["lon"].tolist() == [105.632, 105.6321, 105.5]


def test_coordinate_out_of_range_repeats_the_typed_text(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("register", [_reg("87X0001", lat="30,5", lon="105,6"),
                                  _reg("87X0002", lat="1.234.5", lon="105,6")]), "r.xlsx", "register")
    (p,) = _by(res, "range")
    assert (p.row, p.field) == (3, "lat")
    assert p.vi == "'30,5' ngoài khoảng 8–23,5" and p.en == "'30,5' outside 8–23.5"
    (q,) = _by(res, "not_number")
    assert (q.row, q.field) == (4, "lat") and "'1.234.5'" in q.vi and "10,4567" in q.vi


# --- 4. plausibility: non-finite and absurd counts refused, odd ratios warned --------------------------

SCHOOL = f"{DT}DEMO0005"


def _sy(**kw) -> dict:
    return {"school_code": SCHOOL, "school_year": "2024-2025", "students": 300, "teachers": 20, **kw}


def test_absurd_and_non_finite_counts_are_refused(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("school_year", [_sy(students="1e308"), _sy(school_year="2023-2024", pc_teaching=500000),
                                     _sy(school_year="2022-2023", teachers="1e999")]), "s.xlsx", "school_year")
    big = {(p.row, p.field): p for p in _by(res, "too_large")}
    assert set(big) == {(3, "students"), (4, "pc_teaching")}
    assert "tối đa hợp lý cho một trường (20.000)" in big[(3, "students")].vi and "'1e308'" not in big[(3, "students")].vi
    assert big[(3, "students")].vi.startswith("1e308 vượt")
    assert big[(4, "pc_teaching")].vi.startswith("500.000 vượt") and "(5.000)" in big[(4, "pc_teaching")].vi
    assert big[(4, "pc_teaching")].en.startswith("500,000 is above") and "(5,000)" in big[(4, "pc_teaching")].en
    (inf,) = _by(res, "not_finite")
    assert (inf.row, inf.field) == (5, "teachers") and "'1e999'" in inf.vi
    assert not res.ok


def test_implausible_ratios_are_warned(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("school_year", [_sy(pc_teaching=500, pc_management=101),
                                     _sy(school_year="2023-2024", students=1500, teachers=20),
                                     _sy(school_year="2022-2023", pc_teaching=30)]), "s.xlsx", "school_year")
    assert res.ok
    w = {(p.row, p.field): p for p in _by(res, "implausible_ratio")}
    assert set(w) == {(3, "pc_teaching"), (4, "teachers")}
    assert w[(3, "pc_teaching")].vi.startswith("601 máy tính cho 300 học sinh")
    assert w[(4, "teachers")].vi.startswith("75,0 học sinh mỗi giáo viên (hơn 60)")


def test_bounds_are_stated_in_the_template_help():
    from dashboard.intake.template import build_workbook

    wb = build_workbook("school_year")
    help_ws = next(ws for ws in wb.worksheets if ws.title == "Hướng dẫn")
    text = " ".join(str(c.value) for row in help_ws.iter_rows() for c in row if c.value)
    assert "tối đa 20.000 một trường" in text and "tối đa 2.000 một trường" in text and "tối đa 5.000" in text


# --- 9. messages -------------------------------------------------------------------------------------

def test_a_level_written_as_words_gets_the_level_hint(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("assessment", [{"school_code": SCHOOL, "school_year": "2024-2025", "score_teaching": 60,
                                     "score_management": 70, "declared_level": "Mức 2"}]), "a.xlsx", "assessment")
    (p,) = [p for p in res.errors if p.field == "declared_level"]
    assert p.vi == "'Mức 2' không phải mức hợp lệ: ghi 1, 2 hoặc 3"
    assert p.en == "'Mức 2' is not a valid level: write 1, 2 or 3"


# --- 3. a partial file is warned about, and the label says how many schools it covers ----------------

def test_partial_file_is_warned_and_coverage_is_shown(reg: Path):
    from dashboard import rollups
    from dashboard.db import write_engine
    from dashboard.intake.batches import check, publish, stage
    from dashboard.intake.errors import WarningsNotAcknowledged

    rows = [_sy(school_code=f"{DT}DEMO{i:04d}") for i in (2, 3, 4)]
    res = check(xlsx("school_year", rows), "p.xlsx", "school_year")
    (w,) = _by(res, "partial_coverage")
    assert w.vi == "Tệp có 3/595 trường của tỉnh; 592 trường còn lại sẽ không có số liệu năm học 2024-2025"
    assert w.en == "the file has 3/595 of the province's schools; the other 592 will have no data for school year 2024-2025"
    assert res.coverage == {2024: {"file": 3, "earlier": 0, "missing": 592, "of": 595}}
    with pytest.raises(WarningsNotAcknowledged):
        stage(xlsx("school_year", rows), "p.xlsx", "school_year", user="ed")
    publish(stage(xlsx("school_year", rows), "p.xlsx", "school_year", user="ed", ack_warnings=True), approver="ap")
    src = rollups.data_source(DT, 2024, engine=write_engine(reg))
    assert src["coverage"] == {"n": 3, "of": 595} and src["label"].endswith(" — 3/595 trường")
    assert rollups.data_source(DT, 2024, lang="en", engine=write_engine(reg))["label"].endswith(" — 3/595 schools")
    assert rollups.data_source(DT, 2023, engine=write_engine(reg))["coverage"] is None  # still simulated

    more = [_sy(school_code=f"{DT}DEMO{i:04d}") for i in (4, 5)]
    (w2,) = _by(check(xlsx("school_year", more), "q.xlsx", "school_year"), "partial_coverage")
    assert w2.vi == ("Tệp có 2/595 trường của tỉnh, 2 trường khác đã có số liệu từ lô trước; 591 trường còn lại "
                     "sẽ không có số liệu năm học 2024-2025")


# --- 6. import --approve checks the approver before staging anything ----------------------------------

@pytest.mark.parametrize("approver,expect", [
    (None, "--approve needs --approver NAME"),
    ("nobody", "tài khoản 'nobody' không tồn tại"),
    ("ed", "tài khoản 'ed' (editor) không có quyền này"),
    ("ap", "người tải lên không tự phê duyệt lô của mình"),
])
def test_import_approve_checks_the_approver_first(approver, expect, reg: Path, tmp_path: Path, capsys):
    from dashboard.intake import audit

    f = tmp_path / "sy.xlsx"
    f.write_bytes(xlsx("school_year", [_sy()]))
    before = db_bytes(reg)
    argv = ["import", str(f), "--kind", "school_year", "--user", "ap" if approver in ("ap", "ed") else "ed",
            "--ack-warnings", "--approve"] + (["--approver", approver] if approver else [])
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(expect)
    assert db_bytes(reg) == before and audit.batches(status="staged").empty


def test_import_approve_publishes_with_a_valid_approver(reg: Path, tmp_path: Path, capsys):
    f = tmp_path / "sy.xlsx"
    f.write_bytes(xlsx("school_year", [_sy()]))
    assert main(["import", str(f), "--kind", "school_year", "--user", "ed", "--ack-warnings", "--approve",
                 "--approver", "ap"]) == 0
    out = capsys.readouterr().out.splitlines()
    bid = out[0].split()[2]
    assert out == [f"staged batch {bid} (school_year, sy.xlsx)", f"published batch {bid}: 1 new, 0 changed, 0 unchanged"]


# --- 8. a check result from before the store changed is checked again at staging -----------------------

def test_stage_rechecks_a_stale_result(reg: Path, examples: Path):
    from dashboard.db import data_version, write_engine
    from dashboard.intake.batches import check, publish, rollback, stage
    from dashboard.intake.errors import Rejected

    new = _reg("87NEW0001")
    data = xlsx("register", [new])
    reg_bid = stage(data, "n.xlsx", "register", user="ed")
    publish(reg_bid, approver="ap")
    sy = xlsx("school_year", [_sy(school_code="87NEW0001")])
    res = check(sy, "sy.xlsx", "school_year")
    assert res.ok and res.data_version == data_version(write_engine(reg))
    rollback(reg_bid, user="ap")  # the school the check saw is gone
    with pytest.raises(Rejected) as e:
        stage(sy, "sy.xlsx", "school_year", user="ed", ack_warnings=True, result=res)
    assert [p.code for p in e.value.problems] == ["unknown_school"]
    assert [p.code for p in check(sy, "sy.xlsx", "school_year").errors] == ["unknown_school"]


# --- 7. codes that differ only in case are the same code ----------------------------------------------

def test_case_only_duplicate_codes_in_a_file(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("register", [_reg("87new0001"), _reg("87X0009"), _reg("87NEW0001")]), "r.xlsx", "register")
    (p,) = _by(res, "duplicate")
    assert (p.row, p.field) == (5, "school_code")
    assert p.vi == "trùng với dòng 3: '87new0001' (dòng 3) và '87NEW0001' (dòng 5) chỉ khác chữ hoa/thường"
    assert "differ only in case" in p.en


def test_case_only_twin_of_a_stored_code(reg: Path):
    from dashboard.intake.batches import check

    res = check(xlsx("register", [_reg("87demo0005")]), "r.xlsx", "register")
    (p,) = _by(res, "case_duplicate")
    assert p.row == 3 and "'87demo0005'" in p.vi and "'87DEMO0005'" in p.vi
    res = check(xlsx("school_year", [_sy(school_code="87demo0005")]), "s.xlsx", "school_year")
    (q,) = _by(res, "unknown_school")
    assert "danh sách có '87DEMO0005' (chỉ khác chữ hoa/thường)" in q.vi
    res = check(xlsx("school_year", [_sy(), _sy(school_code="87demo0005")]), "s.xlsx", "school_year")
    assert [(p.row, p.code) for p in res.errors] == [(4, "duplicate"), (4, "unknown_school")]


# --- 5. a formula without a saved value is named, not silently read as empty --------------------------

def test_formula_without_saved_value_is_warned(reg: Path):
    from dashboard.intake.batches import check

    data = xlsx("school_year", [_sy(pc_teaching="=D3/10"), _sy(school_year="2023-2024", pc_teaching=12)])
    res = check(data, "f.xlsx", "school_year")
    (w,) = _by(res, "formula_no_value")
    assert (w.sheet, w.row, w.field) == ("Số liệu năm học", 3, "pc_teaching")
    assert w.vi.startswith("ô H3: công thức chưa có giá trị đã lưu — mở tệp trong Excel và lưu lại")
    assert w.severity == "warning" and res.rows["pc_teaching"].tolist()[1] == 12


def test_formula_with_a_saved_value_is_read_quietly(reg: Path, tmp_path: Path):
    import io
    import zipfile

    from dashboard.intake.batches import check

    data = xlsx("school_year", [_sy(pc_teaching="=D3/10")])
    # give the formula a saved value, as Excel would on saving
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<f>D3/10</f><v></v>", b"<f>D3/10</f><v>30</v>").replace(
                    b"<f>D3/10</f></c>", b"<f>D3/10</f><v>30</v></c>")
                assert b"<v>30</v>" in body
            zout.writestr(item, body)
    res = check(buf.getvalue(), "f.xlsx", "school_year")
    assert not _by(res, "formula_no_value") and res.rows["pc_teaching"].tolist() == [30]


def test_status_names_and_school_years_in_words(reg: Path, capsys):
    from dashboard.intake.batches import check, publish, stage
    from dashboard.intake.errors import StateError

    data = xlsx("school_year", [_sy()])
    bid = stage(data, "s.xlsx", "school_year", user="ed", ack_warnings=True)
    (w,) = _by(check(data, "s.xlsx", "school_year"), "same_file")
    assert w.vi == f"tệp này đã được nạp ở lô {bid} (chờ duyệt)"
    assert w.en == f"this file was already uploaded as batch {bid} (staged)"
    publish(bid, approver="ap")
    with pytest.raises(StateError) as e:
        publish(bid, approver="ap2")
    assert e.value.message("vi") == (f"lô {bid} đang ở trạng thái 'Đã phát hành', chỉ phát hành được lô đang chờ "
                                     "duyệt")
    assert main(["batches"]) == 0
    out = capsys.readouterr().out.splitlines()
    line = next(x for x in out if x.split()[0] == str(bid))
    assert " 2024-2025 " in line and "school_years" in out[0]


# --- 10. template --out: one clear line for a bad path, whole-or-nothing writing ------------------------

@pytest.mark.parametrize("where,expect", [
    ("nofolder/t.xlsx", "folder"),
    ("", "--out is empty"),
    (".", "is a directory"),
    ("t.pdf", "ending in .xlsx or .csv"),
])
def test_template_bad_out_is_one_line(where, expect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--kind", "register", "--out", where]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expect in err[0] and "Traceback" not in err[0]
    assert list(tmp_path.iterdir()) == []


def test_template_read_only_folder_and_atomic_write(tmp_path: Path, capsys):
    import os

    from python_calamine import CalamineWorkbook

    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o555)
    try:
        if not os.access(ro, os.W_OK):  # (root may write anyway)
            assert main(["template", "--kind", "register", "--out", str(ro / "t.xlsx")]) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1 and "cannot write" in err[0]
            assert list(ro.iterdir()) == []
    finally:
        os.chmod(ro, 0o755)
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")
    assert main(["template", "--kind", "school_year", "--out", str(out)]) == 0
    assert "Số liệu năm học" in CalamineWorkbook.from_path(str(out)).sheet_names
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert main(["template", "--kind", "register", "--out", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_text(encoding="utf-8-sig").startswith("Mã trường,Tên trường,Cấp học")


def test_register_commune_is_a_current_commune_of_the_schools_current_province(reg: Path):
    """The column 'Mã xã (từ 7/2025)' takes a current commune: 29869 (Phường Cao Lãnh, Đồng Tháp since 7/2025)
    passes; 28249 (Phường Đạo Thạnh, former Tiền Giang, merged into the same Đồng Tháp) passes; a current commune
    of Cần Thơ is in another province; 29872 (Phường 4, Cao Lãnh, a former code no longer used) is named as
    former; 99999 is unknown. All are warnings naming row and field."""
    from dashboard.intake.batches import check

    res = check(xlsx("register", [_reg("87X0001", commune_code="29869"), _reg("87X0002", commune_code="28249"),
                                  _reg("87X0003", commune_code="31120"), _reg("87X0004", commune_code="29872"),
                                  _reg("87X0005", commune_code="99999")]), "xa.xlsx", "register")
    assert res.ok, [p.text("en") for p in res.errors]
    got = [(w.row, w.field, w.code) for w in res.warnings if w.field == "commune_code"]
    assert got == [(5, "commune_code", "commune_province"), (6, "commune_code", "former_commune"),
                   (7, "commune_code", "unknown_commune")]
    assert "'29872' is a former commune code (before 7/2025)" in _by(res, "former_commune")[0].text("en")
    assert "thuộc tỉnh 92, không thuộc tỉnh 82" in _by(res, "commune_province")[0].text("vi")
