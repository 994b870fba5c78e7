"""Chart snapshots and briefing packs: PNG, SVG, CSV, a PDF and a PowerPoint of a page's figures (no streamlit).

Images are drawn by kaleido 1.5 in headless Chromium (Debian's `chromium`, found on PATH or through
BROWSER_PATH). One kaleido server is started once per process (`start_renderer`) and kept alive, so an
export costs a fraction of a second after the first. Every figure is rendered with its own explicit
template (`edu` from dashboard.charts): `import streamlit` changes plotly's default template, which must
not leak into exported images.

An exported chart carries, inside the image, its title, the active filters, its sources, the as-of date
and — when any of it is simulated — "Dữ liệu mô phỏng" / "Simulated data" (`with_footer`).
"""
from __future__ import annotations

import html
import io
import re
import struct
import textwrap
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

import pandas as pd
import plotly.graph_objects as go

from . import charts  # also registers the "edu" template
from .i18n import LEVEL_NAMES, PILLAR_NAMES, level_name, pillar_name, register, t

register({
    "export_pack_title": {"vi": "Báo cáo tóm tắt", "en": "Briefing pack"},
    "export_department": {"vi": "Sở Giáo dục và Đào tạo {province}",
                          "en": "Department of Education and Training, {province}"},
    "export_as_of": {"vi": "Thời điểm số liệu", "en": "Data as of"},
    "export_simulated": {"vi": "Dữ liệu mô phỏng", "en": "Simulated data"},
    "export_simulated_note": {"vi": "Có biểu đồ dùng dữ liệu mô phỏng; chân trang của biểu đồ đó ghi rõ.",
                              "en": "Some charts use simulated data; their footers say so."},
    "export_exported": {"vi": "Ngày xuất", "en": "Exported"},
    "export_contents": {"vi": "Nội dung", "en": "Contents"},
    "export_page": {"vi": "trang", "en": "page"},
    "export_caption": {"vi": "Ghi chú", "en": "Note"},
    "export_no_renderer": {"vi": "Không xuất được ảnh/PDF: máy chủ không có Chrome/Chromium.",
                           "en": "Image/PDF export unavailable: no Chrome/Chromium on the server."},
})

EXPORT_WIDTH = 1200          # px, width of an exported chart whose layout sets none
DEFAULT_HEIGHT = 600         # px, height of an exported chart whose layout sets none
A4_LANDSCAPE = (841.89, 595.28)   # points (297 × 210 mm)
PDF_MARGIN = 24.0            # points around a chart on its A4 page
PDF_CHART_WIDTH = 1100       # px, width a chart is drawn at for its A4 page (≈ 1:1 at 96 dpi)
RENDER_TIMEOUT = 60.0        # seconds for one image (kaleido's own limit, and ours around a call)
FOOTER_FONT = 13
FOOTER_LINE = 18.5           # px per footer line at FOOTER_FONT
FOOTER_LEGEND = "legend9"    # the footer is the title of this legend, pinned to the figure's bottom-left
SIMULATED_COLOUR = "#c8423b"


# --------------------------------------------------------------------------------------------- items
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


# ------------------------------------------------------------------------------------------ renderer
@dataclass(frozen=True)
class RendererStatus:
    """Truthy when the renderer is running; `reason` says why not otherwise."""
    ok: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.ok


class RendererUnavailable(RuntimeError):
    """No Chrome/Chromium, or kaleido could not start or answer."""


_lock = threading.RLock()
_status = RendererStatus(False, "not started")
_hung = threading.Event()  # set when kaleido stopped answering while its thread lives on


def chromium_path() -> str | None:
    """The Chrome/Chromium kaleido would use (BROWSER_PATH, then PATH, then usual places), or None."""
    try:
        from choreographer.browsers.chromium import Chromium
        path = Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - an odd install is "not available", not a crash
        return None
    return path if path and Path(path).is_file() else None


def chromium_available() -> bool:
    return chromium_path() is not None


