"""Pure figure builders: tidy DataFrame in, plotly Figure out (no queries, no streamlit).

Every figure uses the explicit `edu` template (so server-side exports are not black), Vietnamese
number separators, and carries its own source caption so an exported image keeps its attribution.
Every text from the data (names, sections, sources, titles made of them) passes through `_p`
(dashboard.markup.plot): plotly reads `<b>`, `<br>`, `<a>`, `$…$` and `%{…}` in strings, data must not.
"""
from __future__ import annotations

import textwrap
from typing import Iterable

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .i18n import fmt_value, level_name, pillar_name, plotly_separators, t
from .markup import plot as _p

FONT = "Noto Sans, DejaVu Sans, Arial, sans-serif"
PROVINCE_COLOURS = {"94": "#1f6fb4", "67": "#d9822b", "87": "#2e9e6a"}
STATUS_COLOURS = {"reached": "#2e9e6a", "near": "#e0a100", "far": "#c8423b", "none": "#9aa3ad"}
TASK_COLOURS = {"dat": "#2e9e6a", "chua_dat": "#c8423b", "planned": "#4b7bd1", "assigned": "#8a6fc4"}
COLORWAY = ["#1f6fb4", "#d9822b", "#2e9e6a", "#8a6fc4", "#c8423b", "#4bb3c4", "#a67c52", "#6b7280",
            "#e377c2", "#bcbd22", "#17becf", "#393b79"]  # 12 distinct: the Đồng Tháp plan has 12 budget items

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


def _base(fig: go.Figure, title: str, caption: str, lang: str, height: int) -> go.Figure:
    """Template, separators, height, and the source caption as the title's subtitle (kept in exports)."""
    lines = textwrap.wrap(caption, 110)
    fig.update_layout(
        template=TEMPLATE, separators=plotly_separators(lang), height=height + 18 * len(lines),
        title=dict(text=f"<b>{_p(title)}</b>" if title else "",
                   subtitle=dict(text="<br>".join(_p(x) for x in lines), font=dict(size=12, color="#52606d"))),
        margin=dict(l=10, r=40, t=80 + 18 * len(lines), b=90))
    return fig


def _hover_value(r: pd.Series, lang: str) -> str:
    v = fmt_value(r["value"], r["unit"], lang, r.get("qualifier") or "")
    if r.get("value_derived"):
        v += f" ({t('derived_from', lang)} {_p(r.get('printed', ''))})"
    elif r.get("printed"):
        v += f" (“{_p(r['printed'])}”)"
    return v


