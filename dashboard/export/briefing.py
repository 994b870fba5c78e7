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
from .names import _esc, _wrap, fmt_day
from .render import figure_pdf

A4_LANDSCAPE = (841.89, 595.28)   # points (297 × 210 mm)
PDF_MARGIN = 24.0            # points around a chart on its A4 page
PDF_CHART_WIDTH = 1100       # px, width a chart is drawn at for its A4 page (≈ 1:1 at 96 dpi)
CORE_PROPERTY_MAX = 255      # characters: the limit of a core property (title, subject …) in an OOXML file
STATUS_ROWS_PER_PAGE = 8    # rows of the status table on one A4 page
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
                  width: int, height: int, first_page: int = 2, status_pages: int = 0) -> go.Figure:
    """The title page as a plotly figure of annotations (so the PDF page is drawn like the charts).

    Blocks flow from the top in pixels (each block's height from its line count), so a long filter text
    pushes what follows down instead of running into it; the contents list takes the room that is left."""
    from .pptx_pack import pack_sources

    fig = go.Figure()
    fig.update_layout(template=charts.TEMPLATE, width=width, height=height, margin=dict(l=0, r=0, t=0, b=0),
                      xaxis=dict(visible=False, range=[0, 1]), yaxis=dict(visible=False, range=[0, 1]),
                      showlegend=False)
    left = 0.07
    chars = lambda size: int(width * (1 - 2 * left) / (size * 0.55))  # noqa: E731
    y = 44.0

    def note(lines: list[str], size: int, colour: str = "#1f2933", gap: float = 10, at: float | None = None) -> None:
        nonlocal y
        top = y if at is None else at
        fig.add_annotation(x=left, y=1 - top / height, xref="paper", yref="paper", xanchor="left", yanchor="top",
                           align="left", showarrow=False, text="<br>".join(lines),
                           font=dict(size=size, color=colour, family=charts.FONT))
        if at is None:
            y += len(lines) * size * 1.3 + gap

    note([_esc(t("export_department", lang).format(province=province)).upper()], 16, "#52606d", 6)
    note([f"<b>{_esc(t('app_title', lang))}</b>"], 34, gap=8)
    note([_esc(f"{t('export_pack_title', lang)} — {province}")], 28, "#1f6fb4", 18)
    filt = f"{t('filters', lang)}: {filters_text}"
    size = 15 if len(filt) <= 3 * chars(15) else 12
    note(_wrap(filt, chars(size)), size, "#3e4c59", 4)
    note([_esc(f"{t('export_exported', lang)}: {fmt_day(day, lang)}")], 15, "#3e4c59", 8)
    sources = pack_sources(items, lang)
    if sources:
        note(_wrap(sources, chars(13))[:4], 13, "#52606d", 16)
    entries = []
    if status_pages:
        entries.append((t("pack_status_title", lang), first_page, False))
    entries += [(it.title, first_page + status_pages + i, it.simulated) for i, it in enumerate(items)]
    rows = [f"<b>{_esc(t('export_contents', lang))}</b>"]
    for i, (title, page, sim) in enumerate(entries):
        mark = f" <span style='color:{SIMULATED_COLOUR}'>({_esc(t('export_simulated', lang))})</span>" if sim else ""
        rows.append(f"{i + 1}. {_esc(textwrap.shorten(title, 90, placeholder='…'))}{mark} — "
                    f"{t('export_page', lang)} {page}")
    bottom = height - 110                                   # the simulated note and the footer below
    fit = max(2, int((bottom - y) // (14 * 1.3)))
    note(rows[:fit - 1] + ["…"] if len(rows) > fit else rows, 14)
    if any(it.simulated for it in items):
        note([f"<b>{_esc(t('export_simulated_note', lang))}</b>"], 14, SIMULATED_COLOUR, at=height - 100)
    note(_wrap(t("footer", lang), chars(11)), 11, "#52606d", at=height - 62)
    return fig


def _status_figure(rows, *, filters_text: str, lang: str, width: int, height: int, title: str,
                   page_label: str) -> go.Figure:
    """One page of the headline status table (plotly table; the status cell in its status colour)."""
    from .status_table import STATUS_FILL, headers

    widths = [3.5, 1.65, 1.9, 1.6, 1.45, 2.23]
    band = ["#ffffff" if i % 2 == 0 else "#f3f5f7" for i in range(len(rows))]
    fills = [band, band, band, band, ["#" + STATUS_FILL.get(k, "9aa3ad") for k in rows["status_key"]], band]
    cols = ["indicator", "value", "target", "gap", "status", "source"]
    fig = go.Figure(go.Table(
        columnwidth=widths,
        header=dict(values=[f"<b>{_esc(h)}</b>" for h in headers(lang)], fill_color="#1f2933", align="left",
                    font=dict(color="white", size=17, family=charts.FONT), height=40),
        cells=dict(values=[[_esc(v) for v in rows[c]] for c in cols], fill_color=fills, align="left",
                   font=dict(size=[17, 17, 15, 17, 15, 12], family=charts.FONT,
                             color=["#1f2933", "#1f2933", "#1f2933", "#1f2933", "white", "#52606d"]),
                   height=44),
        domain=dict(x=[0, 1], y=[0.14, 1])))
    fig.update_layout(template=charts.TEMPLATE, width=width, height=height,
                      margin=dict(l=30, r=30, t=70, b=20),
                      title=dict(text=f"<b>{_esc(title)}</b>", font=dict(size=24), x=0.02, y=0.97))
    foot = _wrap(t("status_rule", lang), 150) + _wrap(f"{t('filters', lang)}: {filters_text}", 150)[:3]
    foot.append(_esc(page_label))
    fig.add_annotation(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom", align="left",
                       showarrow=False, text="<br>".join(foot), font=dict(size=12, color="#52606d", family=charts.FONT))
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
                 lang: str = "vi", progress: Callable[[int, int], None] | None = None,
                 status=None) -> bytes:
    """A4 landscape PDF: a title page (province, filters, date, sources, contents), the headline status table
    (`status` = `status_table.status_rows`, e.g. from `packs.status_table`) when given, then one chart per page.

    Each chart is drawn by Chromium as a vector PDF with its footer (title, caption, filters, sources,
    as-of, simulated flag) and placed, scaled to fit, on an A4 landscape page with pypdf.
    `progress(done, total)` is called after each page.
    """
    from pypdf import PdfReader, PdfWriter, Transformation

    page_w, page_h = A4_LANDSCAPE
    px_w, px_h = round(page_w / 0.75), round(page_h / 0.75)      # 1123 × 794 px at 96 dpi
    from .status_table import chunks

    parts = chunks(status, STATUS_ROWS_PER_PAGE) if status is not None else []
    n = len(items) + 1 + len(parts)
    figs = [_title_figure(items, province=province, filters_text=filters_text, day=day, lang=lang,
                          width=px_w, height=px_h, status_pages=len(parts))]
    figs += [_status_figure(part, filters_text=filters_text, lang=lang, width=px_w, height=px_h,
                            title=t("pack_status_title", lang) + (f" {t('pack_status_cont', lang)}" if k else ""),
                            page_label=f"{t('export_page', lang)} {k + 2}/{n}") for k, part in enumerate(parts)]
    usable_w, usable_h = page_w - 2 * PDF_MARGIN, page_h - 2 * PDF_MARGIN
    chart_w = PDF_CHART_WIDTH
    figs += [_chart_figure(it, filters_text=filters_text, lang=lang, width=chart_w,
                           min_height=int(chart_w * usable_h / usable_w),
                           page_label=f"{t('export_page', lang)} {i + 2 + len(parts)}/{n}")
             for i, it in enumerate(items)]
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




from .pptx_pack import briefing_pptx  # noqa: E402,F401 - the PowerPoint pack lives in its own module
