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

from .i18n import fmt_number, fmt_value, level_name, pillar_name, plotly_separators, register, t
from .markup import plot as _p

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
    _legend_above(fig)
    fig.update_layout(legend_traceorder="reversed")  # a group draws its first trace lowest: the legend reads top down
    fig = _base(fig, title or t("compare_title", lang), caption, lang, max(360, 70 * len(order) + 160))
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=50))
    return fig


def _has(v: object) -> bool:
    return v is not None and not pd.isna(v)


def gap_words(r: pd.Series | dict, year: int, lang: str = "vi") -> str:
    """The gap to the `year` target in words: 'còn thiếu 7,2 điểm %' | 'Đã đạt' | 'Chưa có số liệu' | ''.

    'Đã đạt' follows the row's status (the stated rule, `status_<year>`), so a printed bound or a strict target
    is judged the way the status says; '' when the row has no target for that year."""
    value, target = r.get("value"), r.get(f"target_{year}")
    if not _has(target):
        return ""
    if not _has(value):
        return t("chart_no_figure", lang)
    if r.get(f"status_{year}", r.get("status")) == "reached":
        return t("status_reached", lang)
    gap = float(target) - float(value)
    unit = r.get("unit") or ""
    amount = fmt_number(round(abs(gap), 1), lang=lang) if unit == "pct" else fmt_value(abs(gap), unit, lang)
    if r.get("direction") == "down":  # lower is better: the value is above its ceiling
        pts = (" " + ("điểm %" if lang == "vi" else "points")) if unit == "pct" else ""
        return t("chart_gap_over", lang).format(x=amount + pts)
    if gap <= 0:  # above the target but not 'reached' by the rule (e.g. a bound): no gap to close
        return t(f"chart_status_short_{r.get(f'status_{year}', 'none') or 'none'}", lang)
    return t("gap_short_pct" if unit == "pct" else "gap_short", lang).format(x=amount)


def _legend_above(fig: go.Figure) -> None:
    """A horizontal legend in the top margin, just above the plot (never over the axis or its labels)."""
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, xanchor="left",
                                  font=dict(size=13), itemsizing="constant", title=None))


def target_progress_figure(df: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "",
                           target_years: tuple[int, ...] = (2025, 2030)) -> go.Figure:
    """One row per indicator: the latest actual as a bar coloured by its status, written in the bar (with its
    qualifier); the target markers (◆ 2025, ★ 2030, ● 2024); and at the row's end the gap in words ('còn thiếu
    7,2 điểm %', 'Đã đạt', 'Chưa có số liệu'). Status key and markers in one legend above the plot."""
    fig = go.Figure()
    df = df[df["unit"] == "pct"].reset_index(drop=True)
    if df.empty:
        return _base(fig, title, caption, lang, 260)
    labels = [row_label(a, b, c, lang) for a, b, c in zip(df["indicator_name"], df["level"], df["breakdown_name"])]
    status = [s if isinstance(s, str) and s in STATUS_COLOURS else "none"
              for s in df.get("status", pd.Series(["none"] * len(df)))]
    has = [_has(v) for v in df["value"]]
    quals = list(df.get("qualifier", pd.Series([""] * len(df))).fillna(""))
    hover = []
    for lab, (_, r) in zip(labels, df.iterrows()):
        if not _has(r["value"]):
            hover.append(f"{lab}<br>{t('no_actual', lang)}")
        else:
            hover.append(f"{lab}<br>{t('actual', lang)}: {_hover_value(r, lang)}<br>{_p(r.get('source_title', ''))}, "
                         f"{_p(r.get('section', ''))}")
    fig.add_trace(go.Bar(
        name=t("actual", lang), y=labels, x=[v if h else None for v, h in zip(df["value"], has)], orientation="h",
        marker_color=[STATUS_COLOURS[s] for s in status], showlegend=False,
        text=[fmt_value(v, "pct", lang, q) if h else "" for v, q, h in zip(df["value"], quals, has)],
        textposition=["inside" if h and v >= 22 else "outside" for v, h in zip(df["value"], has)],
        insidetextanchor="end", insidetextfont=dict(color="white"), textfont=dict(size=14), cliponaxis=False,
        hovertext=hover, hoverinfo="text"))
    shown_years = []
    for y in target_years:
        col = f"target_{y}"
        if col not in df or df[col].isna().all():
            continue
        shown_years.append(y)
        sym, colour = TARGET_MARKERS.get(y, ("x", "#52606d"))
        hov = [f"{lab}<br>{t('target', lang)} {y}: {fmt_value(v, 'pct', lang, r.get(f'{col}_qualifier') or '')} — "
               f"{_p(r.get(f'{col}_source', ''))}, "
               f"{_p(r.get(f'{col}_section', ''))}" if _has(v) else ""
               for lab, v, (_, r) in zip(labels, df[col], df.iterrows())]
        fig.add_trace(go.Scatter(
            name=f"{t('target', lang)} {y}", y=labels, x=df[col], mode="markers",
            marker=dict(symbol=sym, size=16, color=colour, line=dict(color="white", width=1)),
            hovertext=hov, hoverinfo="text"))
    # the status key, as legend entries of their own (no data: the bars carry the colours)
    for key in ("reached", "near", "far", "none"):
        if any(st_ == key and h for st_, h in zip(status, has)):  # only colours that a bar shows
            fig.add_trace(go.Scatter(name=t(f"chart_status_short_{key}", lang), y=[labels[0]], x=[None],
                                     mode="markers", marker=dict(symbol="square", size=14, color=STATUS_COLOURS[key]),
                                     hoverinfo="skip", legendrank=1))
    # the gap in words at the end of each row: after the bar or the farthest target marker
    for lab, (_, r), st_, h in zip(labels, df.iterrows(), status, has):
        year = int(r["status_year"]) if _has(r.get("status_year")) else next(
            (y for y in target_years if _has(r.get(f"target_{y}"))), target_years[0])
        words = gap_words(r, year, lang) or (t("chart_no_figure", lang) if not h else "")
        if not words:
            continue
        ends = [float(r["value"])] if h else []
        ends += [float(r[f"target_{y}"]) for y in shown_years if _has(r.get(f"target_{y}"))]
        x_end = max(ends) if ends else 0.0
        outside_text = h and float(r["value"]) < 22 and float(r["value"]) >= x_end - 1e-9
        fig.add_annotation(x=x_end, y=lab, text=f"<b>{_p(words)}</b>" if h else f"<i>{_p(words)}</i>",
                           xanchor="left", showarrow=False, xshift=16 + (58 if outside_text else 0),
                           font=dict(size=14, color="#1f2933" if h else "#52606d"), name="gap")
    height = max(300, 58 * len(df) + 190)
    fig.update_layout(xaxis=dict(range=[0, 104], ticksuffix="%", title=None, tickvals=[0, 20, 40, 60, 80, 100],
                                 ticktext=["0%", "20%", "40%", "60%", "80%", "100%"]),
                      yaxis=dict(autorange="reversed", title=None), bargap=0.35)
    _legend_above(fig)
    fig = _base(fig, title, caption, lang, height)
    fig.update_layout(margin=dict(r=190, t=fig.layout.margin.t + 34, b=50))
    return fig


