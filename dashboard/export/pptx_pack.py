"""The PowerPoint briefing pack (16:9): title slide, headline status table, then one slide per chart.

Every shape is placed with explicit position and size inside the slide (a placeholder moved without its
height keeps y = 0 and height 0, which cut the title off). Charts are native PowerPoint charts where the
figure is bars or lines (`pptx_charts`), a PNG otherwise.
"""
from __future__ import annotations

import io
import math
from datetime import date
from typing import Callable, Sequence

import pandas as pd

from ..i18n import t
from . import status_table as st_
from .footer import SIMULATED_COLOUR, PackItem
from .names import _sources_line, fmt_day
from .pptx_charts import add_native_chart, chart_spec

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
MARGIN_IN = 0.5
STATUS_ROWS_PER_SLIDE = 7
TEXT = "1F2933"
MUTED = "52606D"
BLUE = "1F6FB4"


def _lines(text: str, width_in: float, pt: float) -> int:
    """Lines `text` takes in a box `width_in` wide at `pt` points (average glyph ≈ 0.5 em, a little margin)."""
    per_line = max(10, int((width_in - 0.2) * 72 / (pt * 0.52)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _height_in(text: str, width_in: float, pt: float) -> float:
    return _lines(text, width_in, pt) * pt * 1.25 / 72 + 0.15


def _fit_pt(text: str, width_in: float, max_h_in: float, sizes: Sequence[int]) -> int:
    """The largest of `sizes` at which `text` fits the box; the smallest one otherwise."""
    for pt in sizes:
        if _height_in(text, width_in, pt) <= max_h_in:
            return pt
    return sizes[-1]


def pack_sources(items: Sequence[PackItem], lang: str) -> str:
    """'Nguồn: a; b; c' — every document the pack's charts cite, once, in order of first use."""
    seen: list[str] = []
    for it in items:
        s = _sources_line(it.sources_text, lang)
        for prefix in (t("sources", "vi"), t("sources", "en")):
            if s.startswith(prefix + ":"):
                s = s[len(prefix) + 1:]
        for part in (x.strip() for x in s.split(";")):
            if part and part not in seen:
                seen.append(part)
    return f"{t('sources', lang)}: " + "; ".join(seen) if seen else ""


class _Deck:
    def __init__(self, *, province: str, filters_text: str, lang: str):
        from pptx import Presentation
        from pptx.util import Inches

        from .briefing import CORE_PROPERTY_MAX, _xml, shorten

        self.xml, self.Inches = _xml, Inches
        self.prs = prs = Presentation()
        prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
        props = prs.core_properties  # each at most 255 characters; the title slide keeps the whole filter text
        props.title = _xml(shorten(f"{t('export_pack_title', lang)} — {province}", CORE_PROPERTY_MAX))
        props.subject = _xml(shorten(filters_text, CORE_PROPERTY_MAX))
        props.author = _xml(shorten(t("export_department", lang).format(province=province), CORE_PROPERTY_MAX))
        self.full_w = SLIDE_W_IN - 2 * MARGIN_IN

    def slide(self, title: str, *, top: float = 0.3, height: float = 0.8, pt: int = 28):
        """A slide of the 'title only' layout with its title placed and sized explicitly."""
        from pptx.enum.text import MSO_ANCHOR

        s = self.prs.slides.add_slide(self.prs.slide_layouts[5])
        ttl = s.shapes.title
        In = self.Inches
        ttl.left, ttl.top, ttl.width, ttl.height = In(MARGIN_IN), In(top), In(self.full_w), In(height)
        ttl.text = self.xml(title)
        tf = ttl.text_frame
        tf.word_wrap = True
        tf.vertical_anchor = MSO_ANCHOR.MIDDLE
        self.style(tf.paragraphs[0], pt, True, TEXT, left=True)
        return s

    def style(self, paragraph, size: float, bold: bool = False, colour: str | None = None, left: bool = True):
        from pptx.dml.color import RGBColor
        from pptx.enum.text import PP_ALIGN
        from pptx.util import Pt

        if left:
            paragraph.alignment = PP_ALIGN.LEFT
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))

    def text(self, slide, top: float, height: float, paragraphs: Sequence[tuple], *, left: float = MARGIN_IN,
             width: float | None = None):
        """A word-wrapped text box; paragraphs = (text, size, bold, colour)."""
        In = self.Inches
        box = slide.shapes.add_textbox(In(left), In(top), In(width or self.full_w), In(height))
        tf = box.text_frame
        tf.word_wrap = True
        for i, (text, size, bold, colour) in enumerate(p for p in paragraphs if p[0]):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.text = self.xml(text)
            self.style(p, size, bold, colour)
        return box


