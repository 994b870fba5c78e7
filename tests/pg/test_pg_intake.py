"""The intake on PostgreSQL, against the same flow on SQLite: stage, preview, publish every kind (school-year
statistics, Decision 4725 self-assessments, a report with its document) on a store with the published demo
register; the dashboards read the same imported figures on both backends; rollback in reverse order restores
exactly the state before (every shared table, row by row); a second register batch's rollback too."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import text

from dashboard import queries, rollups
from dashboard.db import data_version, write_engine
from dashboard.intake import audit
from dashboard.intake.batches import publish, rollback, stage
from dashboard.intake.errors import StateError
from dashboard.intake.preview import preview
from test_intake_support import copy_db, registered_db, users_db  # noqa: F401 - SQLite twin of the PG store

from .calls import same

DT = "87"
TABLES = ("school", "school_year", "observation", "source", "intake_assessment", "intake_superseded")


def _dashboards(eng) -> dict:  # noqa: ANN001
    out = {"batches": audit.batches(engine=eng).drop(columns=["uploaded_at", "approved_at", "rolled_back_at",
                                                               "rejected_at"])}
    for y in (2023, 2024):
        out[f"d{y}"] = rollups.district_summary(DT, y, engine=eng)
        out[f"p{y}"] = rollups.province_summary(DT, y, engine=eng)
        out[f"src{y}"] = {k: v for k, v in rollups.data_source(DT, y, engine=eng).items()
                          if "batches" not in k and "label" not in k}
    out["series"] = rollups.district_series(DT, "cashless", engine=eng)
    out["levels"] = audit.assessment_levels(DT, by="district", engine=eng)
    out["latest"] = queries.latest_observations([DT], engine=eng)
    out["conflicts"] = queries.conflicts(engine=eng)
    return out


def _tables(eng) -> dict[str, pd.DataFrame]:  # noqa: ANN001
    with eng.connect() as con:
        return {t: pd.read_sql(text(f"SELECT * FROM {t} ORDER BY id"), con) for t in TABLES}


def _stage(kind: str, examples: Path, eng) -> int:  # noqa: ANN001
    f = examples / f"demo_dong-thap_2024_{kind}.xlsx"
    doc = (examples / "demo_dong-thap_2024_report.txt").read_bytes() if kind == "report" else None
    return stage(f.read_bytes(), f.name, kind, user="ed", ack_warnings=True, engine=eng,
                 document=doc, document_name="bc.txt" if doc else None)


def test_publish_and_rollback_give_the_same_dashboards_on_both_backends(pg_reg, registered_db, examples, tmp_path):
    engines = {"pg": write_engine(pg_reg), "lite": write_engine(copy_db(registered_db, tmp_path / "r.db"))}
    before = {k: _tables(e) for k, e in engines.items()}
    dash0 = {k: _dashboards(e) for k, e in engines.items()}
    assert same(dash0["pg"], dash0["lite"]) is None
    ids = {k: [] for k in engines}
    for kind in ("school_year", "assessment", "report"):
        for k, eng in engines.items():
            bid = _stage(kind, examples, eng)
            v = data_version(eng)
            if kind != "report":
                p = preview(bid, engine=eng)
                ids[k].append((bid, p))
            else:
                ids[k].append((bid, None))
            publish(bid, approver="ap", engine=eng)
            assert data_version(eng) == v + 1
        pg_prev, lite_prev = ids["pg"][-1][1], ids["lite"][-1][1]
        if pg_prev is not None:
            assert same(pg_prev.indicators, lite_prev.indicators) is None, kind
            assert same(pg_prev.counts, lite_prev.counts) is None, kind
            assert same(pg_prev.jumps, lite_prev.jumps) is None, kind
    dash1 = {k: _dashboards(e) for k, e in engines.items()}
    assert (d := same(dash1["pg"], dash1["lite"])) is None, d
    assert dash1["pg"]["src2024"]["provenance"] == "imported" and dash1["pg"]["src2024"]["dx_provenance"] == "imported"
    assert same(dash0["pg"]["latest"], dash1["pg"]["latest"]) is not None  # the report's figures arrived
    # rolling back out of order is refused on both; in reverse order it restores every row exactly
    for k, eng in engines.items():
        for bid, _ in reversed(ids[k]):
            rollback(bid, user="ap", engine=eng)
        after = _tables(eng)
        for t in TABLES:
            pd.testing.assert_frame_equal(before[k][t], after[t], check_dtype=False, obj=f"{k}:{t}")
    dash2 = {k: _dashboards(e) for k, e in engines.items()}
    assert same(dash2["pg"], dash2["lite"]) is None
    for k in engines:
        assert same({x: v for x, v in dash0[k].items() if x != "batches"},
                    {x: v for x, v in dash2[k].items() if x != "batches"}) is None


def test_register_rollback_is_refused_while_used_then_exact_on_postgresql(pg_reg, examples):
    eng = write_engine(pg_reg)
    reg_bid = int(audit.batches(engine=eng)["id"].min())  # the published demo register
    before = _tables(eng)
    bid = _stage("school_year", examples, eng)
    publish(bid, approver="ap", engine=eng)
    with pytest.raises(StateError):  # the school-year batch uses the register's schools
        rollback(reg_bid, user="ap", engine=eng)
    rollback(bid, user="ap", engine=eng)
    rollback(reg_bid, user="ap", engine=eng)
    with eng.connect() as con:
        assert con.execute(text("SELECT COUNT(*) FROM school WHERE batch_id IS NOT NULL")).scalar() == 0
    # and publishing the register again gives new schools fresh ids from the sequence (no collision)
    f = examples / "demo_dong-thap_2024_register.xlsx"
    again = stage(f.read_bytes(), f.name, "register", user="ed", ack_warnings=True, engine=eng)
    counts = publish(again, approver="ap", engine=eng)
    assert counts["new"] == len(before["school"][before["school"]["batch_id"].notna()])
