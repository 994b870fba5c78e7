"""The budget plan: item amounts per source of funds (or per year), at most seven item colours plus "Khác"."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_value, t
from .base import COLORWAY, _base, _legend_above, _wrap_br

BUDGET_ITEM_COLOURS = 7  # item colours of the budget chart; the rest share one "Khác" colour
OTHER_COLOUR = "#d9c7a3"  # "Khác / Other": not a status colour, not in COLORWAY
LEGEND_WRAP = 40  # characters per line of an item name in the legend (two a row fit a 1024 px window)
MIN_SEGMENT = 0.02  # a segment under 2% of the longest bar would be invisible: its item goes to "Khác"


def budget_groups(items: pd.DataFrame, n_colours: int = BUDGET_ITEM_COLOURS, min_share: float = MIN_SEGMENT,
                  key: str = "_cat") -> dict[str, str]:
    """item → the name it is drawn under: the largest `n_colours` items by amount keep their name, unless one of
    their segments (item × `key`) is under `min_share` of the longest bar; every other item is "Khác"."""
    longest = float(items.groupby(key)["amount_million_vnd"].sum().max() or 0)
    seg = items.groupby(["item_vi", key])["amount_million_vnd"].sum()
    smallest = seg[seg > 0].groupby(level=0).min()
    ranked = items.groupby("item_vi", sort=False)["amount_million_vnd"].sum().sort_values(ascending=False, kind="stable")
    keep = [i for i in ranked.index if smallest.get(i, 0) >= min_share * longest][:n_colours]
    other = [i for i in ranked.index if i not in keep]
    if len(other) == 1:  # one item alone needs no "Khác"
        keep, other = keep + other, []
    return {i: (i if i in keep else "") for i in ranked.index}


def budget_figure(items: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "") -> go.Figure:
    """Horizontal stacked bars of item amounts per source of funds (or per year when the plan has years): at most
    BUDGET_ITEM_COLOURS items in colours of their own, the smaller ones (and any that would draw an invisible
    sliver) together as "Khác" with their names and amounts in the hover; the total at each bar's end."""
    fig = go.Figure()
    items = items[items["amount_million_vnd"].notna()]
    if items.empty:
        return _base(fig, title, caption, lang, 260)
    by_year = items["year"].nunique() > 1
    key = items["year"].astype("Int64").astype(str) if by_year else items["funding_source_name"]
    items = items.assign(_cat=[_wrap_br(x, 28) for x in key])  # narrow labels: the plot and its legend keep room
    totals = items.groupby("_cat", sort=False)["amount_million_vnd"].sum().sort_values()
    groups = budget_groups(items)
    unit = t("million_vnd", lang)
    colours = iter(COLORWAY)
    for item in [i for i, g in groups.items() if g]:
        g = items[items["item_vi"] == item].groupby("_cat", as_index=False)["amount_million_vnd"].sum()
        name = _wrap_br(item, LEGEND_WRAP)  # whole: a name is never cut, a long one takes two lines
        fig.add_trace(go.Bar(name=name, y=g["_cat"], x=g["amount_million_vnd"], orientation="h",
                             marker_color=next(colours), hovertext=[_wrap_br(item, 60)] * len(g), hoverinfo="text",
                             hovertemplate=f"%{{hovertext}}<br>%{{x:,.0f}} {unit}<extra></extra>"))
    rest = items[items["item_vi"].map(groups) == ""]
    if not rest.empty:
        g = rest.groupby("_cat", as_index=False)["amount_million_vnd"].sum()
        hover = []
        for cat in g["_cat"]:
            part = rest[rest["_cat"] == cat].groupby("item_vi", sort=False)["amount_million_vnd"].sum()
            hover.append("<br>".join(f"· {_wrap_br(i, 60)}: {fmt_value(v, 'count', lang)}" for i, v in part.items()))
        n = rest["item_vi"].nunique()
        fig.add_trace(go.Bar(name=f"{t('chart_other', lang)} ({n} {t('chart_items', lang)})", y=g["_cat"],
                             x=g["amount_million_vnd"], orientation="h", marker_color=OTHER_COLOUR,
                             hovertext=hover, hovertemplate=f"<b>{t('chart_other', lang)}</b>: %{{x:,.0f}} {unit}"
                                                            f"<br>%{{hovertext}}<extra></extra>"))
    for cat, v in totals.items():
        fig.add_annotation(y=cat, x=v, text=f"<b>{fmt_value(v, 'count', lang)}</b>", showarrow=False, xanchor="left",
                           xshift=6)
    fig.update_layout(barmode="stack", xaxis=dict(title=t("amount", lang), tickformat=",.0f",
                                                   range=[0, totals.max() * 1.15]),
                      yaxis=dict(categoryorder="array", categoryarray=list(totals.index), title=None))
    # the items above the plot in the order of their amounts, two or three a row (never under the axis title)
    _legend_above(fig, traceorder="normal")
    fig = _base(fig, title, caption, lang, 200 + 55 * len(totals))
    fig.update_layout(margin=dict(b=70))
    return fig

