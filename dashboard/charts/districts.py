"""District views of the (simulated or imported) school-level data: grouped bars, heatmap, Decision 4725 levels."""
from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_value, t
from ..markup import plot as _p
from .base import DX_LEVEL_COLOURS, DX_LEVEL_TEXT, _base, _legend_above, _wrap_br, mark_simulated

# metrics side by side: blue, teal, brown, navy (no purple: the Decision 4725 levels own it; no status colour)
METRIC_COLOURS = ["#1f6fb4", "#4bb3c4", "#8c5a2b", "#393b79"]


def district_bars_figure(df: pd.DataFrame, metrics: list[str], names: dict[str, str], *, lang: str = "vi",
                         title: str = "", caption: str = "", unit: str = "pct", simulated: bool = True) -> go.Figure:
    """Horizontal grouped bars: one bar per district and metric."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    labels = [_wrap_br(n, 30) for n in df["district_name"]]
    for i, m in enumerate(metrics):
        fig.add_trace(go.Bar(
            name=_p(names.get(m, m)), y=labels, x=df[m], orientation="h",
            marker_color=METRIC_COLOURS[i % len(METRIC_COLOURS)],
            text=[fmt_value(v, unit, lang) if v is not None and not pd.isna(v) else "–" for v in df[m]],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>" + _p(names.get(m, m)) + ": %{text}<extra></extra>"))
    xmax = float(pd.to_numeric(df[metrics].stack(), errors="coerce").max() or 1)
    fig.update_layout(barmode="group", yaxis=dict(autorange="reversed", title=None),
                      xaxis=dict(title=None, range=[0, 118] if unit == "pct" else [0, xmax * 1.2],
                                 ticksuffix="%" if unit == "pct" else ""))
    _legend_above(fig)
    fig = _base(fig, title, caption, lang, max(320, 26 * len(df) * max(1, len(metrics)) + 180))
    fig.update_layout(margin=dict(b=50))
    return mark_simulated(fig, lang) if simulated else fig


HEAT_LABEL = 28  # heatmap column labels longer than this are shortened with "…" (the hover has the full name)
HEAT_ANGLE = -40


def heatmap_figure(df: pd.DataFrame, metrics: list[str], names: dict[str, str], *, lang: str = "vi",
                   title: str = "", caption: str = "", simulated: bool = True) -> go.Figure:
    """District × indicator heatmap of shares (%), values written in the cells."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    z = df[metrics].astype(float).to_numpy()
    text_ = [[fmt_value(v, "pct", lang) if not pd.isna(v) else "–" for v in row] for row in z]
    full = [_p(names.get(m, m)) for m in metrics]
    short = [_p(textwrap.shorten(str(names.get(m, m)), HEAT_LABEL, placeholder="…")) for m in metrics]
    fig.add_trace(go.Heatmap(
        z=z, x=list(range(len(metrics))), y=[_p(n) for n in df["district_name"]],
        text=text_, texttemplate="%{text}", colorscale="YlGnBu", zmin=0, zmax=100,
        customdata=[full] * len(df), colorbar=dict(title="%", ticksuffix="%"),
        hovertemplate="%{y}<br>%{customdata}: %{text}<extra></extra>"))
    # one line per label, turned: neighbours never overlap however narrow the columns (1024 px, 9 indicators)
    fig.update_layout(yaxis=dict(autorange="reversed"),
                      xaxis=dict(side="bottom", tickangle=HEAT_ANGLE, tickmode="array",
                                 tickvals=list(range(len(metrics))), ticktext=short))
    fig = _base(fig, title, caption, lang, max(340, 34 * len(df) + 220))
    return mark_simulated(fig, lang) if simulated else fig


def dx_levels_figure(df: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "",
                              simulated: bool = True) -> go.Figure:
    """Stacked bars: general schools per digital-transformation maturity level (Decision 4725) by district."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    for lvl in (1, 2, 3):
        fig.add_trace(go.Bar(name=f"{t('level', lang)} {lvl}" if lang == "en" else f"Mức {lvl}",
                             y=[_p(n) for n in df["district_name"]], x=df[f"dx_l{lvl}"], orientation="h",
                             marker_color=DX_LEVEL_COLOURS[lvl], text=df[f"dx_l{lvl}"], textposition="inside",
                             insidetextfont=dict(color=DX_LEVEL_TEXT[lvl])))
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed", title=None),
                      xaxis=dict(title=t("schools_general", lang)))
    _legend_above(fig)
    fig.update_layout(legend_traceorder="normal")  # plotly reverses a stack's legend: Mức 1, 2, 3 as drawn left to right
    fig = _base(fig, title, caption, lang, max(320, 30 * len(df) + 180))
    fig.update_layout(margin=dict(b=60))
    return mark_simulated(fig, lang) if simulated else fig

