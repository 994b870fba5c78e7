"""Meeting (projector) mode: stylesheet, slide counting, the projector version of a figure, ◀ ▶ controls."""
from __future__ import annotations

import streamlit as st

from ..charts.base import TITLE_PAD, legend_above, legend_lines
from ..i18n import t
from .filters import lang
from .links import forget_other_pages


MEETING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
header[data-testid="stHeader"], [data-testid="stDataFrame"], [data-testid="stExpander"],
.edu-downloads, [data-testid="stCaptionContainer"], [data-testid="stHeading"]:has(h3),
.edu-st td.edu-st-src, .edu-st th.edu-st-src, hr {display: none !important;}
/* warnings (notes) go; an empty state (info) or an error stays on the slide */
[data-testid="stAlert"]:has([data-testid="stAlertContentWarning"]),
[data-testid="stAlert"]:has([data-testid="stAlertContentSuccess"]),
[data-testid="stElementContainer"]:has([data-testid="stAlertContentWarning"]),
[data-testid="stElementContainer"]:has([data-testid="stAlertContentSuccess"]) {display: none !important;}
/* containers of hidden elements take no room (no blank band above a slide) */
[data-testid="stElementContainer"]:has(> [data-testid="stCaptionContainer"]),
[data-testid="stElementContainer"]:has([data-testid="stHeading"] h3),
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"]:empty),
[data-testid="stElementContainer"]:has(.edu-downloads),
[data-testid="stElementContainer"]:has([data-testid="stSelectbox"], [data-testid="stRadio"], [data-testid="stTextInput"]),
[data-testid="stElementContainer"]:has([data-testid="stSegmentedControl"]),
[data-testid="stElementContainer"]:has([data-testid="stMultiSelect"], [data-testid="stCheckbox"], [data-testid="stButtonGroup"]),
[data-testid="stElementContainer"]:has([data-testid="stDownloadButton"]) {display: none !important;}
html {font-size: 21px;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 0.6rem 2rem 0.4rem !important;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.3rem !important;}
h1 {font-size: min(1.5rem, 4.2vh) !important; padding: 0 !important; line-height: 1.35 !important;}
[data-testid="stElementContainer"]:has(h1) {min-height: min(2.1rem, 5.9vh); overflow: visible;}
.st-key-edu-meeting-bar button {min-height: 0; padding: 0.1rem 0.8rem;}
.st-key-edu-meeting-bar p {font-size: min(0.9rem, 2.8vh) !important;}
/* a slide is the viewport minus the bar and the page title: charts are sized to it, never scrolled */
[class*="st-key-edu-slide-"] {height: calc(100vh - 7.6rem) !important; flex: 0 0 auto !important; min-height: 260px;}
[class*="st-key-edu-slide-"] [data-testid="stPlotlyChart"] {height: 100% !important;}
/* a map slide: the map takes the slide less its one-line legend */
[class*="st-key-edu-slide-"] [data-testid="stElementContainer"]:has([data-testid="stDeckGlJsonChart"]) {flex: 1 1 auto; min-height: 0;}
[class*="st-key-edu-slide-"] [data-testid="stDeckGlJsonChart"] {height: 100% !important;}
[class*="st-key-edu-slide-"] [data-testid="stDeckGlJsonChart"] > div {height: 100% !important;}
.edu-st {font-size: min(2.5vh, 1.75vw);}
.edu-st th:nth-child(1) {width: 38%;} .edu-st th:nth-child(2) {width: 17%;}
.edu-st th:nth-child(4) {width: 17%;} .edu-st th:nth-child(5) {width: 14%;}
.edu-st-sources, .edu-st-part {font-size: min(0.7rem, 1.9vh);}
</style>
"""


def meeting() -> bool:
    """Meeting (projector) mode, kept in the URL (?meeting=true).

    Before the sidebar toggle exists (the first run of a link) the URL decides, so app.py can hide the
    sidebar before anything is drawn."""
    if "meeting" in st.session_state:
        return bool(st.session_state["meeting"])
    return str(st.query_params.get("meeting", "")).lower() in ("true", "1")


def meeting_css() -> None:
    """The projector stylesheet, sent as the first element of the run. The sidebar itself is kept from being
    painted by the page config (collapsed in meeting mode, app.py): a stylesheet reaches the browser only
    after its first paint, so CSS alone would let the sidebar flash on the projector."""
    if meeting():
        st.html(MEETING_CSS)


def page_start(page_key: str) -> None:
    """Called by app.py before a page runs: resets the slide counter and the page's chart list; on opening
    another page, the previous page's own choices leave the address."""
    if st.session_state.get("_deck_page") != page_key:
        st.session_state["meeting_step"] = 0
        forget_other_pages(page_key)
    st.session_state["_deck_page"] = page_key
    st.session_state["_deck_i"] = 0
    st.session_state["_page_items"] = []
    st.session_state["_css_sent"] = set()  # tables.css_once: each stylesheet once in this run


def show_slide() -> bool:
    """In meeting mode only the current slide is shown; otherwise everything. Counts the page's slides."""
    i = st.session_state.get("_deck_i", 0)
    st.session_state["_deck_i"] = i + 1
    return not meeting() or i == st.session_state.get("meeting_step", 0)


