"""Cached queries: every query function runs through st.cache_data keyed on the store's data version."""
from __future__ import annotations

import importlib
from typing import Callable

import pandas as pd
import streamlit as st

from .. import queries
from ..db import database_path


def _db_token() -> str:
    """The store's path and data version (one indexed read): every build, publish, rollback, restore or
    migration bumps the version, so cached results never outlive their data, also after in-place writes
    (in WAL mode the file's mtime does not change on commit)."""
    from ..db import data_version, read_engine  # noqa: PLC0415

    p = database_path()
    if not p.is_file():
        return "missing"
    try:
        return f"{p}:{data_version(read_engine(p))}"
    except Exception:  # noqa: BLE001 - an unreadable store: the query itself will say why (page boundary)
        return f"{p}:unreadable"


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(token: str, fn_name: str, args: tuple, kwargs: tuple) -> object:
    module, _, name = fn_name.rpartition(":")
    fn = getattr(importlib.import_module(module) if module else queries, name)
    return fn(*args, **dict(kwargs))


def query(fn: str | Callable, *args: object, **kwargs: object) -> pd.DataFrame:
    """Call a query function (a name in dashboard.queries, or a function) through st.cache_data.

    The cache key includes a token of the database file, so a rebuild invalidates every result.
    """
    name = fn if isinstance(fn, str) else f"{fn.__module__}:{fn.__name__}"
    norm = lambda v: tuple(v) if isinstance(v, (list, set)) else v  # noqa: E731
    return _cached(_db_token(), name, tuple(norm(a) for a in args),
                   tuple(sorted((k, norm(v)) for k, v in kwargs.items())))


def database_ready() -> bool:
    """A database file exists at the configured path (reading never creates one)."""
    return database_path().is_file()
