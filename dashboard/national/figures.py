"""Figures of the national overview: pure builders (DataFrame in, plotly Figure out; no queries)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..charts import COLORWAY, _base, _legend_above, mark_simulated
from ..i18n import fmt_number, t
from ..markup import plot as _p
from . import strings  # noqa: F401 - registers the nat_* strings
from .strings import INDICATOR_NAMES

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


# Widths of the page's choices (px): the year box holds '2023-2024' and its arrow; the indicator box its longest
# name (at most 6 px a character at the app's 14 px type, measured in Chromium: 224 px for the 37 characters of
# 'Trường đạt mức 2 trở lên theo QĐ 4725'; with room to spare, plus padding and the arrow), at most a 1024 px row.
YEAR_BOX_PX = 140


def indicator_box_px(lang: str) -> int:
    longest = max(len(v[lang]) for v in INDICATOR_NAMES.values())
    return min(552, round(6.6 * longest) + 56)


NATIONAL = "#393b79"  # the all-province line and its legend key
# A value label written just right of its bar would be crossed by the national line when the bar ends this close
# before it (share of the axis range: a label "90,1%" is about this wide at 1024 px and in meeting mode).
LABEL_SPAN = 0.14
KEY_BAND = 24  # px above the plot for the 'Dữ liệu mô phỏng' stamp when there is no legend above it


def ranking_figure(df: pd.DataFrame, indicator: str, *, unit: str, national: float | None, lang: str = "vi",
                   title: str = "", caption: str = "", simulated: bool = True) -> go.Figure:
    """Horizontal bars, one per province, best at the top; a dashed line at the all-province value, named in a
    legend above the plot on the left (the 'Dữ liệu mô phỏng' stamp is on the right). A bar that ends just before
    the line carries its value inside its end, so the line never crosses a value.
    A province whose former provinces did not all report is drawn lighter and marked with *."""
    d = ranked(df, indicator)
    labels = [_p(f"{'–' if pd.isna(r) else int(r)}. {n}{'' if c else ' *'}")
              for r, n, c in zip(d["rank"], d["name"], d["complete"])]
    text = [fmt_indicator(v, unit, lang) for v in d[indicator]]
    values = pd.to_numeric(d[indicator], errors="coerce")
    xmax = float(values.max() or 1) if values.notna().any() else 1.0
    span = 112.0 if unit == "pct" else xmax * 1.18
    has_national = national is not None and not pd.isna(national)
    inside = [bool(has_national and pd.notna(v) and v < national and national - v < LABEL_SPAN * span
                   and v > LABEL_SPAN * span) for v in values]
    fig = go.Figure(go.Bar(
        y=labels, x=d[indicator], orientation="h", text=text, cliponaxis=False,
        textposition=["inside" if i else "outside" for i in inside], insidetextanchor="end", constraintext="none",
        insidetextfont=dict(color=["white" if c else "#1f2933" for c in d["complete"]]),
        marker=dict(color=[BAR if c else PARTIAL for c in d["complete"]]),
        customdata=list(zip(d["schools"].astype(int), d["parts_reporting"].astype(int), d["parts_total"].astype(int))),
        hovertemplate="%{y}: %{text}<br>" + _p(t("nat_schools", lang)) + ": %{customdata[0]:,}<extra></extra>"))
    fig.update_layout(showlegend=has_national, yaxis=dict(autorange="reversed", title=None, tickfont=dict(size=12)),
                      xaxis=dict(title=None, range=[0, span], ticksuffix="%" if unit == "pct" else ""), bargap=0.25)
    fig.data[0].showlegend = False
    if has_national:
        fig.add_vline(x=float(national), line=dict(color=NATIONAL, dash="dash", width=1.5))
        # the line's key is a legend entry above the plot (left; the 'Dữ liệu mô phỏng' stamp sits at the right):
        # a legend's room is counted by _base and by the meeting slide, so the key never meets the subtitle
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", hoverinfo="skip", showlegend=True,
                                 line=dict(color=NATIONAL, dash="dash", width=1.5), legendgroup="national",
                                 name=_p(f"{t('nat_national', lang)}: {fmt_indicator(national, unit, lang)}")))
        _legend_above(fig, itemwidth=40)  # long enough a key to show the dashes
    fig = _base(fig, title, caption, lang, max(360, 22 * len(d) + 120))
    if simulated and not has_national:  # a band above the plot for the stamp, clear of the subtitle
        fig.update_layout(height=fig.layout.height + KEY_BAND, margin=dict(t=fig.layout.margin.t + KEY_BAND))
    return mark_simulated(fig, lang) if simulated else fig
