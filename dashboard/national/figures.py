"""Figures of the national overview: pure builders (DataFrame in, plotly Figure out; no queries)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..charts import COLORWAY, _base, mark_simulated
from ..i18n import fmt_number, t
from ..markup import plot as _p
from . import strings  # noqa: F401 - registers the nat_* strings

BAR = COLORWAY[0]
PARTIAL = "#9ec5e8"  # a lighter shade of the bar colour (not a status colour): province with missing parts


def fmt_indicator(v: float | None, unit: str, lang: str) -> str:
    if v is None or pd.isna(v):
        return "–"
    return f"{fmt_number(round(float(v), 1), 1, lang)}" + ("%" if unit == "pct" else "")


def ranked(df: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Rows ordered best first (highest value), provinces without a value last; a 'rank' column (1 = best)."""
    out = df.sort_values([indicator, "name"], ascending=[False, True], na_position="last").reset_index(drop=True)
    out["rank"] = out[indicator].rank(ascending=False, method="min").astype("Int64")
    return out


def ranking_figure(df: pd.DataFrame, indicator: str, *, unit: str, national: float | None, lang: str = "vi",
                   title: str = "", caption: str = "", simulated: bool = True) -> go.Figure:
    """Horizontal bars, one per province, best at the top; a dashed line at the all-province value.
    A province whose former provinces did not all report is drawn lighter and marked with *."""
    d = ranked(df, indicator)
    labels = [_p(f"{'–' if pd.isna(r) else int(r)}. {n}{'' if c else ' *'}")
              for r, n, c in zip(d["rank"], d["name"], d["complete"])]
    text = [fmt_indicator(v, unit, lang) for v in d[indicator]]
    fig = go.Figure(go.Bar(
        y=labels, x=d[indicator], orientation="h", text=text, textposition="outside", cliponaxis=False,
        marker=dict(color=[BAR if c else PARTIAL for c in d["complete"]]),
        customdata=list(zip(d["schools"].astype(int), d["parts_reporting"].astype(int), d["parts_total"].astype(int))),
        hovertemplate="%{y}: %{text}<br>" + _p(t("nat_schools", lang)) + ": %{customdata[0]:,}<extra></extra>"))
    xmax = float(pd.to_numeric(d[indicator], errors="coerce").max() or 1)
    fig.update_layout(showlegend=False, yaxis=dict(autorange="reversed", title=None, tickfont=dict(size=12)),
                      xaxis=dict(title=None, range=[0, 112] if unit == "pct" else [0, xmax * 1.18],
                                 ticksuffix="%" if unit == "pct" else ""), bargap=0.25)
    if national is not None and not pd.isna(national):
        fig.add_vline(x=float(national), line=dict(color="#393b79", dash="dash", width=1.5),
                      annotation=dict(text=_p(f"{t('nat_national', lang)}: {fmt_indicator(national, unit, lang)}"),
                                      font=dict(size=12, color="#393b79"), yanchor="bottom"),
                      annotation_position="top")
    fig = _base(fig, title, caption, lang, max(360, 22 * len(d) + 120))
    return mark_simulated(fig, lang) if simulated else fig
