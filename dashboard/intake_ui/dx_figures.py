"""Figures of the Decision 4725 page (tidy DataFrame in, plotly Figure out; no store, no Streamlit),
in the style of dashboard.charts (explicit 'edu' template, source caption as subtitle)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..charts import DX_LEVEL_COLOURS, DX_LEVEL_TEXT, _base, _legend_above, _wrap_br
from ..i18n import fmt_number, t
from ..intake.dx4725 import HIGH, LOW
from ..markup import plot as _p

LEVEL_COLOURS = DX_LEVEL_COLOURS  # a sequential palette of its own: never the status colours


def _pct(v: float, lg: str) -> str:
    return f"{fmt_number(round(float(v), 1), lang=lg)}%" if pd.notna(v) else ""


def level_bars_figure(df: pd.DataFrame, labels: list[str], *, lang: str, title: str, caption: str,
                      horizontal: bool = True) -> go.Figure:
    """100% stacked bars of the share of schools at levels 1–3, one bar per row of `df` (labels in order);
    hover gives the counts."""
    fig = go.Figure()
    n = len(df)
    for lv in (1, 2, 3):
        pct = df[f"pct_l{lv}"].tolist()
        counts = df[f"l{lv}"].tolist()
        totals = df["schools"].tolist()
        text = [_pct(v, lang) if pd.notna(v) and v >= 4 else "" for v in pct]
        hover = [f"{_p(lb)}<br>{t('ik_level_n', lang).format(n=lv)}: {_pct(v, lang)} "
                 f"({fmt_number(c, lang=lang)}/{fmt_number(s, lang=lang)})" for lb, v, c, s in
                 zip(labels, pct, counts, totals)]
        ax = dict(x=pct, y=[_wrap_br(x, 34) for x in labels], orientation="h") if horizontal else \
            dict(x=[_p(x) for x in labels], y=pct)
        fig.add_bar(name=t("ik_level_n", lang).format(n=lv), marker_color=LEVEL_COLOURS[lv], text=text,
                    insidetextfont=dict(color=DX_LEVEL_TEXT[lv]), textposition="inside", insidetextanchor="middle",
                    hovertext=hover, hoverinfo="text", **ax)
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    height = max(300, 70 + 34 * n) if horizontal else 420
    _legend_above(fig)  # above the plot, never over the axis ticks
    _base(fig, title, caption, lang, height)
    fig.update_layout(margin=dict(b=50))
    if horizontal:
        fig.update_xaxes(range=[0, 100], ticksuffix="%", title_text="")
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(range=[0, 100], ticksuffix="%", title_text="")
    return fig


def scores_figure(df: pd.DataFrame, *, lang: str, title: str, caption: str, group_names: dict[str, str]
                  ) -> go.Figure:
    """Each school's two group scores (teaching on x, management on y), coloured by the computed level, with
    the Decision's thresholds (50 and 75) as lines."""
    fig = go.Figure()
    for lv in (1, 2, 3):
        d = df[df["computed_level"] == lv]
        if d.empty:
            continue
        hover = [f"{_p(n)}<br>{_p(group_names['score_teaching'])}: {fmt_number(a, lang=lang)}<br>"
                 f"{_p(group_names['score_management'])}: {fmt_number(b, lang=lang)}"
                 for n, a, b in zip(d["school_name"], d["score_teaching"], d["score_management"])]
        fig.add_scatter(x=d["score_teaching"], y=d["score_management"], mode="markers",
                        name=t("ik_level_n", lang).format(n=lv), hovertext=hover, hoverinfo="text",
                        marker=dict(color=LEVEL_COLOURS[lv], size=8, opacity=0.85, line=dict(width=0.5, color="#52606d")))
    for v in (LOW, HIGH):
        fig.add_vline(x=v, line=dict(color="#6b7280", dash="dot", width=1))
        fig.add_hline(y=v, line=dict(color="#6b7280", dash="dot", width=1))
    _legend_above(fig)
    _base(fig, title, caption, lang, 514)
    fig.update_layout(margin=dict(b=50))
    fig.update_xaxes(range=[0, 101], title_text=_p(group_names["score_teaching"]))
    fig.update_yaxes(range=[0, 101], title_text=_p(group_names["score_management"]))
    return fig
