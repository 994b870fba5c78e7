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
    "cards_details": {"vi": "Chi tiết từng chỉ tiêu (thời điểm, nguồn mục tiêu, dự báo)",
                      "en": "Details of each indicator (dates, target sources, projections)"},
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


STATUS_TEXT = {"reached": "#ffffff", "near": "#1f2933", "far": "#ffffff", "none": "#ffffff"}  # legible on the fill
SLIDE_ROWS = 9  # status-table rows per meeting slide (read from the back of the room at 1024×768)


def status_table(rows: pd.DataFrame, lg: str, sources: str = "", *, slides: bool = False) -> None:
    """The overview's headline status table (the briefing pack's rows, `packs.status_table`): indicator, latest
    value, target, gap in words, status and source in small type. In meeting mode it is one slide per
    SLIDE_ROWS rows (balanced), each with the sources line; otherwise one table."""
    from .export.status_table import chunks, headers  # noqa: PLC0415

    parts = chunks(rows, SLIDE_ROWS) if slides and meeting() else [rows]
    heads = headers(lg)
    for k, part in enumerate(parts):
        if not show_slide():
            continue
        body = []
        for _, r in part.iterrows():
            key = r["status_key"] if r["status_key"] in STATUS_CSS else "none"
            value = str(r["value"])
            date_ = ""
            if value.endswith(")") and " (" in value:
                value, date_ = value[:-1].rsplit(" (", 1)
            short = t(f"chart_status_short_{key}", lg)
            basis = str(r["status"])[len(t(f"status_{key}", lg)):].strip() if str(r["status"]).startswith(
                t(f"status_{key}", lg)) else ""
            pill = (f"<span class='edu-pill' style='background:{STATUS_CSS[key]};color:{STATUS_TEXT[key]}' "
                    f"title='{html_text(r['status'])}'>{html_text(short)}</span>"
                    + (f"<div class='edu-st-small'>{html_text(basis)}</div>" if basis else ""))
            body.append(
                f"<tr class='edu-st-{key}'><td class='edu-st-ind'>{html_text(r['indicator'])}</td>"
                f"<td class='edu-st-v'>{html_text(value)}"
                + (f"<div class='edu-st-small'>{html_text(date_)}</div>" if date_ else "") + "</td>"
                f"<td class='edu-st-t'>{target_cell(str(r['target']))}</td><td class='edu-st-gap'>{html_text(r['gap'])}</td>"
                f"<td>{pill}</td><td class='edu-st-src'>{html_text(r['source'])}</td></tr>")
        head = "".join(f"<th class='{c}'>{html_text(h)}</th>" for h, c in
                       zip(heads, ("edu-st-ind", "", "", "", "", "edu-st-src")))
        cont = f" {t('pack_status_cont', lg)}" if k else ""
        st.markdown(
            f"<div class='edu-st-wrap'>" + (f"<div class='edu-st-part'>{k + 1}/{len(parts)}{html_text(cont)}</div>"
                                             if len(parts) > 1 else "")
            + f"<table class='edu-st'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            + (f"<div class='edu-st-sources'>{html_text(sources)}</div>" if sources else "") + "</div>",
            unsafe_allow_html=True)


def target_cell(target: str) -> str:
    """'80% (2025, QĐ 131 (quốc gia))' → the value, then year and scope in small type (HTML)."""
    if target.endswith(")") and " (" in target:
        value, rest = target.split(" (", 1)
        return f"{html_text(value)}<div class='edu-st-small'>{html_text(rest[:-1])}</div>"
    return html_text(target)


def forecast_line(fc: pd.DataFrame | None, r: pd.Series, lg: str) -> str:
    """'Dự báo 2025: 61,2% (khoảng 55–66%) · Cần tăng tốc — 4 điểm' for a card row, from the forecast table."""
    if fc is None or fc.empty or r.get("value") is None or pd.isna(r.get("value")):
        return ""  # a card row with no figure has no forecast to show (never 'no figure' beside 'reached')
    sid = f"{r['indicator_code']}|{r['level']}|{r['breakdown']}"
    rows = fc[(fc["series_id"].str.split("#").str[0] == sid) & (fc["target_year"].isna() | (fc["target_year"] == 2025))]
    year = str(r.get("period_end") or "")[:4]
    if year.isdigit() and "last_year" in rows:  # the year filter: only a forecast whose last point is the card's
        rows = rows[rows["last_year"].astype(float) == float(year)]
    if rows.empty:
        return ""
    x = rows.iloc[0]
    n = int(x["n_points"])
    status = t(f"forecast_status_{x['status']}", lg) if isinstance(x["status"], str) else ""
    proj = x.get("value_2025")
    value = ""
    if proj is not None and not pd.isna(proj):
        value = fmt_value(round(float(proj), 1), "pct", lg)
        if x.get("lower_2025") is not None and not pd.isna(x.get("lower_2025")):
            value += f" ({fmt_value(round(float(x['lower_2025']), 1), 'pct', lg)}–{fmt_value(round(float(x['upper_2025']), 1), 'pct', lg)})"
    if not value and not status:
        return ""  # no projection and no status: nothing to say ('Dự báo 2025: – · 1 điểm' was noise)
    pts = f" ({n} {'điểm' if lg == 'vi' else 'point' + ('s' if n != 1 else '')})"
    if x["status"] == "insufficient_data":  # its wording already says how many points it lacks
        pts = ""
    return f"{t('fc_card_line', lg)}: " + " · ".join(x for x in (value, status) if x) + pts


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
.edu-st {width:100%; border-collapse:collapse; font-size:1rem; line-height:1.25; table-layout:fixed;}
.edu-st th:nth-child(1) {width:31%;} .edu-st th:nth-child(2) {width:13%;} .edu-st th:nth-child(3) {width:13%;}
.edu-st th:nth-child(4) {width:14%;} .edu-st th:nth-child(5) {width:12%;} .edu-st th:nth-child(6) {width:17%;}
.edu-st .edu-st-t {font-weight:600;}
.edu-st th {text-align:left; font-size:0.78em; font-weight:600; color:#52606d; border-bottom:2px solid #d8dee4;
  padding:0.25em 0.5em;}
