"""The one UI-helper module that imports streamlit: cached queries, shared filters, cards, captions."""
from __future__ import annotations

import html
import importlib
import os
from dataclasses import dataclass
from typing import Callable

import pandas as pd
import streamlit as st

from . import queries, rollups
from .packs import sources_caption  # noqa: F401 - re-exported for the pages (one implementation)
from .db import database_path
from .i18n import LEVEL_NAMES, PILLAR_NAMES, fmt_date, fmt_value, level_name, pillar_name, register, t
from .markup import html_text, md  # data text is text (see dashboard.markup)

register({
    "unplaced_title": {"vi": "Trường không ghi huyện trong văn bản ({n})", "en": "Schools with no district in the documents ({n})"},
    "unplaced_note": {"vi": "Văn bản không ghi huyện/thành phố của các trường này, nên chúng không thuộc huyện nào trong "
                            "biểu đồ và bảng xếp hạng; tổng toàn tỉnh vẫn tính chúng.",
                      "en": "The documents name no district for these schools, so they belong to no district in the "
                            "charts and rankings; the province totals still count them."},
    "scr_school": {"vi": "Trường", "en": "School"},
    "scr_students": {"vi": "Học sinh", "en": "Students"},
    "scr_imported": {"vi": "Dữ liệu nhập", "en": "Imported"},
})

DEFAULT_PROVINCE = "87"  # Đồng Tháp: the plan that asks for this system


@dataclass(frozen=True)
class Filters:
    lang: str
    province: str
    year_max: int | None
    levels: tuple[str, ...]
    pillars: tuple[str, ...]
    districts: tuple[str, ...] = ()


def _db_token() -> str:
    """The store's path and data version (one indexed read): every build, publish, rollback, restore or
    migration bumps the version, so cached results never outlive their data, also after in-place writes
    (in WAL mode the file's mtime does not change on commit)."""
    from .db import data_version, read_engine  # noqa: PLC0415

    p = database_path()
    if not p.is_file():
        return "missing"
    try:
        return f"{p}:{data_version(read_engine(p))}"
    except Exception:  # noqa: BLE001 - an unreadable store: the query itself will say why (page boundary)
        return f"{p}:unreadable"


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached(token: str, fn_name: str, args: tuple, kwargs: tuple) -> object:
    module, _, name = fn_name.rpartition(":")
    fn = getattr(importlib.import_module(module) if module else queries, name)
    return fn(*args, **dict(kwargs))


def query(fn: str | Callable, *args: object, **kwargs: object) -> pd.DataFrame:
    """Call a query function (a name in dashboard.queries, or a function) through st.cache_data.

    The cache key includes a token of the database file, so a rebuild invalidates every result.
    """
    name = fn if isinstance(fn, str) else f"{fn.__module__}:{fn.__name__}"
    norm = lambda v: tuple(v) if isinstance(v, (list, set)) else v  # noqa: E731
    return _cached(_db_token(), name, tuple(norm(a) for a in args),
                   tuple(sorted((k, norm(v)) for k, v in kwargs.items())))


def database_ready() -> bool:
    """A database file exists at the configured path (reading never creates one)."""
    return database_path().is_file()


def lang() -> str:
    """The chosen language; on the first run of a shared link the widget does not exist yet: read the URL."""
    chosen = st.session_state.get("lang")
    if chosen:
        return chosen
    return "en" if st.query_params.get("lang") in ("en", "English") else "vi"


