"""Shared parts of every figure: the `edu` template, the colours (each with one meaning), labels wrapped for
plotly, the title block with its source caption, the legend above the plot and the 'Dữ liệu mô phỏng' stamp.

Every text from the data (names, sections, sources, titles made of them) passes through `_p`
(dashboard.markup.plot): plotly reads `<b>`, `<br>`, `<a>`, `$…$` and `%{…}` in strings, data must not.
"""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ..i18n import fmt_value, level_name, plotly_separators, register, t
from ..markup import plot as _p

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
# Status colours mean one thing wherever they appear (đạt / gần đạt / còn xa / không so sánh được); provinces,
# districts and metrics get colours of their own (no green, amber, red or grey), so no screen reuses them.
STATUS_COLOURS = {"reached": "#2e9e6a", "near": "#e0a100", "far": "#c8423b", "none": "#9aa3ad"}
PROVINCE_COLOURS = {"94": "#1f6fb4", "67": "#7b4fb8", "87": "#8c5a2b"}
# Decision 4725 maturity levels 1-3: three shades of one purple (ColorBrewer Purples, colour-blind safe), never a
# status colour (level 1 is not "còn xa"); the text drawn on each shade
DX_LEVEL_COLOURS = {1: "#cbc9e2", 2: "#8f8cc2", 3: "#54278f"}
DX_LEVEL_TEXT = {1: "#1f2933", 2: "#1f2933", 3: "#ffffff"}
TASK_COLOURS = {"dat": "#2e9e6a", "chua_dat": "#c8423b", "planned": "#4b7bd1", "assigned": "#8a6fc4"}
COLORWAY = ["#1f6fb4", "#7b4fb8", "#4bb3c4", "#8c5a2b", "#e377c2", "#393b79", "#d9822b", "#17becf",
            "#bcbd22", "#a67c52", "#5b6bbf", "#b05f9e"]  # 12 distinct: the Đồng Tháp plan has 12 budget items
TARGET_MARKERS = {2024: ("circle", "#4bb3c4"), 2025: ("diamond", "#1f2933"), 2030: ("star", "#7b4fb8")}

register({
    "chart_no_figure": {"vi": "Chưa có số liệu", "en": "No figure yet"},
    "chart_gap_over": {"vi": "vượt {x}", "en": "{x} over"},
    "chart_status_short_reached": {"vi": "Đã đạt", "en": "Reached"},
    "chart_status_short_near": {"vi": "Gần đạt", "en": "Close"},
    "chart_status_short_far": {"vi": "Còn xa", "en": "Far"},
    "chart_status_short_none": {"vi": "Không so sánh được", "en": "Not comparable"},
    "chart_other": {"vi": "Khác", "en": "Other"},
    "chart_items": {"vi": "mục", "en": "items"},
})

pio.templates["edu"] = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=15, color="#1f2933"),
        title=dict(font=dict(size=20), x=0.01, xanchor="left"),
        paper_bgcolor="white", plot_bgcolor="white", colorway=COLORWAY,
        xaxis=dict(gridcolor="#e5e7eb", zerolinecolor="#9aa3ad", automargin=True),
        yaxis=dict(gridcolor="#e5e7eb", zerolinecolor="#9aa3ad", automargin=True),
        legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0),
        hoverlabel=dict(font=dict(family=FONT, size=14)),
    )
)
TEMPLATE = "edu"


def row_label(indicator_name: str, level: str, breakdown_name: str = "", lang: str = "vi", width: int = 46) -> str:
    """'Tỉ trọng … — Tiểu học · Máy tính', wrapped with <br> for axis labels."""
    extra = [x for x in (level_name(level, lang) if level not in ("ALL",) else "", breakdown_name) if x]
    label = str(indicator_name) + (f" — {' · '.join(str(x) for x in extra)}" if extra else "")
    return _wrap_br(label, width)


def _wrap_br(text: object, width: int) -> str:
    """Data text wrapped at `width` characters into plotly lines (<br>), each line escaped."""
    text = str(text)
    return "<br>".join(_p(x) for x in textwrap.wrap(text, width)) or _p(text)


TITLE_PAD = 12  # px above the title
LEGEND_WIDTH = 660  # px: the narrowest chart of a page (1024 px window, sidebar open)


