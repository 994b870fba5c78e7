"""Tables that fit the page: no sideways scrolling, no key column cut off.

`st.dataframe` lays its columns out at their content's width, so a table with a source or a quote column ran off
to the right (at 1400 px the gap, source and status columns were beyond the edge). Here every column gets a width
in proportion to its weight, the widths adding up to the narrowest main column we support (a 1024×768 window with
the sidebar open: about 560 px for a table); Streamlit lets them grow to fill wider screens (width="stretch"), and
rows taller than 4rem let the text wrap inside its cell (Streamlit's own rule) instead of running on.
"""
from __future__ import annotations

import copy
import re
from collections import OrderedDict

import pandas as pd
import streamlit as st

FIT_PX = 552  # the table width the columns add up to (main column at 1024×768 with the sidebar: 564 px)
MIN_PX = 44


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


# What the table draws (Streamlit 1.67's data grid): 14 px Source Sans text, 8 px padding each side of a cell, text
# lines 1,4 × 14 px apart, and wrapping only in rows taller than 4rem (64 px). The character widths are generous
# estimates (Vietnamese text measures ~6,3 px a character at 14 px; digits ~7,7 px), so a cell never needs more
# lines than we give it.
CHAR_PX = 7.0     # a character of wrapped text
TOKEN_PX = 7.0    # scale of `text_px` for a token that must not break (a number, a percentage, a word)
HEAD_PX = 7.0     # the same for a header (drawn on one line)
CELL_PAD = 16     # 8 px each side
HEAD_PAD = 20
TEXT_MIN_PX = 110  # a text column keeps this much before a short column gives up its header's room
LINE_PX = 19.6
MAX_LINES = 6     # rows never taller than this many lines (a longer cell shows its first lines; its value stays whole)
HEAD_FULL_PX = 260  # a header up to this wide is shown whole when there is room
TEXT_SQUEEZE_PX = 56  # a text column's floor when the page is too narrow for every word whole
WORD_CAP_PX = 160  # a very long "word" (a URL, a code list) may break rather than take the whole table


def _text(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def text_px(s: str) -> float:
    """Estimated width of `s` on one line at 14 px Source Sans (generous: capitals and signs wide, digits 7 px)."""
    return sum(9.5 if ch.isupper() or ch in "%@&#—–WMmw" else 7.1 if ch.isdigit() else 6.6 if ch.isalpha()
               else 4.2 for ch in s)


def _token_px(s: str, per: float = TOKEN_PX, pad: int = CELL_PAD) -> int:
    """Width of the longest word of `s` (which must not break) plus the cell's padding."""
    return int(max((text_px(w) for w in s.split()), default=0) * per / TOKEN_PX + pad + 2.999)


def _numeric(word: str) -> bool:
    """A number, a percentage, an amount ("78,18%", "1.500", "2023-2024"): mostly digits."""
    return sum(ch.isdigit() for ch in word) * 2 >= len(word.strip(".,;:()"))


def _short(series: pd.Series) -> bool:
    """Numbers, percentages, dates, codes and short names: kept on one line."""
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
        return True
    s = series.map(_text)
    return bool(len(s)) and int(s.str.len().max()) <= 12


def line_count(text: str, width_px: int) -> int:
    """Lines a cell's text takes in a column `width_px` wide (greedy word wrap at CHAR_PX a character; a word
    longer than the line breaks)."""
    room = max(1, int((width_px - CELL_PAD) / CHAR_PX))
    lines, used = 1, 0
    for word in text.split():
        n = len(word)
        if used and used + 1 + n > room:
            lines, used = lines + 1, 0
        if not used:
            lines += (n - 1) // room
            used = (n - 1) % room + 1
        else:
            used += 1 + n
    return lines


def shorten(text: str, width_px: int, max_lines: int) -> str:
    """The longest start of `text`, cut at a word, that fits `max_lines` lines with a closing "…"."""
    if line_count(text, width_px) <= max_lines:
        return text
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:  # the most words that still fit with the ellipsis
        mid = (lo + hi + 1) // 2
        if line_count(" ".join(words[:mid]) + " …", width_px) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo]) + " …"


def row_height(n_lines: int) -> int | None:
    """Row height that shows `n_lines` whole lines (None: Streamlit's one-line rows)."""
    if n_lines <= 1:
        return None
    return max(65, int(14 + 3 + LINE_PX * (n_lines - 1) + 6.999))  # > 4rem, or Streamlit does not wrap