def comparison_figure(df: pd.DataFrame, *, lang: str = "vi", province_names: dict[str, str] | None = None,
                      title: str | None = None, caption: str = "") -> go.Figure:
    """Grouped horizontal bars: latest % of each province on shared indicators."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title or t("compare_title", lang), caption, lang, 300)
    level_col = "compare_level" if "compare_level" in df else "level"
    df = df.assign(label=[row_label(a, b, c, lang) for a, b, c in zip(df["indicator_name"], df[level_col],
                                                                       df["breakdown_name"])])
    order = list(dict.fromkeys(df.sort_values(["pillar", "indicator_code", "level", "breakdown"])["label"]))
    for code, g in df.groupby("unit_code", sort=True):
        name = _p((province_names or {}).get(code, g["unit_name"].iloc[0]))
        hover = [f"<b>{name}</b><br>{lab} ({level_name(r['level'], lang)})<br>{_hover_value(r, lang)}<br>"
                 f"{_p(r['source_title'])}, {_p(r['section'])}"
                 for lab, (_, r) in zip(g["label"], g.iterrows())]
        fig.add_trace(go.Bar(
            name=name, y=g["label"], x=g["value"], orientation="h", marker_color=PROVINCE_COLOURS.get(code),
            text=[fmt_value(v, "pct", lang, q or "") for v, q in zip(g["value"], g.get("qualifier", [""] * len(g)))],
            textposition="outside", cliponaxis=False,
            hovertext=hover, hoverinfo="text"))
    fig.update_layout(barmode="group", bargap=0.25,
                      xaxis=dict(range=[0, 118], ticksuffix="%", title=None, tickvals=[0, 20, 40, 60, 80, 100], ticktext=["0%", "20%", "40%", "60%", "80%", "100%"]),
                      yaxis=dict(categoryorder="array", categoryarray=order[::-1], title=None))
    return _base(fig, title or t("compare_title", lang), caption, lang, max(360, 70 * len(order) + 160))


def target_progress_figure(df: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "",
                           target_years: tuple[int, ...] = (2025, 2030)) -> go.Figure:
    """Horizontal bars of the latest actual (coloured by 2025 status) with ◆/★ target markers."""
    fig = go.Figure()
    df = df[df["unit"] == "pct"]
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    labels = [row_label(a, b, c, lang) for a, b, c in zip(df["indicator_name"], df["level"], df["breakdown_name"])]
    colours = [STATUS_COLOURS[s] for s in df.get("status", pd.Series(["none"] * len(df)))]
    hover = []
    for lab, (_, r) in zip(labels, df.iterrows()):
        if r["value"] is None or pd.isna(r["value"]):
            hover.append(f"{lab}<br>{t('no_actual', lang)}")
        else:
            hover.append(f"{lab}<br>{t('actual', lang)}: {_hover_value(r, lang)}<br>{_p(r.get('source_title', ''))}, "
                         f"{_p(r.get('section', ''))}")
    fig.add_trace(go.Bar(
        name=t("actual", lang), y=labels, x=df["value"], orientation="h", marker_color=colours,
        text=[fmt_value(v, "pct", lang, q or "") if v is not None and not pd.isna(v) else t("no_actual", lang)
              for v, q in zip(df["value"], df.get("qualifier", [""] * len(df)))],
        textposition=["inside" if v is not None and not pd.isna(v) and v >= 18 else "outside" for v in df["value"]],
        insidetextanchor="end", insidetextfont=dict(color="white"), cliponaxis=False, hovertext=hover,
        hoverinfo="text"))
    symbols = {2024: ("circle", "#4bb3c4"), 2025: ("diamond", "#1f2933"), 2030: ("star", "#8a6fc4")}
    for y in target_years:
        col = f"target_{y}"
        if col not in df or df[col].isna().all():
            continue
        sym, colour = symbols.get(y, ("x", "#52606d"))
        hov = [f"{lab}<br>{t('target', lang)} {y}: {fmt_value(v, 'pct', lang, r.get(f'{col}_qualifier') or '')} — "
               f"{_p(r.get(f'{col}_source', ''))}, "
               f"{_p(r.get(f'{col}_section', ''))}" if v is not None and not pd.isna(v) else ""
               for lab, v, (_, r) in zip(labels, df[col], df.iterrows())]
        fig.add_trace(go.Scatter(
            name=f"{t('target', lang)} {y}", y=labels, x=df[col], mode="markers",
            marker=dict(symbol=sym, size=16, color=colour, line=dict(color="white", width=1)),
            hovertext=hov, hoverinfo="text"))
    fig.update_layout(xaxis=dict(range=[0, 128], ticksuffix="%", title=None, tickvals=[0, 20, 40, 60, 80, 100], ticktext=["0%", "20%", "40%", "60%", "80%", "100%"]),
                      yaxis=dict(autorange="reversed", title=None), bargap=0.35,
                      legend=dict(y=-60 / max(300, 58 * len(df) + 170)))
    return _base(fig, title, caption, lang, max(300, 58 * len(df) + 170))


def budget_figure(items: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "") -> go.Figure:
    """Horizontal stacked bars of item amounts per source of funds (or per year when the plan has years)."""
    fig = go.Figure()
    items = items[items["amount_million_vnd"].notna()]
    if items.empty:
        return _base(fig, title, caption, lang, 260)
    by_year = items["year"].nunique() > 1
    key = items["year"].astype("Int64").astype(str) if by_year else items["funding_source_name"]
    items = items.assign(_cat=[_wrap_br(x, 34) for x in key])
    totals = items.groupby("_cat", sort=False)["amount_million_vnd"].sum().sort_values()
    for item, g in items.groupby("item_vi", sort=False):
        g = g.groupby("_cat", as_index=False)["amount_million_vnd"].sum()
        name = _p(textwrap.shorten(str(item), 55, placeholder="…"))
        fig.add_trace(go.Bar(name=name, y=g["_cat"], x=g["amount_million_vnd"], orientation="h",
                             hovertemplate=f"{name}<br>%{{x:,.0f}} {t('million_vnd', lang)}<extra></extra>"))
    for cat, v in totals.items():
        fig.add_annotation(y=cat, x=v, text=f"<b>{fmt_value(v, 'count', lang)}</b>", showarrow=False, xanchor="left",
                           xshift=6)
    fig.update_layout(barmode="stack", xaxis=dict(title=t("amount", lang), tickformat=",.0f",
                                                   range=[0, totals.max() * 1.15]),
                      yaxis=dict(categoryorder="array", categoryarray=list(totals.index), title=None),
                      legend=dict(orientation="h", y=-0.3, x=0, yanchor="top", xanchor="left", font=dict(size=12)))
    n_items = items["item_vi"].nunique()
    return _base(fig, title, caption, lang, 200 + 55 * len(totals) + 22 * ((n_items + 1) // 2))


def task_status_figure(counts: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "") -> go.Figure:
    """Stacked bars: number of tasks per plan year by status."""
    fig = go.Figure()
    for status, g in counts.groupby("status", sort=False):
        fig.add_trace(go.Bar(name=t(f"task_{status}", lang), x=g["plan_year"].astype(str), y=g["n"],
                             marker_color=TASK_COLOURS.get(status), text=g["n"], textposition="inside"))
    fig.update_layout(barmode="stack", xaxis=dict(title=t("plan_year", lang), type="category"),
                      yaxis=dict(title=t("task", lang), dtick=2))
    return _base(fig, title, caption, lang, 380)


# --- district views (simulated school-level data) -----------------------------------------------------------

SIMULATED_COLOUR = "#b45309"


def mark_simulated(fig: go.Figure, lang: str) -> go.Figure:
    """A visible 'Dữ liệu mô phỏng' stamp in the top-right corner of the plot (kept in exports)."""
    fig.add_annotation(text=f"<b>{t('simulated', lang).upper()}</b>", xref="paper", yref="paper", x=1, y=1.0,
                       xanchor="right", yanchor="bottom", yshift=4, showarrow=False,
                       font=dict(size=12, color="white"), bgcolor=SIMULATED_COLOUR, borderpad=4)
    return fig


def district_bars_figure(df: pd.DataFrame, metrics: list[str], names: dict[str, str], *, lang: str = "vi",
                         title: str = "", caption: str = "", unit: str = "pct", simulated: bool = True) -> go.Figure:
    """Horizontal grouped bars: one bar per district and metric."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    labels = [_wrap_br(n, 30) for n in df["district_name"]]
    for m in metrics:
        fig.add_trace(go.Bar(
            name=_p(names.get(m, m)), y=labels, x=df[m], orientation="h",
            text=[fmt_value(v, unit, lang) if v is not None and not pd.isna(v) else "–" for v in df[m]],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}<br>" + _p(names.get(m, m)) + ": %{text}<extra></extra>"))
    xmax = float(pd.to_numeric(df[metrics].stack(), errors="coerce").max() or 1)
    fig.update_layout(barmode="group", yaxis=dict(autorange="reversed", title=None),
                      xaxis=dict(title=None, range=[0, 118] if unit == "pct" else [0, xmax * 1.2],
                                 ticksuffix="%" if unit == "pct" else ""))
    fig = _base(fig, title, caption, lang, max(320, 26 * len(df) * max(1, len(metrics)) + 180))
    return mark_simulated(fig, lang) if simulated else fig


def heatmap_figure(df: pd.DataFrame, metrics: list[str], names: dict[str, str], *, lang: str = "vi",
                   title: str = "", caption: str = "", simulated: bool = True) -> go.Figure:
    """District × indicator heatmap of shares (%), values written in the cells."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    z = df[metrics].astype(float).to_numpy()
    text_ = [[fmt_value(v, "pct", lang) if not pd.isna(v) else "–" for v in row] for row in z]
    fig.add_trace(go.Heatmap(
        z=z, x=[_wrap_br(names.get(m, m), 16) for m in metrics], y=[_p(n) for n in df["district_name"]],
        text=text_, texttemplate="%{text}", colorscale="YlGnBu", zmin=0, zmax=100,
        colorbar=dict(title="%", ticksuffix="%"), hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>"))
    fig.update_layout(yaxis=dict(autorange="reversed"), xaxis=dict(side="bottom", tickangle=0))
    fig = _base(fig, title, caption, lang, max(340, 34 * len(df) + 220))
    return mark_simulated(fig, lang) if simulated else fig


def dx_levels_figure(df: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "",
                              simulated: bool = True) -> go.Figure:
    """Stacked bars: general schools per digital-transformation maturity level (Decision 4725) by district."""
    fig = go.Figure()
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    colours = {1: "#f2c14e", 2: "#4bb3c4", 3: "#1f6fb4"}
    for lvl in (1, 2, 3):
        fig.add_trace(go.Bar(name=f"{t('level', lang)} {lvl}" if lang == "en" else f"Mức {lvl}",
                             y=[_p(n) for n in df["district_name"]], x=df[f"dx_l{lvl}"], orientation="h",
                             marker_color=colours[lvl], text=df[f"dx_l{lvl}"], textposition="inside"))
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed", title=None),
                      xaxis=dict(title=t("schools_general", lang)))
    fig = _base(fig, title, caption, lang, max(320, 30 * len(df) + 180))
    return mark_simulated(fig, lang) if simulated else fig


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
    fig = _base(fig, title, caption, lang, 460)
    return mark_simulated(fig, lang) if simulated else fig
