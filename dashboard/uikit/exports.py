"""Charts with their PNG/SVG/CSV downloads, and the sidebar's briefing pack (queued rendering)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import rollups
from ..i18n import register, t
from ..units.view import unit_name  # the chosen unit: a current province when one is chosen
from .boundary import guarded
from .cache import query
from .filters import Filters, filters
from .meeting import meeting, meeting_figure, show_slide

register({
    "dl_png_help": {"vi": "Tải biểu đồ dạng ảnh PNG, kèm tiêu đề, bộ lọc và nguồn.",
                    "en": "Download the chart as a PNG image, with its title, filters and sources."},
    "dl_svg_help": {"vi": "Tải biểu đồ dạng ảnh vectơ SVG (phóng to không vỡ nét), kèm tiêu đề, bộ lọc và nguồn.",
                    "en": "Download the chart as an SVG vector image (sharp at any size), with its title, filters "
                          "and sources."},
    "dl_csv_help": {"vi": "Tải số liệu của biểu đồ (CSV, mở được bằng Excel), tiêu đề cột bằng tiếng Việt.",
                    "en": "Download the chart's figures (CSV, opens in Excel), with English column headers."},
})


def _filters_text(f: Filters) -> str:
    from ..export import describe_filters  # noqa: PLC0415

    # the chosen unit after the label 'Tỉnh:': 'Thành phố Cần Thơ', 'Đồng Tháp' (not 'Tỉnh: Tỉnh Đồng Tháp')
    name = unit_name(f).removeprefix("Tỉnh ")
    txt = describe_filters(name, year_max=f.year_max, levels=f.levels, pillars=f.pillars, lang=f.lang)
    if f.districts:
        names = dict(zip(*query(rollups.districts, f.province)[["code", "fullname"]].T.values))
        txt += f" · {t('district', f.lang)}: " + ", ".join(names.get(d, d) for d in f.districts)
    from ..units.view import communes_text  # noqa: PLC0415 - the current communes chosen (from 7/2025)

    return txt + communes_text(f)


def chart(fig, key: str, *, title: str, data: pd.DataFrame | None = None, sources_text: str = "",
          as_of: str = "", simulated: bool = False, caption: str = "", draw: bool = True) -> None:
    """A plotly chart (one slide in meeting mode) with PNG, SVG and CSV downloads carrying a footer.
    `draw=False`: a part of the page not chosen (sections.part_choice): only into the page's briefing pack."""
    from ..export import PackItem  # noqa: PLC0415

    f = filters()
    if data is not None and simulated:  # a simulated number never leaves the app unlabelled
        data = data.assign(provenance="simulated", nhan="Dữ liệu mô phỏng / simulated data")
    item = PackItem(figure=fig, title=title, caption=caption, sources_text=sources_text, simulated=simulated,
                    csv=data, as_of=as_of, key=key, page=st.session_state.get("_deck_page", ""))
    st.session_state.setdefault("_page_items", []).append(item)
    if not draw or not show_slide():
        return
    cfg = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key}}
    if meeting():  # one slide: the chart fills the viewport below the bar (CSS), larger type, no scrolling
        with st.container(key=f"edu-slide-{key}"):
            st.plotly_chart(meeting_figure(fig), key=key, config={**cfg, "responsive": True}, height="stretch",
                            theme=None)
        return
    st.plotly_chart(fig, key=key, config=cfg)
    _downloads(item, f)



def export_name(page: str, f: Filters, key: str, ext: str, day) -> str:  # noqa: ANN001 - a date
    """'tong-quan_thanh-pho-can-tho_ban-tom-tat_2026-11-23.pdf': an exported file named after the chosen unit
    (the current province when one is chosen, never its former part), ASCII only."""
    from .. import export  # noqa: PLC0415

    return export.export_filename(page, unit_name(f), key, ext, day)


def _downloads(item, f: Filters) -> None:
    from datetime import date  # noqa: PLC0415

    from .. import export  # noqa: PLC0415

    lg = f.lang
    page_label = item.page or "trang"

    def name(ext: str) -> str:
        return export_name(page_label, f, item.key, ext, date.today())

    def footed():
        return export.with_footer(item.figure, title=item.title, filters_text=_filters_text(f),
                                  sources_text=item.sources_text, as_of=item.as_of, simulated=item.simulated,
                                  lang=lg, caption=item.caption)

    st.markdown("<div class='edu-downloads'></div>", unsafe_allow_html=True)
    ready = export.chromium_available()
    # A row of buttons as wide as their labels (a horizontal container wraps them when the page is narrow): fixed
    # columns cut the labels to "⬇ …" at 1024 px.
    with st.container(horizontal=True, gap="small", key=f"edu-dl-{item.key}"):
        st.download_button("⬇ PNG", (lambda: export.figure_png(footed())) if ready else b"", name("png"),
                           "image/png", key=f"{item.key}_png", disabled=not ready, on_click="ignore",
                           help=t("dl_png_help", lg))
        st.download_button("⬇ SVG", (lambda: export.figure_svg(footed())) if ready else b"", name("svg"),
                           "image/svg+xml", key=f"{item.key}_svg", disabled=not ready, on_click="ignore",
                           help=t("dl_svg_help", lg))
        if item.csv is not None:
            from ..export.csv_human import human_frame  # noqa: PLC0415

            st.download_button("⬇ CSV", export.frame_csv(human_frame(item.csv, lg)), name("csv"), "text/csv",
                               key=f"{item.key}_csv", on_click="ignore",
                               help=t("dl_csv_help", lg))
    if not ready:
        st.caption(t("export_no_renderer", lg) + " " + t("export_use_toolbar", lg))


