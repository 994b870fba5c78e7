"""Tables that fit the page: no sideways scrolling, no key column cut off.

`st.dataframe` lays its columns out at their content's width, so a table with a source or a quote column ran off
to the right (at 1400 px the gap, source and status columns were beyond the edge). Here every column gets a width
in proportion to its weight, the widths adding up to the narrowest main column we support (a 1024×768 window with
the sidebar open: about 560 px for a table); Streamlit lets them grow to fill wider screens (width="stretch"), and
rows taller than 4rem let the text wrap inside its cell (Streamlit's own rule) instead of running on.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

FIT_PX = 540  # the table width the columns add up to (main column at 1024×768 with the sidebar: 562 px)
MIN_PX = 44
WRAP_ROW = {1: None, 2: 68, 3: 88, 4: 108}  # lines of text per row → row height (> 4rem wraps)


Weights = dict[str, float] | list[float] | tuple[float, ...] | None


def widths(columns: list[str], weights: Weights = None, *, total: int = FIT_PX) -> dict[str, int]:
    """Column → pixel width. A weight (by name, or a list in column order) of 20 or more is a width in pixels (a
    number or a date that must not wrap); a smaller one is a share of the room the fixed columns leave (default
    1), at least MIN_PX. The widths add up to `total` at most (fixed ones shrink when they leave no room)."""
    if isinstance(weights, (list, tuple)):
        weights = dict(zip(columns, weights))
    weights = weights or {}
    w = {c: float(weights.get(c, 1.0)) for c in columns}
    fixed = {c: v for c, v in w.items() if v >= 20}
    shares = {c: v for c, v in w.items() if v < 20}
    over = sum(fixed.values()) + MIN_PX * len(shares) - total
    if over > 0 and fixed:  # too many fixed columns for the width: shrink them (not below 34 px)
        k = max(0.0, 1 - over / sum(fixed.values()))
        fixed = {c: max(34.0, v * k) for c, v in fixed.items()}
    room = max(total - sum(fixed.values()), MIN_PX * len(shares))
    out = {**{c: int(v) for c, v in fixed.items()},
           **{c: max(MIN_PX, int(room * v / sum(shares.values()))) for c, v in shares.items()}}
    if sum(out.values()) > total:  # many columns: all of them narrower, so the table still fits (no sideways scroll)
        k = total / sum(out.values())
        out = {c: max(28, int(v * k)) for c, v in out.items()}
    return {c: out[c] for c in columns}


def auto_weights(df: pd.DataFrame) -> dict[str, float]:
    """Weights from the content: short values (numbers, dates, codes, ticks) a fixed width that fits them on one
    line; longer text a share in proportion to its typical length (90th percentile, capped)."""
    out = {}
    for c in df.columns:
        n = float(df[c].astype(str).str.len().quantile(0.9)) if len(df) else 0.0
        if n <= 10:
            out[c] = max(34.0, min(96.0, 14 + 7.5 * max(n, min(len(str(c)), 12))))
        else:
            out[c] = min(n, 90) / 20
    return out


def column_config(df: pd.DataFrame, weights: Weights = None, *, total: int = FIT_PX) -> dict:
    weights = auto_weights(df) if weights is None else weights
    return {c: st.column_config.Column(width=px) for c, px in widths(list(df.columns), weights, total=total).items()}


def show(df: pd.DataFrame, key: str | None = None, weights: Weights = None, *, lines: int = 3,
         hide_index: bool = True, **kwargs):
    """st.dataframe(df) fitted to the page: column widths from `weights` (or the content), text wrapped on up to
    `lines` lines; the index hidden."""
    total = FIT_PX - (40 if kwargs.get("on_select", "ignore") != "ignore" else 0)  # the row-selection column
    return st.dataframe(df, hide_index=hide_index, key=key, column_config=column_config(df, weights, total=total),
                        row_height=WRAP_ROW.get(lines, WRAP_ROW[4]), width="stretch", **kwargs)