def sidebar_filters() -> Filters:
    """Language and filters in the sidebar, each bound to a URL query parameter (shareable links)."""
    with st.sidebar:
        lg = st.segmented_control(t("language", lang()), ["vi", "en"], default="vi", key="lang",
                                  format_func=lambda x: {"vi": "Tiếng Việt", "en": "English"}[x],
                                  bind="query-params", required=True)
        lg = lg or "vi"
        st.header(t("filters", lg))
        provs = query("provinces")
        names = dict(zip(provs["code"], provs["name"]))
        codes = list(names) or [DEFAULT_PROVINCE]
        province = st.selectbox(t("province", lg), codes, index=codes.index(DEFAULT_PROVINCE) if DEFAULT_PROVINCE
                                in codes else 0, format_func=lambda c: names.get(c, c), key="province",
                                bind="query-params")
        dists = query(rollups.districts, province or codes[0])
        dnames = dict(zip(dists["code"], dists["fullname"]))
        if "district" in st.session_state:  # keep only districts of the chosen province
            st.session_state["district"] = [d for d in st.session_state["district"] if d in dnames]
        districts = st.multiselect(t("district", lg), list(dnames), key="district", bind="query-params",
                                   format_func=lambda c: dnames.get(c, c), placeholder=t("districts_all", lg))
        yrs = ["latest"] + [str(y) for y in query("years")]
        year = st.selectbox(t("year", lg), yrs, key="year", bind="query-params",
                            format_func=lambda y: t("all_years", lg) if y == "latest" else y)
        levels = st.multiselect(t("school_level", lg), list(LEVEL_NAMES), key="level", bind="query-params",
                                format_func=lambda c: level_name(c, lg), placeholder=t("levels_all", lg))
        pillars = st.multiselect(t("pillar", lg), list(PILLAR_NAMES), key="pillar", bind="query-params",
                                 format_func=lambda c: pillar_name(c, lg), placeholder=t("pillars_all", lg))
        st.toggle(t("meeting_mode", lg), key="meeting", bind="query-params")
        st.caption(t("share_link", lg))
    return Filters(lg, province or codes[0], None if year in (None, "latest") else int(year),
                   tuple(levels), tuple(pillars), tuple(districts))


def filters() -> Filters:
    """The filters chosen in the sidebar by app.py for this run."""
    f = st.session_state.get("_filters")
    if f is None:  # a page run on its own (tests)
        f = sidebar_filters()
    return f


def school_year_select(years: list[int], lg: str) -> int:
    """School-year selector for the district pages, bound to the URL (?sy=2023-2024)."""
    labels = {f"{y}-{y + 1}": y for y in years}
    chosen = st.selectbox(t("school_year", lg), list(labels)[::-1], key="sy", bind="query-params")
    return labels.get(chosen, years[-1])


def district_section(f: Filters, indicator_codes: list[str], key: str) -> None:
    """For the districts chosen in the filter: simulated shares of the school-level metrics that match the
    page's indicators, beside the province total of the same simulation. Published figures stay above."""
    if not f.districts:
        return
    from . import charts  # noqa: PLC0415

    lg = f.lang
    st.subheader(t("district_section", lg))
    years = query(rollups.school_years, f.province)
    metrics = list(dict.fromkeys(rollups.INDICATOR_METRIC[c] for c in indicator_codes if c in rollups.INDICATOR_METRIC))
    if not years or not metrics:
        st.info(t("no_data", lg))
        return
    sy = years[-1]
    df = query(rollups.district_summary, f.province, sy, levels=f.levels, districts_=f.districts, lang=f.lang,
               placed_only=True)
    if df.empty:
        st.info(t("empty_level", lg))
        return
    total = query(rollups.province_summary, f.province, sy, levels=f.levels).assign(
        district_name=t("province_total", lg), district_code="")
    both = pd.concat([df, total], ignore_index=True)
    names = {m: rollups.metric_name(m, lg) for m in metrics}
    caption = f"{t('simulated', lg)} — {t('school_year', lg)} {sy}-{sy + 1}"
    fig = charts.district_bars_figure(both, metrics, names, lang=lg, title=t("district_section", lg), caption=caption)
    chart(fig, key, title=t("district_section", lg), data=both, sources_text=caption, simulated=True,
          as_of=f"{sy}-{sy + 1}")
    st.caption(t("simulated_note", lg))


def district_page(title_key: str) -> tuple[Filters, int, pd.DataFrame]:
    """Common head of the district pages: title, simulated-data notice, school-year selector, the rollup.

    Ends the page (`end_page`: footer, pack panel and meeting controls still drawn) with a clear message when
    the province has no school data or the filters leave nothing. The rollup has real districts only; schools
    whose documents name no district are listed apart (`unplaced_schools`), never as a district.
    """
    f = filters()
    st.title(f"{t(title_key, f.lang)} — {md(province_name(f.province))}")
    st.warning(t("simulated_note", f.lang), icon=":material/science:")
    years = query(rollups.school_years, f.province)
    if not years:
        st.info(t("no_data", f.lang))
        end_page()
    sy = school_year_select(years, f.lang)
    if f.year_max:
        st.caption(t("year_filter_na", f.lang))
    df = query(rollups.district_summary, f.province, sy, levels=f.levels, districts_=f.districts, lang=f.lang,
               placed_only=True)
    if df.empty:
        st.info(t("empty_level", f.lang))
        unplaced_schools(f, sy)
        end_page()
    return f, sy, df


