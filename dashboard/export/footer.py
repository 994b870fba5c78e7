"""A chart's footer inside the image (title, filters, sources, as-of, simulated flag) and the PackItem."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import charts
from ..i18n import t
from .names import _esc, _sources_line, _wrap
from .render import DEFAULT_HEIGHT, EXPORT_WIDTH

FOOTER_FONT = 13
FOOTER_LINE = 18.5           # px per footer line at FOOTER_FONT
FOOTER_LEGEND = "legend9"    # the footer is the title of this legend, pinned to the figure's bottom-left
SIMULATED_COLOUR = "#c8423b"


@dataclass
class PackItem:
    """One chart of a briefing pack, in page order."""
    figure: go.Figure
    title: str
    caption: str = ""                 # the explanatory line the page shows under the chart
    sources_text: str = ""            # 'Nguồn: …' (documents, sections)
    simulated: bool = False           # any value in it simulated → footer says so
    csv: pd.DataFrame | None = None   # the rows behind the chart (for 'Tải CSV')
    as_of: str = ""                   # data as-of date as shown ('03/2024')
    key: str = ""                     # short ASCII-able name for file names ('so-sanh-ba-tinh')
    page: str = ""                    # page the chart comes from ('overview', 'targets', 'budget')



_INVISIBLE = dict(size=1, color="rgba(0,0,0,0)", opacity=0, line=dict(width=0))
_CARTESIAN = {"bar", "scatter", "scattergl", "histogram", "box", "violin", "heatmap", "contour", "waterfall",
              "funnel", "candlestick", "ohlc", "histogram2d", "histogram2dcontour", "image"}


def _legend_dummy(fig: go.Figure):
    """An invisible trace of the figure's own kind that owns the footer legend, or None (then: annotation)."""
    kinds = {tr.type for tr in fig.data}
    common = dict(name="", legend=FOOTER_LEGEND, showlegend=True, hoverinfo="skip")
    if not kinds or kinds & _CARTESIAN:
        return go.Scatter(x=[None], y=[None], mode="markers", marker=_INVISIBLE, **common)
    if kinds & {"choropleth", "scattergeo"}:
        return go.Scattergeo(lat=[None], lon=[None], mode="markers", marker=_INVISIBLE, **common)
    if kinds & {"choroplethmap", "scattermap", "densitymap"}:
        return go.Scattermap(lat=[None], lon=[None], mode="markers", marker=_INVISIBLE, **common)
    return None


def _pin_legends_above(fig: go.Figure, y: float) -> None:
    """Legends placed below the plot (paper y < 0) are pinned, in container coordinates, just above the
    footer: a paper-anchored legend is pushed to the figure's bottom edge by plotly's automargin, where
    it would run into the footer."""
    names = {getattr(tr, "legend", None) or "legend" for tr in fig.data}
    for name in names:
        leg = fig.layout[name] if name in fig.layout else None
        if leg is None:
            continue
        ly = leg.y if leg.y is not None else (fig.layout.template.layout[name].y
                                              if name == "legend" and fig.layout.template.layout.legend else None)
        yref = leg.yref or "paper"
        if yref == "paper" and ly is not None and ly < 0:
            fig.update_layout({name: dict(yref="container", y=y, yanchor="bottom")})


def with_footer(fig: go.Figure, *, title: str, filters_text: str, sources_text: str, as_of: str | None,
                simulated: bool, lang: str = "vi", caption: str = "", page_label: str = "") -> go.Figure:
    """A COPY of the figure with a footer below the plot: title, filters, sources, as-of, simulated flag.

    The bottom margin (and the height) grow by the footer's height, so the plot keeps its size. The footer
    is pinned to the figure's bottom-left corner in pixels: it is the title of an extra legend placed in
    container coordinates, because an annotation can only be placed relative to the plot area, whose left
    edge moves with the width of the category labels. Figures without cartesian or map axes get a
    paper-anchored annotation instead.
    """
    out = go.Figure(fig)
    if out.layout.template is None or not out.layout.template.to_plotly_json():
        out.update_layout(template=charts.TEMPLATE)
    width = int(out.layout.width or EXPORT_WIDTH)
    chars = max(50, int((width - 30) / (FOOTER_FONT * 0.56)))
    head = f"<b>{_esc(title)}</b>" if title else ""
    if page_label:
        head = (head + " · " if head else "") + _esc(page_label)
    lines = [head] if head else []
    lines += _wrap(caption, chars)
    if filters_text:
        lines += _wrap(f"{t('filters', lang)}: {filters_text}", chars)
    lines += _wrap(_sources_line(sources_text, lang), chars)
    meta = [_esc(f"{t('export_as_of', lang)}: {as_of}")] if as_of else []
    if simulated:
        meta.append(f"<span style='color:{SIMULATED_COLOUR}'><b>{_esc(t('export_simulated', lang))}</b></span>")
    if meta:
        lines.append(" · ".join(meta))
    text = "<br>".join(lines)
    footer_h = int(len(lines) * FOOTER_LINE + 22)
    height = int(out.layout.height or DEFAULT_HEIGHT)
    bottom = out.layout.margin.b if out.layout.margin.b is not None else 80
    out.update_layout(width=width, height=height + footer_h)
    font = dict(size=FOOTER_FONT, color="#3e4c59", family=charts.FONT)
    dummy = _legend_dummy(out)
    if dummy is None:
        out.update_layout(margin=dict(b=bottom + footer_h))
        plot_w = max(1, width - (out.layout.margin.l or 80) - (out.layout.margin.r or 80))
        plot_h = max(1, height - (out.layout.margin.t or 100) - bottom)
        out.add_annotation(text=text, align="left", showarrow=False, font=font, xref="paper", yref="paper",
                           x=-((out.layout.margin.l or 80) - 12) / plot_w, xanchor="left",
                           y=-(bottom + footer_h - 8) / plot_h, yanchor="bottom", name="export_footer")
        return out
    # keep the figure's own legend as it was: plotly shows a legend by default only for ≥ 2 traces
    shown = [tr for tr in out.data if tr.showlegend is not False]
    own_legend = out.layout.showlegend if out.layout.showlegend is not None else len(shown) > 1
    if not own_legend:
        for tr in out.data:
            tr.showlegend = False
    _pin_legends_above(out, (footer_h + 8) / (height + footer_h))
    out.add_trace(dummy)
    out.update_layout(showlegend=True, **{FOOTER_LEGEND: dict(
        xref="container", yref="container", x=0.01, y=0, xanchor="left", yanchor="bottom",
        orientation="h", bgcolor="rgba(0,0,0,0)", borderwidth=0, itemwidth=30, font=dict(size=1),
        title=dict(text=text, font=font, side="top left"))})
    return out


def footer_text(fig: go.Figure) -> str:
    """The footer of a figure made by with_footer (for tests and checks)."""
    leg = getattr(fig.layout, FOOTER_LEGEND, None)
    if leg is not None and leg.title and leg.title.text:
        return leg.title.text
    return "\n".join(a.text for a in fig.layout.annotations if a.name == "export_footer")

