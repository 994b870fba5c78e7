"""Read-only tables drawn as plain HTML (the reflowed table of `tables.wide_html`), with a CSV button.

Streamlit's `st.dataframe` is a canvas grid whose code the browser loads and starts for every page that shows one:
on a page of small read-only tables (budget checks and items, rankings, district summaries) it cost more of the
load than the charts (scripts/bench_pages.py). An HTML table is laid out by the browser, breaks lines between words
only, and prints. Tables a reader selects rows in (the sources page) stay `st.dataframe`.
"""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from ..export.render import frame_csv
from ..i18n import register, t
from ..tables import css_once, table_block, wide_html
from .filters import Filters
from .meeting import meeting

register({
    "static_csv": {"vi": "⬇ Bảng CSV", "en": "⬇ Table CSV"},
    "static_csv_help": {"vi": "Tải bảng (CSV, UTF-8): các cột và giá trị như trên màn hình",
                        "en": "Download the table (CSV, UTF-8): the columns and values as shown"},
})

FILE_REF = r"\s*\((?:seed|data|docs)/[^)]*\)"  # "(seed/schools/dt_kh_2024.csv)" in a note: a file, not for the screen
SCROLL_ROWS = 15  # a longer table scrolls inside a box of this many rows' height, under its header
ROW_PX = 34
TEXT_CHARS = 24  # a column whose values run longer than this is running text (wraps between words)
# a column of running text keeps room for a few words a line (a 1024 px page squeezed a source to a word a line)
# and a table of many columns (a ranking of ten indicators) takes smaller type and padding, to fit a 1024 px page
COMPACT_COLUMNS = 8
STATIC_CSS = ("<style>.edu-static td.edu-wt-text {min-width: 4.5rem;} .edu-static .edu-wt th, .edu-static .edu-wt td"
              " {padding-left: 0.35rem; padding-right: 0.35rem;} .edu-static-compact .edu-wt {font-size: 0.78rem;}"
              " .edu-static-compact .edu-wt th, .edu-static-compact .edu-wt td {padding: 0.25rem 0.28rem;}"
              " .edu-static-compact td.edu-wt-text {min-width: 4rem;}</style>")


def text_columns(df: pd.DataFrame) -> tuple[str, ...]:
    """The columns of running text: those with a value longer than TEXT_CHARS characters, else the one with the
    longest values (a district's name); the others, numbers and short labels, stay on one line."""
    if not len(df) or not len(df.columns):
        return ()
    longest = {c: int(df[c].astype(str).str.len().max()) for c in df.columns}
    return tuple(c for c in df.columns if longest[c] > TEXT_CHARS) or (max(longest, key=longest.get),)


def table_html(df: pd.DataFrame, key: str) -> str:
    """The table as HTML, marked with its key (`data-key`) so a reader (or a test) finds it."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"a table key is letters, digits, _ and -: {key!r}")
    shown = df.astype(object).where(df.notna(), "").astype(str)
    compact = " edu-static-compact" if len(df.columns) > COMPACT_COLUMNS else ""
    return (f"<div class='edu-static{compact}' data-key='{key}'>"
            f"{wide_html(shown, text_columns(shown), css=False)}</div>")


def static_table(df: pd.DataFrame, key: str, f: Filters, page: str) -> None:
    """`df` (values already formatted as shown) as an HTML table in a container keyed `key`, then a CSV button
    (the file named after the page, the chosen unit and the day). Not drawn in meeting mode (data tables are not
    slides)."""
    from datetime import date  # noqa: PLC0415

    from .exports import export_name  # noqa: PLC0415

    if meeting():
        return
    css_once("static", STATIC_CSS)  # the stylesheets: once a page, not once a table
    with st.container(key=key):
        if len(df) > SCROLL_ROWS:
            with st.container(height=ROW_PX * SCROLL_ROWS + 40):
                table_block(table_html(df, key))
        else:
            table_block(table_html(df, key))
        st.download_button(t("static_csv", f.lang), frame_csv(df),
                           export_name(page, f, key.replace("_", "-"), "csv", date.today()), "text/csv",
                           key=f"{key}_csv", on_click="ignore", help=t("static_csv_help", f.lang))