def unplaced_schools(f: Filters, sy: int) -> None:
    """The schools whose documents name no district, listed apart (not a district of any chart or ranking)."""
    if f.districts:  # a district filter: these schools belong to none of the chosen districts
        return
    schools = query(rollups.schools_without_district, f.province, sy, levels=f.levels)
    if schools.empty:
        return
    lg = f.lang
    with st.expander(t("unplaced_title", lg).format(n=len(schools))):
        st.caption(t("unplaced_note", lg))
        st.dataframe(pd.DataFrame({
            t("scr_school", lg): schools["name"], t("level", lg): [level_name(x, lg) for x in schools["level"]],
            t("scr_students", lg): [fmt_value(v, "count", lg) for v in schools["students"]],
            "⚑": [t("simulated", lg) if p == "simulated" else t("scr_imported", lg) for p in schools["provenance"]],
        }), hide_index=True, key="unplaced_schools")


def latest_as_of(province: str) -> str:
    """'03/2024': the as-of date of the province's latest published figure."""
    d = query("as_of", [province])
    return fmt_date(d, lang()) if d else "–"


def province_name(code: str) -> str:
    provs = query("provinces")
    return dict(zip(provs["code"], provs["name"])).get(code, code)


STATUS_CSS = {"reached": "#2e9e6a", "near": "#e0a100", "far": "#c8423b", "none": "#9aa3ad"}


def forecast_line(fc: pd.DataFrame | None, r: pd.Series, lg: str) -> str:
    """'Dự báo 2025: 61,2% (khoảng 55–66%) · Cần tăng tốc — 4 điểm' for a card row, from the forecast table."""
    if fc is None or fc.empty:
        return ""
    sid = f"{r['indicator_code']}|{r['level']}|{r['breakdown']}"
    rows = fc[(fc["series_id"].str.split("#").str[0] == sid) & (fc["target_year"].isna() | (fc["target_year"] == 2025))]
    if rows.empty:
        return ""
    x = rows.iloc[0]
    n = int(x["n_points"])
    status = t(f"forecast_status_{x['status']}", lg) if isinstance(x["status"], str) else ""
    proj = x.get("value_2025")
    txt = f"{t('fc_card_line', lg)}: "
    if proj is not None and not pd.isna(proj):
        txt += fmt_value(round(float(proj), 1), "pct", lg)
        if x.get("lower_2025") is not None and not pd.isna(x.get("lower_2025")):
            txt += f" ({fmt_value(round(float(x['lower_2025']), 1), 'pct', lg)}–{fmt_value(round(float(x['upper_2025']), 1), 'pct', lg)})"
    else:
        txt += "–"
    pts = f"{n} {'điểm' if lg == 'vi' else 'point' + ('s' if n != 1 else '')}"
    return " · ".join(x for x in (txt, status, pts) if x)