BUDGET_ITEM_COLOURS = 7  # item colours of the budget chart; the rest share one "Khác" colour
OTHER_COLOUR = "#d9c7a3"  # "Khác / Other": not a status colour, not in COLORWAY
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
    items = items.assign(_cat=[_wrap_br(x, 34) for x in key])
    totals = items.groupby("_cat", sort=False)["amount_million_vnd"].sum().sort_values()
    groups = budget_groups(items)
    unit = t("million_vnd", lang)
    colours = iter(COLORWAY)
    for item in [i for i, g in groups.items() if g]:
        g = items[items["item_vi"] == item].groupby("_cat", as_index=False)["amount_million_vnd"].sum()
        name = _p(textwrap.shorten(str(item), 55, placeholder="…"))
        fig.add_trace(go.Bar(name=name, y=g["_cat"], x=g["amount_million_vnd"], orientation="h",
                             marker_color=next(colours), hovertext=[_wrap_br(item, 60)] * len(g), hoverinfo="text",
                             hovertemplate=f"%{{hovertext}}<br>%{{x:,.0f}} {unit}<extra></extra>"))
    rest = items[items["item_vi"].map(groups) == ""]
    if not rest.empty:
        g = rest.groupby("_cat", as_index=False)["amount_million_vnd"].sum()
        hover = []
        for cat in g["_cat"]:
            part = rest[rest["_cat"] == cat].groupby("item_vi", sort=False)["amount_million_vnd"].sum()
            hover.append("<br>".join(f"· {_p(textwrap.shorten(str(i), 60, placeholder='…'))}: "
                                     f"{fmt_value(v, 'count', lang)}" for i, v in part.items()))
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
                      yaxis=dict(categoryorder="array", categoryarray=list(totals.index), title=None),
                      legend=dict(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left",
                                  font=dict(size=12), title=None, traceorder="normal"))
    rows = (len(fig.data) + 1) // 2  # two entries a row at most widths (names shortened to 55 characters)
    fig = _base(fig, title, caption, lang, 200 + 55 * len(totals) + 24 * rows)
    fig.update_layout(margin=dict(b=70 + 24 * rows))  # ticks and axis title, then the legend (never over them)
    return fig


def task_status_figure(counts: pd.DataFrame, *, lang: str = "vi", title: str = "", caption: str = "") -> go.Figure:
    """Stacked bars: number of tasks per plan year by status."""
    fig = go.Figure()
    for status, g in counts.groupby("status", sort=False):
        fig.add_trace(go.Bar(name=t(f"task_{status}", lang), x=g["plan_year"].astype(str), y=g["n"],
                             marker_color=TASK_COLOURS.get(status), text=g["n"], textposition="inside"))
    fig.update_layout(barmode="stack", xaxis=dict(title=t("plan_year", lang), type="category"),
                      yaxis=dict(title=t("task", lang), dtick=2))
    _legend_above(fig)  # never over the axis title
    fig = _base(fig, title, caption, lang, 380)
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=60))
    return fig


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
    _legend_above(fig)
    fig = _base(fig, title, caption, lang, max(320, 26 * len(df) * max(1, len(metrics)) + 180))
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=50))
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
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=60))
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
    _legend_above(fig)  # never over the year labels
    fig = _base(fig, title, caption, lang, 460)
    fig.update_layout(margin=dict(t=fig.layout.margin.t + 34, b=50))
    return mark_simulated(fig, lang) if simulated else fig
