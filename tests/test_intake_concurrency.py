"""Readers keep working while a batch publishes: no error, never a half-published state."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dashboard import rollups
from dashboard.db import read_engine, write_engine
from dashboard.intake.batches import publish, rollback, stage
from test_intake_support import copy_db, examples, registered_db, users_db, use_db  # noqa: F401


def test_reads_during_publish_see_before_or_after(registered_db: Path, examples: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    db = use_db(copy_db(registered_db, tmp_path / "c.db"), monkeypatch)
    f = examples / "demo_dong-thap_2024_school_year.xlsx"
    bid = stage(f.read_bytes(), f.name, "school_year", user="ed", engine=write_engine(db))
    seen: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def reader() -> None:
        eng = read_engine(db)
        while not done.is_set() or len(seen) < 5:
            try:
                d = rollups.district_summary("87", 2024, engine=eng)
                seen.append((int(d["schools"].sum()), int(len(d))))
            except BaseException as exc:  # noqa: BLE001 - any error fails the test
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        publish(bid, approver="ap", engine=write_engine(db))
        rollback(bid, user="ap", engine=write_engine(db))
        publish(stage(f.read_bytes(), f.name, "school_year", user="ed", engine=write_engine(db)), approver="ap",
                engine=write_engine(db))
    finally:
        done.set()
        for t in threads:
            t.join(timeout=60)
    assert not errors, errors
    assert seen and {s for s, _ in seen} <= {0, 595}  # nothing in between
    assert seen[-1][0] == 595