def _title_slide(deck: _Deck, items: Sequence[PackItem], *, province: str, filters_text: str, day: date,
                 lang: str) -> None:
    w = deck.full_w
    s = deck.slide(f"{t('export_pack_title', lang)} — {province}", top=1.6, height=1.0, pt=36)
    deck.text(s, 0.5, 0.45, [(t("export_department", lang).format(province=province).upper(), 16, False, MUTED)])
    deck.text(s, 1.0, 0.55, [(t("app_title", lang), 22, True, BLUE)])
    y = 2.75
    filters_line = f"{t('filters', lang)}: {filters_text}"
    sources = pack_sources(items, lang)
    simulated = any(it.simulated for it in items)
    room = SLIDE_H_IN - 0.4 - y - 0.55 - (0.5 if simulated else 0)   # date line and simulated note below
    src_pt = _fit_pt(sources, w, room / 2, (14, 12, 11, 10)) if sources else 14
    src_h = _height_in(sources, w, src_pt) if sources else 0
    f_pt = _fit_pt(filters_line, w, room - src_h, (18, 16, 14, 12, 11, 10, 9))
    f_h = min(_height_in(filters_line, w, f_pt), room - src_h)
    deck.text(s, y, f_h, [(filters_line, f_pt, False, "3E4C59")])
    y += f_h + 0.05
    deck.text(s, y, 0.45, [(f"{t('export_exported', lang)}: {fmt_day(day, lang)}", 16, False, "3E4C59")])
    y += 0.5
    if sources:
        deck.text(s, y, src_h, [(sources, src_pt, False, MUTED)])
        y += src_h + 0.05
    if simulated:
        deck.text(s, min(y, SLIDE_H_IN - 0.9), 0.45, [(t("export_simulated_note", lang), 14, True, SIMULATED_COLOUR)])


STATUS_CELL_PT = (14, 14, 12, 14, 12, 9)   # points per column: the source in small type


def _row_height(r: pd.Series, widths: Sequence[float]) -> float:
    """Estimated height (inches) of a status-table row: its tallest wrapped cell."""
    cells = (r["indicator"], r["value"], r["target"], r["gap"], r["status"], r["source"])
    # bold table text is wider and its lines taller than _lines' body-text average (measured in LibreOffice)
    return max(_lines(str(c), w + 0.08, pt * 1.12) * pt * 1.35 / 72 for c, w, pt in
               zip(cells, widths, STATUS_CELL_PT)) + 0.1