def fit(df: pd.DataFrame, weights: Weights = None, *, total: int = FIT_PX, one_line: bool = False) -> dict[str, int]:
    """Column → pixel width for `df`: as `widths` (from `weights`, or the content), then every column at least as
    wide as its longest token (a number or a word never breaks inside), short columns (numbers, percentages,
    short names) as wide as their longest value, and, where there is room, as wide as their header's longest
    word; the room comes from the long-text columns. `one_line`: no wrapping, every column as wide as its values."""
    cols = list(df.columns)
    weights = auto_weights(df) if weights is None else weights
    base = widths(cols, weights, total=total)
    hard, word, soft, number, full = {}, {}, {}, {}, {}
    for c in cols:
        s = df[c].map(_text) if len(df) else pd.Series([], dtype=str)
        whole = int(max((text_px(v) for v in s), default=0) + CELL_PAD + 2.999)  # each value on one line
        tokens = min(WORD_CAP_PX, max((_token_px(v) for v in s), default=CELL_PAD))  # each word whole
        hard[c] = whole if one_line else tokens
        number[c] = min(WORD_CAP_PX, max((_token_px(" ".join(w for w in v.split() if _numeric(w))) for v in s),
                                         default=CELL_PAD))
        full[c] = whole if one_line or _short(df[c]) else hard[c]
        head = str(c)
        word[c] = max(hard[c], _token_px(head, HEAD_PX, HEAD_PAD))  # its header's longest word
        soft[c] = max(word[c], full[c], min(int(text_px(head) + HEAD_PAD + 3.999), HEAD_FULL_PX))  # whole header
    short = {c: one_line or _short(df[c]) for c in cols}
    mid = {c: max(word[c], full[c]) if short[c] else max(word[c], TEXT_MIN_PX) for c in cols}
    soft = {c: max(soft[c], mid[c]) for c in cols}
    out = {c: max(base[c], soft[c]) for c in cols}
    # too wide: take the excess from the columns with room above a floor: first the whole headers, then the text
    # columns' comfortable width, then the headers' longest words (a header shortened, whole on hover), and last a
    # long word in a text column ("STEM/STEAM", a section number) -- never a number or a short value
    squeezed = {c: hard[c] if short[c] else max(min(hard[c], TEXT_SQUEEZE_PX), number[c]) for c in cols}
    for floor in (soft, mid, word, hard, squeezed):
        over = sum(out.values()) - total
        slack = {c: out[c] - floor[c] for c in cols if out[c] > floor[c]}
        if over <= 0 or not slack:
            continue
        k = min(1.0, over / sum(slack.values()))
        out = {c: out[c] - int(slack.get(c, 0) * k + 0.999) for c in cols}
    if sum(out.values()) > total:  # the tokens alone are wider than the page: all narrower (too many columns)
        k, full = total / sum(out.values()), dict(out)
        while True:
            out = {c: max(28, int(v * k)) for c, v in full.items()}
            if sum(out.values()) <= total or k < 0.05:
                break
            k *= 0.97
    return out


_LAYOUTS: "OrderedDict[tuple, tuple]" = OrderedDict()  # content hash → (dropped columns, config, row height)


def _layout_key(df: pd.DataFrame, weights: Weights, total: int, max_lines: int) -> tuple | None:
    """The same frame (columns, values) with the same settings gets the same layout: hashed with pandas' own
    vectorised hash, so a page's rerun does not measure every cell's words again (~100 ms on the targets page)."""
    try:
        digest = pd.util.hash_pandas_object(df.astype(str), index=False).values.tobytes()
    except (TypeError, ValueError):  # a cell pandas cannot hash: measured every time
        return None
    return tuple(map(str, df.columns)), hash(digest), repr(weights), total, max_lines


def layout(df: pd.DataFrame, weights: Weights = None, *, total: int = FIT_PX, max_lines: int = MAX_LINES):
    key = _layout_key(df, weights, total, max_lines)
    if key is not None and key in _LAYOUTS:
        _LAYOUTS.move_to_end(key)
        dropped, config, height = _LAYOUTS[key]
        return df.drop(columns=dropped), copy.deepcopy(config), height
    shown, config, height = _layout(df, weights, total=total, max_lines=max_lines)
    if key is not None:
        _LAYOUTS[key] = ([c for c in df.columns if c not in shown.columns], copy.deepcopy(config), height)
        while len(_LAYOUTS) > 256:
            _LAYOUTS.popitem(last=False)
    return shown, config, height


