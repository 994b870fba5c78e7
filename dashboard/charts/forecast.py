"""A forecast series: actual points, the projection with its interval band, targets and the required pace."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_value, t
from .base import _base, _legend_above, mark_simulated


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
    symbols = {2025: "diamond", 2030: "star"}
    for _, r in targets.iterrows():
        y = int(r["target_year"])
        fig.add_trace(go.Scatter(x=[y], y=[r["target"]], mode="markers+text", name=f"{t('target', lang)} {y}",
                                 marker=dict(symbol=symbols.get(y, "x"), size=17, color="#8a6fc4" if y == 2030 else "#c8423b"),
                                 text=[fmt_value(r["target"], "pct", lang)], textposition="top center"))
        if last_year is not None and last_value is not None and y == int(targets["target_year"].min()):
            fig.add_trace(go.Scatter(x=[last_year, y], y=[last_value, r["target"]], mode="lines",
                                     line=dict(dash="dot", color="#c8423b"), name=t("fc_required_pace", lang),
                                     hoverinfo="skip"))
    xs = list(points["year"]) + [2030]
    fig.update_layout(xaxis=dict(range=[min(xs) - 0.5, 2030.5], dtick=1, title=None),
                      yaxis=dict(range=[0, 105], ticksuffix="%", title=None))
    _legend_above(fig)  # never over the year labels
    fig = _base(fig, title, caption, lang, 460)
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=50))
    return mark_simulated(fig, lang) if simulated else fig
