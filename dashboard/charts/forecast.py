"""A forecast series: actual points, the projection with its interval band, targets and the required pace."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_value, t
from .base import TARGET_MARKERS, _base, _legend_above, mark_simulated

PACE_COLOUR = "#52606d"  # the required pace: a dotted slate line (red would read as 'còn xa')


def forecast_figure(points: pd.DataFrame, projection: pd.DataFrame, targets: pd.DataFrame, *, last_year: float | None,
                    last_value: float | None, lang: str = "vi", title: str = "", caption: str = "",
                    simulated: bool = False, interval_level: float = 0.8) -> go.Figure:
    """Actual points, the projection with its interval band, 2025/2030 target markers and the required pace."""
    fig = go.Figure()
    proj = projection[projection["year"] >= (last_year or 0)] if not projection.empty else projection
    if not proj.empty and proj["lower"].notna().any():
        fig.add_trace(go.Scatter(x=proj["year"], y=proj["upper"], mode="lines", line=dict(width=0),
                                 showlegend=False, hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=proj["year"], y=proj["lower"], mode="lines", line=dict(width=0), fill="tonexty",
                                 fillcolor="rgba(31,111,180,0.18)",
                                 name=f"{t('fc_interval', lang)} {round(interval_level * 100)}%", hoverinfo="skip"))
    if not proj.empty and proj["value"].notna().any():
        fig.add_trace(go.Scatter(x=proj["year"], y=proj["value"], mode="lines", line=dict(dash="dash", color="#1f6fb4"),
                                 name=t("fc_projection", lang),
                                 hovertemplate="%{x}: %{y:.1f}%<extra></extra>"))
    fig.add_trace(go.Scatter(x=points["year"], y=points["value"], mode="lines+markers", name=t("actual", lang),
                             marker=dict(size=11, color="#1f2933"), line=dict(color="#1f2933"),
                             hovertemplate="%{x}: %{y:.2f}%<extra></extra>"))
    for _, r in targets.iterrows():
        y = int(r["target_year"])
        symbol, colour = TARGET_MARKERS.get(y, ("x", PACE_COLOUR))  # the targets page's markers, never a status colour
        fig.add_trace(go.Scatter(x=[y], y=[r["target"]], mode="markers+text", name=f"{t('target', lang)} {y}",
                                 marker=dict(symbol=symbol, size=17, color=colour, line=dict(color="white", width=1)),
                                 text=[fmt_value(r["target"], "pct", lang)], textposition="top center",
                                 cliponaxis=False))
        if last_year is not None and last_value is not None and y == int(targets["target_year"].min()):
            fig.add_trace(go.Scatter(x=[last_year, y], y=[last_value, r["target"]], mode="lines",
                                     line=dict(dash="dot", color=PACE_COLOUR, width=2.5),
                                     name=t("fc_required_pace", lang), hoverinfo="skip"))
    xs = list(points["year"]) + [2030]
    # room above 100% for a target's label; the ticks stop at 100%
    fig.update_layout(xaxis=dict(range=[min(xs) - 0.5, 2030.5], dtick=1, title=None),
                      yaxis=dict(range=[0, 112], ticksuffix="%", title=None, tickvals=[0, 20, 40, 60, 80, 100],
                                 ticktext=["0%", "20%", "40%", "60%", "80%", "100%"]))
    _legend_above(fig)  # never over the year labels
    fig = _base(fig, title, caption, lang, 460)
    fig.update_layout(margin=dict(b=50))
    return mark_simulated(fig, lang) if simulated else fig
