"""Both backends give identical results on the shipped data: every read function of queries, rollups, checks,
map_queries, projections and the intake's read side, with the provinces, school years, districts, metrics,
languages and filters the pages use (tests/pg/calls.py), on the SQLite store and on the same data built into
PostgreSQL by the command line."""
from __future__ import annotations

from dashboard.db import ServerDatabase, read_engine

from .calls import calls, same


def test_every_query_gives_the_same_frame_on_sqlite_and_postgresql(pg, shipped, db_path):
    lite = read_engine(db_path)
    post = read_engine(ServerDatabase(pg.url(shipped)))
    todo = calls(lite)
    assert len(todo) > 250 and len({label for label, _, _ in todo}) > 40  # the whole read side, not a sample
    differences = []
    for label, fn, kwargs in todo:
        a = fn(**kwargs, engine=lite)
        b = fn(**kwargs, engine=post)
        if (d := same(a, b)) is not None:
            differences.append(f"{label}({kwargs}): {d}")
    pg.release(shipped)
    assert differences == []


def test_the_comparison_sees_a_difference(db_path):
    """The comparison itself is not blind: a changed value, a missing row, a reordered GROUP_CONCAT."""
    import pandas as pd

    a = pd.DataFrame({"k": ["x", "y"], "v": [1.0, 2.0], "obs_keys": ["a | b", "c"]})
    assert same(a, a.copy()) is None
    assert same(a, a.assign(obs_keys=["b | a", "c"])) is None  # order inside a group is not promised
    assert same(a, a.iloc[::-1].reset_index(drop=True)) is None  # row order only where SQL fixed none
    assert "v" in same(a, a.assign(v=[1.0, 2.0001]))
    assert "rows" in same(a, a.iloc[:1])
    assert same({"n": 1}, {"n": 2}) is not None