def _fill_slides(rows: pd.DataFrame, heights: list[float], avail: float, most: int) -> list:
    """Rows in slide-sized parts: as many as fit `avail` inches (at most `most`), balanced over the slides."""
    n_slides, i = 0, 0
    while i < len(rows):  # how many slides a greedy fill needs
        used, k = 0.0, 0
        while i < len(rows) and k < most and (k == 0 or used + heights[i] <= avail):
            used, i, k = used + heights[i], i + 1, k + 1
        n_slides += 1
    out, i = [], 0
    for left in range(n_slides, 0, -1):  # then spread the rows evenly, never over the room of a slide
        size = -(-(len(rows) - i) // left)
        j, used = i, 0.0
        while j < len(rows) and j - i < size and (j == i or used + heights[j] <= avail):
            used, j = used + heights[j], j + 1
        out.append((rows.iloc[i:j], heights[i:j]))
        i = j
    while i < len(rows):  # what a balanced split could not place
        out.append((rows.iloc[i:i + 1], heights[i:i + 1]))
        i += 1
    return out


def _status_slides(deck: _Deck, rows: pd.DataFrame, *, filters_text: str, lang: str) -> int:
    """The headline status table as native tables, STATUS_ROWS_PER_SLIDE rows a slide; returns slides made."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Inches, Pt

    from .briefing import SLIDE_FILTERS_MAX, shorten

    widths = (3.5, 1.8, 1.9, 1.6, 1.45, 2.08)      # inches; sum = the slide's width inside its margins
    heads = st_.headers(lang)
    top, foot_h, head_h = 1.1, 0.75, 0.5
    avail = SLIDE_H_IN - top - foot_h - 0.15 - head_h
    heights = [_row_height(r, widths) for _, r in rows.iterrows()]
    parts = _fill_slides(rows, heights, avail, STATUS_ROWS_PER_SLIDE)
    for k, (part, part_h) in enumerate(parts):
        title = t("pack_status_title", lang) + (f" {t('pack_status_cont', lang)}" if k else "")
        s = deck.slide(title, top=0.25, height=0.75, pt=26)
        shape = s.shapes.add_table(len(part) + 1, len(widths), Inches(MARGIN_IN), Inches(top),
                                   Inches(sum(widths)), Inches(head_h + sum(part_h)))
        table = shape.table
        for j, wd in enumerate(widths):
            table.columns[j].width = Inches(wd)
        table.rows[0].height = Inches(head_h)
        for i, h in enumerate(part_h):
            table.rows[i + 1].height = Inches(h)

        def put(cell, text: str, size: int, bold: bool = False, colour: str = TEXT, fill: str | None = None):
            cell.text = deck.xml(text)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            for p in cell.text_frame.paragraphs:
                for r in p.runs:
                    r.font.size, r.font.bold = Pt(size), bold
                    r.font.color.rgb = RGBColor.from_string(colour)
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = RGBColor.from_string(fill)

        for j, h in enumerate(heads):
            put(table.cell(0, j), h, 14, True, "FFFFFF", "1F2933")
        for i, (_, r) in enumerate(part.iterrows(), start=1):
            band = "FFFFFF" if i % 2 else "F3F5F7"
            pts = STATUS_CELL_PT
            put(table.cell(i, 0), r["indicator"], pts[0], True, TEXT, band)
            put(table.cell(i, 1), r["value"], pts[1], False, TEXT, band)
            put(table.cell(i, 2), r["target"], pts[2], False, TEXT, band)
            put(table.cell(i, 3), r["gap"], pts[3], True, TEXT, band)
            put(table.cell(i, 4), r["status"], pts[4], True, "FFFFFF", st_.STATUS_FILL.get(r["status_key"], "9AA3AD"))
            put(table.cell(i, 5), r["source"], pts[5], False, MUTED, band)
        deck.text(s, SLIDE_H_IN - foot_h - 0.1, foot_h, [
            (t("status_rule", lang), 11, False, MUTED),
            (shorten(f"{t('filters', lang)}: {filters_text}", SLIDE_FILTERS_MAX), 11, False, MUTED)])
    return len(parts)


def _chart_slide(deck: _Deck, it: PackItem, *, filters_text: str, lang: str) -> None:
    from pptx.util import Emu

    from .briefing import SLIDE_FILTERS_MAX, shorten
    from .render import figure_png, png_size

    In = deck.Inches
    native = chart_spec(it.figure) is not None
    if native:  # the chart's own title is the heading (one title, kept when the chart is pasted elsewhere)
        s = deck.prs.slides.add_slide(deck.prs.slide_layouts[6])
        s._element.cSld.set("name", deck.xml(it.title))  # the slide's name in outlines and the selection pane
    else:
        s = deck.slide(it.title, top=0.25, height=0.75, pt=26)
    rows = [(it.caption, 12, False, "3E4C59")] if it.caption else []
    rows.append((_sources_line(it.sources_text, lang), 11, False, "3E4C59"))
    rows.append((shorten(f"{t('filters', lang)}: {filters_text}", SLIDE_FILTERS_MAX), 11, False, "3E4C59"))
    if it.as_of:
        rows.append((f"{t('export_as_of', lang)}: {it.as_of}", 11, False, "3E4C59"))
    if it.simulated:
        rows.append((t("export_simulated", lang), 12, True, SIMULATED_COLOUR))
    box_h = sum(_height_in(text, deck.full_w, pt) - 0.15 for text, pt, *_ in rows if text) + 0.15
    box_h = min(box_h, 2.2)
    box_top = SLIDE_H_IN - box_h - 0.15
    top = 0.2 if native else 1.05
    ch_h = box_top - top - 0.05
    if native:
        add_native_chart(s, it.figure, In(MARGIN_IN), In(top), In(deck.full_w), In(ch_h), title=it.title)
    else:  # maps, heatmaps, bands: the figure as drawn
        png = figure_png(it.figure, scale=2)
        iw, ih = png_size(png)
        sc = min(In(deck.full_w) / iw, In(ch_h) / ih)
        w, h = int(iw * sc), int(ih * sc)
        s.shapes.add_picture(io.BytesIO(png), Emu((deck.prs.slide_width - w) // 2), In(top), Emu(w), Emu(h))
    deck.text(s, box_top, box_h, rows)


def briefing_pptx(items: Sequence[PackItem], *, province: str, filters_text: str, day: date,
                  lang: str = "vi", progress: Callable[[int, int], None] | None = None,
                  status: pd.DataFrame | None = None) -> bytes:
    """16:9 PowerPoint: a title slide; the headline status table (`status` = `status_table.status_rows`,
    e.g. from `packs.status_table`) when given; then per chart a slide with its title, the chart (native where
    PowerPoint can draw it) and a text box with caption, sources, filters, as-of date and the simulated flag."""
    deck = _Deck(province=province, filters_text=filters_text, lang=lang)
    _title_slide(deck, items, province=province, filters_text=filters_text, day=day, lang=lang)
    if status is not None and not status.empty:
        _status_slides(deck, status, filters_text=filters_text, lang=lang)
    for k, it in enumerate(items, start=1):
        if progress is not None:
            progress(k, len(items) + 1)
        _chart_slide(deck, it, filters_text=filters_text, lang=lang)
    buf = io.BytesIO()
    deck.prs.save(buf)
    return buf.getvalue()
