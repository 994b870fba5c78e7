"""The one way queries reach the store: parameterised SQL through SQLAlchemy, returned as a DataFrame.

Shared by dashboard.queries, dashboard.map_queries, dashboard.checks and dashboard.rollups.
"""
from __future__ import annotations

from typing import Iterable

import pandas as pd
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine

from .db import read_engine


def _engine(engine: Engine | None) -> Engine:
    return engine or read_engine()


def _df(sql: str, params: dict | None = None, engine: Engine | None = None, expanding: Iterable[str] = ()) -> pd.DataFrame:
    stmt = text(sql)
    if expanding:
        stmt = stmt.bindparams(*[bindparam(n, expanding=True) for n in expanding])
    with _engine(engine).connect() as con:
        return pd.read_sql(stmt, con, params=params or {})


# Figures a document reports: the seed documents' ('published') and those of report batches an approver
# published through the intake ('imported'; staged batches never reach the observation table).
REPORTED = "('published', 'imported')"


def _name_col(lang: str) -> str:
    return "name_en" if lang == "en" else "name_vi"