MEETING_LEGEND_FONT = 16  # px: legend names read from the back of the room
MEETING_LEGEND_WIDTH = 900  # px: a 1024 px projector's chart width (the narrowest slide)
MEETING_LEGEND_LINES = 4  # a legend above the plot longer than this goes beside it


def meeting_figure(fig):
    """The projector version of a figure: no fixed height (the slide's container sets it from the viewport),
    larger type, tighter margins. Rows of a long chart share the height, so it never scrolls."""
    import plotly.graph_objects as go  # noqa: PLC0415

    shown = go.Figure(fig)
    n_rows = max((len(tr.y) for tr in fig.data if tr.type == "bar" and tr.orientation == "h" and tr.y is not None),
                 default=0)
    tick = 17 if n_rows <= 6 else (15 if n_rows <= 10 else 13)  # many rows: smaller labels, still ≥ 13 px
    # very many rows share the height: each label on one line. Up to 12 rows two lines fit, and one-line labels
    # would leave a 1024 px slide a plot too narrow for its bars and legend
    if n_rows > 12:
        one = lambda v: v.replace("<br>", " ") if isinstance(v, str) else v  # noqa: E731
        for tr in shown.data:
            if getattr(tr, "orientation", None) == "h" or (tr.type == "scatter" and tr.y is not None):
                tr.y = [one(v) for v in tr.y]
        for a in shown.layout.annotations:
            if a.yref in (None, "y"):
                a.y = one(a.y)
        if shown.layout.yaxis.categoryarray is not None:
            shown.layout.yaxis.categoryarray = [one(v) for v in shown.layout.yaxis.categoryarray]
    shown.update_layout(height=None, autosize=True, font=dict(size=(fig.layout.font.size or 15) + 2))
    shown.update_xaxes(tickfont=dict(size=tick + 1))
    shown.update_yaxes(tickfont=dict(size=tick))
    for a in shown.layout.annotations:  # gap words, the 'Dữ liệu mô phỏng' stamp and totals
        a.font.size = (a.font.size or 12) + 2
    if shown.layout.title.subtitle and shown.layout.title.subtitle.font:
        shown.layout.title.subtitle.font.size = 14
    m = fig.layout.margin
    # the top margin holds the pinned title, its source lines and the legend above the plot, at projector sizes
    subtitle = shown.layout.title.subtitle.text if shown.layout.title.subtitle else ""
    top = TITLE_PAD + 34 + 20 * (subtitle.count("<br>") + 1 if subtitle else 0) + 10
    right = (m.r or 40) + 20
    lines = legend_lines(fig, MEETING_LEGEND_WIDTH, MEETING_LEGEND_FONT) if legend_above(fig) else 0
    if lines > MEETING_LEGEND_LINES:  # long names (budget items): a column beside the plot, not a wall above it
        names = [x for tr in fig.data if tr.name and tr.showlegend is not False for x in str(tr.name).split("<br>")]
        shown.update_layout(legend=dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top",
                                        font=dict(size=MEETING_LEGEND_FONT - 2)))
        right += int(40 + 0.55 * (MEETING_LEGEND_FONT - 2) * max(len(x) for x in names))
    elif lines:
        shown.update_layout(legend_font_size=MEETING_LEGEND_FONT)
        top += 12 + 22 * lines
    heat = any(tr.type == "heatmap" for tr in fig.data)  # its column labels sit below the plot
    shown.update_layout(margin=dict(t=top, b=(m.b or 90) if heat else min(m.b or 60, 50), r=right))
    return shown



def meeting_bar() -> list | None:
    """In meeting mode: the top bar; returns the places for ◀ ▶ and the counter (CSS: meeting_css)."""
    if not meeting():
        return None
    lg = lang()

    def leave() -> None:
        st.session_state["meeting"] = False

    with st.container(key="edu-meeting-bar", horizontal=True, vertical_alignment="center", gap="small"):
        places = [st.empty(), st.empty(), st.empty()]
        st.space("stretch")
        st.button("✕ " + t("meeting_exit", lg), on_click=leave, key="meeting_exit", shortcut="Esc")
    return places


def meeting_controls(places: list | None) -> None:
    """After the page ran: previous / next chart and the counter, now that the number of slides is known."""
    if not meeting() or not places:
        return
    lg = lang()
    n = max(st.session_state.get("_deck_i", 0), 1)
    step = min(st.session_state.get("meeting_step", 0), n - 1)
    st.session_state["meeting_step"] = step

    def move(delta: int) -> None:
        st.session_state["meeting_step"] = max(0, min(n - 1, st.session_state.get("meeting_step", 0) + delta))

    # ← / → step too (Streamlit's own button shortcuts; a disabled button ignores its key)
    places[0].button("◀ " + t("meeting_prev", lg), on_click=move, args=(-1,), disabled=step == 0, key="meeting_prev",
                     shortcut="Left")
    places[1].button(t("meeting_next", lg) + " ▶", on_click=move, args=(1,), disabled=step >= n - 1,
                     key="meeting_next", shortcut="Right")
    places[2].markdown(f"**{t('meeting_slide', lg)} {step + 1}/{n}**")