def _build_pack(items: list, fmt: str, f: Filters, state_key: tuple) -> None:
    """Wait for this session's turn in the process-wide pack queue (showing the position), then render."""
    from datetime import date  # noqa: PLC0415

    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    from .. import export  # noqa: PLC0415

    lg = f.lang
    status = st.empty()
    bar = st.progress(0.0, text=t("pack_progress", lg))
    ctx = get_script_run_ctx()

    def waiting(pos: int, total: int) -> None:
        status.info(t("pack_waiting", lg).format(pos=pos, total=total), icon=":material/hourglass_top:")

    try:
        with export.PACK_QUEUE.turn(ctx.session_id if ctx else "", on_wait=waiting):
            status.empty()
            started = export.start_renderer()
            if not started:
                _log_export_problem(started.reason)
                st.error(t("export_no_renderer", lg))
                return
            build = export.briefing_pdf if fmt == "pdf" else export.briefing_pptx
            from .. import packs  # noqa: PLC0415

            status_rows = query(packs.status_table, f.province, lang=lg, year_max=f.year_max, levels=f.levels,
                                pillars=f.pillars, current=f.current_province)  # every pack opens with it
            data = build(items, province=unit_name(f), filters_text=_filters_text(f),
                         day=date.today(), lang=lg, status=status_rows,
                         progress=lambda k, n: bar.progress(k / n, text=f"{t('pack_progress', lg)} {k}/{n}"))
    except export.QueueFull:
        bar.empty()
        status.warning(t("pack_queue_full", lg).format(n=export.MAX_WAITING), icon=":material/block:")
        return
    except export.WaitTimeout:
        bar.empty()
        status.warning(t("pack_queue_timeout", lg), icon=":material/schedule:")
        return
    except export.RendererUnavailable as exc:
        _log_export_problem(str(exc))
        bar.empty()
        st.error(t("export_no_renderer", lg))
        return
    bar.progress(1.0, text=t("pack_done", lg))
    st.session_state["_pack"] = (state_key, data)


def _log_export_problem(reason: str) -> None:
    """A renderer problem in the server log (its text names server paths: never shown in the page)."""
    from ..errors import log  # noqa: PLC0415

    log.warning("briefing pack: %s", reason)


def pack_controls(page_key: str) -> None:
    """Sidebar: build a briefing pack (PDF or PPTX) of the charts this page just drew, with progress.
    Runs behind the page boundary like the page itself (a failure: one clear message, never a traceback)."""
    guarded(_pack_controls, page_key)


def _pack_controls(page_key: str) -> None:
    from datetime import date  # noqa: PLC0415

    from .. import export  # noqa: PLC0415

    f = filters()
    lg = f.lang
    items = st.session_state.get("_page_items", [])
    with st.sidebar:
        st.subheader(t("pack_title", lg))
        if not items:
            st.caption(t("pack_no_charts", lg))
            return
        if not export.chromium_available():
            st.caption(t("export_no_renderer", lg))
            return
        fmt = st.radio(t("pack_format", lg), ["pdf", "pptx"], horizontal=True, key="pack_format",
                       format_func=lambda x: {"pdf": "PDF (A4 ngang)" if lg == "vi" else "PDF (A4 landscape)",
                                              "pptx": "PowerPoint 16:9"}[x])
        items, left_out = export.limit_charts(items)
        if left_out:
            st.caption(t("pack_limit", lg).format(n=len(items) + left_out, max=export.MAX_PACK_CHARTS))
        state_key = (page_key, fmt, f, tuple(i.title for i in items), tuple(i.key for i in items))
        busy = len(export.PACK_QUEUE)
        if busy:
            st.caption(t("pack_queue_busy", lg).format(n=busy))
        if st.button(t("pack_build", lg), key="pack_build",
                     help=t("pack_limit_help", lg).format(max=export.MAX_PACK_CHARTS)):
            _build_pack(items, fmt, f, state_key)
        pack = st.session_state.get("_pack")
        if pack and pack[0] == state_key:
            fname = export_name(page_key, f, "ban-tom-tat", fmt, date.today())
            st.download_button(t("pack_download", lg), pack[1], fname, key="pack_download", on_click="ignore",
                               mime="application/pdf" if fmt == "pdf" else
                               "application/vnd.openxmlformats-officedocument.presentationml.presentation")