def _layout(df: pd.DataFrame, weights: Weights = None, *, total: int = FIT_PX, max_lines: int = MAX_LINES):
    """(the table to show, column_config, row height): widths from `fit`; the rows as tall as the longest cell
    needs, at most `max_lines` lines (values are never shortened: a longer cell shows its first lines); a header wider
    than its column (the grid ends it with "…" where the page is narrow) has its whole text in the column's help."""
    if len(df):  # a column with nothing in it (every cell empty) says nothing: its room goes to the others
        empty = [c for c in df.columns if not df[c].map(_text).str.strip().astype(bool).any()]
        if empty and len(empty) < len(df.columns):
            if isinstance(weights, (list, tuple)):
                weights = [w for c, w in zip(df.columns, weights) if c not in empty]
            df = df.drop(columns=empty)
    px = fit(df, weights, total=total, one_line=max_lines <= 1)
    shown = df.copy()
    lines = 1
    for c in df.columns:
        if _short(df[c]):
            continue
        s = df[c].map(_text)  # the values stay whole (quotes, statements, figures are data): a cell longer than
        # the row shows its first lines, the rest on hover/double click and in every download
        lines = max(lines, min(max_lines, max((line_count(v, px[c]) for v in s), default=1)))
    config = {}
    for c in df.columns:
        head = str(c)
        if text_px(head) + HEAD_PAD + 3 <= px[c]:
            config[c] = st.column_config.Column(width=px[c])
            continue
        config[c] = st.column_config.Column(help=head, width=px[c])  # the grid ends it with "…"; whole on hover
    return shown, config, row_height(lines)


def column_config(df: pd.DataFrame, weights: Weights = None, *, total: int = FIT_PX) -> dict:
    return layout(df, weights, total=total)[1]


