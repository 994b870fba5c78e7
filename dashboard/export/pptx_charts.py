"""Native, editable PowerPoint charts made from a plotly figure's own data (python-pptx chart API).

Bars (grouped or stacked, horizontal or vertical) and lines become PowerPoint charts whose data sheet holds
the figure's numbers, so staff can paste and restyle them; marker-only traces on a grouped bar chart (the
target markers) become outlined bars of their own series. Anything else (maps, heatmaps, filled bands,
mixed stacks) returns None and the caller places a picture instead.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import plotly.graph_objects as go

_TAG = re.compile(r"<[^>]+>")
CHART_FONT_PT = 14


def plain(text: object) -> str:
    """A plotly string as plain text: '<br>' → space, tags dropped, entities decoded; 17.0 → '17'."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return str(int(text)) if float(text).is_integer() else str(text)
    if hasattr(text, "item"):  # numpy scalar
        return plain(text.item())
    s = str(text or "").replace("<br>", " ").replace("<br />", " ")
    return " ".join(html.unescape(_TAG.sub("", s)).split())


def _colour(c: object) -> str | None:
    """'#1f6fb4' → '1F6FB4'; None for anything else (rgba, names): PowerPoint's own colours then."""
    if isinstance(c, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", c):
        return c[1:].upper()
    return None


@dataclass
class Series:
    name: str
    values: list
    kind: str                       # 'bar' | 'markers' | 'line'
    colour: str | None = None
    point_colours: list = field(default_factory=list)
    labels: list = field(default_factory=list)   # data label per point as the page shows it ('' = none)


@dataclass
class ChartSpec:
    """What a plotly figure says, in PowerPoint's terms."""
    kind: str                       # 'bar' | 'line'
    horizontal: bool
    stacked: bool
    categories: list[str]
    series: list[Series]
    top_down: bool                  # horizontal: first category drawn at the top
    title: str = ""
    number_format: str = "General"
    value_max: float | None = None
    value_title: str = ""

    def vmax_ok(self) -> bool:
        return self.value_max is not None and self.value_max > 0


def _is_line(tr) -> bool:
    return tr.type == "scatter" and "lines" in (tr.mode or "lines") and not tr.fill


def _is_markers(tr) -> bool:
    return tr.type == "scatter" and (tr.mode or "") == "markers" and not tr.fill


def chart_spec(fig: go.Figure) -> ChartSpec | None:
    """The figure as a ChartSpec, or None when PowerPoint cannot draw it natively."""
    # legend-key traces without data (a status colour key: x = [None]) have nothing to plot
    traces = [tr for tr in fig.data if tr.visible is not False and (tr.type == "bar" or _has_points(tr))]
    if not traces:
        return None
    bars = [tr for tr in traces if tr.type == "bar"]
    others = [tr for tr in traces if tr.type != "bar"]
    lay = fig.layout
    stacked = lay.barmode in ("stack", "relative")
    if bars:
        horizontal = {tr.orientation == "h" for tr in bars}
        if len(horizontal) != 1 or not all(_is_markers(tr) for tr in others) or (stacked and others):
            return None
        horizontal = horizontal.pop()
        kind = "bar"
    else:
        if not all(_is_line(tr) for tr in traces):
            return None
        horizontal, kind = False, "line"
    cat_of = (lambda tr: tr.y) if horizontal else (lambda tr: tr.x)
    val_of = (lambda tr: tr.x) if horizontal else (lambda tr: tr.y)
    cats: list = []
    for tr in traces:
        cats += [c for c in (cat_of(tr) if cat_of(tr) is not None else []) if c not in cats]
    if not cats:
        return None
    cat_axis = lay.yaxis if horizontal else lay.xaxis
    if cat_axis.categoryorder == "array" and cat_axis.categoryarray:
        order = [c for c in cat_axis.categoryarray if c in cats]
        cats = order + [c for c in cats if c not in order]
        # plotly draws an array order from the axis start: bottom-up for a horizontal bar chart
        top_down = not horizontal
        if horizontal:
            cats = cats[::-1]
            top_down = True
    else:
        top_down = True  # horizontal bars of a trace in data order, first on top (autorange reversed)
        if horizontal and cat_axis.autorange != "reversed":
            cats = cats[::-1]
    series = []
    for tr in traces:
        keys = list(cat_of(tr) if cat_of(tr) is not None else [])
        vals = list(val_of(tr) if val_of(tr) is not None else [])
        by_cat = {k: v for k, v in zip(keys, vals)}
        values = [_num(by_cat.get(c)) for c in cats]
        marker = tr.marker
        colour = marker.color if marker is not None else None
        point_colours = []
        if isinstance(colour, (list, tuple)):
            cmap = dict(zip(keys, colour))
            point_colours = [_colour(cmap.get(c)) for c in cats]
            colour = None
        labels = []
        if tr.type == "bar" and tr.text is not None and not isinstance(tr.text, str):
            tmap = dict(zip(keys, tr.text))
            labels = [plain(tmap.get(c, "")) if tmap.get(c) is not None else "" for c in cats]
        elif tr.type == "bar" and isinstance(tr.text, str) and tr.text:
            labels = [plain(tr.text)] * len(cats)
        kind_s = "bar" if tr.type == "bar" else ("markers" if _is_markers(tr) else "line")
        series.append(Series(plain(tr.name) or f"{len(series) + 1}", values, kind_s, _colour(colour),
                             point_colours, labels))
    # the page's words at a row's end (annotations named 'gap': 'còn thiếu 7,2 điểm %', 'Đã đạt') join the bar's label
    gaps = {a.y if horizontal else a.x: plain(a.text) for a in lay.annotations if a.name == "gap" and a.text}
    first_bar = next((sr for sr in series if sr.kind == "bar"), None)
    if gaps and first_bar is not None:
        if not first_bar.labels:
            first_bar.labels = [""] * len(cats)
        for i, c in enumerate(cats):
            if c in gaps:
                first_bar.labels[i] = " · ".join(x for x in (first_bar.labels[i], gaps[c]) if x)
    # totals the page writes at the end of a stacked bar (unnamed annotations on a category) join its name
    if stacked:
        totals = {a.y if horizontal else a.x: plain(a.text) for a in lay.annotations
                  if a.name != "gap" and a.text and (a.y if horizontal else a.x) in cats}
        cats_named = [f"{plain(c)} — {totals[c]}" if c in totals else plain(c) for c in cats]
    else:
        cats_named = None
    # a row with no figure says so in the row (a label on a missing point is not drawn): 'Tên (chưa có số liệu)'
    names = cats_named or [plain(c) for c in cats]
    for sr in series:
        if sr.kind == "bar" and sr.labels:
            for i, (v, lab) in enumerate(zip(sr.values, sr.labels)):
                if v is None and lab and lab not in names[i]:
                    names[i] = f"{names[i]} ({lab})"
    val_axis = lay.xaxis if horizontal else lay.yaxis
    suffix = val_axis.ticksuffix or ""
    if suffix == "%":
        fmt = '0"%"'
    elif val_axis.tickformat and "," in val_axis.tickformat:
        fmt = "#,##0"
    else:
        fmt = "General"
    vmax = None
    if val_axis.range is not None and not stacked:
        vmax = float(val_axis.range[1])
    values = [v for s in series for v in s.values if v is not None]
    if suffix == "%" and values and max(values) <= 100:
        vmax = 100.0
    title = plain(lay.title.text) if lay.title and lay.title.text else ""
    vtitle = plain(val_axis.title.text) if val_axis.title and val_axis.title.text else ""
    return ChartSpec(kind, horizontal, stacked, names, series, top_down, title, fmt, vmax, vtitle)


def _has_points(tr) -> bool:
    """A trace with at least one point whose x and y are both given."""
    xs, ys = list(tr.x if tr.x is not None else []), list(tr.y if tr.y is not None else [])
    return any(x is not None and y is not None and (_num(x) is not None or _num(y) is not None)
               for x, y in zip(xs, ys))


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def add_native_chart(slide, fig: go.Figure, x: int, y: int, cx: int, cy: int, *, title: str = "",
                     title_pt: int = 24):
    """A native chart of `fig` on `slide` in the given box (EMU); the graphic frame, or None if it cannot be."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Pt

    spec = chart_spec(fig)
    if spec is None:
        return None
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for s in spec.series:
        data.add_series(s.name, s.values)
    if spec.kind == "line":
        ctype = XL_CHART_TYPE.LINE_MARKERS
    elif spec.horizontal:
        ctype = XL_CHART_TYPE.BAR_STACKED if spec.stacked else XL_CHART_TYPE.BAR_CLUSTERED
    else:
        ctype = XL_CHART_TYPE.COLUMN_STACKED if spec.stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(ctype, x, y, cx, cy, data)
    chart = frame.chart
    chart.font.size = Pt(CHART_FONT_PT)
    chart.font.name = "Noto Sans"
    shown_title = title or spec.title
    chart.has_title = bool(shown_title)
    if shown_title:  # the chart carries its title (it is the slide's heading, and stays with a pasted chart)
        chart.chart_title.text_frame.text = shown_title
        for p in chart.chart_title.text_frame.paragraphs:
            for r in p.runs:
                r.font.size, r.font.bold = Pt(title_pt), True
                r.font.color.rgb = RGBColor(0x1F, 0x29, 0x33)
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.horz_offset = 0
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_FONT_PT - 1)
    va = chart.value_axis
    va.tick_labels.number_format = spec.number_format
    va.tick_labels.number_format_is_linked = False
    va.minimum_scale = 0
    if spec.vmax_ok():
        va.maximum_scale = spec.value_max
    if spec.number_format == '0"%"':
        va.major_unit = 20
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = RGBColor(0xE5, 0xE7, 0xEB)
    if spec.value_title:
        va.has_title = True
        va.axis_title.text_frame.text = spec.value_title
        for p in va.axis_title.text_frame.paragraphs:
            for r in p.runs:
                r.font.size, r.font.bold = Pt(12), False
    ca = chart.category_axis
    ca.tick_labels.font.size = Pt(CHART_FONT_PT - 1)
    if spec.horizontal and spec.top_down:
        ca.reverse_order = True  # first category on top, as on the page (value axis then sits at the top)
    plot = chart.plots[0]
    if spec.kind == "bar":
        plot.gap_width = 40 if len(spec.series) > 2 else 60
        if not spec.stacked:
            plot.overlap = 0
    for s, ps in zip(spec.series, plot.series):
        fill_colour = s.colour
        if s.kind == "markers":  # a target: an outlined bar of its own series
            ps.format.fill.background()
            ps.format.line.color.rgb = RGBColor.from_string(s.colour or "1F2933")
            ps.format.line.width = Pt(2)
        elif spec.kind == "bar":
            fill_colour = fill_colour or ("3E4C59" if s.point_colours else None)  # the legend swatch
            if fill_colour:
                ps.format.fill.solid()
                ps.format.fill.fore_color.rgb = RGBColor.from_string(fill_colour)
            for i, c in enumerate(s.point_colours):
                if c:
                    pt = ps.points[i]
                    pt.format.fill.solid()
                    pt.format.fill.fore_color.rgb = RGBColor.from_string(c)
        elif fill_colour:
            ps.format.line.color.rgb = RGBColor.from_string(fill_colour)
        if any(s.labels):
            for i, text in enumerate(s.labels):
                if not text:
                    continue
                dl = ps.points[i].data_label
                dl.has_text_frame = True
                dl.text_frame.text = text
                dl.position = (XL_LABEL_POSITION.CENTER if spec.stacked else XL_LABEL_POSITION.OUTSIDE_END)
                for r in dl.text_frame.paragraphs[0].runs:
                    r.font.size = Pt(CHART_FONT_PT - 1)
                    r.font.bold = True
    return frame