def indicator_card(rows: pd.DataFrame, lg: str, years: tuple[int, ...] = (2025,),
                   forecasts: pd.DataFrame | None = None) -> None:
    """One bordered card: indicator name, then one line per level/breakdown with value, date, target, gap.

    The target shown is the first of `years` that has one (2025, else the province's 2024 plan target).
    """
    first = rows.iloc[0]
    parts = [f"<div class='edu-card-title'>{html_text(first['indicator_name'])}</div>"]
    for _, r in rows.iterrows():
        year = next((y for y in years if r.get(f"target_{y}") is not None and not pd.isna(r.get(f"target_{y}"))),
                    years[0])
        status = r.get(f"status_{year}", "none")
        colour = STATUS_CSS.get(status, STATUS_CSS["none"])
        label = " · ".join(x for x in (level_name(r["level"], lg) if r["level"] != "ALL" else "",
                                       r.get("breakdown_name") or "") if x)
        has_value = r.get("value") is not None and not pd.isna(r.get("value"))
        value = fmt_value(r["value"], r["unit"], lg, r.get("qualifier") or "") if has_value else t("no_data", lg)
        meta = []
        if has_value:
            meta.append(f"{t('as_of', lg)} {fmt_date(r.get('period_end'), lg)}")
            if r.get("value_derived"):
                meta.append(f"{t('derived_from', lg)} {html_text(str(r.get('printed', '')))}")
            if (r.get("statements") or 0) > 1:
                meta.append("⚠ " + ("nhiều số liệu khác nhau" if lg == "vi" else "stated differently"))
        tgt = r.get(f"target_{year}")
        if tgt is not None and not pd.isna(tgt):
            scope = t("target_scope_vn", lg) if r.get(f"target_{year}_scope") == "VN" else t("target_scope_prov", lg)
            printed = r.get(f"target_{year}_printed") or ""
            shown = fmt_value(tgt, r["unit"], lg, r.get(f"target_{year}_qualifier") or "")
            if printed and not any(ch.isdigit() for ch in printed):
                shown += f" ({html_text(t('every_teacher', lg) if printed == 'mỗi giáo viên' else printed)})"
            g = gap_text(r.get(f"gap_{year}"), r["unit"], lg)
            gap_txt = f" · {g}" if g else ""
            target_line = f"{t('target', lg)} {year}: {shown} — {scope}{gap_txt}"
            if basis := r.get(f"status_{year}_basis"):  # a status from a printed bound or estimate says so
                target_line += f" · {t(f'status_{status}', lg)} ({t(f'status_basis_{basis}', lg)})"
            tsrc = r.get(f"target_{year}_source")
            if isinstance(tsrc, str) and tsrc:
                target_line += (f"<div class='edu-card-source'>{html_text(t('target', lg))}: {html_text(tsrc)}, "
                                f"{html_text(str(r.get(f'target_{year}_section') or ''))}</div>")
        else:
            target_line = t("no_target", lg)
        source = ""
        if has_value:
            source = f"{html_text(str(r.get('source_title', '')))}, {html_text(str(r.get('section', '')))}"
        parts.append(
            f"<div class='edu-card-row' style='border-left:6px solid {colour}'>"
            + (f"<div class='edu-card-label'>{html_text(label)}</div>" if label else "")
            + f"<div class='edu-card-value{'' if has_value else ' edu-card-empty'}'>{html_text(value)}</div>"
            + f"<div class='edu-card-meta'>{' · '.join(meta)}</div>"
            + f"<div class='edu-card-target'>{target_line}</div>"
            + (f"<div class='edu-card-forecast'>{html_text(fl)}</div>" if (fl := forecast_line(forecasts, r, lg)) else "")
            + (f"<div class='edu-card-source'>{source}</div>" if source else "")
            + "</div>")
    st.markdown(f"<div class='edu-card'>{''.join(parts)}</div>", unsafe_allow_html=True)


CSS = """
<style>
.edu-card {border:1px solid #d8dee4; border-radius:10px; padding:12px 14px; margin-bottom:14px; background:#fff;}
.edu-card-title {font-weight:700; font-size:1.05rem; margin-bottom:6px; line-height:1.3;}
.edu-card-row {padding:4px 0 6px 10px; margin:6px 0;}
.edu-card-label {font-size:0.85rem; color:#52606d;}
.edu-card-value {font-size:1.9rem; font-weight:700; line-height:1.2;}
.edu-card-empty {font-size:1.1rem; color:#7b8794; font-weight:600;}
.edu-card-forecast {font-size:0.85rem; color:#1f6fb4;}
.edu-card-meta, .edu-card-source {font-size:0.8rem; color:#52606d;}
.edu-card-target {font-size:0.92rem;}
.edu-legend span {display:inline-block; padding:2px 8px; margin-right:6px; border-radius:4px; color:#fff; font-size:0.85rem;}
</style>
"""


def gap_text(gap: float | None, unit: str, lg: str) -> str:
    """'còn thiếu 7,18 điểm %' / 'đã đạt' for a gap = target − actual (direction up)."""
    if gap is None or pd.isna(gap):
        return ""
    if gap <= 0:
        return t("status_reached", lg)
    amount = fmt_value(round(gap, 1), "count", lg) if unit == "pct" else fmt_value(gap, unit, lg)
    return t("gap_short_pct" if unit == "pct" else "gap_short", lg).format(x=amount)


def inject_css() -> None:
    st.markdown(CSS, unsafe_allow_html=True)


def status_legend(lg: str) -> None:
    keys = ["reached", "near", "far", "none"]
    spans = "".join(f"<span style='background:{STATUS_CSS[k]}'>{html.escape(t('status_' + k, lg))}</span>" for k in keys)
    st.markdown(f"<div class='edu-legend'>{spans}</div>", unsafe_allow_html=True)
    st.caption(t("status_rule", lg))