def show(df: pd.DataFrame, key: str | None = None, weights: Weights = None, *, lines: int = MAX_LINES,
         hide_index: bool = True, **kwargs):
    """st.dataframe(df) fitted to the page: column widths from `weights` (or the content) and the tokens they hold,
    the rows as tall as the longest cell's wrapped text (at most `lines` lines; values are never shortened);
    the index hidden."""
    total = FIT_PX - (40 if kwargs.get("on_select", "ignore") != "ignore" else 0)  # the row-selection column
    shown, config, height = layout(df, weights, total=total, max_lines=lines)
    return st.dataframe(shown, hide_index=hide_index, key=key, column_config=config, row_height=height,
                        width="stretch", **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Wide tables reflowed: fields that belong together share one cell (a value over its year, a target over its
# scope, the source in small type under the indicator), drawn as an HTML table the browser lays out itself. Its
# cells wrap between words only (never inside a word or a number: `overflow-wrap: normal`), so at 1024 px a
# 13-field table reads as 5-6 columns instead of 13 slivers; the CSV download keeps every field in its own column.

WIDE_CSS = """<style>
.edu-wt {width:100%; border-collapse:collapse; table-layout:auto; font-size:0.875rem; line-height:1.3; margin:0;}
.edu-wt th, .edu-wt td {overflow-wrap:normal; word-break:normal; hyphens:manual; text-align:left;
  vertical-align:top; padding:0.3rem 0.45rem; border:none; border-bottom:1px solid #e4e8ed;}
.edu-wt th {font-size:0.78rem; font-weight:600; color:#52606d; border-bottom:2px solid #d8dee4; background:#f6f8fa;}
.edu-wt td.edu-wt-num {font-weight:600;}
.edu-wt .edu-wt-main, .edu-wt .edu-wt-w {white-space:nowrap;}
.edu-wt td.edu-wt-text .edu-wt-main {white-space:normal;}
.edu-wt .edu-wt-head {font-weight:600;}
.edu-wt td.edu-wt-num .edu-wt-words {font-weight:400;}
.edu-wt .edu-wt-small {font-size:0.75rem; font-weight:400; color:#52606d; line-height:1.25; margin-top:0.1rem;}
</style>"""


class Cell:
    """One reflowed cell: a main line (kept on one line in a number column) and lines in small type under it."""

    __slots__ = ("main", "small", "head")

    def __init__(self, main: object, *small: object, head: object = "") -> None:
        self.main = _text(main)
        self.small = tuple(s for s in (_text(x) for x in small) if s)
        self.head = _text(head)  # a bold line above the main one (the district of a district row)

    def text(self) -> str:
        """The cell as one line of text: 'Cư Jút: 95,1% (2023)' reads the same as the cell on the screen."""
        return " ".join(x for x in (self.head, self.main, *self.small) if x)

    def __repr__(self) -> str:
        return f"Cell({self.text()!r})"


_JOINED = re.compile(r"\S*[-/–‑]\S*")  # "131/QĐ-TTg", "2024-2025": the browser would break after - or /


def _words_html(text: str) -> str:
    """`text` as HTML whose lines break between words only: a word holding a hyphen or a slash is kept whole."""
    from .markup import html_text  # noqa: PLC0415

    out, at = [], 0
    for m in _JOINED.finditer(text):
        out += [html_text(text[at:m.start()]), f"<span class='edu-wt-w'>{html_text(m.group())}</span>"]
        at = m.end()
    return "".join(out) + html_text(text[at:])


def _cell_html(v, text_col: bool) -> str:
    c = v if isinstance(v, Cell) else Cell(v)
    out = f"<div class='edu-wt-head'>{_words_html(c.head)}</div>" if c.head else ""
    if c.main:  # a figure stays on one line; words in a figure's place ("chưa có số liệu") wrap, in plain type
        kind = "edu-wt-main" if any(ch.isdigit() for ch in c.main) or c.main in "–-" else "edu-wt-words"
        out += f"<div class='{kind}'>{_words_html(c.main)}</div>"
    out += "".join(f"<div class='edu-wt-small'>{_words_html(s)}</div>" for s in c.small)
    return f"<td class='{'edu-wt-text' if text_col else 'edu-wt-num'}'>{out}</td>"


def wide_html(cells: pd.DataFrame, text_columns: tuple[str, ...] = (), *, css: bool = True) -> str:
    """The HTML of a reflowed table: `cells` holds a `Cell` (or a plain value) per field; `text_columns` are the
    columns of running text (their main line wraps between words; in the others it stays on one line).
    `css=False`: without the stylesheet (a page sends it once: `css_once`)."""
    from .markup import html_text  # noqa: PLC0415

    text_columns = tuple(text_columns) or tuple(cells.columns[:1])
    head = "".join(f"<th>{html_text(c)}</th>" for c in cells.columns)
    body = "".join("<tr>" + "".join(_cell_html(v, c in text_columns) for c, v in zip(cells.columns, row)) + "</tr>"
                   for row in cells.itertuples(index=False, name=None))
    return f"{WIDE_CSS if css else ''}<table class='edu-wt'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def css_once(name: str, css: str) -> None:
    """A stylesheet sent once per run of the page, however many tables use it (an `st.html` holding only a
    <style> takes no room on the page). The set of those sent is emptied at the start of every run
    (`meeting.page_start`)."""
    sent = st.session_state.setdefault("_css_sent", set())
    if name not in sent:
        sent.add(name)
        st.html(css)


def table_block(html: str) -> None:
    """An HTML table drawn as it is: `st.html` puts the (sanitised) HTML in the page. Through `st.markdown` the
    browser parsed it as Markdown first and built a React element per cell: on a page with a long table, that
    parse cost more than a chart (scripts/bench_pages.py)."""
    css_once("wide", WIDE_CSS)
    st.html(html)


def as_text(cells: pd.DataFrame) -> pd.DataFrame:
    """The reflowed table as plain text, one string per cell (what a reader sees, lines joined by spaces)."""
    return cells.map(lambda v: v.text() if isinstance(v, Cell) else _text(v))


WIDE_LABEL = {"vi": "⬇ Bảng CSV", "en": "⬇ Table CSV"}  # beside a chart's own "⬇ CSV" (the chart's data)
WIDE_HELP = {"vi": "Tải bảng đầy đủ (CSV): mỗi trường một cột, số làm tròn như trên màn hình",
             "en": "Download the full table (CSV): one column per field, values rounded as shown"}


def show_wide(cells: pd.DataFrame, key: str, *, download: pd.DataFrame, file_name: str, lang: str = "vi",
              text_columns: tuple[str, ...] = ()) -> None:
    """A reflowed table (`wide_html`) in a container keyed `key` (CSS class `st-key-<key>`), then a CSV button
    with every field of `download` in its own column. In meeting mode nothing is drawn (tables are not slides;
    the projector stylesheet hides them as it hides every data table)."""
    from .export.render import frame_csv  # noqa: PLC0415
    from .uikit.meeting import meeting  # noqa: PLC0415

    if meeting():
        return
    with st.container(key=key):
        table_block(wide_html(cells, text_columns, css=False))
        st.download_button(WIDE_LABEL.get(lang, WIDE_LABEL["vi"]), frame_csv(download), file_name, "text/csv", key=f"{key}_csv", on_click="ignore",
                           help=WIDE_HELP.get(lang, WIDE_HELP["vi"]))
