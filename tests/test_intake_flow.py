"""The whole intake flow on a real store: stage, preview, publish, dashboards, rollback, audit, CLI."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from dashboard import rollups
from dashboard.db import data_version, write_engine
from dashboard.intake import audit, dx4725
from dashboard.intake.batches import check, publish, reject, rollback, stage
from dashboard.intake.errors import PermissionDenied, Rejected, StateError, WarningsNotAcknowledged
from dashboard.intake.preview import preview
from dashboard.intake.spec import parse_number, spec
from dashboard.intake.template import build_workbook
from test_intake_support import copy_db, examples, registered_db, users_db, use_db, xlsx  # noqa: F401

DT = "87"


@pytest.fixture()
def reg(registered_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return use_db(copy_db(registered_db, tmp_path / "s.db"), monkeypatch)


def _file(examples: Path, kind: str) -> tuple[bytes, str]:
    p = examples / f"demo_dong-thap_2024_{kind}.xlsx"
    return p.read_bytes(), p.name


def _snapshot(db: Path) -> dict[str, pd.DataFrame]:
    """Everything a dashboard reads for Đồng Tháp, plus the raw shared tables."""
    eng = write_engine(db)
    out = {}
    for y in (2023, 2024):
        out[f"d{y}"] = rollups.district_summary(DT, y, engine=eng)
        out[f"p{y}"] = rollups.province_summary(DT, y, engine=eng)
    out["series"] = rollups.district_series(DT, "cashless", engine=eng)
    with eng.connect() as con:
        for t in ("school", "school_year", "observation", "source", "intake_assessment"):
            out[t] = pd.read_sql(f"SELECT * FROM {t} ORDER BY 1", con)
    return out


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        pd.testing.assert_frame_equal(a[k], b[k], check_dtype=False, obj=k)


def test_decision_4725_levels():
    assert [dx4725.group_level(s) for s in (0, 49.9, 50, 75, 75.5, 100)] == [1, 1, 2, 2, 3, 3]
    assert dx4725.computed_level(80, 90) == 3
    assert dx4725.computed_level(80, 60) == 2  # the lower group decides
    assert dx4725.computed_level(40, 80) == 1
    assert dx4725.computed_level(None, 80) is None
    assert dx4725.effective_level(None, 2, 3) == 2 and dx4725.effective_level(1, 2, 3) == 1
    assert "mỗi nhóm tiêu chí" in dx4725.CITATION["quotes"][2] and "dti.vnedu.vn" in dx4725.RULE["vi"]


def test_vietnamese_numbers():
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("84,34") == 84.34
    assert parse_number("7.661") == 7661
    assert parse_number("1234.5") == 1234.5
    assert parse_number(" 12 ") == 12 and parse_number("78,18%") == 78.18
    with pytest.raises(ValueError):
        parse_number("nhiều")


def test_template_headers_validation_and_help(tmp_path: Path):
    for kind in ("register", "school_year", "assessment", "report"):
        k = spec(kind)
        wb = build_workbook(kind)
        ws = wb[k.sheet_vi]
        assert [c.value.rstrip(" *") for c in ws[1]] == [c.vi for c in k.columns]
        assert [c.value.rstrip(" *") for c in ws[2]] == [c.en for c in k.columns]
        assert "Hướng dẫn" in wb.sheetnames
        help_keys = [r[2].value for r in wb["Hướng dẫn"].iter_rows(min_row=6)]
        assert help_keys == [c.key for c in k.columns]
        path = tmp_path / f"{kind}.xlsx"
        wb.save(path)
        dv = load_workbook(path)[k.sheet_vi].data_validations.dataValidation
        assert dv, kind  # drop-downs survive a save
    lvl = [d for d in load_workbook(tmp_path / "assessment.xlsx")["Tự đánh giá QĐ 4725"].data_validations.dataValidation
           if d.formula1 == '"1,2,3"']
    assert lvl


def test_demo_files_are_marked(examples: Path):
    for kind in ("register", "school_year", "assessment", "report"):
        wb = CalamineWorkbook.from_path(str(examples / f"demo_dong-thap_2024_{kind}.xlsx"))
        assert wb.sheet_names[0] == "Ghi chú"
        assert "DỮ LIỆU MINH HOẠ" in wb.get_sheet_by_name("Ghi chú").to_python()[0][0]
    assert "MINH HOẠ" in (examples / "demo_dong-thap_2024_report.txt").read_text(encoding="utf-8")


def test_full_flow_publish_changes_dashboards_and_rollback_restores_them(reg: Path, examples: Path):
    eng = write_engine(reg)
    before = _snapshot(reg)
    assert rollups.data_source(DT, 2023, engine=eng)["provenance"] == "simulated"
    assert rollups.data_source(DT, 2024, engine=eng)["provenance"] is None
    v0 = data_version(eng)

    data, name = _file(examples, "school_year")
    bid = stage(data, name, "school_year", user="ed")
    assert _snapshot(reg)["p2024"]["schools"].iloc[0] == 0  # staged = invisible
    pv = preview(bid)
    assert pv.counts == {"new": 595, "changed": 0, "unchanged": 0}
    cash = pv.indicators[(pv.indicators["scope"] == "province") & (pv.indicators["measure"] == "cashless")]
    assert cash["after"].iloc[0] == pytest.approx(100 * 465 / 595)
    assert _snapshot(reg)["p2024"]["schools"].iloc[0] == 0  # preview wrote nothing
    publish(bid, approver="ap")
    assert data_version(eng) == v0 + 1
    p = rollups.province_summary(DT, 2024, engine=eng)
    assert p["schools"].iloc[0] == 595 and p["cashless"].iloc[0] == pytest.approx(100 * 465 / 595)
    src = rollups.data_source(DT, 2024, engine=eng)
    assert src["provenance"] == "imported" and src["label"].startswith(f"Dữ liệu nhập: {name}, phê duyệt ")
    d = rollups.district_summary(DT, 2024, engine=eng)
    assert set(d["provenance"]) == {"imported"} and d["schools"].sum() == 595

    data, name = _file(examples, "assessment")
    with pytest.raises(WarningsNotAcknowledged):
        stage(data, name, "assessment", user="ed")
    bid2 = stage(data, name, "assessment", user="ed", ack_warnings=True)
    publish(bid2, approver="ap")
    d = rollups.district_summary(DT, 2024, engine=eng)
    a = audit.assessments(DT, 2024, engine=eng)
    assert d[["dx_l1", "dx_l2", "dx_l3"]].sum().sum() == len(a) == 583
    assert a["flag_declared"].sum() == 11  # the demo's schools that overrate themselves
    lv = audit.assessment_levels(DT, by="province", engine=eng)
    assert lv[["pct_l1", "pct_l2", "pct_l3"]].sum(axis=1).iloc[0] == pytest.approx(100)

    rollback(bid2, user="ap")
    rollback(bid, user="ap2")
    _same(before, _snapshot(reg))
    b = audit.batches(engine=eng)
    assert list(b["status"]) == ["rolled_back", "rolled_back", "published"]
    assert b.loc[b["id"] == bid, "rolled_back_by"].iloc[0] == "ap2"
    assert data_version(eng) == v0 + 4


def test_imported_wins_over_simulated_in_a_simulated_year(reg: Path, examples: Path):
    """A 2023-2024 file for a few schools: the simulated 2023 rows of the province are no longer summed."""
    eng = write_engine(reg)
    sim = rollups.province_summary(DT, 2023, engine=eng)["schools"].iloc[0]
    assert sim > 500
    codes = [f"{DT}DEMO{i:04d}" for i in range(2, 5)]  # 0001 has no district in the simulation
    rows = [{"school_code": c, "school_year": "2023-2024", "students": 100, "teachers": 10, "cashless": 1,
             "learners_digital": 90, "teachers_digital": 10} for c in codes]
    bid = stage(xlsx("school_year", rows), "dt_2023.xlsx", "school_year", user="ed", ack_warnings=True)
    publish(bid, approver="ap")
    p = rollups.province_summary(DT, 2023, engine=eng)
    assert p["schools"].iloc[0] == 3 and p["cashless"].iloc[0] == 100
    s = rollups.district_series(DT, "cashless", engine=eng)
    assert s[s["school_year"] == 2023]["schools"].sum() == 3
    assert s[s["school_year"] == 2022]["schools"].sum() == sim - 1  # other years stay simulated (one has no district)


def test_newest_published_value_wins_and_empty_cells_keep_it(reg: Path):
    eng = write_engine(reg)
    code = f"{DT}DEMO0001"
    b1 = stage(xlsx("school_year", [{"school_code": code, "school_year": "2024-2025", "students": 500,
                                     "teachers": 30, "cashless": 0}]), "a.xlsx", "school_year", user="ed", ack_warnings=True)
    publish(b1, approver="ap")
    b2 = stage(xlsx("school_year", [{"school_code": code, "school_year": "2024-2025", "students": 520,
                                     "cashless": 1}]), "b.xlsx", "school_year", user="ed", ack_warnings=True)
    assert preview(b2).counts == {"new": 0, "changed": 1, "unchanged": 0}
    publish(b2, approver="ap")
    with eng.connect() as con:
        rows = con.exec_driver_sql("SELECT students, teachers, cashless, batch_id FROM school_year "
                                   "WHERE batch_id IS NOT NULL").all()
    assert rows == [(520, 30, 1, b2)]
    with pytest.raises(StateError) as e:
        rollback(b1, user="ap")  # b2 replaced b1's row
    assert str(b2) in e.value.message("en")
    rollback(b2, user="ap")
    with eng.connect() as con:
        assert con.exec_driver_sql("SELECT students, teachers, cashless, batch_id FROM school_year "
                                   "WHERE batch_id IS NOT NULL").all() == [(500, 30, 0, b1)]


def test_jumps_above_30_points_are_flagged(reg: Path):
    code = f"{DT}DEMO0002"
    b1 = stage(xlsx("school_year", [{"school_code": code, "school_year": "2023-2024", "students": 100,
                                     "learners_digital": 20}]), "a.xlsx", "school_year", user="ed", ack_warnings=True)
    publish(b1, approver="ap")
    b2 = stage(xlsx("school_year", [{"school_code": code, "school_year": "2024-2025", "students": 100,
                                     "learners_digital": 90}]), "b.xlsx", "school_year", user="ed", ack_warnings=True)
    j = preview(b2, lang="en").jumps
    assert len(j) == 1 and j["change"].iloc[0] == pytest.approx(70) and j["school_code"].iloc[0] == code


def test_register_changes_and_dependency_on_rollback(reg: Path, examples: Path):
    eng = write_engine(reg)
    code = f"{DT}DEMO0003"
    bid = stage(xlsx("register", [{"school_code": code, "name": "Trường đổi tên", "level": "TH", "public": "Công lập",
                                   "province_code": DT}, {"school_code": f"{DT}NEW0001", "name": "Trường mới",
                                   "level": "THCS", "province_code": DT, "lat": "10,45", "lon": "105,63"}]),
                "r.xlsx", "register", user="ed")
    pv = preview(bid)
    assert pv.counts == {"new": 1, "changed": 1, "unchanged": 0}
    assert sorted(pv.rows["change"]) == ["changed", "new"]
    publish(bid, approver="ap")
    with eng.connect() as con:
        assert con.exec_driver_sql(f"SELECT name FROM school WHERE code = '{code}'").scalar() == "Trường đổi tên"
        assert con.exec_driver_sql(f"SELECT lat, location_precision FROM school WHERE code = '{DT}NEW0001'").one() \
            == (10.45, "exact")
    sy = stage(xlsx("school_year", [{"school_code": f"{DT}NEW0001", "school_year": 2024, "students": 10}]),
               "n.xlsx", "school_year", user="ed", ack_warnings=True)
    publish(sy, approver="ap")
    with pytest.raises(StateError):
        rollback(bid, user="ap")  # the new school has published school-year data
    rollback(sy, user="ap")
    rollback(bid, user="ap")
    with eng.connect() as con:
        assert con.exec_driver_sql(f"SELECT name FROM school WHERE code = '{code}'").scalar().startswith("Trường Tiểu học")
        assert con.exec_driver_sql(f"SELECT COUNT(*) FROM school WHERE code = '{DT}NEW0001'").scalar() == 0


def test_report_figures_are_observations_with_their_document(reg: Path, examples: Path):
    eng = write_engine(reg)
    data, name = _file(examples, "report")
    doc = (examples / "demo_dong-thap_2024_report.txt").read_bytes()
    bid = stage(data, name, "report", user="ed", document=doc, document_name="bc.txt")
    publish(bid, approver="ap")
    with eng.connect() as con:
        obs = pd.read_sql(f"SELECT * FROM observation WHERE batch_id = {bid}", con)
        src = pd.read_sql(f"SELECT * FROM source WHERE batch_id = {bid}", con)
    assert set(obs["provenance"]) == {"imported"} and len(obs) == 2
    cash = obs[obs["indicator_code"] == "CASHLESS_SCHOOLS_PCT"].iloc[0]
    assert (cash["numerator"], cash["denominator"], cash["value"]) == (465, 595, 78.15)
    assert cash["quote"] in src["text"].iloc[0] and cash["printed"] in cash["quote"]
    assert audit.batch_file_bytes(bid, "document", engine=eng) == ("bc.txt", doc)
    rollback(bid, user="ap")
    with eng.connect() as con:
        assert con.exec_driver_sql(f"SELECT COUNT(*) FROM observation WHERE batch_id = {bid}").scalar() == 0


def test_roles_four_eyes_and_states(reg: Path, examples: Path):
    data, name = _file(examples, "school_year")
    with pytest.raises(PermissionDenied):
        stage(data, name, "school_year", user="nobody")
    bid = stage(data, name, "school_year", user="ap")
    with pytest.raises(PermissionDenied):
        publish(bid, approver="ed")  # an editor cannot publish
    with pytest.raises(PermissionDenied):
        publish(bid, approver="ap")  # nor the uploader
    reject(bid, approver="ap2", note="thiếu số liệu")
    with pytest.raises(StateError):
        publish(bid, approver="ap2")
    with pytest.raises(StateError):
        rollback(bid, user="ap2")
    b = audit.batches()
    assert b.loc[b["id"] == bid, "status_name"].iloc[0] == "Bị từ chối"


def test_check_reports_vietnamese_numbers_and_empty_rows(reg: Path):
    code = f"{DT}DEMO0004"
    rows = [{"school_code": code, "school_year": "2024-2025", "students": "1.234", "teachers": "56",
             "pc_teaching": "12", "learners_digital": "1.200"}]
    res = check(xlsx("school_year", rows, blank_rows_at=(0,)), "vn.xlsx", "school_year")
    assert not res.errors
    assert [(w.row, w.code) for w in res.warnings] == [(3, "empty_row"), (None, "partial_coverage")]
    assert res.rows[["students", "learners_digital"]].iloc[0].tolist() == [1234, 1200]
    assert res.province_code == DT and res.school_years == [2024]


def test_cli_import_batches_rollback(reg: Path, examples: Path, capsys: pytest.CaptureFixture):
    from dashboard.cli import main

    f = examples / "demo_dong-thap_2024_school_year.xlsx"
    assert main(["import", str(f), "--kind", "school_year", "--user", "ed", "--approve", "--approver", "ap"]) == 0
    out = capsys.readouterr().out
    assert "published batch" in out and "595 new" in out
    assert main(["batches"]) == 0
    assert "school_year" in capsys.readouterr().out
    bid = int(audit.batches()["id"].max())
    assert main(["rollback", str(bid), "--user", "ed"]) == 2  # an editor may not roll back
    err = capsys.readouterr().err
    assert "ed" in err and "Traceback" not in err
    assert main(["rollback", str(bid), "--user", "ap"]) == 0
    assert main(["import", str(examples / "demo_dong-thap_2024_assessment.xlsx"), "--kind", "assessment",
                 "--user", "ed", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "warning(s) to acknowledge" in err and "row 14" in err
    assert main(["import", "missing.xlsx", "--kind", "register", "--user", "ed"]) == 2
    assert "missing.xlsx" in capsys.readouterr().err


def test_cli_template_and_user(users_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture):
    import io

    from dashboard.cli import main

    use_db(copy_db(users_db, tmp_path / "u.db"), monkeypatch)
    out = tmp_path / "t.xlsx"
    assert main(["template", "--kind", "register", "--out", str(out)]) == 0
    assert load_workbook(out)["Danh sách trường"]["A1"].value == "Mã trường *"
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password-1\n"))
    assert main(["user", "add", "lan", "--role", "editor"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["user", "add", "minh", "--role", "approver"]) == 2
    assert "10" in capsys.readouterr().err
    assert main(["user", "list"]) == 0
    assert "lan\teditor" in capsys.readouterr().out


def test_rejected_file_writes_nothing(reg: Path):
    from test_intake_support import db_bytes

    h = db_bytes(reg)
    with pytest.raises(Rejected) as e:
        stage(xlsx("school_year", [{"school_code": "NOPE", "school_year": "2024-2025"}]), "x.xlsx", "school_year",
              user="ed")
    p = e.value.problems[0]
    assert (p.file, p.sheet, p.row, p.field, p.code) == ("x.xlsx", "Số liệu năm học", 3, "school_code", "unknown_school")
    assert db_bytes(reg) == h


def test_assessments_alone_replace_the_simulated_levels(reg: Path):
    """A province that loads only its 4725 self-assessments: level counts are imported, school rows simulated."""
    eng = write_engine(reg)
    before = rollups.district_summary(DT, 2023, engine=eng)
    assert set(before["dx_provenance"]) == {"simulated"} and before["general_schools"].sum() > 300
    rows = [{"school_code": f"{DT}DEMO{i:04d}", "school_year": "2023-2024", "score_teaching": s, "score_management": s,
             "declared_level": lv} for i, (s, lv) in zip(range(2, 6), [(40, 1), (60, 2), (80, 3), (90, 3)])]
    publish(stage(xlsx("assessment", rows), "a23.xlsx", "assessment", user="ed", ack_warnings=True), approver="ap")
    d = rollups.district_summary(DT, 2023, engine=eng)
    assert set(d["dx_provenance"]) == {"imported"} and set(d["provenance"]) == {"simulated"}
    assert (d["dx_l1"].sum(), d["dx_l2"].sum(), d["dx_l3"].sum(), d["general_schools"].sum()) == (1, 1, 2, 4)
    assert d["schools"].sum() == before["schools"].sum()
    src = rollups.data_source(DT, 2023, engine=eng, lang="en")
    assert src["provenance"] == "simulated" and src["dx_provenance"] == "imported"
    assert src["dx_label"].startswith("Imported data: a23.xlsx, approved ")
    by_level = rollups.district_summary(DT, 2023, by_level=True, engine=eng)
    assert by_level["general_schools"].sum() == 4


def test_imported_data_survives_build_db(reg: Path, examples: Path):
    from dashboard.build import build

    eng = write_engine(reg)
    data, name = _file(examples, "school_year")
    bid = stage(data, name, "school_year", user="ed")
    publish(bid, approver="ap")
    before = rollups.province_summary(DT, 2024, engine=eng)
    build(reg, quiet=True)  # in place: replaces the build-owned rows only
    pd.testing.assert_frame_equal(before, rollups.province_summary(DT, 2024, engine=eng))
    assert rollups.data_source(DT, 2024, engine=eng)["provenance"] == "imported"
    rollback(bid, user="ap")
    assert rollups.province_summary(DT, 2024, engine=eng)["schools"].iloc[0] == 0


def test_assessment_jumps_name_the_school(reg: Path):
    code = f"{DT}DEMO0007"
    row = {"school_code": code, "score_teaching": 30, "score_management": 40, "declared_level": 1}
    publish(stage(xlsx("assessment", [row | {"school_year": "2023-2024"}]), "a.xlsx", "assessment", user="ed", ack_warnings=True),
            approver="ap")
    b = stage(xlsx("assessment", [row | {"school_year": "2024-2025", "score_teaching": 85, "score_management": 80,
                                         "declared_level": 3}]), "b.xlsx", "assessment", user="ed", ack_warnings=True)
    j = preview(b).jumps
    assert set(j["measure"]) == {"score_teaching", "score_management"}
    assert j["school_name"].iloc[0].startswith("Trường") and j["change"].max() == 55


def test_same_file_twice_is_a_warning(reg: Path, examples: Path):
    data, name = _file(examples, "school_year")
    bid = stage(data, name, "school_year", user="ed")
    res = check(data, "copy.xlsx", "school_year")
    assert [(w.code, w.row) for w in res.warnings] == [("same_file", None)]
    assert f"batch {bid}" in res.warnings[0].text("en")


def test_csv_and_english_headers_are_read(reg: Path):
    from dashboard.intake.template import csv_header

    code = f"{DT}DEMO0008"
    head = csv_header("school_year").strip().replace(",", ";")
    line = f"{code};;2024-2025;1.234;56;1;0;12;3;20;1;1;0;1;1;0;1;1.100;50;ghi chú"
    res = check(("\ufeff" + head + "\n" + line + "\n").encode("utf-8"), "sy.csv", "school_year")
    assert [p.code for p in res.problems] == ["partial_coverage"], [p.text("en") for p in res.problems]
    r = res.rows.iloc[0]
    assert (r["students"], r["learners_digital"], r["fibre"], r["wifi"], r["note"]) == (1234, 1100, 1, 0, "ghi chú")
    en = [c.en for c in spec("assessment").columns]
    data = xlsx("assessment", [[code, None, "2024-2025", "72,5", 80, 2, None, None]], headers=en)
    res = check(data, "en.xlsx", "assessment")
    assert not res.errors and res.rows["computed_level"].iloc[0] == 2


def test_published_report_figures_reach_the_dashboards_and_conflicts(reg: Path, examples: Path):
    """A report batch, once approved, is read like the seed documents' figures: the overview's latest value,
    the sources page's table and the conflict view (the seed plan's 78,18% vs the report's 78,15%); staged it
    is invisible; rolled back it is gone."""
    from dashboard import queries

    eng = write_engine(reg)

    def latest_cashless() -> pd.DataFrame:
        df = queries.latest_observations([DT], engine=eng)
        return df[(df["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (df["level"] == "PT_GDTX")]

    before = latest_cashless()
    data, name = _file(examples, "report")
    doc = (examples / "demo_dong-thap_2024_report.txt").read_bytes()
    bid = stage(data, name, "report", user="ed", document=doc, document_name="bc.txt")
    pd.testing.assert_frame_equal(latest_cashless(), before)  # staged: invisible
    publish(bid, approver="ap")
    with eng.connect() as con:
        level, period = con.exec_driver_sql(
            f"SELECT level, period FROM observation WHERE batch_id = {bid} AND indicator_code = 'CASHLESS_SCHOOLS_PCT'"
        ).one()
    df = queries.latest_observations([DT], engine=eng)
    row = df[(df["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (df["level"] == level)].iloc[0]
    assert (row["value"], row["provenance"], row["period"]) == (78.15, "imported", period)
    figures = queries.figures(provinces_=[DT], engine=eng)
    assert (figures["provenance"] == "imported").sum() == 2
    rollback(bid, user="ap")
    pd.testing.assert_frame_equal(latest_cashless(), before)
    assert (queries.figures(provinces_=[DT], engine=eng)["provenance"] == "imported").sum() == 0

    # a report restating the plan's 2023 figure differently stays beside it, listed as a conflict
    quote = "Năm 2023 có 466/597 cơ sở giáo dục thu phí không dùng tiền mặt, đạt 78,06%."
    row = {"indicator": "CASHLESS_SCHOOLS_PCT", "unit_code": DT, "level": "PT_GDTX", "period": "2023",
           "period_end": "31/12/2023", "value": "78,06", "numerator": 466, "denominator": 597, "printed": "78,06%",
           "document": "Báo cáo thử", "section": "I.1", "quote": quote}
    bid = stage(xlsx("report", [row]), "bc_2023.xlsx", "report", user="ed",
                document=("Báo cáo thử\n" + quote).encode(), document_name="bc_2023.txt")
    publish(bid, approver="ap")

    with eng.connect() as con:
        view = pd.read_sql("SELECT printed_values FROM observation_conflict WHERE unit_code = '87' AND "
                           "indicator_code = 'CASHLESS_SCHOOLS_PCT' AND period = '2023'", con)
    assert len(view) == 1 and "78,06%" in view["printed_values"].iloc[0] and "78,18%" in view["printed_values"].iloc[0]