# --- the page boundary: no traceback, path or secret reaches the browser ------------------------------------

def _fail(exc: BaseException, where: str) -> None:
    """Log `exc` on the server; show one short message (the kind of failure and an incident code); stop."""
    from . import errors  # noqa: PLC0415

    code = errors.report(exc, where)
    try:
        lg = lang()
    except Exception:  # noqa: BLE001 - the message must come out whatever broke
        lg = "vi"
    st.error(errors.user_message(exc, code, lg), icon=":material/error:")
    st.stop()


class PageEnd(BaseException):
    """Raised by `end_page`: the page is done early. Not an Exception, so `guarded` lets it through."""


def end_page() -> None:
    """End the page here (an empty state) without stopping the run: unlike st.stop(), app.py still draws the
    meeting controls, the pack panel and the footer after it."""
    raise PageEnd


def guarded(fn: Callable, *args: object, **kwargs: object):
    """`fn(*args, **kwargs)`, or — on an unexpected exception — the clear message and a stopped script.
    Streamlit's own st.stop / st.rerun / page switches pass through (they are not Exceptions)."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the boundary: everything unexpected ends here
        _fail(exc, getattr(fn, "__qualname__", str(fn)))


def run_page(page) -> None:
    """app.py runs the chosen page through this: a failing page shows the message, never a traceback; a page
    that ends early (`end_page`) or fails still leaves the meeting controls, pack panel and footer to app.py."""
    from . import errors  # noqa: PLC0415

    try:
        page.run()
    except PageEnd:
        return
    except Exception as exc:  # noqa: BLE001 - the boundary: one sentence, the rest of app.py still runs
        code = errors.report(exc, "page")
        st.error(errors.user_message(exc, code, lang()), icon=":material/error:")


# --- charts with downloads, briefing packs and meeting mode ------------------------------------------------

MEETING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
header[data-testid="stHeader"], [data-testid="stDataFrame"], [data-testid="stExpander"],
.edu-downloads, [data-testid="stCaptionContainer"], [data-testid="stHeading"]:has(h3),
[data-testid="stAlert"] {display: none !important;}
html {font-size: 21px;}
[data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 1.2rem 2.5rem !important;}
h1 {font-size: 2.4rem !important;}
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
    """Called by app.py before a page runs: resets the slide counter and the page's chart list."""
    if st.session_state.get("_deck_page") != page_key:
        st.session_state["meeting_step"] = 0
    st.session_state["_deck_page"] = page_key
    st.session_state["_deck_i"] = 0
    st.session_state["_page_items"] = []


def show_slide() -> bool:
    """In meeting mode only the current slide is shown; otherwise everything. Counts the page's slides."""
    i = st.session_state.get("_deck_i", 0)
    st.session_state["_deck_i"] = i + 1
    return not meeting() or i == st.session_state.get("meeting_step", 0)


def _filters_text(f: Filters) -> str:
    from .export import describe_filters  # noqa: PLC0415

    txt = describe_filters(province_name(f.province), year_max=f.year_max, levels=f.levels, pillars=f.pillars,
                           lang=f.lang)
    if f.districts:
        names = dict(zip(*query(rollups.districts, f.province)[["code", "fullname"]].T.values))
        txt += f" · {t('district', f.lang)}: " + ", ".join(names.get(d, d) for d in f.districts)
    return txt


def chart(fig, key: str, *, title: str, data: pd.DataFrame | None = None, sources_text: str = "",
          as_of: str = "", simulated: bool = False, caption: str = "") -> None:
    """A plotly chart (one slide in meeting mode) with PNG, SVG and CSV downloads carrying a footer."""
    from .export import PackItem  # noqa: PLC0415

    f = filters()
    if data is not None and simulated:  # a simulated number never leaves the app unlabelled
        data = data.assign(provenance="simulated", nhan="Dữ liệu mô phỏng / simulated data")
    item = PackItem(figure=fig, title=title, caption=caption, sources_text=sources_text, simulated=simulated,
                    csv=data, as_of=as_of, key=key, page=st.session_state.get("_deck_page", ""))
    st.session_state.setdefault("_page_items", []).append(item)
    if not show_slide():
        return
    shown = fig
    if meeting():
        import plotly.graph_objects as go  # noqa: PLC0415

        shown = go.Figure(fig)
        shown.update_layout(height=max(int((fig.layout.height or 450) * 1.35), 680),
                            font=dict(size=(fig.layout.font.size or 15) + 6))
        shown.update_xaxes(tickfont=dict(size=20))
        shown.update_yaxes(tickfont=dict(size=20))
        for a in shown.layout.annotations:  # the 'Dữ liệu mô phỏng' stamp and totals grow too
            a.font.size = (a.font.size or 12) + 8
        if shown.layout.title.subtitle and shown.layout.title.subtitle.font:
            shown.layout.title.subtitle.font.size = 16
    cfg = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key}}
    st.plotly_chart(shown, key=key, config=cfg)
    if not meeting():
        _downloads(item, f)


