"""Every read function of the dashboard with the arguments the pages give it, for comparing two backends.

`calls(engine)` lists (label, function, kwargs) from the store itself: every province, each of its school
years, districts and metrics, both languages where a function takes one, a level filter and a year limit.
`same(a, b)` compares two results: frames after sorting (floats to 1e-9 relative, texts joined by
GROUP_CONCAT compared as sets of their parts, since neither backend promises an order inside a group).
"""
from __future__ import annotations

import importlib
import inspect
import math
from typing import Callable

import numpy as np
import pandas as pd

MODULES = ("dashboard.queries", "dashboard.rollups", "dashboard.checks", "dashboard.map_queries",
           "dashboard.projections", "dashboard.intake.audit", "dashboard.intake_ui.dx_queries",
           "dashboard.units.queries", "dashboard.units.rollup")
# Functions that take an engine but are not reads of the dashboard's data, or need objects from a page.
SKIP = {"batch_file_bytes", "batch_files", "pick_target"}
# Functions that fit forecasts in Python after their SQL (seconds per call): two argument sets each, the first
# province plain and the last variant (a filter); their SQL inputs are compared in full through the others.
HEAVY = {"queries.progress_table", "projections.forecast_table", "projections.projection_path"}
# Columns built with GROUP_CONCAT: compared as sets of their parts.
JOINED = {"obs_keys", "printed_values", "target_keys", "detail", "statement", "keys"}


def _functions() -> list[tuple[str, Callable]]:
    out = []
    for mod_name in MODULES:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError:
            continue
        for name, fn in inspect.getmembers(mod, inspect.isfunction):
            if fn.__module__ != mod_name or name.startswith("_") or name in SKIP:
                continue
            if "engine" in inspect.signature(fn).parameters:
                out.append((f"{mod_name.rsplit('.', 1)[1]}.{name}", fn))
    return out


def calls(engine) -> list[tuple[str, Callable, dict]]:  # noqa: ANN001
    from dashboard import queries, rollups

    provinces = list(queries.provinces(engine=engine)["code"])
    years = {p: rollups.school_years(p, engine=engine) for p in provinces}
    districts = {p: list(rollups.districts(p, engine=engine)["code"]) for p in provinces}
    sources = list(queries.sources(engine=engine)["id"])
    metrics = list(dict.fromkeys(rollups.ADOPTION + rollups.FLAGS))
    levels = ("THCS",)
    out: list[tuple[str, Callable, dict]] = []
    for label, fn in _functions():
        params = inspect.signature(fn).parameters
        variants: list[dict] = [{}]

        def expand(key: str, values: list) -> None:
            nonlocal variants
            if key in params and values:
                variants = [{**v, key: x} for v in variants for x in values]

        if "province" in params:
            variants = [{"province": p} for p in provinces]
        if "former_province" in params:
            variants = [{"former_province": p} for p in provinces]
        if "province_codes" in params:
            variants = [{"province_codes": [p]} for p in provinces]
        if "current_code" in params:
            variants = [{**v, "current_code": c} for v in variants for c in _current_codes(engine)]
        if "series_id" in params:
            from dashboard.projections import forecast_table

            variants = [{**v, "series_id": sid} for v in variants
                        for sid in list(dict.fromkeys(forecast_table(v["province"], engine=engine)["series_id"]))[:3]]
        if not variants:
            continue
        if "unit_codes" in params:
            variants = [{**v, "unit_codes": [p]} for v in variants for p in provinces]
        if "source_id" in params:
            variants = [{**v, "source_id": s} for v in variants for s in sources]
        if "quote" in params:
            variants = [{**v, "quote": queries.source_text(v["source_id"], engine=engine)[100:140]}
                        for v in variants if queries.source_text(v["source_id"], engine=engine)]
        if "school_year" in params:
            variants = [{**v, "school_year": y} for v in variants for y in (years.get(v.get("province")) or [2023])]
        if "district" in params:
            variants = [{**v, "district": d} for v in variants for d in districts.get(v.get("province"), [])[:2]]
        expand("metric", metrics)
        expand("communes", [(), ("29905",)])  # the current-commune filter: none, and one commune
        if "lang" in params:
            variants += [{**variants[0], "lang": "en"}]
        if "levels" in params:
            variants += [{**variants[-1], "levels": levels}]
        if "year_max" in params:
            variants += [{**variants[0], "year_max": 2023}]
        if label == "queries.build_info":
            continue  # built_at: the two stores were built at different times
        if "search" in params:
            variants += [{**variants[0], "search": "đồng tháp"}, {**variants[0], "search": "TRƯỜNG"}]
        if "districts" in params and "province" in params and params["districts"].default is False:
            variants += [{**variants[0], "districts": True}]
        if label in HEAVY and len(variants) > 2:
            variants = [variants[0], variants[-1]]
        for v in variants:
            out.append((label, fn, v))
    return out


def _current_codes(engine) -> list[str]:  # noqa: ANN001
    try:
        from dashboard.units.queries import current_provinces
    except ModuleNotFoundError:
        return []
    return list(current_provinces(engine=engine)["code"])[:4]


def _norm_value(v: object) -> object:
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if v is pd.NaT or v is pd.NA or v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return v


def _norm_frame(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in df.columns:
        if c in JOINED:
            df[c] = [None if v is None or (isinstance(v, float) and math.isnan(v))
                     else " | ".join(sorted(str(v).replace("; ", " | ").replace(", ", " | ").split(" | "))) for v in df[c]]
        elif df[c].dtype == bool:
            df[c] = df[c].astype(int)
    key = [c for c in df.columns if df[c].map(lambda x: isinstance(x, (str, int, float, type(None)))).all()]
    if key and len(df):
        df = df.sort_values(key, kind="mergesort", na_position="last").reset_index(drop=True)
    return df


def same(a: object, b: object) -> str | None:
    """None if equal, else a short description of the first difference."""
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        if list(a.columns) != list(b.columns):
            return f"columns differ: {list(a.columns)} vs {list(b.columns)}"
        if len(a) != len(b):
            return f"{len(a)} rows vs {len(b)} rows"
        a, b = _norm_frame(a), _norm_frame(b)
        for c in a.columns:
            for i, (x, y) in enumerate(zip(a[c], b[c])):
                if (d := same(x, y)) is not None:
                    return f"column {c!r} row {i}: {d}"
        return None
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return f"keys differ: {sorted(set(a) ^ set(b))}"
        for k in a:
            if (d := same(a[k], b[k])) is not None:
                return f"[{k!r}] {d}"
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f"length {len(a)} vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            if (d := same(x, y)) is not None:
                return f"[{i}] {d}"
        return None
    a, b = _norm_value(a), _norm_value(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return None if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) else f"{a!r} vs {b!r}"
    if hasattr(a, "isoformat") and hasattr(b, "isoformat"):
        return None if str(a)[:10] == str(b)[:10] else f"{a!r} vs {b!r}"
    return None if a == b else f"{a!r} vs {b!r}"
