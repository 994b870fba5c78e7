"""Where the province stands: provinces compared, each indicator against its targets (gap in words), tasks."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..i18n import fmt_number, fmt_value, level_name, t
from ..markup import plot as _p
from .base import (PROVINCE_COLOURS, STATUS_COLOURS, TARGET_MARKERS, TASK_COLOURS, _base, _has, _hover_value,
                   _legend_above, row_label)


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
    fig.update_layout(margin=dict(b=50))
    return fig


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


def gap_year(r: pd.Series | dict, target_years: tuple[int, ...]) -> int:
    """The target year a row's gap is told against: the year its status judges (`status_year`), else the first
    of `target_years` the row has a target for (a province with only a 2024 target: 2024)."""
    if _has(r.get("status_year")):
        return int(r["status_year"])
    return next((y for y in target_years if _has(r.get(f"target_{y}"))), target_years[0])


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
        year = gap_year(r, target_years)
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
    fig.update_layout(margin=dict(r=190, b=50))
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
    fig.update_layout(margin=dict(b=60))
    return fig