def _server():
    import kaleido
    return kaleido._global_server  # noqa: SLF001 - the singleton behind start_sync_server


def _server_alive() -> bool:
    srv = _server()
    thread = getattr(srv, "_thread", None)
    return bool(srv.is_running() and thread is not None and thread.is_alive())


def _call(spec: dict, opts: dict, timeout: float = RENDER_TIMEOUT + 5) -> bytes:
    """kaleido.calc_fig_sync on the kept-alive server, with a watchdog (a dead server would block forever)."""
    import kaleido

    box: dict = {}

    def run() -> None:
        try:
            box["out"] = kaleido.calc_fig_sync(spec, opts=opts)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["err"] = exc

    worker = threading.Thread(target=run, daemon=True, name="export-render")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise RendererUnavailable(f"kaleido did not answer within {timeout:.0f} s")
    if "err" in box:
        raise box["err"]
    return box["out"]


def start_renderer(timeout: float = 60.0) -> RendererStatus:
    """Start kaleido's sync server once (idempotent) and warm it up with a tiny render.

    Returns a RendererStatus: truthy when running; falsy with a reason when Chrome/Chromium is missing or
    kaleido could not start (then every export function raises RendererUnavailable with that reason).
    """
    global _status
    with _lock:
        if _status.ok and _server_alive():
            return _status
        if _hung.is_set() and _server_alive():  # a render never came back: do not queue more behind it
            return _status
        _hung.clear()
        import kaleido

        if _server().is_running():  # started elsewhere, or died: start afresh
            try:
                if not _server_alive():
                    kaleido.stop_sync_server(silence_warnings=True)
            except Exception:  # noqa: BLE001
                pass
        path = chromium_path()
        if path is None:
            _status = RendererStatus(False, "Chrome/Chromium not found (install Debian's 'chromium', "
                                            "or set BROWSER_PATH to a Chrome/Chromium executable)")
            return _status
        try:
            if not _server().is_running():
                kaleido.start_sync_server(n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=path,
                                          silence_warnings=True)
            warm = go.Figure(layout=dict(template=charts.TEMPLATE, width=40, height=30))
            _call(warm.to_dict(), {"format": "png", "width": 40, "height": 30, "scale": 1}, timeout)
        except Exception as exc:  # noqa: BLE001
            if _server().is_running() and not _server_alive():
                kaleido.stop_sync_server(silence_warnings=True)
            elif isinstance(exc, RendererUnavailable):
                _hung.set()
            _status = RendererStatus(False, f"kaleido could not start Chromium at {path}: "
                                            f"{type(exc).__name__}: {exc}".strip())
            return _status
        _status = RendererStatus(True, f"kaleido running on {path}")
        return _status


def renderer_status() -> RendererStatus:
    """The last status of start_renderer, without starting anything."""
    return _status if not _status.ok or _server_alive() else RendererStatus(False, "renderer stopped")


def stop_renderer() -> None:
    global _status
    with _lock:
        import kaleido

        if _server().is_running():
            kaleido.stop_sync_server(silence_warnings=True)
        _status = RendererStatus(False, "stopped")


def _prepared(fig: go.Figure, width: int | None, height: int | None) -> tuple[dict, int, int]:
    """A copy with a white background and its explicit template (never plotly's current default)."""
    out = go.Figure(fig)
    tmpl = out.layout.template
    if tmpl is None or not tmpl.to_plotly_json():
        out.update_layout(template=charts.TEMPLATE)
    out.update_layout(paper_bgcolor="white")
    if out.layout.plot_bgcolor is None and (out.layout.template.layout.plot_bgcolor is None):
        out.update_layout(plot_bgcolor="white")
    w = int(width or out.layout.width or EXPORT_WIDTH)
    h = int(height or out.layout.height or DEFAULT_HEIGHT)
    out.update_layout(width=w, height=h)
    return out.to_dict(), w, h