.edu-st td {padding:0.3em 0.5em; border-bottom:1px solid #e8ecf0; vertical-align:middle;}
.edu-st .edu-st-ind {font-weight:600;}
.edu-st .edu-st-v {font-size:1.3em; font-weight:700; white-space:nowrap;}
.edu-st .edu-st-gap {font-weight:600;}
.edu-st td.edu-st-src {font-size:0.72em; color:#52606d;}
.edu-st-small {font-size:0.62em; font-weight:400; color:#52606d;}
.edu-st td.edu-st-v .edu-st-small {font-size:0.55em;}
.edu-pill {display:inline-block; padding:0.1em 0.6em; border-radius:0.8em; font-weight:700; font-size:0.9em;}
.edu-st-sources {font-size:0.8rem; color:#52606d; margin-top:0.4em;}
.edu-st-part {font-size:0.8rem; color:#52606d; text-align:right;}
.edu-st-wrap {margin-bottom:1rem;}
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
.edu-st td.edu-st-src, .edu-st th.edu-st-src, hr {display: none !important;}
/* warnings (notes) go; an empty state (info) or an error stays on the slide */
[data-testid="stAlert"]:has([data-testid="stAlertContentWarning"]),
[data-testid="stAlert"]:has([data-testid="stAlertContentSuccess"]) {display: none !important;}
/* containers of hidden elements take no room (no blank band above a slide) */
[data-testid="stElementContainer"]:has(> [data-testid="stCaptionContainer"]),
[data-testid="stElementContainer"]:has([data-testid="stHeading"] h3),
[data-testid="stElementContainer"]:has([data-testid="stDataFrame"]),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"]:empty),
[data-testid="stElementContainer"]:has(.edu-downloads),
[data-testid="stElementContainer"]:has([data-testid="stSelectbox"], [data-testid="stRadio"], [data-testid="stTextInput"]),
[data-testid="stElementContainer"]:has([data-testid="stSegmentedControl"]) {display: none !important;}
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
.edu-st {font-size: min(2.1vh, 1.45vw);}
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
    cfg = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": key}}
    if meeting():  # one slide: the chart fills the viewport below the bar (CSS), larger type, no scrolling
        with st.container(key=f"edu-slide-{key}"):
            st.plotly_chart(meeting_figure(fig), key=key, config={**cfg, "responsive": True}, height="stretch",
                            theme=None)
        return
    st.plotly_chart(fig, key=key, config=cfg)
    _downloads(item, f)


def meeting_figure(fig):
    """The projector version of a figure: no fixed height (the slide's container sets it from the viewport),
    larger type, tighter margins. Rows of a long chart share the height, so it never scrolls."""
    import plotly.graph_objects as go  # noqa: PLC0415

    shown = go.Figure(fig)
    n_rows = max((len(tr.y) for tr in fig.data if tr.type == "bar" and tr.orientation == "h" and tr.y is not None),
                 default=0)
    tick = 17 if n_rows <= 6 else (15 if n_rows <= 10 else 13)  # many rows: smaller labels, still ≥ 13 px
    if n_rows > 6:  # many rows share the height: each label on one line (the slide is wide, not tall)
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
    legend_items = sum(1 for tr in fig.data if tr.showlegend is not False and tr.name)
    extra = 26 if legend_items > 4 else 0  # a legend that may wrap to two lines above the plot
    heat = any(tr.type == "heatmap" for tr in fig.data)  # its column labels sit below the plot
    shown.update_layout(margin=dict(t=min(m.t or 80, 150) + extra, b=(m.b or 90) if heat else min(m.b or 60, 50),
                                    r=(m.r or 40) + 20))
    return shown


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
            from . import packs  # noqa: PLC0415

            status_rows = query(packs.status_table, f.province, lang=lg, year_max=f.year_max, levels=f.levels,
                                pillars=f.pillars)  # every pack opens with the headline status table
            data = build(items, province=province_name(f.province), filters_text=_filters_text(f),
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