def _downloads(item, f: Filters) -> None:
    from datetime import date  # noqa: PLC0415

    from . import export  # noqa: PLC0415

    lg = f.lang
    page_label = item.page or "trang"

    def name(ext: str) -> str:
        return export.export_filename(page_label, province_name(f.province), item.key, ext, date.today())

    def footed():
        return export.with_footer(item.figure, title=item.title, filters_text=_filters_text(f),
                                  sources_text=item.sources_text, as_of=item.as_of, simulated=item.simulated,
                                  lang=lg, caption=item.caption)

    st.markdown("<div class='edu-downloads'></div>", unsafe_allow_html=True)
    cols = st.columns([1, 1, 1, 5])
    ready = export.chromium_available()
    cols[0].download_button("⬇ PNG", (lambda: export.figure_png(footed())) if ready else b"", name("png"),
                            "image/png", key=f"{item.key}_png", disabled=not ready, on_click="ignore")
    cols[1].download_button("⬇ SVG", (lambda: export.figure_svg(footed())) if ready else b"", name("svg"),
                            "image/svg+xml", key=f"{item.key}_svg", disabled=not ready, on_click="ignore")
    if item.csv is not None:
        cols[2].download_button("⬇ CSV", export.frame_csv(item.csv), name("csv"), "text/csv",
                                key=f"{item.key}_csv", on_click="ignore")
    if not ready:
        cols[3].caption(t("export_no_renderer", lg) + " " + t("export_use_toolbar", lg))


def _build_pack(items: list, fmt: str, f: Filters, state_key: tuple) -> None:
    """Wait for this session's turn in the process-wide pack queue (showing the position), then render."""
    from datetime import date  # noqa: PLC0415

    from streamlit.runtime.scriptrunner import get_script_run_ctx  # noqa: PLC0415

    from . import export  # noqa: PLC0415

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
            data = build(items, province=province_name(f.province), filters_text=_filters_text(f),
                         day=date.today(), lang=lg,
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
    from .errors import log  # noqa: PLC0415

    log.warning("briefing pack: %s", reason)


def pack_controls(page_key: str) -> None:
    """Sidebar: build a briefing pack (PDF or PPTX) of the charts this page just drew, with progress.
    Runs behind the page boundary like the page itself (a failure: one clear message, never a traceback)."""
    guarded(_pack_controls, page_key)


def _pack_controls(page_key: str) -> None:
    from datetime import date  # noqa: PLC0415

    from . import export  # noqa: PLC0415

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
            fname = export.export_filename(page_key, province_name(f.province), "ban-tom-tat", fmt, date.today())
            st.download_button(t("pack_download", lg), pack[1], fname, key="pack_download", on_click="ignore",
                               mime="application/pdf" if fmt == "pdf" else
                               "application/vnd.openxmlformats-officedocument.presentationml.presentation")


def meeting_bar() -> list | None:
    """In meeting mode: the top bar; returns the places for ◀ ▶ and the counter (CSS: meeting_css)."""
    if not meeting():
        return None
    lg = lang()

    def leave() -> None:
        st.session_state["meeting"] = False

    c = st.columns([1, 1, 2, 1.4])
    c[3].button("✕ " + t("meeting_exit", lg), on_click=leave, key="meeting_exit")
    return [c[0].empty(), c[1].empty(), c[2].empty()]


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

    places[0].button("◀ " + t("meeting_prev", lg), on_click=move, args=(-1,), disabled=step == 0, key="meeting_prev")
    places[1].button(t("meeting_next", lg) + " ▶", on_click=move, args=(1,), disabled=step >= n - 1,
                     key="meeting_next")
    places[2].markdown(f"**{t('meeting_slide', lg)} {step + 1}/{n}**")
