"""Briefing packs: a PDF (A4 landscape) or a PowerPoint (16:9) of a page's charts, with a title page."""
from __future__ import annotations

import io
import re
import textwrap
from datetime import date
from typing import Callable, Sequence

import plotly.graph_objects as go

from .. import charts
from ..i18n import t
from .footer import SIMULATED_COLOUR, PackItem, with_footer
from .names import _esc, _sources_line, _wrap, fmt_day
from .render import figure_pdf, figure_png, png_size

A4_LANDSCAPE = (841.89, 595.28)   # points (297 × 210 mm)
PDF_MARGIN = 24.0            # points around a chart on its A4 page
PDF_CHART_WIDTH = 1100       # px, width a chart is drawn at for its A4 page (≈ 1:1 at 96 dpi)
CORE_PROPERTY_MAX = 255      # characters: the limit of a core property (title, subject …) in an OOXML file
SLIDE_FILTERS_MAX = 240      # characters of the filter line on a chart slide (the title slide has them all)


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, ending in '…' when cut."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ·,;:") + "…"


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text an OOXML file can hold (control characters from a pasted cell would make python-pptx fail)."""
    return _XML_UNSAFE.sub(" ", str(text))


def _title_figure(items: Sequence[PackItem], *, province: str, filters_text: str, day: date, lang: str,
                  width: int, height: int, first_page: int = 2) -> go.Figure:
    """The title page as a plotly figure of annotations (so the PDF page is drawn like the charts)."""
    fig = go.Figure()
    fig.update_layout(template=charts.TEMPLATE, width=width, height=height, margin=dict(l=0, r=0, t=0, b=0),
                      xaxis=dict(visible=False, range=[0, 1]), yaxis=dict(visible=False, range=[0, 1]),
                      showlegend=False)
    left = 0.07

    def note(y: float, text: str, size: int, colour: str = "#1f2933", **kw) -> None:
        fig.add_annotation(x=left, y=y, xref="paper", yref="paper", xanchor="left", yanchor="top", align="left",
                           showarrow=False, text=text, font=dict(size=size, color=colour, family=charts.FONT), **kw)

    note(0.92, _esc(t("export_department", lang).format(province=province)).upper(), 16, "#52606d")
    note(0.85, f"<b>{_esc(t('app_title', lang))}</b>", 38)
    note(0.75, _esc(f"{t('export_pack_title', lang)} — {province}"), 28, "#1f6fb4")
    filt = "<br>".join(_wrap(f"{t('filters', lang)}: {filters_text}", 110))
    note(0.66, filt, 15, "#3e4c59")
    note(0.66 - 0.035 * (filt.count("<br>") + 1) - 0.01, _esc(f"{t('export_exported', lang)}: {fmt_day(day, lang)}"),
         15, "#3e4c59")
    rows = [f"<b>{_esc(t('export_contents', lang))}</b>"]
    for i, it in enumerate(items):
        mark = f" <span style='color:{SIMULATED_COLOUR}'>({_esc(t('export_simulated', lang))})</span>" if it.simulated else ""
        rows.append(f"{i + 1}. {_esc(textwrap.shorten(it.title, 90, placeholder='…'))}{mark} — "
                    f"{t('export_page', lang)} {first_page + i}")
    note(0.5, "<br>".join(rows[:14] + (["…"] if len(rows) > 14 else [])), 15)
    if any(it.simulated for it in items):
        note(0.12, f"<b>{_esc(t('export_simulated_note', lang))}</b>", 14, SIMULATED_COLOUR)
    note(0.06, "<br>".join(_wrap(t("footer", lang), 150)), 11, "#52606d")
    return fig


def _chart_figure(item: PackItem, *, filters_text: str, lang: str, page_label: str = "",
                  width: int | None = None, min_height: int = 0) -> go.Figure:
    """The chart with its footer at `width` px, stretched to `min_height` so it fills its page."""
    fig = go.Figure(item.figure)
    if width:
        fig.update_layout(width=width)
    out = with_footer(fig, title=item.title, filters_text=filters_text, sources_text=item.sources_text,
                      as_of=item.as_of, simulated=item.simulated, lang=lang, caption=item.caption,
                      page_label=page_label)
    if out.layout.height < min_height:  # the footer stays pinned to the bottom; the plot grows
        out.update_layout(height=min_height)
    return out


def briefing_pdf(items: Sequence[PackItem], *, province: str, filters_text: str, day: date,
                 lang: str = "vi", progress: Callable[[int, int], None] | None = None) -> bytes:
    """A4 landscape PDF: a title page (province, filters, date, contents), then one chart per page in order.

    Each chart is drawn by Chromium as a vector PDF with its footer (title, caption, filters, sources,
    as-of, simulated flag) and placed, scaled to fit, on an A4 landscape page with pypdf.
    `progress(done, total)` is called after each page.
    """
    from pypdf import PdfReader, PdfWriter, Transformation

    page_w, page_h = A4_LANDSCAPE
    px_w, px_h = round(page_w / 0.75), round(page_h / 0.75)      # 1123 × 794 px at 96 dpi
    n = len(items) + 1
    figs = [_title_figure(items, province=province, filters_text=filters_text, day=day, lang=lang,
                          width=px_w, height=px_h)]
    usable_w, usable_h = page_w - 2 * PDF_MARGIN, page_h - 2 * PDF_MARGIN
    chart_w = PDF_CHART_WIDTH
    figs += [_chart_figure(it, filters_text=filters_text, lang=lang, width=chart_w,
                           min_height=int(chart_w * usable_h / usable_w),
                           page_label=f"{t('export_page', lang)} {i + 2}/{n}") for i, it in enumerate(items)]
    writer = PdfWriter()
    for k, fig in enumerate(figs, start=1):
        src = PdfReader(io.BytesIO(figure_pdf(fig))).pages[0]
        box = src.mediabox
        sw, sh = float(box.width), float(box.height)
        s = min((page_w - 2 * PDF_MARGIN) / sw, (page_h - 2 * PDF_MARGIN) / sh)
        tx = (page_w - sw * s) / 2 - float(box.left) * s
        ty = page_h - PDF_MARGIN - sh * s - float(box.bottom) * s
        page = writer.add_blank_page(width=page_w, height=page_h)
        page.merge_transformed_page(src, Transformation().scale(s, s).translate(tx, ty))
        if progress is not None:
            progress(k, len(figs))
    writer.add_metadata({"/Title": f"{t('export_pack_title', lang)} — {province} — {day.isoformat()}",
                         "/Subject": filters_text, "/Creator": t("app_title", lang)})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def briefing_pptx(items: Sequence[PackItem], *, province: str, filters_text: str, day: date,
                  lang: str = "vi", progress: Callable[[int, int], None] | None = None) -> bytes:
    """16:9 PowerPoint: a title slide, then per chart a slide with its title, the chart as PNG and a text box
    with caption, sources, filters, as-of date and the simulated flag."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    props = prs.core_properties  # each at most 255 characters; the title slide keeps the whole filter text
    props.title = _xml(shorten(f"{t('export_pack_title', lang)} — {province}", CORE_PROPERTY_MAX))
    props.subject = _xml(shorten(filters_text, CORE_PROPERTY_MAX))
    props.author = _xml(shorten(t("export_department", lang).format(province=province), CORE_PROPERTY_MAX))
    margin = Inches(0.5)
    full_w = prs.slide_width - 2 * margin

    def style(paragraph, size: int, bold: bool = False, colour: str | None = None) -> None:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = _xml(f"{t('export_pack_title', lang)} — {province}")
    slide.shapes.title.left, slide.shapes.title.width = margin, full_w
    style(slide.shapes.title.text_frame.paragraphs[0], 40, True)
    sub = slide.placeholders[1]
    sub.left, sub.width = margin, full_w
    tf = sub.text_frame
    tf.word_wrap = True
    filters_line = f"{t('filters', lang)}: {filters_text}"
    lines = [(t("app_title", lang), 22, True, None), (filters_line, 16 if len(filters_line) < 260 else 12, False, None),
             (f"{t('export_exported', lang)}: {fmt_day(day, lang)}", 16, False, None)]
    if any(it.simulated for it in items):
        lines.append((t("export_simulated_note", lang), 16, True, SIMULATED_COLOUR))
    for i, (text, size, bold, colour) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = _xml(text)
        style(p, size, bold, colour)

    title_top, title_h = Inches(0.3), Inches(0.8)
    box_h = Inches(1.05)
    box_top = prs.slide_height - box_h - Inches(0.2)
    img_top = title_top + title_h + Inches(0.1)
    img_max_h = box_top - img_top - Inches(0.1)
    for k, it in enumerate(items, start=1):
        if progress is not None:
            progress(k, len(items) + 1)
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        ttl = slide.shapes.title
        ttl.text = _xml(it.title)
        ttl.left, ttl.top, ttl.width, ttl.height = margin, title_top, full_w, title_h
        style(ttl.text_frame.paragraphs[0], 28, True)
        png = figure_png(it.figure, scale=2)
        iw, ih = png_size(png)
        s = min(full_w / iw, img_max_h / ih)
        w, h = int(iw * s), int(ih * s)
        slide.shapes.add_picture(io.BytesIO(png), Emu((prs.slide_width - w) // 2), Emu(img_top), Emu(w), Emu(h))
        box = slide.shapes.add_textbox(margin, box_top, full_w, box_h).text_frame
        box.word_wrap = True
        rows = [(it.caption, False, None)] if it.caption else []
        rows.append((_sources_line(it.sources_text, lang), False, None))
        rows.append((shorten(f"{t('filters', lang)}: {filters_text}", SLIDE_FILTERS_MAX), False, None))
        meta = f"{t('export_as_of', lang)}: {it.as_of}" if it.as_of else ""
        if meta:
            rows.append((meta, False, None))
        if it.simulated:
            rows.append((t("export_simulated", lang), True, SIMULATED_COLOUR))
        for i, (text, bold, colour) in enumerate(r for r in rows if r[0]):
            p = box.paragraphs[0] if i == 0 else box.add_paragraph()
            p.text = _xml(text)
            style(p, 11, bold, colour or "#3e4c59")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()

