"""Targets set by a province from 1 July 2025 (migration 0005: target.scope_current_code) beside the targets of
its former provinces (issue 12, item 5). The shipped documents have none: the tests insert one into a copy
of the test store, never into data/seed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.db import bump_data_version, write_engine
from dashboard.units.rollup import targets_not_restated

APP = str(Path(__file__).resolve().parent.parent / "app.py")
INSERT = sa.text("""INSERT INTO target (target_key, indicator_code, scope_code, scope_current_code, level, breakdown,
                    year, value, qualifier, printed, source_id, section, quote, reported_result, reported_status,
                    note)
                    VALUES (:k, 'LEARNERS_DIGITAL_RECORD_PCT', :scope, :cur, 'ALL', '', 2025, 95.0, '', '95%',
                            'st_kh_2023', 'test', 'test', '', '', 'inserted by a test')""")


@pytest.fixture()
def store_with_current_target(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the test store where Thành phố Cần Thơ (current 92) restates one target of the former Sóc Trăng
    (learners with digital records, 2025: Sóc Trăng printed 100%, the test's Cần Thơ 95%)."""
    path = tmp_path / "store.db"
    shutil.copy(db_path, path)
    engine = write_engine(path)
    with engine.begin() as con:
        con.execute(INSERT, {"k": "test_cur_92", "scope": None, "cur": "92"})
        bump_data_version(con)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


def test_a_current_province_target_has_its_own_scope_and_never_answers_for_the_former_code(store_with_current_target):
    from dashboard.db import read_engine

    eng = read_engine(store_with_current_target)
    # the former Cần Thơ (92) shares the code: its targets do not include the current province's
    assert "test_cur_92" not in set(queries.targets_for("92", engine=eng)["target_key"])
    # the former Sóc Trăng's own page: its own printed 100%
    row = queries.progress_table("94", target_years=(2025,), engine=eng)
    own = row[row["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT"].iloc[0]
    assert own["target_2025"] == 100.0 and own["target_2025_scope"] == "94"
    # Thành phố Cần Thơ chosen: its own target first, the option code as its scope
    row = queries.progress_table("94", target_years=(2025,), current="92", engine=eng)
    cur = row[row["indicator_code"] == "LEARNERS_DIGITAL_RECORD_PCT"].iloc[0]
    assert cur["target_2025"] == 95.0 and cur["target_2025_scope"] == "92-2025"
    other = row[row["indicator_code"] == "FACILITIES_DIGITAL_RECORD_PCT"].iloc[0]
    assert other["target_2025"] == 80.0 and other["target_2025_scope"] == "94"  # not restated: the former one
    tg = targets_not_restated("92", engine=eng)
    assert tg.loc[tg["target_key"] == "stkh_t007", "restated"].tolist() == [True]
    assert not tg.loc[tg["target_key"] != "stkh_t007", "restated"].any()


def test_a_target_needs_exactly_one_scope(store_with_current_target):
    engine = write_engine(store_with_current_target)
    try:
        for scope, cur in ((None, None), ("94", "92")):
            with pytest.raises(IntegrityError):
                with engine.begin() as con:
                    con.execute(INSERT, {"k": f"bad_{scope}_{cur}", "scope": scope, "cur": cur})
        with pytest.raises(IntegrityError):  # an unknown current province
            with engine.begin() as con:
                con.execute(INSERT, {"k": "bad_unknown", "scope": None, "cur": "00"})
    finally:
        engine.dispose()


def test_targets_page_shows_the_current_target_first_and_labels_the_former_ones(store_with_current_target):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["province"] = "92-2025"
    at.run()
    at.switch_page("pages/targets.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Mục tiêu 2025/2030 — Thành phố Cần Thơ"
    from tests.wide_tables import wide_tables

    tables = [d for d in wide_tables(at) if "Chỉ tiêu" in d.columns and "Mục tiêu 2025" in d.columns]
    rows = {r["Chỉ tiêu"]: r["Mục tiêu 2025"] for tb in tables for _, r in tb.iterrows()}
    learners = next(v for k, v in rows.items() if "Người học" in k or "người học" in k)
    assert learners.startswith("95") and "trước 7/2025" not in learners  # the new province's own
    assert any(v.endswith("(Sóc Trăng (trước 7/2025))") for v in rows.values())  # the former province's
    not_restated = next(d.value for d in at.dataframe if "Tỉnh đặt chỉ tiêu" in d.value.columns)
    assert len(not_restated) == 20  # 21 targets of Sóc Trăng, one restated
    assert any(c.value.startswith("Mỗi chỉ tiêu vẫn gắn với tỉnh cũ đã đặt ra nó. Thành phố Cần Thơ chưa ban hành "
                                  "lại 20 chỉ tiêu") for c in at.caption)
