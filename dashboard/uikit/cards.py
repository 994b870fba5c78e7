"""The overview's headline status table, indicator cards, gap words, status legend and the shared CSS."""
from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from ..i18n import fmt_date, fmt_value, level_name, register, t
from ..markup import html_text, section_label
from .meeting import meeting, show_slide

register({
    "cards_details": {"vi": "Chi tiết từng chỉ tiêu (thời điểm, nguồn mục tiêu, dự báo)",
                      "en": "Details of each indicator (dates, target sources, projections)"},
})


STATUS_CSS = {"reached": "#2e9e6a", "near": "#e0a100", "far": "#c8423b", "none": "#9aa3ad"}


STATUS_TEXT = {"reached": "#ffffff", "near": "#1f2933", "far": "#ffffff", "none": "#ffffff"}  # legible on the fill
SLIDE_ROWS = 9  # status-table rows per meeting slide (read from the back of the room at 1024×768)


def status_table(rows: pd.DataFrame, lg: str, sources: str = "", *, slides: bool = False) -> None:
    """The overview's headline status table (the briefing pack's rows, `packs.status_table`): indicator, latest
    value, target, gap in words, status and source in small type. In meeting mode it is one slide per
    SLIDE_ROWS rows (balanced), each with the sources line; otherwise one table."""
    from ..export.status_table import chunks, headers  # noqa: PLC0415

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
    from ..export.status_table import scope_label  # noqa: PLC0415 - the status table's own scope words
    from .filters import filters, province_name  # noqa: PLC0415

    f = filters()  # a province from 7/2025 chosen: a former province's target names the unit that set it
    former = {f.province: province_name(f.province)} if getattr(f, "current_province", None) else None
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
            scope = scope_label(r.get(f"target_{year}_scope"), lg, former)
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
                                f"{html_text(section_label(r.get(f'target_{year}_section') or '', lg))}</div>")
        else:
            target_line = t("no_target", lg)
        source = ""
        if has_value:
            source = f"{html_text(str(r.get('source_title', '')))}, {html_text(section_label(r.get('section', ''), lg))}"
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
