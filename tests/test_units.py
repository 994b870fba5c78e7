"""Two geographies (issue 12): units and crosswalk in the store, current provinces rolled up from former ones,
counts summed only over complete sets, shares never averaged, schools under both geographies."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from dashboard.db import read_engine, write_engine
from dashboard.intake.batches import publish, stage
from dashboard.queries import latest_observations
from dashboard.units import queries as uq
from dashboard.units import rollup
from dashboard.units.load import read_units
from test_intake_support import copy_db, users_db, xlsx  # noqa: F401

# Former provinces of the store and their partners: → Thành phố Cần Thơ 92, Lâm Đồng 68, Đồng Tháp 82.
MERGES = {"92": {"92", "93", "94"}, "68": {"60", "67", "68"}, "82": {"82", "87"}}


def _sql(db: Path, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, args).fetchall()


def test_units_in_the_store_have_codes_and_validity(db_path: Path):
    cur = dict(_sql(db_path, "SELECT level, COUNT(*) FROM unit_current GROUP BY level"))
    assert cur == {"province": 34, "commune": 3321}
    old = dict(_sql(db_path, "SELECT level, COUNT(*) FROM unit_former GROUP BY level"))
    assert old == {"province": 63, "district": 696, "commune": 10035}
    assert _sql(db_path, "SELECT DISTINCT valid_from, valid_to FROM unit_current") == [("2025-07-01", None)]
    assert _sql(db_path, "SELECT DISTINCT valid_to FROM unit_former") == [("2025-06-30",)]
    ct = _sql(db_path, "SELECT fullname, unit_type, former_province_codes FROM unit_current WHERE code = '92'")
    assert ct == [("Thành phố Cần Thơ", "Thành phố", "92;93;94")]
    types = dict(_sql(db_path, "SELECT unit_type, COUNT(*) FROM unit_current WHERE parent_code = '92' GROUP BY 1"))
    assert types == {"Phường": 31, "Xã": 72}  # Nghị quyết 1668/NQ-UBTVQH15: 31 phường, 72 xã
    for current, parts in MERGES.items():
        got = {r[0] for r in _sql(db_path, "SELECT code FROM unit_former WHERE level = 'province' "
                                           "AND current_province_code = ?", current)}
        assert got == parts


def test_crosswalk_covers_every_former_commune_of_the_three_provinces(db_path: Path):
    former = sorted(set().union(*MERGES.values()))
    communes = _sql(db_path, f"SELECT code, province_code, current_province_code FROM unit_former WHERE level = "
                             f"'commune' AND province_code IN ({','.join('?' * len(former))})", *former)
    assert len(communes) > 800
    xw = pd.DataFrame(_sql(db_path, "SELECT former_commune_code, current_commune_code, current_province_code, split, "
                                    "is_default, suspect FROM unit_crosswalk"),
                      columns=["former", "current", "province", "split", "default", "suspect"])
    parents = dict(_sql(db_path, "SELECT code, parent_code FROM unit_current WHERE level = 'commune'"))
    by_former = xw.groupby("former")
    for code, _prov, cur_prov in communes:
        rows = by_former.get_group(code)  # KeyError = a former commune without a current one
        assert all(parents[c] == cur_prov for c in rows["current"]), code
        assert rows["default"].sum() == 1, code
        assert set(rows["split"]) == ({1} if len(rows) > 1 else {0}), code  # split ⇔ several parts
        assert not (rows["suspect"] & rows["default"]).any(), code
    # Official example (NQ 1668/NQ-UBTVQH15): Bùi Hữu Nghĩa is divided between Cái Khế and Bình Thủy.
    bhn = xw[xw["former"] == "31178"].set_index("current")
    assert set(bhn.index) == {"31120", "31168"} and set(bhn["split"]) == {1}
    assert bhn.loc["31168", "default"] == 1
    # Phường Sóc Trăng = Phường 5, 6, 7, 8 of the former TP Sóc Trăng, whole.
    st = xw[xw["current"] == "31507"]
    assert sorted(st["former"]) == ["31498", "31501", "31504", "31507"] and set(st["split"]) == {0}


def test_bad_crosswalk_row_names_file_row_and_field(data_copy: Path):
    from dashboard.seedcheck.problems import SeedError

    p = data_copy / "geo" / "crosswalk_2025_communes.csv"
    lines = p.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(lines[5].split(",")[4], "99999", 1)
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedError) as exc:
        read_units(data_copy)
    assert "geo/crosswalk_2025_communes.csv, row 6, field 'current_commune_code': unknown current commune '99999'" \
        in str(exc.value)


def test_province_options_offer_current_provinces_with_data_and_former_ones():
    opts = uq.province_options()
    cur = opts[opts["kind"] == "current"].set_index("option")
    assert list(cur.index) == ["92-2025", "68-2025", "82-2025"]  # Cần Thơ, Lâm Đồng, Đồng Tháp (by name)
    assert cur.loc["92-2025", "former_with_data"] == "94" and cur.loc["92-2025", "parts"] == 3
    assert cur.loc["82-2025", "former_with_data"] == "87" and cur.loc["82-2025", "parts"] == 2
    assert set(opts[opts["kind"] == "former"]["option"]) == {"94", "67", "87"}
    assert uq.parse_option("92-2025") == ("current", "92") and uq.parse_option("94") == ("former", "94")


def test_soc_trang_rolls_up_into_can_tho_labelled_with_its_unit():
    fig = rollup.figures("92")
    st = latest_observations(["94"])
    assert len(fig) == len(st) > 20
    assert set(fig["unit_code"]) == {"94"}
    assert set(fig["unit_label"]) == {"Sóc Trăng (trước 7/2025)"}
    assert set(rollup.figures("92", lang="en")["unit_label"]) == {"Sóc Trăng (before 7/2025)"}
    pd.testing.assert_series_equal(fig["value"].reset_index(drop=True), st["value"].reset_index(drop=True))
    comb = rollup.combine(fig, ["92", "93", "94"])
    assert not comb["combined"].any()  # Hậu Giang and Cần Thơ published nothing here
    assert set(comb["coverage"]) == {"1/3 tỉnh cũ có số liệu"}
    assert set(rollup.combine(fig, ["92", "93", "94"], "en")["coverage"]) == {"1 of 3 former provinces reported"}
    assert set(comb["reason"]) == {"partial"}


def _add_obs(db: Path, unit: str, indicator: str, value: float, num: float | None = None, den: float | None = None,
             period: str = "2023-2024") -> None:
    with sqlite3.connect(db) as con:
        con.execute("""INSERT INTO observation (obs_key, indicator_code, unit_code, level, breakdown, period,
                       period_start, period_end, year, value, numerator, denominator, qualifier, printed,
                       value_derived, provenance, section, quote, note)
                       VALUES (?, ?, ?, 'ALL', '', ?, '2023-09-01', '2024-05-31', 2024, ?, ?, ?, '', '', 0,
                               'published', '', '', 'test')""",
                    (f"t_{unit}_{indicator}", indicator, unit, period, value, num, den))


def test_count_sum_refuses_a_partial_set_and_sums_a_complete_one(db_path: Path, tmp_path: Path):
    db = copy_db(db_path, tmp_path / "counts.db")
    (st_value, st_period), = _sql(db, "SELECT value, period FROM observation WHERE unit_code = '94' "
                                      "AND indicator_code = 'FIBRE_SCHOOLS' AND level = 'ALL' AND breakdown = '' "
                                      "ORDER BY period_end DESC LIMIT 1")
    _add_obs(db, "93", "FIBRE_SCHOOLS", 200, period=st_period)
    eng = read_engine(db)

    def fibre(parts: list[str]) -> dict:
        comb = rollup.combine(rollup.figures("92", engine=eng), parts)
        return comb[(comb["indicator_code"] == "FIBRE_SCHOOLS") & (comb["level"] == "ALL")
                    & (comb["breakdown"] == "")].iloc[0].to_dict()

    two_of_three = fibre(["92", "93", "94"])
    assert not two_of_three["combined"] and two_of_three["value"] is None
    assert two_of_three["coverage"] == "2/3 tỉnh cũ có số liệu"
    assert two_of_three["explanation"].startswith("2/3 tỉnh cũ có số liệu: chưa cộng")
    _add_obs(db, "92", "FIBRE_SCHOOLS", 300, period=st_period)
    eng.dispose()
    eng = read_engine(db)
    full = fibre(["92", "93", "94"])
    assert full["combined"] and full["value"] == st_value + 200 + 300
    assert full["coverage"] == "3/3 tỉnh cũ có số liệu"


def test_share_is_never_averaged(db_path: Path, tmp_path: Path):
    db = copy_db(db_path, tmp_path / "shares.db")
    # Three parts with very different sizes: 90/100 = 90%, 10/1000 = 1%, 50/100 = 50%.
    for unit, num, den in (("94", 90, 100), ("93", 10, 1000), ("92", 50, 100)):
        _add_obs(db, unit, "CASHLESS_SCHOOLS_PCT", round(num / den * 100, 2), num, den, period="2030-2031")
    with sqlite3.connect(db) as con:  # make the test rows the latest of their series
        con.execute("UPDATE observation SET period_end = '2031-05-31', year = 2031 WHERE note = 'test'")
    eng = read_engine(db)
    fig = rollup.figures("92", engine=eng)
    row = rollup.combine(fig, ["92", "93", "94"])
    row = row[(row["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (row["level"] == "ALL")].iloc[0]
    assert row["combined"]
    assert row["value"] == round(150 / 1200 * 100, 2) == 12.5  # sum/sum, not (90 + 1 + 50) / 3 = 47
    assert (row["numerator"], row["denominator"]) == (150, 1200)
    assert "không lấy trung bình" in row["explanation"] and "150/1.200" in row["explanation"]
    # Without one part's denominator there is no combined share, and no average either.
    with sqlite3.connect(db) as con:
        con.execute("UPDATE observation SET denominator = NULL WHERE note = 'test' AND unit_code = '93'")
    eng.dispose()
    fig = rollup.figures("92", engine=read_engine(db))
    row = rollup.combine(fig, ["92", "93", "94"])
    row = row[(row["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (row["level"] == "ALL")].iloc[0]
    assert not row["combined"] and row["value"] is None and row["reason"] == "no_denominators"
    parts = fig[(fig["indicator_code"] == "CASHLESS_SCHOOLS_PCT") & (fig["level"] == "ALL")]
    assert sorted(parts["value"]) == [1.0, 50.0, 90.0]  # the parts stay, separately


def test_seed_school_with_a_former_commune_gets_its_current_commune(db_path: Path):
    su = uq.school_units("82").set_index("code")
    placed = su[su["basis"] == "former_commune"]
    assert len(placed) >= 15
    # TP Sa Đéc's Tân Quy Tây school: commune 29920 → its crosswalk default, in the current Đồng Tháp
    code = _sql(db_path, "SELECT code FROM school WHERE commune_code = '29920' AND batch_id IS NULL")[0][0]
    want = _sql(db_path, "SELECT current_commune_code FROM unit_crosswalk WHERE former_commune_code = '29920' "
                         "AND is_default")[0][0]
    assert su.loc[code, "current_commune_code"] == want
    assert su.loc[code, "former_district_code"] == "867"
    assert (su["current_province_code"] == "82").all()


def test_imported_school_keyed_by_current_commune_rolls_up_to_both_geographies(users_db: Path, tmp_path: Path):
    """A register row gives only the current commune (Phường Phú Lợi, from Phường 1–4 of TP Sóc Trăng): the
    school appears under the current Cần Thơ and under the former district TP Sóc Trăng (941)."""
    db = copy_db(users_db, tmp_path / "intake.db")
    eng = write_engine(db)
    reg = xlsx("register", [{"school_code": "ST-NEW-01", "name": "Trường TH Phú Lợi mới", "level": "TH",
                             "public": "Công lập", "province_code": "94", "commune_code": "31510"}])
    publish(stage(reg, "dk.xlsx", "register", user="ed", ack_warnings=True, engine=eng), approver="ap", engine=eng)
    sy = xlsx("school_year", [{"school_code": "ST-NEW-01", "school_name": "Trường TH Phú Lợi mới",
                               "school_year": "2025-2026", "students": 420, "teachers": 21, "fibre": 1, "wifi": 1}])
    publish(stage(sy, "nh.xlsx", "school_year", user="ed", ack_warnings=True, engine=eng), approver="ap", engine=eng)
    ro = read_engine(db)
    su = uq.school_units("92", engine=ro).set_index("code")
    row = su.loc["ST-NEW-01"]
    assert (row["current_commune_code"], row["former_district_code"], row["basis"]) == ("31510", "941",
                                                                                       "current_commune")
    in_941 = uq.school_units("92", former_districts_=["941"], engine=ro)
    assert "ST-NEW-01" in set(in_941["code"]) and set(in_941["former_district_code"]) == {"941"}
    assert uq.school_units("92", current_communes_=["31510"], engine=ro)["code"].tolist() == ["ST-NEW-01"]
    by_commune = uq.school_year_by_unit("92", 2025, engine=ro).set_index("unit_code")
    assert by_commune.loc["31510", ["schools", "students", "fibre_yes", "fibre_n"]].tolist() == [1, 420, 1, 1]
    assert by_commune.loc["31510", "unit_name"] == "Phường Phú Lợi"
    by_district = uq.school_year_by_unit("92", 2025, by="former_district", engine=ro).set_index("unit_code")
    assert by_district.loc["941", ["schools", "students"]].tolist() == [1, 420]
    assert by_district.loc["941", "unit_name"] == "Thành phố Sóc Trăng"
    assert "ST-NEW-01" not in uq.school_units("82", engine=ro).index  # not under another current province


def test_targets_of_a_former_province_stay_attached_and_are_listed_as_not_restated():
    tg = rollup.targets_not_restated("92")
    assert len(tg) > 0 and set(tg["scope_code"]) == {"94"}
    assert set(tg["unit_label"]) == {"Sóc Trăng (trước 7/2025)"}
    assert not tg["restated"].any()
    assert rollup.targets_not_restated("82")["scope_code"].eq("87").all()


def test_crosswalk_lookups_use_indexes(db_path: Path):
    plans = " ".join(r[3] for r in _sql(db_path, "EXPLAIN QUERY PLAN SELECT current_commune_code FROM unit_crosswalk "
                                                  "WHERE former_commune_code = '31510' AND is_default = 1"))
    assert "USING INDEX ix_xw_former_commune" in plans
    plans = " ".join(r[3] for r in _sql(db_path, "EXPLAIN QUERY PLAN SELECT former_district_code FROM unit_crosswalk "
                                                  "WHERE current_commune_code = '31510'"))
    assert "ix_xw_current_commune" in plans


def test_a_rebuild_reloads_the_units_only_when_their_files_changed(db_path: Path, data_copy: Path, tmp_path: Path):
    from dashboard.build import build

    db = copy_db(db_path, tmp_path / "rebuild.db")
    digest = _sql(db, "SELECT value FROM store_meta WHERE key = 'units_digest'")
    assert digest and digest == [(read_units(data_copy).digest,)]
    p = data_copy / "geo" / "units_2025_communes.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("31510,Phú Lợi,Phường Phú Lợi,", "31510,Phú Lợi,Phường Phú Lợi X,"),
                 encoding="utf-8")
    build(db, data_copy, quiet=True)
    assert _sql(db, "SELECT fullname FROM unit_current WHERE code = '31510'") == [("Phường Phú Lợi X",)]
    assert _sql(db, "SELECT value FROM store_meta WHERE key = 'units_digest'") != digest
    assert _sql(db, "SELECT COUNT(*) FROM unit_crosswalk") == [(10602,)]