def _render(fig: go.Figure, fmt: str, *, scale: float = 1, width: int | None = None,
            height: int | None = None) -> bytes:
    global _status
    with _lock:
        status = start_renderer()
        if not status:
            raise RendererUnavailable(status.reason)
        spec, w, h = _prepared(fig, width, height)
        try:
            out = _call(spec, {"format": fmt, "width": w, "height": h, "scale": scale})
        except RendererUnavailable as exc:
            _status = RendererStatus(False, f"{exc}; restart the app to export again")
            _hung.set()
            raise
    return out.encode("utf-8") if isinstance(out, str) else bytes(out)


def figure_png(fig: go.Figure, scale: float = 2, *, width: int | None = None, height: int | None = None) -> bytes:
    """PNG on white at `scale`× the layout size (default width 1200 px when the layout sets none)."""
    return _render(fig, "png", scale=max(scale, 1), width=width, height=height)


def figure_svg(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> bytes:
    """SVG (text stays text, so titles are searchable and scale without loss)."""
    return _render(fig, "svg", width=width, height=height)


def figure_pdf(fig: go.Figure, *, width: int | None = None, height: int | None = None) -> bytes:
    """One vector PDF page the size of the figure."""
    return _render(fig, "pdf", width=width, height=height)


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def frame_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics."""
    return df.to_csv(index=False).encode("utf-8-sig")


# ------------------------------------------------------------------------------------ texts, names
def _slug(text: str, max_len: int = 48) -> str:
    s = str(text).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > max_len:
        s = s[:max_len].rsplit("-", 1)[0] or s[:max_len]
    return s


def export_filename(page: str, province: str, chart: str, ext: str, day: date) -> str:
    """'tong-quan_dong-thap_so-sanh-ba-tinh_2026-11-22.png': ASCII only, diacritics stripped (đ → d)."""
    parts = [_slug(x) for x in (page, province, chart) if x and _slug(x)]
    ext = _slug(ext.lstrip("."), 8) or "bin"
    return "_".join(parts + [day.isoformat()]) + "." + ext


_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]


def fmt_day(day: date, lang: str = "vi") -> str:
    """22/11/2026 (vi) or 22 November 2026 (en)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if lang != "en" else f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def describe_filters(province_name: str, *, year_max: int | None = None, levels: Sequence[str] = (),
                     pillars: Sequence[str] = (), lang: str = "vi") -> str:
    """'Tỉnh: Đồng Tháp · Năm (đến hết): Mới nhất · Cấp học: Tất cả cấp học · Trụ cột: Tất cả trụ cột'."""
    lv = ", ".join(level_name(x, lang) for x in levels if x in LEVEL_NAMES) or t("levels_all", lang)
    pl = ", ".join(pillar_name(x, lang) for x in pillars if x in PILLAR_NAMES) or t("pillars_all", lang)
    return " · ".join([f"{t('province', lang)}: {province_name}",
                       f"{t('year', lang)}: {year_max if year_max else t('all_years', lang)}",
                       f"{t('school_level', lang)}: {lv}", f"{t('pillar', lang)}: {pl}"])


def _esc(text: str) -> str:
    """Plotly's pseudo-HTML: escape user text (a '<' in '< 80%' would otherwise start a tag)."""
    return html.escape(str(text), quote=False)


def _wrap(text: str, chars: int) -> list[str]:
    return [_esc(x) for x in textwrap.wrap(str(text), chars, break_long_words=False)] if text else []


def _sources_line(sources_text: str, lang: str) -> str:
    s = (sources_text or "").strip()
    if not s:
        return ""
    if s.lower().startswith((t("sources", "vi").lower(), t("sources", "en").lower())):
        return s
    return f"{t('sources', lang)}: {s}"


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


# ------------------------------------------------------------------------------------------- packs
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
                 lang: str = "vi") -> bytes:
    """A4 landscape PDF: a title page (province, filters, date, contents), then one chart per page in order.

    Each chart is drawn by Chromium as a vector PDF with its footer (title, caption, filters, sources,
    as-of, simulated flag) and placed, scaled to fit, on an A4 landscape page with pypdf.
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
    for fig in figs:
        src = PdfReader(io.BytesIO(figure_pdf(fig))).pages[0]
        box = src.mediabox
        sw, sh = float(box.width), float(box.height)
        s = min((page_w - 2 * PDF_MARGIN) / sw, (page_h - 2 * PDF_MARGIN) / sh)
        tx = (page_w - sw * s) / 2 - float(box.left) * s
        ty = page_h - PDF_MARGIN - sh * s - float(box.bottom) * s
        page = writer.add_blank_page(width=page_w, height=page_h)
        page.merge_transformed_page(src, Transformation().scale(s, s).translate(tx, ty))
    writer.add_metadata({"/Title": f"{t('export_pack_title', lang)} — {province} — {day.isoformat()}",
                         "/Subject": filters_text, "/Creator": t("app_title", lang)})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def briefing_pptx(items: Sequence[PackItem], *, province: str, filters_text: str, day: date,
                  lang: str = "vi") -> bytes:
    """16:9 PowerPoint: a title slide, then per chart a slide with its title, the chart as PNG and a text box
    with caption, sources, filters, as-of date and the simulated flag."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    prs.core_properties.title = f"{t('export_pack_title', lang)} — {province}"
    prs.core_properties.subject = filters_text
    prs.core_properties.author = t("export_department", lang).format(province=province)
    margin = Inches(0.5)
    full_w = prs.slide_width - 2 * margin

    def style(paragraph, size: int, bold: bool = False, colour: str | None = None) -> None:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour:
                run.font.color.rgb = RGBColor.from_string(colour.lstrip("#"))

    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = f"{t('export_pack_title', lang)} — {province}"
    slide.shapes.title.left, slide.shapes.title.width = margin, full_w
    style(slide.shapes.title.text_frame.paragraphs[0], 40, True)
    sub = slide.placeholders[1]
    sub.left, sub.width = margin, full_w
    tf = sub.text_frame
    tf.word_wrap = True
    lines = [(t("app_title", lang), 22, True, None), (f"{t('filters', lang)}: {filters_text}", 16, False, None),
             (f"{t('export_exported', lang)}: {fmt_day(day, lang)}", 16, False, None)]
    if any(it.simulated for it in items):
        lines.append((t("export_simulated_note", lang), 16, True, SIMULATED_COLOUR))
    for i, (text, size, bold, colour) in enumerate(lines):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.text = text
        style(p, size, bold, colour)

    title_top, title_h = Inches(0.3), Inches(0.8)
    box_h = Inches(1.05)
    box_top = prs.slide_height - box_h - Inches(0.2)
    img_top = title_top + title_h + Inches(0.1)
    img_max_h = box_top - img_top - Inches(0.1)
    for it in items:
        slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        ttl = slide.shapes.title
        ttl.text = it.title
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
        rows.append((f"{t('filters', lang)}: {filters_text}", False, None))
        meta = f"{t('export_as_of', lang)}: {it.as_of}" if it.as_of else ""
        if meta:
            rows.append((meta, False, None))
        if it.simulated:
            rows.append((t("export_simulated", lang), True, SIMULATED_COLOUR))
        for i, (text, bold, colour) in enumerate(r for r in rows if r[0]):
            p = box.paragraphs[0] if i == 0 else box.add_paragraph()
            p.text = text
            style(p, 11, bold, colour or "#3e4c59")
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


__all__ = ["PackItem", "RendererStatus", "RendererUnavailable", "chromium_available", "chromium_path",
           "start_renderer", "renderer_status", "stop_renderer", "with_footer", "footer_text", "figure_png",
           "figure_svg", "figure_pdf", "png_size", "frame_csv", "export_filename", "describe_filters", "fmt_day",
           "briefing_pdf", "briefing_pptx", "EXPORT_WIDTH", "A4_LANDSCAPE"]