def _base(fig: go.Figure, title: str, caption: str, lang: str, height: int) -> go.Figure:
    """Template, separators, height, and the source caption as the title's subtitle (kept in exports)."""
    lines = textwrap.wrap(caption, 110)
    # a legend above the plot gets its room in the top margin (estimated at a 1024 px window's chart width)
    legend = (16 + 17 * legend_lines(fig, LEGEND_WIDTH, 13)) if legend_above(fig) else 0
    fig.update_layout(
        template=TEMPLATE, separators=plotly_separators(lang), height=height + 18 * len(lines) + legend,
        # pinned to the top: plotly centres an unpinned title in the top margin, so a taller margin (room for a
        # legend above the plot) would push the subtitle down onto the legend
        title=dict(text=f"<b>{_p(title)}</b>" if title else "", y=1, yref="container", yanchor="top",
                   pad=dict(t=TITLE_PAD),
                   subtitle=dict(text="<br>".join(_p(x) for x in lines), font=dict(size=12, color="#52606d"))),
        margin=dict(l=10, r=40, t=80 + 18 * len(lines) + legend, b=90))
    return fig


def _hover_value(r: pd.Series, lang: str) -> str:
    v = fmt_value(r["value"], r["unit"], lang, r.get("qualifier") or "")
    if r.get("value_derived"):
        v += f" ({t('derived_from', lang)} {_p(r.get('printed', ''))})"
    elif r.get("printed"):
        v += f" (“{_p(r['printed'])}”)"
    return v



def _has(v: object) -> bool:
    return v is not None and not pd.isna(v)


def _legend_above(fig: go.Figure, **legend: object) -> None:
    """A horizontal legend in the top margin, just above the plot (never over the axis or its labels). Plotly wraps
    it within the plot's width (row labels included or not, whatever the reference), so long row labels that leave
    the plot narrow stack the entries one a row: `legend_lines` counts with that width."""
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left",
                                  font=dict(size=13), itemsizing="constant", title=None, **legend))


def legend_above(fig: go.Figure) -> bool:
    """Whether the figure's legend sits above the plot (set by `_legend_above`)."""
    lg = fig.layout.legend
    return lg.orientation == "h" and lg.yanchor == "bottom" and (lg.y or 0) >= 1.0


def legend_lines(fig: go.Figure, width: float, font: float) -> int:
    """How many text lines the legend above the plot takes in `width` px at `font` px: entries flow left to right
    and wrap like plotly's; an entry of fixed width (a fraction of the plot) gives columns; a name with <br> is
    several lines. An estimate from the names' length (average glyph ≈ 0.55 em), on the safe side."""
    entries = [tr.name for tr in fig.data if tr.name and tr.showlegend is not False]
    if not entries or not legend_above(fig):
        return 0
    lg = fig.layout.legend
    fixed = lg.entrywidth if lg.entrywidthmode == "fraction" and lg.entrywidth else None
    labels = [str(y) for tr in fig.data if getattr(tr, "orientation", None) == "h" and tr.y is not None for y in tr.y]
    longest = max((len(x) for y in labels for x in y.split("<br>")), default=0)
    m = fig.layout.margin
    # the plot's width: less the row labels (at a projector's 17 px, on the safe side) and the margins
    width = max(width - 0.55 * 17 * longest - (m.l or 10) - (m.r or 40) - 20, 160)
    lines, row_w, row_h = 0, 0.0, 0
    for name in entries:
        parts = str(name).split("<br>")
        w = width * fixed if fixed else 40 + 0.55 * font * max(len(x) for x in parts)
        if row_w and row_w + w > width:
            lines, row_w, row_h = lines + row_h, 0.0, 0
        row_w, row_h = row_w + w, max(row_h, len(parts))
    return lines + row_h



SIMULATED_COLOUR = "#b45309"


def mark_simulated(fig: go.Figure, lang: str) -> go.Figure:
    """A visible 'Dữ liệu mô phỏng' stamp in the top-right corner of the plot (kept in exports)."""
    fig.add_annotation(text=f"<b>{t('simulated', lang).upper()}</b>", xref="paper", yref="paper", x=1, y=1.0,
                       xanchor="right", yanchor="bottom", yshift=4, showarrow=False,
                       font=dict(size=12, color="white"), bgcolor=SIMULATED_COLOUR, borderpad=4)
    return fig

